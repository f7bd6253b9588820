// RFC 4180 records from decoded text, fed slice by slice. It replaces csv-parse in the
// import path: csv-parse works on bytes and builds an info object per record, which was
// most of the reader's cost; this works on the decoded string and hands out substrings.
//
// Dialect, as the reader configured csv-parse before: one-character delimiter (comma or
// tab), `"` quotes with `""` as the escaped quote, records ending in CRLF, LF or a lone CR,
// no trimming, empty lines kept as records of one empty field, any number of fields per
// record (the reader checks widths). Strict quotes: a quote inside an unquoted field, or
// anything but a delimiter or a line break after a closing quote, is an error.
//
// An incomplete record at the end of a slice (and a CR that may be the first half of a
// CRLF) is kept and parsed again with the next slice, so memory is bounded by the largest
// record, which `maxRecordBytes` limits.
import { countLineBreaks } from './decode.js';

export type TokenizerErrorCode = 'quote_not_closed' | 'record_too_large' | 'invalid_closing_quote' | 'invalid_opening_quote';

export interface TokenizerError {
  code: TokenizerErrorCode;
  /** 0-based field index within the record, for quote errors. */
  column?: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvTokenizer {
  /** Unparsed tail of the text so far: the start of a record not yet complete. */
  private pending = '';
  private failed = false;

  /**
   * @param onRecord receives each record's fields and how many line breaks its quoted
   *   values contain (so the caller can number physical lines)
   */
  constructor(
    private readonly delimiter: ',' | '\t',
    private readonly maxRecordBytes: number,
    private readonly onRecord: (values: string[], lineBreaks: number) => void,
  ) {}

  /**
   * Parses `text` (appended to what is pending); `final` marks the end of the input.
   * Records before an error are still delivered; after an error nothing more is parsed.
   */
  write(text: string, final: boolean): TokenizerError | undefined {
    if (this.failed) return undefined;
    const buf = this.pending.length === 0 ? text : this.pending + text;
    this.pending = '';
    const error = this.parse(buf, final);
    if (error) this.failed = true;
    return error;
  }

  private parse(buf: string, final: boolean): TokenizerError | undefined {
    const len = buf.length;
    const delimiter = this.delimiter.charCodeAt(0);
    let pos = 0;
    records: while (pos < len) {
      const recordStart = pos;
      const values: string[] = [];
      let lineBreaks = 0;
      for (;;) {
        // One field starts at `pos`.
        let value: string;
        let end: number; // index just after the field
        if (pos < len && buf.charCodeAt(pos) === QUOTE) {
          let from = pos + 1;
          let parts = '';
          for (;;) {
            const quote = buf.indexOf('"', from);
            if (quote === -1 || (quote + 1 === len && !final)) {
              // The closing quote (or the second quote of "") may be in the next slice.
              if (final) return { code: 'quote_not_closed' };
              return this.keep(buf, recordStart);
            }
            if (quote + 1 < len && buf.charCodeAt(quote + 1) === QUOTE) {
              parts += buf.slice(from, quote + 1);
              from = quote + 2;
              continue;
            }
            value = parts + buf.slice(from, quote);
            end = quote + 1;
            break;
          }
          lineBreaks += countLineBreaks(value);
          if (end < len) {
            const next = buf.charCodeAt(end);
            if (next !== delimiter && next !== LF && next !== CR) return { code: 'invalid_closing_quote', column: values.length };
          }
        } else {
          end = pos;
          for (; end < len; end++) {
            const c = buf.charCodeAt(end);
            if (c === delimiter || c === LF || c === CR) break;
            if (c === QUOTE) return { code: 'invalid_opening_quote', column: values.length };
          }
          value = buf.slice(pos, end);
        }
        // What ends the field: a delimiter, a line break, or the end of the text.
        if (end === len) {
          if (!final) return this.keep(buf, recordStart);
          values.push(value);
          pos = len;
          break;
        }
        const c = buf.charCodeAt(end);
        values.push(value);
        if (c === delimiter) {
          pos = end + 1;
          if (pos === len && !final) return this.keep(buf, recordStart);
          if (pos === len) {
            values.push('');
            break;
          }
          continue;
        }
        if (c === LF) {
          pos = end + 1;
          break;
        }
        // CR: alone, or the first half of CRLF, which the next slice may tell.
        if (end + 1 === len && !final) return this.keep(buf, recordStart);
        pos = end + 1 < len && buf.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
        break;
      }
      if (this.tooLarge(buf, recordStart, pos)) return { code: 'record_too_large' };
      this.onRecord(values, lineBreaks);
      continue records;
    }
    return undefined;
  }

  /** Keeps the incomplete record starting at `from` for the next slice, within the size limit. */
  private keep(buf: string, from: number): TokenizerError | undefined {
    if (this.tooLarge(buf, from, buf.length)) return { code: 'record_too_large' };
    this.pending = buf.slice(from);
    return undefined;
  }

  private tooLarge(buf: string, from: number, to: number): boolean {
    const chars = to - from;
    // A UTF-16 unit is at most 3 UTF-8 bytes: count bytes only when it could matter.
    if (chars * 3 <= this.maxRecordBytes) return false;
    return chars > this.maxRecordBytes || Buffer.byteLength(buf.slice(from, to), 'utf8') > this.maxRecordBytes;
  }
}
