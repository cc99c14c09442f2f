/**
 * Every bound on what one file may hold (issue 10 item 5, the parser's side), each hit as a clear
 * rejection — of a cell, a row or the file — reached fast, in bounded memory, never a crash.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatInstant, parseTime } from '../../../shared/domain/time.js';
import {
  MAX_CELL_CHARS, MAX_COLUMNS, MAX_JSON_DEPTH, MAX_LINE_BYTES, MAX_QUOTED_CHARS, MAX_REASON_CHARS, MAX_SITE_NAME_CHARS,
} from '../../../shared/limits.js';
import { FileRejectedError } from '../../../shared/parsers/types.js';
import { parseBytes, parseStream, shanghai } from '../../helpers/parse.js';

const MB = 1024 * 1024;
const CHUNK = 64 * 1024;

/** `head`, then `size` bytes of `fill` in 64 KB chunks made on demand, then `tail`; counts what was pulled. */
function generated(head: string, fill: string, size: number, tail: string) {
  const stats = { pulled: 0, peakHeapGrowth: 0 };
  const block = Buffer.alloc(CHUNK, fill);
  const base = process.memoryUsage().heapUsed;
  async function* gen(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(head);
    for (let sent = 0; sent < size; sent += CHUNK) {
      stats.pulled += CHUNK;
      if (stats.pulled % (16 * MB) === 0) stats.peakHeapGrowth = Math.max(stats.peakHeapGrowth, process.memoryUsage().heapUsed - base);
      // As a file or S3 stream does: chunks arrive as I/O events, not all in one run of promise jobs.
      if (stats.pulled % MB === 0) await new Promise((resolve) => setImmediate(resolve));
      yield block.subarray(0, Math.min(CHUNK, size - sent));
    }
    yield Buffer.from(tail);
  }
  return { stream: gen(), stats };
}

describe('one line over MAX_LINE_BYTES', () => {
  it('CSV: a streamed 200 MB line is rejected, the next row read, and the memory held stays bounded', async () => {
    const { stream, stats } = generated('site,time,COD\nsixinhe,2023-07-15 08:00,20\nsixinhe,2023-07-15 09:00,', 'x', 200 * MB, '\nsixinhe,2023-07-15 10:00,22\n');
    const p = await parseStream(stream, 'long.csv');
    expect(p.samples.map((s) => [s.source.line, s.values.COD])).toEqual([[2, 20], [4, 22]]);
    expect(p.rejected).toEqual([{ line: 3, reason: `the line is longer than ${MAX_LINE_BYTES.toLocaleString('en')} bytes (the bound for one line); it is not read` }]);
    expect(stats.pulled).toBeGreaterThanOrEqual(200 * MB);
    expect(stats.peakHeapGrowth).toBeLessThan(64 * MB); // holding the line would take 200 MB (400 MB as a string)
  });

  it('NDJSON and HJ 212: the long line is rejected and the next one read with its own number', async () => {
    const nd = generated('{"site":"sixinhe","time":"2023-07-15 08:00","COD":20}\n{"site":"', 'x', 20 * MB, '"}\n{"site":"sixinhe","time":"2023-07-15 09:00","COD":21}\n');
    const p = await parseStream(nd.stream, 'a.ndjson');
    expect(p.samples.map((s) => s.source.line)).toEqual([1, 3]);
    expect(p.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/^the line is longer than/) }]);
    const frameText = '##0083QN=20230715080000123;ST=21;CN=9015;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&&&0000\n';
    const hj = generated(frameText, 'y', 20 * MB, '\nconnected\n');
    const q = await parseStream(hj.stream, 'station.log');
    expect(q.format).toBe('hj212');
    expect(q.rejected.find((r) => r.line === 2)?.reason).toMatch(/^the line is longer than/);
    expect(q.skipped.at(-1)).toEqual({ line: 3, reason: "log line, not a packet: 'connected'" });
  });

  it('JSON: an element over the bound is rejected, the elements after it read', async () => {
    const big = generated('[{"site":"sixinhe","time":"2023-07-15 08:00","COD":20},\n{"site":"', 'x', 5 * MB, '","COD":1},\n{"site":"sixinhe","time":"2023-07-15 09:00","COD":21}]');
    const p = await parseStream(big.stream, 'a.json');
    expect(p.samples.map((s) => s.values.COD)).toEqual([20, 21]);
    expect(p.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/^the element is longer than/) }]);
  });
});

describe('columns', () => {
  it(`a header of 1 GB of commas: the file is rejected at once, after about ${MAX_LINE_BYTES / MB} MB read`, async () => {
    const { stream, stats } = generated('', ',', 1024 * MB, '\n');
    const err = await parseStream(stream, 'commas.csv').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRejectedError);
    expect((err as FileRejectedError).reason).toMatch(/^line 1 cannot be read, before any header row: the line is longer than/);
    expect(stats.pulled).toBeLessThan(8 * MB);
  });

  it(`a header of more than ${MAX_COLUMNS} columns rejects the file; such a data row is rejected alone`, async () => {
    const wide = `site,time,COD${',x'.repeat(MAX_COLUMNS)}\nsixinhe,2023-07-15 08:00,20\n`;
    await expect(parseBytes(wide)).rejects.toThrow(/line 1 has 2,003 columns; at most 2,000 are read/);
    const p = await parseBytes(`site,time,COD\nsixinhe,2023-07-15 08:00,20${',1'.repeat(MAX_COLUMNS)}\nsixinhe,2023-07-15 09:00,21\n`);
    expect(p.samples).toHaveLength(1);
    expect(p.rejected).toEqual([{ line: 2, reason: 'the row has 2,003 columns; at most 2,000 are read' }]);
  });

  it('two columns for one indicator reject the file, naming both', async () => {
    await expect(parseBytes('site,time,COD,NH3N,COD\nsixinhe,2023-07-15 08:00,20,0.5,25\n')).rejects.toThrow(
      "columns 'COD' (column 3) and 'COD' (column 5) both hold COD: remove or rename one");
    await expect(parseBytes('site,time,COD,化学需氧量(mg/L)\nsixinhe,2023-07-15 08:00,20,25\n')).rejects.toThrow(
      "columns 'COD' (column 3) and '化学需氧量(mg/L)' (column 4) both hold COD");
  });

  it('a JSON object with more keys than a row may have columns is rejected', async () => {
    const keys = Object.fromEntries(Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => [`k${i}`, i]));
    const p = await parseBytes(`${JSON.stringify({ site: 'sixinhe', time: '2023-07-15 08:00', COD: 1, ...keys })}\n`, 'k.ndjson');
    expect(p.rejected[0]!.reason).toMatch(/^the object has 2,004 keys; at most 2,000 are read/);
  });
});

describe('JSON nested too deep', () => {
  it('100,000 [ are rejected without a stack overflow', async () => {
    const p = await parseBytes('['.repeat(100_000), 'deep.json');
    expect(p.rejected).toEqual([{ line: 1, reason: `nested deeper than ${MAX_JSON_DEPTH} levels: not a sample` }]);
    const closed = await parseBytes(`[${'['.repeat(100_000)}${']'.repeat(100_000)},{"site":"sixinhe","time":"2023-07-15 08:00","COD":20}]`, 'deep2.json');
    expect(closed.samples).toHaveLength(1);
    expect(closed.rejected).toEqual([{ line: 1, reason: `nested deeper than ${MAX_JSON_DEPTH} levels: not a sample` }]);
  });

  it('an NDJSON line or a root object nested 100,000 deep likewise', async () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const p = await parseBytes(`{"site":"sixinhe","time":"2023-07-15 08:00","x":${deep}}\n{"site":"sixinhe","time":"2023-07-15 09:00","COD":20}\n`, 'd.ndjson');
    expect(p.samples).toHaveLength(1);
    expect(p.rejected).toEqual([{ line: 1, reason: `nested deeper than ${MAX_JSON_DEPTH} levels: not a sample` }]);
    await expect(parseBytes(`{"x":${deep}}`, 'd.json')).rejects.toThrow(/holds no samples/);
  });
});

describe('gzip beyond the decompressed bound', () => {
  it('is refused with a reason (a smaller bound injected for the test)', async () => {
    const text = `site,time,COD\n${'sixinhe,2023-07-15 08:00,20\n'.repeat(100_000)}`;
    const gz = gzipSync(Buffer.from(text));
    expect(gz.length).toBeLessThan(100_000);
    const err = await parseBytes(gz, 'bomb.csv.gz', { limits: { maxDecompressedBytes: 1_000_000 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRejectedError);
    expect((err as FileRejectedError).reason).toBe('decompresses to more than 1,000,000 bytes (the bound for one file); split it or send it uncompressed');
    const ok = await parseBytes(gz, 'fine.csv.gz', { limits: { maxDecompressedBytes: 10_000_000 } });
    expect(ok.samples).toHaveLength(100_000);
  });
});

describe('cells and site names', () => {
  it(`a value cell over ${MAX_CELL_CHARS} characters is dropped with a warning; a time cell that long rejects its row`, async () => {
    const long = '1'.repeat(MAX_CELL_CHARS + 1);
    const p = await parseBytes(`site,time,COD,NH3N\nsixinhe,2023-07-15 08:00,${long},0.5\nsixinhe,2023-07-15 08:00${'0'.repeat(MAX_CELL_CHARS)},20,0.5\n`);
    expect(p.samples.map((s) => s.values)).toEqual([{ NH3N: 0.5 }]);
    expect(p.cells).toEqual([{ line: 2, param: 'COD', value: expect.stringMatching(/^1+…$/), reason: `column 'COD': longer than ${MAX_CELL_CHARS} characters` }]);
    expect(p.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/^time is longer than 4096 characters: '2023-07-15 08:000+…'$/) }]);
  });

  it(`a site name over ${MAX_SITE_NAME_CHARS} characters, or with control characters or NULs, rejects its row, shown escaped and cut`, async () => {
    const long = '河'.repeat(10_000);
    const p = await parseBytes(`site,time,COD\n${long},2023-07-15 08:00,20\n"赵牛河\n断面",2023-07-15 09:00,20\n赵牛河\u0000,2023-07-15 10:00,20\n"\u001b[2J站",2023-07-15 11:00,20\nsixinhe,2023-07-15 12:00,20\n`);
    expect(p.samples.map((s) => s.site)).toEqual(['sixinhe']);
    expect(p.rejected.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^site name is longer than 200 characters \(10000\): '河+…'$/),
      "site name holds control characters: '赵牛河\\n断面'",
      "site name holds control characters: '赵牛河\\u0000'",
      "site name holds control characters: '\\u001b[2J站'",
    ]);
    for (const r of p.rejected) expect(r.reason.length).toBeLessThanOrEqual(MAX_REASON_CHARS);
    expect(p.rejected[0]!.reason.length).toBeLessThan(MAX_QUOTED_CHARS + 60);
  });

  it('an HJ 212 MN with control characters rejects its packet', async () => {
    const { frame } = await import('../../../shared/parsers/hj212.js');
    const p = await parseBytes(frame('QN=1;ST=21;CN=2061;PW=1;MN=AB\u0007C;Flag=4;CP=&&DataTime=20230715080000;w21003-Avg=0.5&&'), 'm.log');
    expect(p.rejected).toEqual([{ line: 1, reason: "MN: site name holds control characters: 'AB\\u0007C'" }]);
  });
});

describe('times outside the plausible range', () => {
  it('rejects years before the floor instead of shifting them, and after 9999', async () => {
    const p = await parseBytes('site,time,COD\nsixinhe,0001-01-01,20\nsixinhe,1900-01-01 08:00,20\nsixinhe,1969-12-31 23:00,20\nsixinhe,10000-01-01,20\nsixinhe,1970-01-01 08:00,20\n');
    expect(p.samples.map((s) => s.time)).toEqual([shanghai('1970-01-01 08:00')]);
    expect(p.rejected.map((r) => r.reason)).toEqual([
      "time '0001-01-01' lies before 1970: not a plausible monitoring time",
      "time '1900-01-01 08:00' lies before 1970: not a plausible monitoring time",
      "time '1969-12-31 23:00' lies before 1970: not a plausible monitoring time",
      expect.stringMatching(/^time '10000-01-01' is not a date and time/),
    ]);
  });

  it('takes the floor from the parse context', async () => {
    const p = await parseBytes('site,time,COD\nsixinhe,1999-12-31 08:00,20\nsixinhe,2000-01-01 08:00,20\n', 'f.csv', { minYear: 2000 });
    expect(p.samples).toHaveLength(1);
    expect(p.rejected[0]!.reason).toBe("time '1999-12-31 08:00' lies before 2000: not a plausible monitoring time");
  });

  it('reads year 1 as year 1 and prints local mean time offsets whole', () => {
    const one = parseTime('0001-01-01 00:00:00', 'UTC')!;
    expect(new Date(one).getUTCFullYear()).toBe(1);
    expect(formatInstant(one, 'UTC')).toBe('0001-01-01T00:00:00+00:00');
    expect(formatInstant(parseTime('1900-01-01 08:00')!)).toBe('1900-01-01T08:00:00+08:05:43');
    expect(formatInstant(Date.UTC(12000, 0, 1), 'UTC')).toBe('+012000-01-01T00:00:00+00:00');
  });
});
