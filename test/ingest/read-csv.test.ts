import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/datasets/ingest/read-csv.js';
import { chunked, failure, readAll, utf8 } from './helpers.js';

const values = (rows: { values: string[] }[]) => rows.map((r) => r.values);

describe('readCsv: parsing', () => {
  it('handles RFC 4180 quoting: commas, doubled quotes and newlines inside quotes', async () => {
    const { header, rows } = await readAll('name,note\n"Li, Wei","he said ""hi"""\n"two\nlines",x\n');
    expect(header).toEqual(['name', 'note']);
    expect(values(rows)).toEqual([
      ['Li, Wei', 'he said "hi"'],
      ['two\nlines', 'x'],
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it('accepts CRLF line endings and keeps CRLF inside quoted values', async () => {
    const { rows } = await readAll('a,b\r\n1,"x\r\ny"\r\n3,4\r\n', {}, 1);
    expect(values(rows)).toEqual([
      ['1', 'x\r\ny'],
      ['3', '4'],
    ]);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('keeps values untrimmed and empty cells as empty strings; trims header names', async () => {
    const { header, rows } = await readAll(' 姓名 ,\u3000电话\n 张三 ,\n');
    expect(header).toEqual(['姓名', '电话']);
    expect(values(rows)).toEqual([[' 张三 ', '']]);
  });

  it('strips a UTF-8 BOM, even when it arrives one byte at a time', async () => {
    const { header, encoding } = await readAll('\uFEFFid,名称\n1,x\n', {}, 1);
    expect(header).toEqual(['id', '名称']);
    expect(encoding).toBe('utf-8');
  });

  it('decodes multi-byte characters split across 1-byte chunks', async () => {
    const text = '城市,备注\n合肥,😀 emoji and 中文\n';
    const { rows } = await readAll(text, { encoding: 'utf-8' }, 1);
    expect(values(rows)).toEqual([['合肥', '😀 emoji and 中文']]);
  });

  it('detects GB18030 and decodes it in 1-byte chunks', async () => {
    const bytes = iconv.encode('姓名,电话,地址\n张三,0551-12345678,"安徽省合肥市,蜀山区"\n', 'gb18030');
    const { header, rows, encoding } = await readAll(bytes, {}, 1);
    expect(encoding).toBe('gb18030');
    expect(header).toEqual(['姓名', '电话', '地址']);
    expect(values(rows)).toEqual([['张三', '0551-12345678', '安徽省合肥市,蜀山区']]);
  });

  it('keeps every character when a 4-byte GB18030 character is split 3|1 across chunks', async () => {
    // iconv-lite alone drops the last character of such a chunk; the reader must not.
    const bytes = iconv.encode('名称,值\n𠀋ab,cd\n', 'gb18030');
    const start = bytes.indexOf(0x95); // first byte of the 4-byte sequence for 𠀋
    const chunks = [bytes.subarray(0, start + 3), bytes.subarray(start + 3, start + 7), bytes.subarray(start + 7)];
    async function* source() {
      yield* chunks;
    }
    const csv = await readCsv(source(), { maxBytes: 1000, encoding: 'gb18030' });
    const rows = [];
    for await (const row of csv) rows.push(row.values);
    expect(rows).toEqual([['𠀋ab', 'cd']]);
  });

  it('sniffs the delimiter past a line break inside a quoted header name', async () => {
    const { header, rows } = await readAll('"first\nname"\tsecond\n1\t2\n', {}, 1);
    expect(header).toEqual(['first\nname', 'second']);
    expect(rows).toEqual([{ line: 3, values: ['1', '2'] }]);
  });

  it('reads explicit GBK', async () => {
    const { rows } = await readAll(iconv.encode('名称\n开放数据\n', 'gbk'), { encoding: 'gbk' }, 3);
    expect(values(rows)).toEqual([['开放数据']]);
  });

  it('detects GB18030 when Chinese text only starts after a long ASCII prefix', async () => {
    const ascii = 'id,text\n' + Array.from({ length: 5000 }, (_, i) => `${i},plain`).join('\n') + '\n';
    const bytes = iconv.encode(ascii + '5000,中文内容\n', 'gb18030');
    const { rows, encoding } = await readAll(bytes, {}, 4096);
    expect(encoding).toBe('gb18030');
    expect(rows.at(-1)).toEqual({ line: 5002, values: ['5000', '中文内容'] });
  });

  it('sniffs a tab delimiter from the header line, ignoring commas inside quotes', async () => {
    const { header, rows, delimiter } = await readAll('"a,b"\tc\tdate\n1,5\t2\t2024-01-01\n');
    expect(delimiter).toBe('\t');
    expect(header).toEqual(['a,b', 'c', 'date']);
    expect(values(rows)).toEqual([['1,5', '2', '2024-01-01']]);
  });

  it('uses an explicit delimiter', async () => {
    const { rows } = await readAll('a\tb\n1,2\t3\n', { delimiter: '\t' });
    expect(values(rows)).toEqual([['1,2', '3']]);
  });

  it('reads a single-column file with a header only and no newline', async () => {
    const { header, rows } = await readAll('only');
    expect(header).toEqual(['only']);
    expect(rows).toEqual([]);
  });

  it('ignores trailing empty lines; in a one-column table inner empty lines are empty values', async () => {
    expect(values((await readAll('a,b\n1,2\n\n\n')).rows)).toEqual([['1', '2']]);
    const single = await readAll('v\nx\n\ny\n\n');
    expect(single.rows).toEqual([
      { line: 2, values: ['x'] },
      { line: 3, values: [''] },
      { line: 4, values: ['y'] },
    ]);
  });

  it('accepts a web ReadableStream and a Node Readable', async () => {
    const text = 'a,b\n1,2\n';
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(utf8(text));
        controller.close();
      },
    });
    const node = Readable.from([Buffer.from(text)]);
    for (const source of [web, node]) {
      const csv = await readCsv(source, { maxBytes: 1000 });
      const rows = [];
      for await (const row of csv) rows.push(row.values);
      expect(rows).toEqual([['1', '2']]);
    }
  });

  it('pulls input only as rows are consumed (back-pressure)', async () => {
    const body = 'id,v\n' + Array.from({ length: 20_000 }, (_, i) => `${i},value`).join('\n');
    const { source, stats } = chunked(utf8(body), 1024);
    const csv = await readCsv(source, { maxBytes: 1 << 30 });
    expect(stats.pulled).toBeLessThanOrEqual(2);
    let seen = 0;
    for await (const _row of csv) {
      if (++seen === 10) break;
    }
    expect(stats.pulled).toBeLessThanOrEqual(2);
    expect(stats.closed).toBe(true); // breaking out of the loop releases the source
  });
});

describe('readCsv: errors', () => {
  it('rejects an empty file', async () => {
    for (const input of ['', '\uFEFF', '\n']) {
      const error = await failure(readAll(input));
      expect(error.code).toBe('csv_invalid');
      expect(error.status).toBe(422);
      expect(error.errors).toEqual([{ location: 'line 1', message: expect.stringContaining('empty') }]);
    }
  });

  it('rejects an empty first line', async () => {
    const error = await failure(readAll('\na,b\n'));
    expect(error.errors![0]!.location).toBe('line 1');
  });

  it('rejects an empty header name', async () => {
    const error = await failure(readAll('a, ,c\n1,2,3\n'));
    expect(error.errors).toEqual([{ location: 'line 1, column 2', message: 'header name is empty' }]);
  });

  it('rejects duplicate header names after trimming', async () => {
    const error = await failure(readAll('phone,name, phone \n1,2,3\n'));
    expect(error.errors).toEqual([
      { location: 'line 1, column 3', message: 'duplicate header name: same as column 1' },
    ]);
  });

  it('with a bad header, still reports the problems further down', async () => {
    const error = await failure(readAll('a,a\n1,2\n1,2,3\n'));
    expect(error.errors!.map((e) => e.location)).toEqual(['line 1, column 2', 'line 3']);
  });

  it('rejects an unterminated quote, at the line where the row starts', async () => {
    const error = await failure(readAll('a,b\n1,2\n3,"never closed\n4,5\n6,7\n'));
    expect(error.code).toBe('csv_invalid');
    expect(error.errors).toEqual([{ location: 'line 3', message: expect.stringContaining('never closed') }]);
  });

  it('stops an unterminated quote at maxRecordBytes instead of buffering the file', async () => {
    const body = 'a,b\n1,"open\n' + 'x,y\n'.repeat(10_000);
    const { source, stats } = chunked(utf8(body), 1000);
    const error = await failure(readCsv(source, { maxBytes: 1 << 30, maxRecordBytes: 2000 }).then(drain));
    expect(error.errors![0]!.location).toBe('line 2');
    expect(stats.pulled).toBeLessThan(10);
    expect(stats.closed).toBe(true);
  });

  it('rejects a stray quote in an unquoted field and text after a closing quote', async () => {
    const a = await failure(readAll('a,b\n1,2\n3,4"5\n'));
    expect(a.errors![0]!.location).toBe('line 3, column 2');
    const b = await failure(readAll('a,b\n"x"y,2\n'));
    expect(b.errors![0]!.location).toBe('line 2, column 1');
  });

  it('reports every ragged row with its line, counting lines inside quoted values', async () => {
    const error = await failure(readAll('a,b\n1,2\n"multi\nline",2,3\n4\n5,6\n'));
    expect(error.errors).toEqual([
      { location: 'line 3', message: 'row has 3 fields but the header has 2' },
      { location: 'line 5', message: 'row has 1 field but the header has 2' },
    ]);
  });

  it('reports an empty line between rows of a multi-column table', async () => {
    const error = await failure(readAll('a,b\n1,2\n\n3,4\n'));
    expect(error.errors).toEqual([{ location: 'line 3', message: expect.stringContaining('line is empty') }]);
  });

  it('stops yielding rows once a problem is found; the error comes at the end', async () => {
    const csv = await readCsv(chunked(utf8('a,b\n1,2\n3\n5,6\n7,8\n'), 3).source, { maxBytes: 1000 });
    const seen: number[] = [];
    const error = await failure(
      (async () => {
        for await (const row of csv) seen.push(row.line);
      })(),
    );
    expect(seen).toEqual([2]);
    expect(error.errors).toEqual([{ location: 'line 3', message: 'row has 1 field but the header has 2' }]);
  });

  it('reports invalid UTF-8 with its line when utf-8 is chosen', async () => {
    const bytes = new Uint8Array([...utf8('a,b\n1,2\n'), 0xe4, 0xb8, 0x2c, ...utf8('3\n4,5\n'), 0xff, ...utf8(',6\n')]);
    const error = await failure(readAll(bytes, { encoding: 'utf-8' }, 1));
    expect(error.errors).toEqual([
      { location: 'line 3', message: expect.stringContaining('not valid UTF-8') },
      { location: 'line 5', message: expect.stringContaining('not valid UTF-8') },
    ]);
  });

  it('reports undecodable bytes with their line when neither UTF-8 nor GB18030 fits', async () => {
    const bytes = new Uint8Array([...utf8('a,b\n1,2\n3,'), 0xff, 0xff, ...utf8('\n')]);
    const error = await failure(readAll(bytes));
    expect(error.errors).toEqual([{ location: 'line 3', message: expect.stringContaining('neither valid UTF-8 nor GB18030') }]);
  });

  it('reports bytes that are not valid GB18030 when gb18030 is chosen', async () => {
    const bytes = new Uint8Array([...iconv.encode('名称,值\n甲,1\n乙,', 'gb18030'), 0xff, ...utf8('\n')]);
    const error = await failure(readAll(bytes, { encoding: 'gb18030' }));
    expect(error.errors).toEqual([{ location: 'line 3', message: expect.stringContaining('not valid GB18030') }]);
  });

  it('fails with payload_too_large as soon as maxBytes is passed and stops reading', async () => {
    const body = utf8('a,b\n' + '1,2\n'.repeat(100_000));
    const { source, stats } = chunked(body, 1024);
    const error = await failure(readCsv(source, { maxBytes: 10 * 1024 }).then(drain));
    expect(error.code).toBe('payload_too_large');
    expect(error.status).toBe(413);
    expect(stats.pulled).toBe(11);
    expect(stats.closed).toBe(true);
  });

  it('stops after maxErrors problems without reading the rest', async () => {
    const body = utf8('a,b\n' + '1\n'.repeat(100_000));
    const { source, stats } = chunked(body, 1024);
    const error = await failure(readCsv(source, { maxBytes: 1 << 30, maxErrors: 5 }).then(drain));
    expect(error.errors!.map((e) => e.location)).toEqual(['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(error.message).toContain('stopped after 5');
    expect(stats.pulled).toBeLessThanOrEqual(2);
    expect(stats.closed).toBe(true);
  });

  it('never puts a cell value into an error', async () => {
    const secret = '340104199001011234';
    const inputs = [
      `name,id\nx,${secret},extra\n`,
      `name,id\nx,${secret}"\n`,
      `name,id\nx,"${secret}"tail\n`,
      `name,id\nx,"${secret}\n`,
    ];
    for (const input of inputs) {
      const error = await failure(readAll(input));
      const everything = JSON.stringify({ message: error.message, errors: error.errors, extras: error.extras });
      expect(everything).not.toContain(secret);
      expect(error.cause).toBeUndefined();
    }
  });
});

async function drain(csv: AsyncIterable<unknown>): Promise<void> {
  for await (const _row of csv) {
    // consume
  }
}
