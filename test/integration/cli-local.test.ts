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
    expect(files[0]).toMatchObject({ key: 'incoming/四新河-补测.csv', status: 'done', accepted: 1, rejected: 1 });
    expect(files[0].rejectedRows).toEqual([{ line: 3, reason: "column 'COD' is not a number: 'x'" }]);
    expect(files[1]).toMatchObject({ key: 'incoming/notes.csv', status: 'failed', quarantineKey: 'quarantine/incoming/notes.csv' });
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
    })]);
  });

  it('query explains a bad time and an empty data dir', async () => {
    expect((await runCli('query', '--site', 'sixinhe', '--from', 'soon', '--data-dir', dataDir)).stderr).toMatch(/--from 'soon' is not a time/);
    expect((await runCli('query', '--site', 'sixinhe', '--data-dir', `${tmp.dir}/nothing`)).stderr).toMatch(/no local data in .*nothing/);
  });
});
