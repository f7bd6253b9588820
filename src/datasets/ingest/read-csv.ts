// Streaming reader for uploaded CSV tables.
//
// Shape: `const csv = await readCsv(source, options)` reads just far enough to return the
// header; then `for await (const row of csv)` pulls rows one by one. A source chunk is
// pulled only when the rows parsed so far are used up, and is parsed in slices of
// READ_SLICE_BYTES, so memory stays bounded by the source's chunk size, the largest
// record (maxRecordBytes) and the encoding-detection sample, whatever the file size, and
// a slow consumer (a database insert) slows the upload down (back-pressure). A caller
// that stops early without finishing a `for await` loop must call `close()`.
//
// Errors: problems are collected as FieldIssues (`line 7`, `line 7, column "phone"`) and
// thrown as ONE KaifangError('csv_invalid') when the stream ends, or at once when
// `maxErrors` problems have been found. The byte limit throws 'payload_too_large' the
// moment it is passed and stops reading. Because rows stream out as they are read, the
// error can arrive AFTER rows were yielded: the caller must treat the import as one unit
// (a database transaction) and roll back when iteration throws. Once a problem is found
// no further rows are yielded; reading continues only to collect more problems.
//
// Line numbers are physical lines (1 = header), as an editor shows them; a row whose
// quoted values contain line breaks is reported at the line where it starts.
//
// Privacy: cell values are personal data. No message built here contains one; the
// tokenizer reports errors as codes and field positions only.

import { KaifangError, type FieldIssue } from '../../errors.js';
import { CsvTokenizer, type TokenizerError } from './csv-tokenizer.js';
import { createDecoder, LineCounter, type CsvEncoding, type StreamDecoder } from './decode.js';

export { toColumnIdentifier, toColumnIdentifiers } from './column-identifier.js';
export type { CsvEncoding } from './decode.js';

export type CsvSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | NodeJS.ReadableStream;

export interface ReadCsvOptions {
  /** Default `auto`: UTF-8 BOM or valid UTF-8 → UTF-8, else strict GB18030. */
  encoding?: CsvEncoding | 'auto';
  /** Default `auto`: whichever of comma and tab occurs more often in the header line. */
  delimiter?: ',' | '\t' | 'auto';
  /** Raw upload bytes allowed; more fails with `payload_too_large` as soon as it is seen. */
  maxBytes: number;
  /** Problems collected before giving up. Default 20. */
  maxErrors?: number;
  /** Largest single record, in UTF-8 bytes. Bounds memory when a quote is never closed. Default 1 MiB. */
  maxRecordBytes?: number;
}

export interface CsvRow {
  /** Physical line (1-based, header = 1) where the row starts. */
  line: number;
  /** Raw cell texts, exactly as in the file (not trimmed), one per header column. */
  values: string[];
}

export interface CsvFile extends AsyncIterable<CsvRow> {
  /** Column names, trimmed, unique and non-empty, in file order. */
  readonly header: readonly string[];
  /** Field delimiter in use. */
  readonly delimiter: ',' | '\t';
  /** Encoding in use; `ascii` if only ASCII bytes have been seen so far with `auto`. */
  readonly encoding: CsvEncoding | 'ascii';
  /** Stop early and release the source (also happens when a `for await` loop breaks). */
  close(): Promise<void>;
}

export const DEFAULT_MAX_ERRORS = 20;
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
/** Source chunks are decoded and parsed in slices of this size, however large they arrive. */
export const READ_SLICE_BYTES = 64 * 1024;
/** Decoded characters looked at to find the header line when sniffing the delimiter. */
const SNIFF_MAX_CHARS = 64 * 1024;
/** Header names longer than this are shortened in error locations. */
const MAX_NAME_IN_LOCATION = 64;

/**
 * Starts reading `source` and resolves once the header row is read and valid.
 *
 * ```ts
 * const csv = await readCsv(request.body, { maxBytes: 100 * 1024 * 1024 });
 * const inferrers = csv.header.map(() => new TypeInferrer());
 * for await (const row of csv) {        // may throw csv_invalid after some rows
 *   row.values.forEach((value, i) => inferrers[i].add(value));
 *   await insertDraftRow(tx, row);
 * }
 * ```
 *
 * @throws KaifangError `csv_invalid` (empty file, bad header, ...) or `payload_too_large`.
 */
export async function readCsv(source: CsvSource, options: ReadCsvOptions): Promise<CsvFile> {
  const records = new RecordReader(source, normaliseOptions(options));
  try {
    const first = await records.next();
    if (first === null) {
      if (records.issues.count === 0) {
        records.issues.add(1, 'line 1', 'the file is empty; the first line must be the header row');
      }
      records.issues.throwIfAny();
      throw new Error('unreachable');
    }
    const header = first.values.map((name) => name.trim());
    checkHeader(header, first.line, records.issues);
    const file = new CsvFileReader(records, header);
    // A broken header fails the import, but reading on finds the other problems too.
    if (records.issues.count > 0) await file.drain();
    return file;
  } catch (error) {
    await records.close();
    throw error;
  }
}

function normaliseOptions(options: ReadCsvOptions): Required<ReadCsvOptions> {
  const resolved = {
    encoding: options.encoding ?? 'auto',
    delimiter: options.delimiter ?? 'auto',
    maxBytes: options.maxBytes,
    maxErrors: options.maxErrors ?? DEFAULT_MAX_ERRORS,
    maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES,
  };
  for (const key of ['maxBytes', 'maxErrors', 'maxRecordBytes'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) {
      throw new RangeError(`readCsv: ${key} must be a positive integer`);
    }
  }
  return resolved;
}

function checkHeader(header: string[], line: number, issues: IssueCollector): void {
  if (header.length === 1 && header[0] === '') {
    issues.add(line, `line ${line}`, 'the first line is empty; it must be the header row with the column names');
    return;
  }
  // Positions, not names: if the file has no header row, these "names" are data.
  const firstIndex = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') {
      issues.add(line, `line ${line}, column ${i + 1}`, 'header name is empty');
      return;
    }
    const seen = firstIndex.get(name);
    if (seen === undefined) firstIndex.set(name, i);
    else issues.add(line, `line ${line}, column ${i + 1}`, `duplicate header name: same as column ${seen + 1}`);
  });
}

/** Location of one cell for an issue, e.g. `line 7, column "phone"`. */
export function cellLocation(line: number, columnName: string): string {
  const name =
    columnName.length > MAX_NAME_IN_LOCATION ? `${columnName.slice(0, MAX_NAME_IN_LOCATION)}…` : columnName;
  return `line ${line}, column ${JSON.stringify(name)}`;
}

/** Collects problems in file order and turns them into one KaifangError. */
export class IssueCollector {
  private readonly items: { line: number; issue: FieldIssue }[] = [];

  constructor(private readonly maxErrors: number) {}

  get count(): number {
    return this.items.length;
  }

  /** Records a problem; throws the collected error once `maxErrors` is reached. */
  add(line: number, location: string, message: string): void {
    this.items.push({ line, issue: { location, message } });
    if (this.items.length >= this.maxErrors) throw this.toError(true);
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw this.toError(false);
  }

  private toError(stoppedEarly: boolean): KaifangError {
    const errors = [...this.items].sort((a, b) => a.line - b.line).map((item) => item.issue);
    const detail = stoppedEarly
      ? `The CSV file cannot be imported; reading stopped after ${errors.length} problems.`
      : `The CSV file cannot be imported: ${errors.length} problem${errors.length === 1 ? '' : 's'} found.`;
    return new KaifangError('csv_invalid', detail, { errors });
  }
}

interface RawRecord {
  line: number;
  values: string[];
}

/** Rows after the header: width checks, blank-line handling, stop-yielding-on-error. */
class CsvFileReader implements CsvFile {
  private iterating = false;
  // Blank lines are held back: at the end of the file they are ignored (editors and
  // exports often leave some); before another row they are rows (one-column table) or
  // ragged-row errors.
  private blankLine = 0;
  private blankCount = 0;
  private held: RawRecord | null = null;

  constructor(
    private readonly records: RecordReader,
    readonly header: readonly string[],
  ) {}

  get delimiter(): ',' | '\t' {
    return this.records.delimiter ?? ',';
  }

  get encoding(): CsvEncoding | 'ascii' {
    return this.records.encoding;
  }

  close(): Promise<void> {
    return this.records.close();
  }

  [Symbol.asyncIterator](): AsyncIterator<CsvRow> {
    if (this.iterating) throw new Error('readCsv: rows can be iterated only once');
    this.iterating = true;
    return this.rows();
  }

  async drain(): Promise<void> {
    while ((await this.nextRow()) !== null) {
      // rows are not yielded once a problem is known; this only collects problems
    }
  }

  private async *rows(): AsyncGenerator<CsvRow, void, undefined> {
    try {
      for (;;) {
        const row = await this.nextRow();
        if (row === null) return;
        yield row;
      }
    } finally {
      await this.records.close();
    }
  }

  private async nextRow(): Promise<CsvRow | null> {
    const issues = this.records.issues;
    for (;;) {
      if (this.held !== null) {
        if (this.blankCount > 0) {
          const line = this.blankLine++;
          this.blankCount--;
          if (issues.count === 0) return { line, values: [''] };
          continue;
        }
        const record = this.held;
        this.held = null;
        if (record.values.length !== this.header.length) {
          issues.add(
            record.line,
            `line ${record.line}`,
            `row has ${record.values.length} field${record.values.length === 1 ? '' : 's'} but the header has ${this.header.length}`,
          );
          continue;
        }
        if (issues.count === 0) return record;
        continue;
      }
      const record = await this.records.next();
      if (record === null) {
        issues.throwIfAny();
        return null;
      }
      if (record.values.length === 1 && record.values[0] === '') {
        if (this.blankCount === 0) this.blankLine = record.line;
        this.blankCount++;
        continue;
      }
      if (this.blankCount > 0 && this.header.length > 1) {
        for (; this.blankCount > 0; this.blankCount--, this.blankLine++) {
          issues.add(
            this.blankLine,
            `line ${this.blankLine}`,
            `line is empty but the header has ${this.header.length} columns; remove empty lines`,
          );
        }
      }
      this.held = record;
    }
  }
}

/** Bytes → size check → decode → tokenizer → records with their start line. */
class RecordReader {
  readonly issues: IssueCollector;
  delimiter: ',' | '\t' | undefined;
  private readonly options: Required<ReadCsvOptions>;
  private readonly source: AsyncIterator<unknown>;
  private readonly decoder: StreamDecoder;
  private readonly lines = new LineCounter();
  private tokenizer: CsvTokenizer | undefined;
  private readonly sniffer = new DelimiterSniffer();
  /** Decoded text held until the delimiter is known (at most the header line or 64K chars). */
  private sniffText = '';
  private atStart = true;
  private lastBadLine = 0;
  private current: Uint8Array | undefined;
  private currentOffset = 0;
  private bytesRead = 0;
  private nextLine = 1;
  private queue: RawRecord[] = [];
  private queueHead = 0;
  private ended = false;
  private closed = false;

  constructor(source: CsvSource, options: Required<ReadCsvOptions>) {
    this.options = options;
    this.issues = new IssueCollector(options.maxErrors);
    this.decoder = createDecoder(options.encoding);
    if (options.delimiter !== 'auto') this.delimiter = options.delimiter;
    this.source = openSource(source);
  }

  get encoding(): CsvEncoding | 'ascii' {
    return this.decoder.encoding;
  }

  /** Next record (header included), or null at the end of the file. */
  async next(): Promise<RawRecord | null> {
    try {
      while (this.queueHead >= this.queue.length) {
        this.queue = [];
        this.queueHead = 0;
        if (this.ended) return null;
        await this.pump();
      }
      return this.queue[this.queueHead++]!;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ended = true;
    try {
      await this.source.return?.();
    } catch {
      // The source failing while being cancelled changes nothing for the import.
    }
  }

  /** Reads and parses one slice of input, or finishes the input. */
  private async pump(): Promise<void> {
    const slice = await this.nextSlice();
    if (slice === null) {
      await this.feed(this.decoder.end(), true);
      if (!this.ended) await this.endParser();
      this.ended = true;
      await this.close();
      return;
    }
    await this.feed(this.decoder.write(slice), false);
  }

  private async nextSlice(): Promise<Uint8Array | null> {
    while (this.current === undefined || this.currentOffset >= this.current.length) {
      const result = await this.source.next();
      if (result.done) return null;
      const chunk: unknown = result.value;
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError('readCsv: the source must yield bytes (Uint8Array or Buffer), not text');
      }
      this.bytesRead += chunk.byteLength;
      if (this.bytesRead > this.options.maxBytes) {
        throw new KaifangError(
          'payload_too_large',
          `The upload is larger than the import limit of ${this.options.maxBytes} bytes.`,
          { extras: { maxBytes: this.options.maxBytes } },
        );
      }
      this.current = chunk;
      this.currentOffset = 0;
    }
    const start = this.currentOffset;
    this.currentOffset = Math.min(this.current.length, start + READ_SLICE_BYTES);
    return this.current.subarray(start, this.currentOffset);
  }

  private async feed(decoded: { text: string; badOffsets: number[] }, final: boolean): Promise<void> {
    let { text, badOffsets } = decoded;
    if (this.atStart && text.length > 0) {
      this.atStart = false;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        badOffsets = badOffsets.map((offset) => offset - 1);
      }
    }
    let at = 0;
    for (const offset of badOffsets) {
      this.lines.advance(text, at, offset);
      at = offset;
      const line = this.lines.current();
      if (line !== this.lastBadLine) {
        this.lastBadLine = line;
        this.issues.add(line, `line ${line}`, this.decoder.badByteMessage);
      }
    }
    this.lines.advance(text, at, text.length);

    if (this.tokenizer === undefined) {
      this.sniffText += text;
      this.delimiter ??= this.sniffer.push(text, final);
      if (this.delimiter === undefined) return;
      // Width is checked per row by the reader, so every ragged row can be reported.
      this.tokenizer = new CsvTokenizer(this.delimiter, this.options.maxRecordBytes, (values, lineBreaks) => this.onRecord(values, lineBreaks));
      text = this.sniffText;
      this.sniffText = '';
    }
    await this.write(text);
  }

  private onRecord(values: string[], lineBreaks: number): void {
    const line = this.nextLine;
    this.nextLine = line + 1 + lineBreaks;
    this.queue.push({ line, values });
  }

  private async write(text: string): Promise<void> {
    if (text.length === 0) return;
    const error = this.tokenizer!.write(text, false);
    if (error) await this.parseFailed(error);
  }

  private async endParser(): Promise<void> {
    const error = this.tokenizer!.write('', true); // feed(..., final) always creates it
    if (error) await this.parseFailed(error);
  }

  /** The tokenizer cannot continue after an error: record it, stop reading, let the queue drain. */
  private async parseFailed(error: TokenizerError): Promise<void> {
    const line = this.nextLine;
    const column = error.column === undefined ? '' : `, column ${error.column + 1}`;
    switch (error.code) {
      case 'quote_not_closed':
        this.issues.add(line, `line ${line}`, 'a double quote opened in this row is never closed');
        break;
      case 'record_too_large':
        this.issues.add(
          line,
          `line ${line}`,
          `row is longer than ${this.options.maxRecordBytes} bytes; usually a double quote that is never closed`,
        );
        break;
      case 'invalid_closing_quote':
        this.issues.add(
          line,
          `line ${line}${column}`,
          'text follows the closing double quote of a quoted field; double any quote inside the field ("")',
        );
        break;
      case 'invalid_opening_quote':
        this.issues.add(
          line,
          `line ${line}${column}`,
          'double quote inside an unquoted field; enclose the field in double quotes and double the quote ("")',
        );
        break;
    }
    await this.close();
  }
}

/**
 * Comma or tab, whichever occurs more often outside quotes in the header line. Fed text
 * incrementally; decides at the first line break outside quotes (a quoted header name may
 * contain one), after SNIFF_MAX_CHARS, or at the end of the input.
 */
class DelimiterSniffer {
  private commas = 0;
  private tabs = 0;
  private quoted = false;
  private seen = 0;
  private lineEnded = false;

  /** Scans `text`; returns the delimiter once it can be decided, else undefined. */
  push(text: string, final: boolean): ',' | '\t' | undefined {
    for (let i = 0; i < text.length && !this.lineEnded; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) this.quoted = !this.quoted;
      else if (this.quoted) continue;
      else if (c === 44) this.commas++;
      else if (c === 9) this.tabs++;
      else if (c === 10 || c === 13) this.lineEnded = true;
    }
    this.seen += text.length;
    if (!this.lineEnded && !final && this.seen < SNIFF_MAX_CHARS) return undefined;
    return this.tabs > this.commas ? '\t' : ',';
  }
}

function openSource(source: CsvSource): AsyncIterator<unknown> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    return webStreamChunks(source as ReadableStream<Uint8Array>);
  }
  return (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
}

async function* webStreamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
