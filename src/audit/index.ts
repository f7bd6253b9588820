export { actors, appendAudit, type AuditEntry } from './append-audit';
export { canonicalEntry, canonicalJson, entryHash, GENESIS_HASH } from './chain';
export { listAudit, type AuditFilter, type AuditRow } from './query-audit';
export { verifyAuditChain, type ChainReport } from './verify-chain';
