// A first program against Kaifang: browse the catalog, query and aggregate records, and
// stream an export to a file. Run it against `npm start` in the Kaifang repository:
//   KAIFANG_URL=http://127.0.0.1:8787 KAIFANG_API_KEY=kf_live_… npm start
// Without KAIFANG_API_KEY it signs up a developer account first and prints the new key.
import { Kaifang, KaifangError } from '@kaifang/sdk';
import { exportToFile, toNodeReadable } from '@kaifang/sdk/node';

const baseUrl = process.env.KAIFANG_URL ?? 'http://127.0.0.1:8787';
let apiKey = process.env.KAIFANG_API_KEY;

if (!apiKey) {
  const signedUp = await new Kaifang({ baseUrl }).accounts.signUp({ name: 'Example Developer', email: `example-${Date.now()}@example.com` });
  apiKey = signedUp.key.key;
  console.log(`signed up; keep this key, it is shown once: ${apiKey}`);
}

const client = new Kaifang({ baseUrl, apiKey, timeoutMs: 10_000, maxRetries: 3 });

// The catalog needs no key.
const { data: datasets } = await client.datasets.search('社保');
console.log('datasets about 社保:', datasets.map((dataset) => `${dataset.slug} (${dataset.rowCount} rows)`).join(', '));

// Field names are generated (c1, c2, …): look them up by their titles in the schema.
const halls = await client.datasets.get('service-halls');
const district = halls.fields.find((field) => field.title === '所在区')!.name;

// Every row, page by page: the SDK follows the cursors.
let count = 0;
for await (const row of client.records('service-halls', { filters: { [district]: { in: ['蜀山区', '包河区'] } }, pageSize: 100 })) {
  if (count === 0) console.log('first row:', row);
  count += 1;
}
console.log(`${count} service halls in 蜀山区 and 包河区`);

const perDistrict = await client.aggregate('service-halls', { groupBy: [district], metrics: ['count'] });
console.log('halls per district:', perDistrict.data);

// Exports stream: to a file, or as a Node Readable.
const bytes = await exportToFile(client, 'service-halls', 'service-halls.csv', { format: 'csv', bom: true });
console.log(`wrote service-halls.csv (${bytes} bytes)`);
let lines = 0;
for await (const chunk of toNodeReadable(await client.export('service-halls', { format: 'ndjson' }))) {
  lines += String(chunk).split('\n').length - 1;
}
console.log(`${lines} NDJSON lines`);

// Errors are KaifangError with the API's problem fields.
try {
  await client.datasets.get('no-such-dataset');
} catch (error) {
  if (error instanceof KaifangError && error.code === 'not_found') console.log(`not found, as expected (request ${error.requestId})`);
  else throw error;
}
