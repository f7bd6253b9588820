import { KaifangError } from './errors.js';
import { rowQueryParams, type RowQuery } from './query.js';
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  Transport,
  defaultSleep,
  fillPath,
  type SleepFunction,
} from './transport.js';
import type {
  AggregateResult,
  Application,
  ApplicationList,
  CapabilityId,
  CapabilityInput,
  CapabilityList,
  CapabilityOutput,
  DataUseAgreement,
  NewApplication,
  NewOrganizationVerification,
  OrganizationVerification,
  ApiKeyList,
  CreateApiKeyInput,
  Dataset,
  DatasetPage,
  DatasetSummary,
  ExportFormat,
  HttpMethod,
  IssuedApiKey,
  JsonDocument,
  ListDatasetsQuery,
  OperationAt,
  OperationInit,
  PathsWithMethod,
  RecordsPage,
  RequestOptions,
  RotateApiKeyInput,
  RotatedApiKey,
  SignUpInput,
  SignedUp,
  SuccessBody,
  UsageQuery,
  UsageReport,
} from './types.js';

export interface KaifangOptions {
  /** A developer API key (`kf_live_…`). Catalog calls and sign-up work without one. */
  apiKey?: string;
  /** Where the API is served, for example `https://data.example.gov.cn` or `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** A fetch implementation; defaults to the global `fetch` (Node 20, browsers). */
  fetch?: typeof globalThis.fetch;
  /** Per-attempt time limit in milliseconds (default 30 000; 0 disables it). For exports it covers the wait for the response, not the stream. */
  timeoutMs?: number;
  /** Retries after the first attempt on 429, 5xx and connection failures (default 3; 0 disables retrying). */
  maxRetries?: number;
  /** The first retry waits up to this long; each further retry doubles it (default 500). */
  retryBaseDelayMs?: number;
  /** No wait exceeds this; a `Retry-After` beyond it is not waited for but thrown (default 60 000). */
  maxRetryDelayMs?: number;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** How the client waits between retries (tests pass a fake). */
  sleep?: SleepFunction;
  /** Source of jitter in [0, 1) (tests pass a fixed one). */
  random?: () => number;
}

export interface RecordsQuery extends RowQuery {
  /** Fields to return, in order (default: every field). */
  select?: string | readonly string[];
  /** Sort terms on sortable fields: `'c4'`, `'c4.desc'`, `'c4.desc.nullslast'`. */
  order?: string | readonly string[];
  /** Rows per page, 1 to 1000 (the API's default is 100). */
  pageSize?: number;
  /** `estimated` (the API's default), `exact`, or `none`. */
  count?: 'exact' | 'estimated' | 'none';
}

export interface RecordsPageQuery extends RecordsQuery {
  /** The `next` cursor of the previous page. */
  cursor?: string;
}

export interface AggregateQuery extends RowQuery {
  /** Filterable fields to group by (at most 3; none: one total). */
  groupBy?: string | readonly string[];
  /** Metrics: `count`, `sum(f)`, `avg(f)`, `min(f)`, `max(f)` (default `count`). */
  metrics?: string | readonly string[];
}

export interface ExportQuery extends RowQuery {
  /** `csv` (default), `ndjson` or `json`. */
  format?: ExportFormat;
  /** Fields to export, in order (default: every field). */
  select?: string | readonly string[];
  /** Start a CSV with a UTF-8 byte order mark, for spreadsheet programs. */
  bom?: boolean;
}

export interface UsageParams {
  /** Start of the range (default: 24 hours before `to`). */
  from?: Date | string;
  /** End of the range, exclusive (default: the end of the current hour). */
  to?: Date | string;
  /** Only this key of the account. */
  keyId?: string;
}

const MEDIA_TYPES: Record<ExportFormat, string> = { csv: 'text/csv', ndjson: 'application/x-ndjson', json: 'application/json' };
const iso = (value: Date | string | undefined) => (value instanceof Date ? value.toISOString() : value);
const list = (value: string | readonly string[] | undefined) => (value === undefined ? undefined : typeof value === 'string' ? value : value.join(','));

/**
 * Every row of a records query, page after page by cursor:
 * `for await (const row of client.records(id, query))`. `pages()` yields whole pages.
 */
export class RecordsIterable<Row = Record<string, unknown>> implements AsyncIterable<Row> {
  constructor(
    private readonly client: Kaifang,
    private readonly datasetId: string,
    private readonly query: RecordsQuery,
    private readonly options: RequestOptions,
  ) {}

  async *pages(): AsyncGenerator<RecordsPage<Row>, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.client.recordsPage<Row>(this.datasetId, { ...this.query, cursor }, this.options);
      yield page;
      cursor = page.next ?? undefined;
    } while (cursor);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Row, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every row in one array; mind the memory on large datasets. */
  async toArray(): Promise<Row[]> {
    const rows: Row[] = [];
    for await (const row of this) rows.push(row);
    return rows;
  }
}

/**
 * The Kaifang API client. Works in Node 20 and in browsers; Node stream helpers are in
 * `@kaifang/sdk/node`.
 */
export class Kaifang {
  private readonly transport: Transport;

  constructor(options: KaifangOptions) {
    if (!options?.baseUrl) throw new TypeError('new Kaifang({ baseUrl }) needs the base URL of the API');
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') throw new TypeError('no fetch implementation: pass options.fetch');
    this.transport = new Transport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      // Bound so that a browser's window.fetch is not called with the client as `this`.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
      maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
      headers: options.headers ?? {},
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
      now: () => Date.now(),
    });
  }

  /**
   * Any operation of the API by method and path, typed from the OpenAPI document:
   * `client.request('get', '/v1/datasets/{id}', { path: { id: 'service-halls' } })`.
   */
  request<M extends HttpMethod, P extends PathsWithMethod<M>>(
    method: M,
    path: P,
    ...[init]: OperationInit<OperationAt<P, M>> extends { path: unknown } ? [OperationInit<OperationAt<P, M>>] : [OperationInit<OperationAt<P, M>>?]
  ): Promise<SuccessBody<OperationAt<P, M>>> {
    const options = (init ?? {}) as { path?: Record<string, string | number>; query?: Record<string, never>; body?: unknown } & RequestOptions;
    return this.transport.json({ ...options, method, path: fillPath(path as string, options.path), query: options.query, body: options.body });
  }

  /** The public catalog (no key needed). */
  readonly datasets = {
    /** One page of the catalog, filtered by `q`, `theme`, `publisher`, `tag`, `openTier`. */
    list: (query: ListDatasetsQuery = {}, options: RequestOptions = {}): Promise<DatasetPage> =>
      this.request('get', '/v1/datasets', { query, ...options }),
    /** One page of datasets whose title, description or keywords contain `q`. */
    search: (q: string, query: Omit<ListDatasetsQuery, 'q'> = {}, options: RequestOptions = {}): Promise<DatasetPage> =>
      this.datasets.list({ ...query, q }, options),
    /** Every dataset matching the query, page after page. */
    all: (query: Omit<ListDatasetsQuery, 'cursor'> = {}, options: RequestOptions = {}): AsyncIterable<DatasetSummary> => {
      const list = this.datasets.list;
      return {
        async *[Symbol.asyncIterator]() {
          let cursor: string | undefined;
          do {
            const page = await list({ ...query, cursor }, options);
            yield* page.data;
            cursor = page.next ?? undefined;
          } while (cursor);
        },
      };
    },
    /** Metadata, field schema and versions of one dataset (id or slug). */
    get: (id: string, options: RequestOptions = {}): Promise<Dataset> => this.request('get', '/v1/datasets/{id}', { path: { id }, ...options }),
    /** The dataset as a Frictionless Data Package descriptor. */
    dataPackage: (id: string, options: RequestOptions = {}): Promise<JsonDocument> =>
      this.request('get', '/v1/datasets/{id}/datapackage.json', { path: { id }, ...options }),
  };

  /** Catalog-wide documents. */
  readonly catalog = {
    /** Every open dataset as a DCAT v3 catalog in JSON-LD. */
    jsonld: (options: RequestOptions = {}): Promise<JsonDocument> => this.request('get', '/v1/catalog.jsonld', { ...options }),
  };

  /** One page of records (API key with `data:read`). */
  recordsPage<Row = Record<string, unknown>>(datasetId: string, query: RecordsPageQuery = {}, options: RequestOptions = {}): Promise<RecordsPage<Row>> {
    const params = rowQueryParams(query, { limit: query.pageSize, count: query.count, cursor: query.cursor });
    return this.transport.json({ method: 'GET', path: fillPath('/v1/datasets/{id}/records', { id: datasetId }), query: params, ...options });
  }

  /** Every record matching the query, fetched page by page as you iterate. */
  records<Row = Record<string, unknown>>(datasetId: string, query: RecordsQuery = {}, options: RequestOptions = {}): RecordsIterable<Row> {
    return new RecordsIterable<Row>(this, datasetId, query, options);
  }

  /** Grouped counts and metrics; groups below the policy's minimum cell size are suppressed. */
  aggregate(datasetId: string, query: AggregateQuery = {}, options: RequestOptions = {}): Promise<AggregateResult> {
    const params = rowQueryParams(query, { groupBy: list(query.groupBy), metrics: list(query.metrics) });
    return this.transport.json({ method: 'GET', path: fillPath('/v1/datasets/{id}/aggregate', { id: datasetId }), query: params, ...options });
  }

  /**
   * Every matching row as a byte stream in CSV, NDJSON or JSON. Resolves when the response
   * starts (errors are thrown as KaifangError before any byte); `options.signal` cancels
   * the stream. In Node, `toNodeReadable` from `@kaifang/sdk/node` turns it into a Readable.
   */
  async export(datasetId: string, query: ExportQuery = {}, options: RequestOptions = {}): Promise<ReadableStream<Uint8Array>> {
    const format = query.format ?? 'csv';
    const params = rowQueryParams(query, { format, bom: query.bom === undefined ? undefined : String(query.bom) });
    const response = await this.transport.stream({
      method: 'GET',
      path: fillPath('/v1/datasets/{id}/export', { id: datasetId }),
      query: params,
      accept: `${MEDIA_TYPES[format]}, application/problem+json`,
      ...options,
    });
    if (!response.body) throw new KaifangError({ status: response.status, code: 'unexpected_response', title: 'Empty export', detail: 'The export response had no body.', headers: response.headers });
    return response.body;
  }

  /** Your account's API keys (API key with `keys:manage`). */
  readonly keys = {
    /** Every key of the account, never the secrets. */
    list: (options: RequestOptions = {}): Promise<ApiKeyList> => this.request('get', '/v1/keys', { ...options }),
    /** A new key with the given scopes (no more than the calling key holds); the secret is in this response only. */
    create: (input: CreateApiKeyInput, options: RequestOptions = {}): Promise<IssuedApiKey> => this.request('post', '/v1/keys', { body: input, ...options }),
    /** A replacement key; the old one keeps working for the grace period. */
    rotate: (id: string, input: RotateApiKeyInput = {}, options: RequestOptions = {}): Promise<RotatedApiKey> =>
      this.request('post', '/v1/keys/{id}/rotate', { path: { id }, body: input, ...options }),
    /** Revokes a key on every instance within a second. */
    revoke: async (id: string, options: RequestOptions = {}): Promise<void> => {
      await this.request('delete', '/v1/keys/{id}', { path: { id }, ...options });
    },
  };

  /** Your account's usage (API key with `usage:read`). */
  readonly usage = {
    get: (params: UsageParams = {}, options: RequestOptions = {}): Promise<UsageReport> => {
      const query: UsageQuery = { from: iso(params.from), to: iso(params.to), keyId: params.keyId };
      return this.request('get', '/v1/usage', { query, ...options });
    },
  };

  /** Service capabilities: questions answered without disclosing data. */
  readonly capabilities = {
    /** Every capability with its input and output schemas, scope and limits (no key needed). */
    list: (options: RequestOptions = {}): Promise<CapabilityList> => this.request('get', '/v1/capabilities', { ...options }),
    /** Invokes one capability (API key with the scope it declares); input and output are typed per capability. */
    invoke: <Id extends CapabilityId>(id: Id, input: CapabilityInput<Id>, options: RequestOptions = {}): Promise<CapabilityOutput<Id>> =>
      this.transport.json({ method: 'POST', path: fillPath('/v1/capabilities/{id}', { id }), body: input, ...options }),
  };

  /** Conditional access: organisation verification and applications (API key with `applications:manage`). */
  readonly applications = {
    /** The data use agreement an application accepts, with the version id to send (no key needed). */
    agreement: (options: RequestOptions = {}): Promise<DataUseAgreement> => this.request('get', '/v1/data-use-agreement', { ...options }),
    /** Asks an administrator to verify the account as an organisation; needed before applying. */
    requestVerification: (input: NewOrganizationVerification, options: RequestOptions = {}): Promise<OrganizationVerification> =>
      this.request('post', '/v1/organization-verification', { body: input, ...options }),
    /** The account's latest verification request and its status. */
    verification: (options: RequestOptions = {}): Promise<OrganizationVerification> => this.request('get', '/v1/organization-verification', { ...options }),
    /** The account's applications, newest first, each with its grant once approved. */
    list: (options: RequestOptions = {}): Promise<ApplicationList> => this.request('get', '/v1/applications', { ...options }),
    /** Applies for fields of a conditionally open dataset, for a purpose, until a date. */
    create: (input: NewApplication, options: RequestOptions = {}): Promise<Application> => this.request('post', '/v1/applications', { body: input, ...options }),
  };

  /** Developer accounts. */
  readonly accounts = {
    /** Creates an account and returns its first key (every scope), shown once. No key needed. */
    signUp: (input: SignUpInput, options: RequestOptions = {}): Promise<SignedUp> => this.request('post', '/v1/accounts', { body: input, ...options }),
  };
}
