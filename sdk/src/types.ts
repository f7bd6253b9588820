// Names for the shapes the API sends and accepts, taken from the generated OpenAPI types
// so they change when the API changes (npm run sdk:generate) and never by hand.
import type { components, operations, paths } from './generated/openapi.js';

export type { components, operations, paths };

type Schemas = components['schemas'];

/** An RFC 9457 problem body, as every error response carries it. */
export type Problem = Schemas['Problem'];
/** Every stable error code the API answers with (see docs/errors.md). */
export type ProblemCode = Problem['code'];
/** One offending input of a problem (`errors` member). */
export type ProblemFieldIssue = NonNullable<Problem['errors']>[number];

export type DatasetSummary = Schemas['DatasetSummary'];
export type DatasetPage = Schemas['DatasetPage'];
export type Dataset = Schemas['Dataset'];
export type DatasetField = Schemas['Field'];
export type RecordsPage<Row = Record<string, unknown>> = Omit<Schemas['RecordsPage'], 'data'> & { data: Row[] };
export type AggregateResult = Schemas['Aggregate'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyList = Schemas['ApiKeyList'];
export type IssuedApiKey = Schemas['IssuedApiKey'];
export type RotatedApiKey = Schemas['RotatedApiKey'];
export type ApiKeyScope = ApiKey['scopes'][number];
export type UsageReport = Schemas['UsageReport'];
export type DeveloperAccount = Schemas['DeveloperAccount'];
export type SignedUp = Schemas['SignedUp'];

export type CapabilityList = Schemas['CapabilityList'];
export type Capability = Schemas['Capability'];
export type DataUseAgreement = Schemas['DataUseAgreement'];
export type OrganizationVerification = Schemas['OrganizationVerification'];
export type NewOrganizationVerification = Schemas['NewOrganizationVerification'];
export type Application = Schemas['Application'];
export type ApplicationList = Schemas['ApplicationList'];
export type NewApplication = Schemas['NewApplication'];

export type SignUpInput = Schemas['SignUp'];
export type CreateApiKeyInput = Schemas['CreateApiKey'];
export type RotateApiKeyInput = Schemas['RotateApiKey'];
export type ListDatasetsQuery = NonNullable<operations['listDatasets']['parameters']['query']>;
export type UsageQuery = NonNullable<operations['getUsage']['parameters']['query']>;
export type ExportFormat = NonNullable<NonNullable<operations['exportRecords']['parameters']['query']>['format']>;
/** A JSON document such as the DCAT catalog or a Data Package descriptor. */
export type JsonDocument = Record<string, unknown>;

/** Path of each service capability's invocation (`POST /v1/capabilities/<id>`), from the document. */
export type CapabilityPath = Extract<PathsWithMethod<'post'>, `/v1/capabilities/${string}`>;
/** Id of every service capability the API documents (`licence-verification`, ...). */
export type CapabilityId = CapabilityPath extends `/v1/capabilities/${infer Id}` ? Id : never;
type CapabilityOperation<Id extends CapabilityId> = OperationAt<`/v1/capabilities/${Id}` & CapabilityPath, 'post'>;
/** What capability `Id` takes. */
export type CapabilityInput<Id extends CapabilityId> = CapabilityOperation<Id> extends { requestBody: { content: { 'application/json': infer Body } } } ? Body : never;
/** What capability `Id` answers. */
export type CapabilityOutput<Id extends CapabilityId> = SuccessBody<CapabilityOperation<Id>>;

// ---- typed paths: `client.request(method, path, init)` for any operation in the document ----

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';

/** Paths of the document that accept `M`. */
export type PathsWithMethod<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: infer Op } ? ([Op] extends [never] ? never : Op extends object ? P : never) : never;
}[keyof paths];

export type OperationAt<P extends keyof paths, M extends HttpMethod> = paths[P] extends { [K in M]: infer Op } ? Op : never;

type ParametersOf<Op> = Op extends { parameters: infer Params } ? Params : Record<string, never>;

type PathPart<Op> = ParametersOf<Op> extends { path: infer PathParams } ? { path: PathParams } : { path?: undefined };

/** A query value: arrays repeat the parameter; undefined leaves it out. */
export type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | undefined;

type QueryPart<Op> = ParametersOf<Op> extends { query?: infer Query }
  ? [NonNullable<Query>] extends [never]
    ? { query?: Record<string, QueryValue> }
    : { query?: NonNullable<Query> & Record<string, QueryValue> }
  : { query?: Record<string, QueryValue> };

type JsonBodyOf<RequestBody> = RequestBody extends { content: { 'application/json': infer Body } } ? Body : never;

type BodyPart<Op> = Op extends { requestBody: infer RequestBody }
  ? [JsonBodyOf<RequestBody>] extends [never]
    ? { body?: undefined }
    : { body: JsonBodyOf<RequestBody> }
  : Op extends { requestBody?: infer RequestBody }
    ? [JsonBodyOf<NonNullable<RequestBody>>] extends [never]
      ? { body?: undefined }
      : { body?: JsonBodyOf<NonNullable<RequestBody>> }
    : { body?: undefined };

/** What `client.request` takes for one operation: path parameters, query, JSON body, and per-call options. */
export type OperationInit<Op> = PathPart<Op> & QueryPart<Op> & BodyPart<Op> & RequestOptions;

type SuccessStatus = 200 | 201 | 202 | 203 | 204;

type ContentOf<Response> = Response extends { content: infer Content }
  ? Content extends Record<string, unknown>
    ? Content[keyof Content]
    : undefined
  : undefined;

/** The body of an operation's success response (`undefined` for 204). */
export type SuccessBody<Op> = Op extends { responses: infer Responses }
  ? { [S in keyof Responses]: S extends SuccessStatus ? ContentOf<Responses[S]> : never }[keyof Responses]
  : never;

/** Options every call takes. */
export interface RequestOptions {
  /** Aborts the call (and the stream of an export). The promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Per-attempt time limit in milliseconds; overrides the client's `timeoutMs`. 0 disables it. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call. */
  maxRetries?: number;
  /** Extra request headers, for example an `X-Request-Id` of your own. */
  headers?: Record<string, string>;
}
