// The drizzle schema: each domain folder owns its tables and this file gathers them,
// so drizzle-kit sees one schema and writes one migrations folder for both backends.
export * from './meta-table';
export * from '../datasets/tables';
export * from '../keys/tables';
export * from '../audit/tables';
export * from '../access/tables';
export * from '../capabilities/tables';
