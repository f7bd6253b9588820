// @kaifang/sdk/node: helpers for Node's own streams. Kept out of the main entry so that a
// browser bundle of @kaifang/sdk never pulls in a Node module.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeWebReadableStream } from 'node:stream/web';
import type { ExportQuery, Kaifang } from './client.js';
import type { RequestOptions } from './types.js';

/** A Node Readable over a web ReadableStream, such as the one `client.export()` returns. */
export function toNodeReadable(stream: ReadableStream<Uint8Array>, options?: { signal?: AbortSignal; highWaterMark?: number }): Readable {
  return Readable.fromWeb(stream as unknown as NodeWebReadableStream<Uint8Array>, options);
}

/** Streams an export into a file with backpressure; resolves with the bytes written. */
export async function exportToFile(client: Kaifang, datasetId: string, path: string, query: ExportQuery = {}, options: RequestOptions = {}): Promise<number> {
  const stream = await client.export(datasetId, query, options);
  const file = createWriteStream(path);
  await pipeline(toNodeReadable(stream), file, { signal: options.signal });
  return file.bytesWritten;
}
