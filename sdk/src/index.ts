// @kaifang/sdk: the browser-safe entry. Nothing here imports a Node module; the Node
// stream helpers live in @kaifang/sdk/node.
export { Kaifang, RecordsIterable } from './client.js';
export type { AggregateQuery, ExportQuery, KaifangOptions, RecordsPageQuery, RecordsQuery, UsageParams } from './client.js';
export { KaifangConnectionError, KaifangError, KaifangTimeoutError, UNEXPECTED_RESPONSE, isKaifangError, type KaifangErrorCode } from './errors.js';
export { filterTerms, type FilterOperators, type FilterScalar, type FilterValue, type Filters, type RowQuery } from './query.js';
export { defaultSleep, type SleepFunction } from './transport.js';
export type * from './types.js';
