// CSV import building blocks: the streaming reader and type inference. The HTTP route
// and database writes live elsewhere and use only what is exported here.
export * from './read-csv.js';
export * from './infer-types.js';
