/**
 * The CSV tokenizer reads what csv-parse reads (with the options bishui used: relaxed quotes and
 * column counts, trim, BOM), numbers each row by the physical line it starts on, whatever the
 * chunking, and holds every bound of shared/limits.ts.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { MAX_CELL_CHARS, MAX_COLUMNS, MAX_LINE_BYTES } from '../../../shared/limits.js';
import { CsvTokenizer, csvRows, detectLineEnd } from '../../../shared/parsers/csv-rows.js';
import type { TableRow } from '../../../shared/parsers/table-rows.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20231129);
const RUNS = (n: number) => Number(process.env.FUZZ_RUNS ?? n);

/** csv-parse as csv.ts configured it, blank records (`['']`) left out as the row code did. */
function csvParse(text: string, delimiter = ','): string[][] {
  const records = parse(text, {
    delimiter, bom: true, relax_column_count: true, relax_quotes: true, trim: true, skip_records_with_error: true,
  }) as string[][];
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** Feeds bytes, or chunks of bytes or text, through csvRows and collects the rows. */
async function rowsOf(input: Uint8Array | readonly (string | Uint8Array)[], delimiter = ',', lineEnd: '\n' | '\r' = '\n'): Promise<TableRow[]> {
  const chunks = Array.isArray(input) ? input : [input];
  async function* gen() { yield* chunks; }
  const out: TableRow[] = [];
  for await (const batch of csvRows(gen(), delimiter, lineEnd).rows) out.push(...batch);
  return out;
}

/** `bytes` cut at `cuts` (offsets taken modulo its length: inside characters too). */
function cutBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    parts.push(bytes.subarray(prev, c));
    prev = c;
  }
  return parts;
}

const cells = (rows: readonly TableRow[]) => rows.map((r) => r.cells);
const lines = (rows: readonly TableRow[]) => rows.map((r) => r.line);

describe('CSV tokenizer, as csv-parse reads', () => {
  it.each([
    ['plain rows, LF', 'a,b,c\n1,2,3\n', [['a', 'b', 'c'], ['1', '2', '3']], [1, 2]],
    ['CRLF', 'a,b\r\n1,2\r\n', [['a', 'b'], ['1', '2']], [1, 2]],
    ['no final line end', 'a,b\n1,2', [['a', 'b'], ['1', '2']], [1, 2]],
    ['delimiters, doubled quotes and line breaks inside quotes', '"a,b","say ""hi""","x\ny"\nz\n', [['a,b', 'say "hi"', 'x\ny'], ['z']], [1, 3]],
    ['CRLF inside quotes', '"x\r\ny",1\r\nz,2\r\n', [['x\r\ny', '1'], ['z', '2']], [1, 3]],
    ['a quote inside an unquoted field is a character', '5"3,a""b\n', [['5"3', 'a""b']], [1]],
    ['trim around unquoted and quoted fields, none inside quotes', '  a \t, " b " ,c  \n', [['a', ' b ', 'c']], [1]],
    ['ragged rows', 'a,b,c\n1\n1,2,3,4\n', [['a', 'b', 'c'], ['1'], ['1', '2', '3', '4']], [1, 2, 3]],
    ['empty cells', ',,\n"",x,\n', [['', '', ''], ['', 'x', '']], [1, 2]],
    ['a BOM', '\uFEFFa,b\n', [['a', 'b']], [1]],
    ['Chinese text', '断面名称,监测时间\n赵牛河断面,2023/7/15 8:00\n', [['断面名称', '监测时间'], ['赵牛河断面', '2023/7/15 8:00']], [1, 2]],
  ])('%s', async (_name, text, expected, expectedLines) => {
    const rows = await rowsOf(Buffer.from(text));
    expect(cells(rows)).toEqual(expected);
    expect(cells(rows)).toEqual(csvParse(text));
    expect(lines(rows)).toEqual(expectedLines);
  });

  it('reads CR line ends (old Mac exports) when the first line end outside quotes is a lone CR', async () => {
    const text = '"a\nb",c\r1,"2\r3"\r\r4\n5,6\r';
    expect(detectLineEnd(text)).toBe('\r');
    expect(detectLineEnd('a,b\r\nc')).toBe('\n');
    expect(detectLineEnd('"x\ry"\nz')).toBe('\n');
    expect(detectLineEnd('no line end')).toBe('\n');
    expect(detectLineEnd('5"3,a\rb')).toBe('\r'); // a quote inside a field opens nothing
    const rows = await rowsOf(Buffer.from(text), ',', '\r');
    expect(rows).toEqual([{ line: 1, cells: ['a\nb', 'c'] }, { line: 2, cells: ['1', '2\r3'] }, { line: 5, cells: ['4\n5', '6'] }]);
    expect(cells(rows)).toEqual(csvParse(text));
  });

  it('skips blank lines (empty, white space, one empty quoted field) and counts them', async () => {
    const text = 'a,b\n\n   \n""\r\n1,2\n\n';
    const rows = await rowsOf(Buffer.from(text));
    expect(rows).toEqual([{ line: 1, cells: ['a', 'b'] }, { line: 5, cells: ['1', '2'] }]);
    expect(cells(rows)).toEqual(csvParse(text));
  });

  it('takes the delimiter it is given: tab, semicolon', async () => {
    expect(cells(await rowsOf(Buffer.from('a\tb,c\n1\t"2\t3"\n'), '\t'))).toEqual([['a', 'b,c'], ['1', '2\t3']]);
    expect(cells(await rowsOf(Buffer.from('a;b,c\n'), ';'))).toEqual([['a', 'b,c']]);
    expect(() => new CsvTokenizer('"')).toThrow(/delimiter/);
  });

  it('reads decoded text chunks (GB18030 files) as it reads UTF-8 bytes', async () => {
    const text = '断面名称,监测时间,氨氮\r\n"赵牛河,断面",2023/7/15 8:00,0.5\r\n';
    const gb = iconv.encode(text, 'gb18030');
    const decoder = new TextDecoder('gb18030');
    const textChunks = cutBytes(gb, [1, 5, 9, 20]).map((c) => decoder.decode(c, { stream: true }));
    expect(await rowsOf(textChunks)).toEqual(await rowsOf(Buffer.from(text)));
  });

  it('for random CSV and random chunkings, reads the rows csv-parse reads, each at the line it starts on', async () => {
    const unquotedChar = fc.constantFrom('a', '1', '.', '中', ' ', '\t', '"');
    const quotedChar = fc.constantFrom('a', '中', ' ', ',', '\t', ';', '""', '\n', '\r\n');
    // An unquoted field must not start (after white space) with a quote: that would make it quoted.
    const unquoted = fc.array(unquotedChar, { maxLength: 6 }).map((cs) => cs.join('')).filter((s) => !s.trimStart().startsWith('"'));
    const quoted = fc.record({
      before: fc.constantFrom('', ' ', '\t '), body: fc.array(quotedChar, { maxLength: 6 }), after: fc.constantFrom('', ' ', '  '),
    }).map(({ before, body, after }) => `${before}"${body.join('')}"${after}`);
    const field = fc.oneof({ weight: 3, arbitrary: unquoted }, { weight: 2, arbitrary: quoted });
    const file = fc.record({
      rows: fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      delimiter: fc.constantFrom(',', ';', '\t'),
      finalEol: fc.boolean(),
      bom: fc.boolean(),
    }).filter((f) => f.rows.every((r) => r.every((c) => !c.includes(f.delimiter) || c.trimStart().startsWith('"'))));
    await fc.assert(fc.asyncProperty(file, fc.array(fc.nat(), { maxLength: 6 }), async (f, cuts) => {
      const records = f.rows.map((r) => r.join(f.delimiter));
      const text = (f.bom ? '\uFEFF' : '') + records.join(f.eol) + (f.finalEol ? f.eol : '');
      // The line each record starts on, from how the file was put together.
      const starts: number[] = [];
      let line = 1;
      const breakChar = f.eol === '\r' ? '\r' : '\n';
      for (const r of records) { starts.push(line); line += 1 + r.split(breakChar).length - 1; }
      const expected = csvParse(text, f.delimiter);
      const rows = await rowsOf(cutBytes(Buffer.from(text), cuts), f.delimiter, detectLineEnd(text, f.delimiter));
      expect(rows.filter((r) => r.error !== undefined)).toEqual([]);
      expect(cells(rows)).toEqual(expected);
      // Rows csv-parse calls blank are left out: every other record keeps its own line.
      const kept = records.map((r, i) => ({ blank: csvParse(r + f.eol, f.delimiter).length === 0, line: starts[i] })).filter((r) => !r.blank);
      expect(lines(rows)).toEqual(kept.map((r) => r.line));
    }), { seed: SEED, numRuns: RUNS(400) });
  });
});

describe('CSV tokenizer, broken records', () => {
  it('any text, broken quotes included, reads the same however it is cut, lines rising, with LF or CR line ends', async () => {
    const text = fc.array(fc.constantFrom('a', '中', ' ', ',', '"', '""', '\n', '\r\n', '\r', '\t'), { maxLength: 40 }).map((cs) => cs.join(''));
    const lineEnd = fc.constantFrom('\n' as const, '\r' as const);
    await fc.assert(fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 8 }), lineEnd, async (t, cuts, le) => {
      const whole = await rowsOf(Buffer.from(t), ',', le);
      expect(await rowsOf(cutBytes(Buffer.from(t), cuts), ',', le)).toEqual(whole);
      for (let i = 1; i < whole.length; i++) expect(whole[i]!.line).toBeGreaterThan(whole[i - 1]!.line);
      for (const r of whole) expect(r.error === undefined ? r.cells.length > 0 : r.cells.length === 0).toBe(true);
      expect(whole.at(-1)?.line ?? 1).toBeLessThanOrEqual(t.split(le).length);
    }), { seed: SEED, numRuns: RUNS(1000) });
  });

  it('a quoted field followed by text: that row is an error, the next rows are read', async () => {
    const rows = await rowsOf(Buffer.from('a,b\n"x"y,1\n2,3\n'));
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: [], error: "not a CSV row: a quoted field is followed by 'y' (expected a delimiter or the end of the line)" },
      { line: 3, cells: ['2', '3'] },
    ]);
  });

  it('names a control character by code point, not as itself', async () => {
    const rows = await rowsOf(Buffer.from('"x"\u0007,1\n'));
    expect(rows[0]?.error).toMatch(/followed by U\+0007/);
  });

  it('a quote never closed: that line is an error, reading goes on at the next line', async () => {
    const rows = await rowsOf(Buffer.from('a,b\n1,"open\n2,3\n4,5\n'));
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: [], error: expect.stringMatching(/quoted field opened on this line is never closed/) },
      { line: 3, cells: ['2', '3'] },
      { line: 4, cells: ['4', '5'] },
    ]);
  });
});

describe('CSV tokenizer, bounds', () => {
  const feed = (t: CsvTokenizer, text: string, size: number): { rows: TableRow[]; maxBuffered: number } => {
    const rows: TableRow[] = [];
    let maxBuffered = 0;
    for (let i = 0; i < text.length; i += size) {
      rows.push(...t.push(text.slice(i, i + size)));
      maxBuffered = Math.max(maxBuffered, t.buffered);
    }
    rows.push(...t.end());
    return { rows, maxBuffered };
  };

  it(`a record over MAX_LINE_BYTES on one line is one error row, never held whole`, () => {
    const long = 'x'.repeat(3 * MAX_LINE_BYTES);
    const { rows, maxBuffered } = feed(new CsvTokenizer(','), `a,b\n1,${long},2\n3,4\n`, 64 * 1024);
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: [], error: `the line is longer than ${MAX_LINE_BYTES.toLocaleString('en')} bytes (the bound for one line); it is not read`, tooLong: true },
      { line: 3, cells: ['3', '4'] },
    ]);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_LINE_BYTES + 64 * 1024);
  });

  it('hands the over-long row over as soon as the bound is passed, before the line ends', () => {
    const t = new CsvTokenizer(',', '\n', 1000);
    expect(t.push('a,b\n')).toEqual([{ line: 1, cells: ['a', 'b'] }]);
    expect(t.push('x'.repeat(900))).toEqual([]);
    expect(t.push('x'.repeat(200))).toEqual([{ line: 2, cells: [], error: expect.stringMatching(/^the line is longer than 1,000 bytes/), tooLong: true }]);
    expect(t.buffered).toBe(0);
    expect(t.push('x'.repeat(5000))).toEqual([]);
    expect([...t.push('y\nc,d\n'), ...t.end()]).toEqual([{ line: 3, cells: ['c', 'd'] }]);
  });

  it('counts bytes, not characters, and not the line end', () => {
    // Chinese text is three bytes a character in UTF-8; cells stay under MAX_CELL_CHARS.
    const lineOf = (bytes: number): string => {
      const parts: string[] = Array(10).fill('水'.repeat(1000));
      let size = Buffer.byteLength(parts.join(','));
      while (size < bytes) { const n = Math.min(4000, bytes - size - 1); parts.push('x'.repeat(n)); size += n + 1; }
      return parts.join(',');
    };
    expect(Buffer.byteLength(lineOf(MAX_LINE_BYTES))).toBe(MAX_LINE_BYTES);
    expect(lineOf(MAX_LINE_BYTES).length).toBeLessThan(MAX_LINE_BYTES - 10_000);
    const t = new CsvTokenizer(',');
    const rows = [...t.push(`${lineOf(MAX_LINE_BYTES)}\r\n${lineOf(MAX_LINE_BYTES + 1)}\r\nok\r\n`), ...t.end()];
    expect(rows.map((r) => r.error === undefined)).toEqual([true, false, true]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
  });

  it('a quote left open runs into MAX_LINE_BYTES: the line it opened on is rejected, the lines after it are read', () => {
    const good = Array.from({ length: 20_000 }, (_, i) => `site,${i},${'y'.repeat(60)}`).join('\n');
    const { rows, maxBuffered } = feed(new CsvTokenizer(','), `h1,h2\nsite,"open\n${good}\n`, 64 * 1024);
    expect(rows[1]).toEqual({ line: 2, cells: [], error: expect.stringMatching(/^the record starting on this line runs past 1,048,576 bytes \(is a quote left open\?\)/), tooLong: true });
    expect(rows).toHaveLength(2 + 20_000);
    expect(rows[2]).toEqual({ line: 3, cells: ['site', '0', 'y'.repeat(60)] });
    expect(rows.at(-1)?.line).toBe(20_002);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_LINE_BYTES + 64 * 1024);
  });

  it(`rows past MAX_COLUMNS and cells past MAX_CELL_CHARS are handed over whole, quoted or not (the row code judges them)`, async () => {
    const rows = await rowsOf(Buffer.from(`${Array(MAX_COLUMNS + 1).fill('a').join(',')}\n"q",${Array(MAX_COLUMNS).fill('a').join(',')}\na,${'c'.repeat(MAX_CELL_CHARS + 1)}\na,"${'c'.repeat(MAX_CELL_CHARS + 1)}"\n`));
    expect(rows.map((r) => [r.line, r.cells.length, r.cells.at(-1)?.length, r.error])).toEqual([
      [1, MAX_COLUMNS + 1, 1, undefined], [2, MAX_COLUMNS + 1, 1, undefined], [3, 2, MAX_CELL_CHARS + 1, undefined], [4, 2, MAX_CELL_CHARS + 1, undefined],
    ]);
  });
});
