// Retries, timeouts and aborts against a real server with a tiny rate limit. Nobody
// sleeps: the client's sleep is a fake that moves the server's manual clock instead.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Kaifang, KaifangConnectionError, KaifangError, KaifangTimeoutError, type KaifangOptions } from '../../sdk/src/index';
import { startSdkServer, type SdkServer } from './server';

const LIMIT = 3;
const WINDOW_SECONDS = 60;

let server: SdkServer;
let apiKey: string;

beforeAll(async () => {
  server = await startSdkServer({ KEY_PLANS: JSON.stringify({ free: { limit: LIMIT, dailyQuota: 10_000 } }), KEY_RATE_WINDOW_SECONDS: String(WINDOW_SECONDS) });
  apiKey = (await new Kaifang({ baseUrl: server.baseUrl }).accounts.signUp({ name: 'Zhang Wei', email: 'zhang.wei@example.com' })).key.key;
});
afterAll(async () => server?.close());

/** Each test starts at the beginning of a fresh rate window. */
beforeEach(() => {
  const windowMs = WINDOW_SECONDS * 1000;
  server.t.clock.setMs(Math.ceil((server.t.clock.nowMs() + 1) / windowMs) * windowMs);
});

interface Harness {
  client: Kaifang;
  /** Every wait the client asked for, in ms. */
  waits: number[];
  /** Every request the client sent, as `METHOD path`. */
  attempts: string[];
}

function harness(options: Partial<KaifangOptions> & { advanceClock?: boolean } = {}): Harness {
  const waits: number[] = [];
  const attempts: string[] = [];
  const { advanceClock = true, fetch: innerFetch = fetch, ...rest } = options;
  const client = new Kaifang({
    baseUrl: server.baseUrl,
    apiKey,
    random: () => 0.5,
    sleep: async (ms) => {
      waits.push(ms);
      if (advanceClock) server.t.clock.advanceMs(ms);
    },
    fetch: async (input, init) => {
      attempts.push(`${init?.method} ${new URL(String(input)).pathname}`);
      return innerFetch(input, init);
    },
    ...rest,
  });
  return { client, waits, attempts };
}

async function useUpWindow(client: Kaifang) {
  for (let index = 0; index < LIMIT; index++) await client.keys.list({ maxRetries: 0 });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error,
  );
}

/** A fetch that answers the first `times` calls itself, then passes through to the server. */
function failingFirst(times: number, answer: () => Response | Promise<Response>): typeof fetch {
  let left = times;
  return async (input, init) => (left-- > 0 ? answer() : fetch(input, init));
}

const problem = (status: number, code: string) =>
  new Response(JSON.stringify({ type: `urn:kaifang:problem:${code}`, title: code, status, detail: 'simulated', instance: '/v1/keys', code, requestId: 'simulated' }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });

describe('retry on 429', () => {
  it('waits the Retry-After of the window and then succeeds', async () => {
    const { client, waits, attempts } = harness();
    await useUpWindow(client);
    const { data } = await client.keys.list();
    expect(data.length).toBeGreaterThan(0);
    expect(attempts).toHaveLength(LIMIT + 2);
    expect(waits).toHaveLength(1);
    // The server said "the window ends in 60 s": never sooner, never beyond the cap.
    expect(waits[0]).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1000);
    expect(waits[0]).toBeLessThanOrEqual(60_000);
  });

  it('gives up at once when Retry-After is beyond the maximum delay', async () => {
    const { client, waits } = harness({ maxRetryDelayMs: 5_000 });
    await useUpWindow(client);
    const error = (await rejection(client.keys.list())) as KaifangError;
    expect(error).toBeInstanceOf(KaifangError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(error.retryAfterSeconds).toBe(WINDOW_SECONDS);
    expect(error.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(waits).toEqual([]);
  });

  it('stops after maxRetries', async () => {
    const { client, waits, attempts } = harness({ advanceClock: false, maxRetries: 2 });
    await useUpWindow(client);
    attempts.length = 0;
    const error = (await rejection(client.keys.list())) as KaifangError;
    expect(error.code).toBe('rate_limited');
    expect(attempts).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('does not retry with maxRetries: 0', async () => {
    const { client, waits } = harness();
    await useUpWindow(client);
    expect(await rejection(client.keys.list({ maxRetries: 0 }))).toMatchObject({ code: 'rate_limited' });
    expect(waits).toEqual([]);
  });
});

describe('retry on 5xx and connection failures', () => {
  it('retries a 503 with exponential backoff and full jitter', async () => {
    const { client, waits, attempts } = harness({ fetch: failingFirst(3, () => problem(503, 'database_unavailable')), retryBaseDelayMs: 100 });
    await expect(client.keys.list()).resolves.toMatchObject({ data: expect.any(Array) });
    expect(attempts).toHaveLength(4);
    // random() = 0.5 of a ceiling that doubles: 100, 200, 400 ms.
    expect(waits).toEqual([50, 100, 200]);
  });

  it('caps each backoff at maxRetryDelayMs', async () => {
    const { client, waits } = harness({ fetch: failingFirst(3, () => problem(503, 'database_unavailable')), retryBaseDelayMs: 1000, maxRetryDelayMs: 1500 });
    await client.keys.list();
    expect(waits).toEqual([500, 750, 750]);
  });

  it('retries a 500 for GET but not for POST, which may have been carried out', async () => {
    const get = harness({ fetch: failingFirst(1, () => problem(500, 'internal_error')) });
    await expect(get.client.keys.list()).resolves.toBeDefined();
    expect(get.waits).toHaveLength(1);
    const post = harness({ fetch: failingFirst(1, () => problem(500, 'internal_error')) });
    expect(await rejection(post.client.keys.create({ name: 'x', scopes: ['data:read'] }))).toMatchObject({ status: 500, code: 'internal_error' });
    expect(post.waits).toEqual([]);
  });

  it('maps a response that is not a problem to unexpected_response', async () => {
    const html = () => new Response('<html><body>502 Bad Gateway</body></html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } });
    const { client } = harness({ fetch: failingFirst(10, html), maxRetries: 1 });
    const error = (await rejection(client.keys.list())) as KaifangError;
    expect(error).toMatchObject({ status: 502, code: 'unexpected_response', title: 'Bad Gateway', problem: undefined });
    expect(error.detail).toContain('502 Bad Gateway');
  });

  it('retries a refused connection for GET, then throws a KaifangConnectionError', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const baseUrl = `http://127.0.0.1:${port}`;
    const { client, waits } = harness({ baseUrl, maxRetries: 2 });
    const error = await rejection(client.datasets.list());
    expect(error).toBeInstanceOf(KaifangConnectionError);
    expect(waits).toHaveLength(2);
  });
});

describe('timeouts and aborts', () => {
  /** A fetch that waits `ms` (or until aborted) before reaching the server. */
  const slowFetch =
    (ms: number): typeof fetch =>
    (input, init) =>
      new Promise((resolve, reject) => {
        const signal = init?.signal;
        const timer = setTimeout(() => resolve(fetch(input, init)), ms);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });

  it('throws a KaifangTimeoutError after timeoutMs, without retrying', async () => {
    const { client, attempts } = harness({ fetch: slowFetch(2_000), timeoutMs: 30 });
    const error = await rejection(client.datasets.list());
    expect(error).toBeInstanceOf(KaifangTimeoutError);
    expect(error).toBeInstanceOf(KaifangConnectionError);
    expect((error as KaifangTimeoutError).timeoutMs).toBe(30);
    expect(attempts).toHaveLength(1);
  });

  it('takes a per-call timeout over the client default', async () => {
    const { client } = harness({ fetch: slowFetch(40), timeoutMs: 10 });
    await expect(client.datasets.list({}, { timeoutMs: 5_000 })).resolves.toMatchObject({ data: [] });
    expect(await rejection(client.datasets.list({}, { timeoutMs: 5 }))).toBeInstanceOf(KaifangTimeoutError);
  });

  it("rejects with the signal's reason when the caller aborts, before or during a call", async () => {
    const { client } = harness({ fetch: slowFetch(2_000) });
    const before = new AbortController();
    before.abort(new Error('changed my mind'));
    expect(await rejection(client.datasets.list({}, { signal: before.signal }))).toMatchObject({ message: 'changed my mind' });
    const during = new AbortController();
    const pending = client.datasets.list({}, { signal: during.signal });
    setTimeout(() => during.abort(), 10);
    expect(await rejection(pending)).toMatchObject({ name: 'AbortError' });
  });

  it('aborts a wait between retries', async () => {
    // The real sleep this time: a 503 with a 30 s backoff, aborted after a few ms.
    const client = new Kaifang({ baseUrl: server.baseUrl, apiKey, fetch: failingFirst(1, () => problem(503, 'database_unavailable')), retryBaseDelayMs: 60_000, random: () => 0.5 });
    const controller = new AbortController();
    const startedMs = Date.now();
    const pending = client.keys.list({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(await rejection(pending)).toMatchObject({ name: 'AbortError' });
    expect(Date.now() - startedMs).toBeLessThan(5_000);
  });
});
