// One HTTP call with the SDK's guarantees: a per-attempt timeout, the caller's
// AbortSignal, typed errors, and retries with exponential backoff and full jitter that
// honour Retry-After. Uses only web-standard APIs (fetch, AbortController, Headers), so
// it runs unchanged in Node 20 and in browsers.
import { KaifangConnectionError, KaifangError, KaifangTimeoutError, errorFromResponse } from './errors.js';
import type { QueryValue } from './types.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;
// Retry-After is honoured as a floor; a little on top keeps clients that were refused
// together from all coming back in the same instant.
const RETRY_AFTER_JITTER_FRACTION = 0.1;

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts. */
export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

export const defaultSleep: SleepFunction = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface TransportSettings {
  baseUrl: string;
  apiKey: string | undefined;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  sleep: SleepFunction;
  random: () => number;
  now: () => number;
  headers: Record<string, string>;
}

export interface CallInit {
  method: string;
  /** Path with its parameters already substituted, starting with `/`. */
  path: string;
  query?: Record<string, QueryValue> | URLSearchParams;
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
  accept?: string;
}

// Methods whose repetition cannot do anything twice: a 500 or a dropped connection may
// have happened after the server acted, so only these are retried on those.
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue> | URLSearchParams): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  if (query instanceof URLSearchParams) {
    for (const [name, value] of query) url.searchParams.append(name, value);
  } else if (query) {
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
      else url.searchParams.append(name, String(value));
    }
  }
  return url.toString();
}

/** Substitutes `{name}` segments of an OpenAPI path template. */
export function fillPath(template: string, params: Record<string, string | number> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new TypeError(`missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(String(value));
  });
}

/** The delay before the next attempt, or null when the error is not to be retried. */
export function retryDelayMs(
  settings: Pick<TransportSettings, 'retryBaseDelayMs' | 'maxRetryDelayMs' | 'random'>,
  method: string,
  attempt: number,
  failure: { status: number; retryAfterSeconds?: number } | 'connection',
): number | null {
  const idempotent = IDEMPOTENT_METHODS.has(method.toUpperCase());
  if (failure === 'connection') {
    if (!idempotent) return null;
  } else {
    // 429 and 503 mean the server did not act on the request: safe for any method.
    const retryable = failure.status === 429 || failure.status === 503 || (failure.status >= 500 && idempotent);
    if (!retryable) return null;
    if (failure.retryAfterSeconds !== undefined) {
      const waitMs = failure.retryAfterSeconds * 1000;
      // A wait beyond the cap (a daily quota, an hourly window) is the caller's decision.
      if (waitMs > settings.maxRetryDelayMs) return null;
      return Math.min(settings.maxRetryDelayMs, waitMs + settings.random() * waitMs * RETRY_AFTER_JITTER_FRACTION);
    }
  }
  const ceilingMs = Math.min(settings.maxRetryDelayMs, settings.retryBaseDelayMs * 2 ** attempt);
  return settings.random() * ceilingMs;
}

/** One attempt's abort signal: the caller's signal and the attempt's timeout in one. */
function attemptSignal(callerSignal: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let timedOut = false;
  const onCallerAbort = () => controller.abort(callerSignal!.reason);
  if (callerSignal) callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  const timer =
    timeoutMs > 0 && Number.isFinite(timeoutMs)
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new KaifangTimeoutError(timeoutMs));
        }, timeoutMs)
      : undefined;
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    /** The response has arrived: the timeout no longer applies (streams run as long as they need). */
    stopTimer: () => clearTimeout(timer),
    /** The attempt is over: unlink from the caller's signal too. */
    release: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

export class Transport {
  constructor(readonly settings: TransportSettings) {}

  /** A successful response whose body has been read: parsed JSON, text, or undefined (204). */
  async json<T>(init: CallInit): Promise<T> {
    return this.run(init, async (response) => {
      if (response.status === 204 || response.status === 205) return undefined as T;
      const text = await response.text();
      if (text === '') return undefined as T;
      const type = response.headers.get('Content-Type') ?? '';
      return (/\bjson\b|\+json\b/.test(type) ? JSON.parse(text) : text) as T;
    });
  }

  /**
   * A successful response whose body is left unread for streaming. The timeout covers
   * the wait for the response headers; the caller's signal keeps cancelling the body.
   */
  async stream(init: CallInit): Promise<Response> {
    return this.run(init, async (response) => response, { keepBody: true });
  }

  private async run<T>(init: CallInit, read: (response: Response) => Promise<T>, options: { keepBody?: boolean } = {}): Promise<T> {
    const { settings } = this;
    const method = init.method.toUpperCase();
    const url = buildUrl(settings.baseUrl, init.path, init.query);
    const timeoutMs = init.timeoutMs ?? settings.timeoutMs;
    const maxRetries = Math.max(0, init.maxRetries ?? settings.maxRetries);
    const headers: Record<string, string> = { Accept: init.accept ?? 'application/json, application/problem+json', ...settings.headers };
    if (settings.apiKey) headers.Authorization = `Bearer ${settings.apiKey}`;
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    Object.assign(headers, init.headers);

    for (let attempt = 0; ; attempt++) {
      if (init.signal?.aborted) throw init.signal.reason;
      const guard = attemptSignal(init.signal, timeoutMs);
      let failure: KaifangError | KaifangConnectionError;
      try {
        const response = await settings.fetch(url, { method, headers, body, signal: guard.signal });
        if (response.ok) {
          if (options.keepBody) {
            guard.stopTimer();
            return await read(response);
          }
          const result = await read(response);
          guard.release();
          return result;
        }
        failure = errorFromResponse(response, await response.text(), settings.now());
        guard.release();
      } catch (error) {
        guard.release();
        if (init.signal?.aborted) throw init.signal.reason;
        if (guard.timedOut()) throw new KaifangTimeoutError(timeoutMs);
        // A success body that is not the JSON it claims to be is not worth a retry.
        if (error instanceof KaifangError || error instanceof SyntaxError) throw error;
        failure = new KaifangConnectionError(`The Kaifang API at ${settings.baseUrl} could not be reached: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      }
      const delayMs =
        attempt < maxRetries
          ? retryDelayMs(settings, method, attempt, failure instanceof KaifangError ? { status: failure.status, retryAfterSeconds: failure.retryAfterSeconds } : 'connection')
          : null;
      if (delayMs === null) throw failure;
      await settings.sleep(delayMs, init.signal);
    }
  }
}
