/** `bishui start --once`, `ingest` and `query` on a data dir of their own, as a newcomer runs them. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('bishui-cli-');
const dataDir = `${tmp.dir}/data`;

describe('local pipeline commands', () => {
  it('start --once ingests the shipped samples and summarises them', async () => {
    const r = await runCli('start', '--once', '--data-dir', dataDir, '--s3-port', '0', '--dynamo-port', '0', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.files).toMatchObject({ uploaded: 11, ingested: 11, quarantined: 0, deadLettered: 0 });
    expect(Object.keys(summary.gradesBySite).sort()).toEqual(['hanhai-stp', 'sixinhe', 'xiaomeihe', 'zhaoniuhe']);
    expect(summary.samplesStored).toBeGreaterThan(5000);
    // a small, believable set of alerts: each kind the samples were built to show, not hundreds
    const kinds = new Set(summary.alerts.map((a: { kind: string }) => a.kind));
    expect([...kinds].sort()).toEqual(['exceedance', 'fluctuation', 'recovery', 'suspect-data']);
    expect(summary.alerts.length).toBeGreaterThan(5);
    expect(summary.alerts.length).toBeLessThan(40);
    const swings = summary.alerts.filter((a: { kind: string }) => a.kind === 'fluctuation');
    for (const s of swings) expect(s.sms).toMatch(/7月15日/);
  });

  it('a second start finds the files already ingested and stores nothing twice', async () => {
    const r = await runCli('start', '--once', '--data-dir', dataDir, '--s3-port', '0', '--dynamo-port', '0', '--json');
    const summary = JSON.parse(r.stdout);
    expect(summary.files).toMatchObject({ uploaded: 11, ingested: 0, alreadyIngested: 11 });
    expect(summary.samplesStored).toBe(0);
    expect(summary.alerts).toEqual([]);
  });

  it('ingest puts files through the pipeline and prints each ledger outcome', async () => {
    const good = tmp.write('四新河-补测.csv', 'site,time,COD,NH3N\n四新河,2023-08-01 08:00,31,0.8\n四新河,2023-08-01 09:00,x,0.8\n');
    const bad = tmp.write('notes.csv', 'name,phone\nLi,123\n');
    const r = await runCli('ingest', good, bad, '--data-dir', dataDir, '--json');
    expect(r.code).toBe(2); // one file could not be read
    const { files } = JSON.parse(r.stdout);
    expect(files[0]).toMatchObject({ key: 'incoming/四新河-补测.csv', status: 'done', accepted: 2, rejected: 0, warned: 1 });
    expect(files[0].warnings).toEqual([expect.stringMatching(/^line 3, COD 'x': column 'COD': not a number/)]);
    expect(files[1]).toMatchObject({ key: 'incoming/notes.csv', status: 'failed', quarantineKey: 'quarantine/incoming/notes.csv' });
  });

  it('watchdog announces each online station silent beyond the gap once, then waits for the reminder', async () => {
    const at = '2023-08-01T20:00:00+08:00';
    const r = await runCli('watchdog', '--at', at, '--data-dir', dataDir, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.stations.map((x: { site: string }) => x.site).sort()).toEqual(['hanhai-stp', 'sixinhe', 'xiaomeihe', 'zhaoniuhe']);
    const silent = doc.stations.filter((x: { hoursSilent: number | null }) => (x.hoursSilent ?? 0) > 6).map((x: { site: string }) => x.site).sort();
    expect(silent.length).toBeGreaterThan(0);
    expect(doc.published.map((n: { site: string }) => n.site).sort()).toEqual(silent);
    for (const n of doc.published) expect(n).toMatchObject({ topic: 'operations', kind: 'suspect-data', sms: expect.stringMatching(/小时无数据/) });
    const again = JSON.parse((await runCli('watchdog', '--at', '2023-08-01T21:00:00+08:00', '--data-dir', dataDir, '--json')).stdout);
    expect(again.published).toEqual([]);
    const bad = await runCli('watchdog', '--at', 'yesterday', '--data-dir', dataDir);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringMatching(/--at 'yesterday' is not a time/) });
  });

  it('query returns stored samples in the evaluate --json sample shape', async () => {
    const r = await runCli('query', '--site', '四新河', '--from', '2023-08-01', '--to', '2023-08-02', '--data-dir', dataDir, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.samples).toEqual([expect.objectContaining({
      site: 'sixinhe', registered: true, time: '2023-08-01T08:00:00+08:00', values: { COD: 31, NH3N: 0.8 },
      grade: 'V', target: 'IV', compliant: false, cwqi: expect.closeTo(2.35, 12),
      exceedances: [{ param: 'COD', value: 31, limit: 30, multiple: expect.closeTo(1 / 30, 12) }],
      mainPollutants: ['COD'], source: { file: '四新河-补测.csv', line: 2 },
    }), expect.objectContaining({
      // The row whose COD was 'x' is stored with the NH3-N it had.
      site: 'sixinhe', time: '2023-08-01T09:00:00+08:00', values: { NH3N: 0.8 }, source: { file: '四新河-补测.csv', line: 3 },
    })]);
  });

  it('query explains a bad time and an empty data dir', async () => {
    expect((await runCli('query', '--site', 'sixinhe', '--from', 'soon', '--data-dir', dataDir)).stderr).toMatch(/--from 'soon' is not a time/);
    expect((await runCli('query', '--site', 'sixinhe', '--data-dir', `${tmp.dir}/nothing`)).stderr).toMatch(/no local data in .*nothing/);
  });
});
