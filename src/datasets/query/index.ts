// The records query compiler: parse the public query syntax, compile it to one SQL
// statement that returns the page as JSON text, and sign keyset cursors.
export * from './parse-records-query';
export * from './compile-records-sql';
export * from './cursor';
export * from './fetch-records-page';
