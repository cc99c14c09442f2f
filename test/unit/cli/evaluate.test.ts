/** `bishui evaluate`: the JSON shape of the issue, exit codes, rejected rows and unreadable files. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir();
const csv = tmp.write('a.csv', [
  'site,time,COD,NH3N,COD_flag',
  'sixinhe,2023-07-15 08:00,31,0.8,N',
  '四新河,2023-07-15 09:00,abc,0.8,',
  ',2023-07-15 10:00,20,0.5,',
  'sixinhe,,20,0.5,',
  'sixinhe,yesterday,20,0.5,',
  'sixinhe,2999-01-01 00:00,20,0.5,',
  'sixinhe,2023-07-15 11:00,-3,0.5,',
  'xiaomeihe,2023-07-15 11:00,,,',
].join('\n'));

describe('bishui evaluate --json', () => {
  it('prints files, samples, rejected and warnings in the documented shape', async () => {
    const r = await runCli('evaluate', csv, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['files', 'samples', 'rejected', 'warnings']);
    expect(doc.files).toEqual([{ file: 'a.csv', format: 'csv', accepted: 3, rejected: 5, skipped: 0, warnings: 2, missing: 2 }]);
    expect(doc.samples).toHaveLength(3);
    expect([doc.samples[0]]).toEqual([{
      site: 'sixinhe', registered: true, time: '2023-07-15T08:00:00+08:00',
      values: { COD: 31, NH3N: 0.8 }, flags: { COD: 'N' },
      grade: 'V', target: 'IV', compliant: false,
      cwqi: expect.closeTo(2.35, 12),
      contributions: { COD: expect.closeTo(1.55 / 2.35, 12), NH3N: expect.closeTo(0.8 / 2.35, 12) },
      exceedances: [{ param: 'COD', value: 31, limit: 30, multiple: expect.closeTo(1 / 30, 15) }],
      mainPollutants: ['COD'],
      source: { file: 'a.csv', line: 2 },
    }]);
    // A bad value costs that value only: the rows keep their NH3-N.
    expect(doc.samples.slice(1).map((s: { source: { line: number }; values: object }) => [s.source.line, s.values])).toEqual([
      [3, { NH3N: 0.8 }], [8, { NH3N: 0.5 }],
    ]);
    const reasons = doc.rejected.map((x: { line: number; reason: string }) => `${x.line}: ${x.reason}`);
    expect(reasons).toHaveLength(5);
    expect(reasons[0]).toMatch(/^4: site is missing/);
    expect(reasons[1]).toMatch(/^5: time is missing/);
    expect(reasons[2]).toMatch(/^6: time 'yesterday' is not a date and time/);
    expect(reasons[3]).toMatch(/^7: time '2999-01-01 00:00' lies in the future/);
    expect(reasons[4]).toMatch(/^9: no indicator has a value/);
    for (const x of doc.rejected) expect(x.file).toBe('a.csv');
    expect(doc.warnings).toEqual([
      { file: 'a.csv', line: 3, param: 'COD', value: 'abc', reason: expect.stringMatching(/^column 'COD': not a number \(expected a number/) },
      { file: 'a.csv', line: 8, param: 'COD', value: '-3', reason: "column 'COD': COD cannot be negative, got -3" },
    ]);
  });

  it('drops pH outside 0–14 and DO above 30 mg/L, rejecting a sample left with nothing', async () => {
    const f = tmp.write('b.ndjson', [
      '{"site":"xiaomeihe","time":"2023-07-15T08:00:00+08:00","values":{"pH":15}}',
      '{"site":"xiaomeihe","time":"2023-07-15T09:00:00+08:00","DO":31,"NH3N":0.4}',
      '{"site":"xiaomeihe","time":"2023-07-15T10:00:00+08:00","DO":30,"pH":14}',
    ].join('\n'));
    const doc = JSON.parse((await runCli('evaluate', f, '--json')).stdout);
    expect(doc.files[0]).toMatchObject({ format: 'ndjson', accepted: 2, rejected: 1, warnings: 1 });
    expect(doc.rejected[0].reason).toMatch(/^no indicator has a valid value; values\.'pH': pH must be between 0 and 14, got 15/);
    expect(doc.warnings).toEqual([{ file: 'b.ndjson', line: 2, param: 'DO', value: '31', reason: expect.stringMatching(/DO above 30 mg\/L/) }]);
    expect(doc.samples[0].values).toEqual({ NH3N: 0.4 });
  });

  it('reads JSON: an array, or an object with a samples array, nested or flat values', async () => {
    const arr = tmp.write('c.json', JSON.stringify([
      { site: 'zhaoniuhe', time: '2023-07-15 08:00', values: { TP: 0.35, NH3N: 0.4, F: 1.2 }, flags: { F: 'N' } },
      { site: '赵牛河', time: '2023-07-15 09:00', TP: 0.1 },
    ], null, 2));
    const obj = tmp.write('d.json', JSON.stringify({ samples: [{ site: 'zhaoniuhe', time: '2023-07-15 10:00', TP: 0.2 }] }));
    const doc = JSON.parse((await runCli('evaluate', arr, obj, '--json')).stdout);
    expect(doc.files).toEqual([
      { file: 'c.json', format: 'json', accepted: 2, rejected: 0, skipped: 0, warnings: 0, missing: 0 },
      { file: 'd.json', format: 'json', accepted: 1, rejected: 0, skipped: 0, warnings: 0, missing: 0 },
    ]);
    expect(doc.samples[0]).toMatchObject({ site: 'zhaoniuhe', grade: 'V', values: { TP: 0.35, NH3N: 0.4, F: 1.2 }, mainPollutants: ['TP', 'F'] });
    expect(doc.samples[0].source).toEqual({ file: 'c.json', line: 2 });
    expect(doc.samples[1]).toMatchObject({ site: 'zhaoniuhe', grade: 'II' });
  });

  it('keeps an unregistered station as written and marks it', async () => {
    const f = tmp.write('e.csv', 'site,time,COD\n东沟桥,2023-07-15 08:00,45\n');
    const doc = JSON.parse((await runCli('evaluate', f, '--json')).stdout);
    expect(doc.samples[0]).toMatchObject({ site: '东沟桥', registered: false, target: 'IV', grade: '劣V', compliant: false });
  });

  it('exits 2 when a file cannot be read at all, and still reports the others', async () => {
    const empty = tmp.write('empty.csv', '');
    const r = await runCli('evaluate', csv, join(tmp.dir, 'missing.csv'), empty, '--json');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.files.map((f: { file: string; format: string | null }) => [f.file, f.format])).toEqual([
      ['a.csv', 'csv'], ['missing.csv', null], ['empty.csv', null],
    ]);
    expect(doc.files[1].error).toMatch(/^no such file: .*missing\.csv$/);
    expect(doc.files[2].error).toMatch(/the file is empty/);
  });

  it('prints each read error once: in the table line or the JSON entry, not again on stderr', async () => {
    const missing = join(tmp.dir, 'missing.csv');
    const table = await runCli('evaluate', csv, missing);
    expect(table.code).toBe(2);
    expect(table.stdout.match(/no such file/g)).toHaveLength(1);
    expect(table.stdout).toMatch(/^missing\.csv: NOT READ — no such file: .*missing\.csv$/m);
    expect(table.stderr).toBe('');
    const json = await runCli('evaluate', csv, missing, '--json');
    expect(json.stdout.match(/no such file/g)).toHaveLength(1);
    expect(json.stderr).toBe('');
  });

  it('prints a readable table without --json: the compact view by default, every column with --wide', async () => {
    const r = await runCli('evaluate', csv);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/a\.csv: csv, utf-8: 3 accepted, 5 rejected, 2 values dropped, 2 missing/);
    expect(r.stdout).toMatch(/sixinhe\s+2023-07-15 08:00\s+V\s+NO\s+2\.35\s+COD 31>30 \+3\.3%/);
    const wide = await runCli('evaluate', csv, '--wide');
    expect(wide.stdout).toMatch(/sixinhe\s+2023-07-15T08:00:00\+08:00\s+V\s+IV\s+NO\s+2\.35\s+化学需氧量\s+COD 31>30 \+3\.3%\s+COD=31 NH3N=0\.8\s+a\.csv:2/);
    expect(r.stdout).toMatch(/a\.csv:4: site is missing/);
    expect(r.stdout).toMatch(/a\.csv:3: COD 'abc' — column 'COD': not a number/);
  });

  it('runs as `npm run --silent bishui -- evaluate` from the package', () => {
    const p = spawnSync('npm', ['run', '--silent', 'bishui', '--', 'evaluate', csv, '--json'], {
      cwd: join(__dirname, '../../..'), encoding: 'utf8',
    });
    expect(p.status).toBe(0);
    expect(JSON.parse(p.stdout).samples[0].grade).toBe('V');
  });

  it('says nothing and fails nothing when its reader stops early (`| head`)', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `sixinhe,${new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toISOString()},31,0.8`);
    const big = tmp.write('big.csv', ['site,time,COD,NH3N', ...rows].join('\n'));
    const bin = join(__dirname, '../../../bin/bishui.mjs');
    const p = spawnSync('bash', ['-c', `set -o pipefail; node "${bin}" evaluate "${big}" --json | head -c 100 > /dev/null`], { encoding: 'utf8' });
    expect(p.stderr).toBe('');
    expect(p.status).toBe(0); // with pipefail: bishui's own status
  });
});
