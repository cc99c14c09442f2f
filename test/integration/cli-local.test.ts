/** `bishui start --once`, `ingest` and `query` on a data dir of their own, as a newcomer runs them. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { filesIn } from '../../local/runtime/drop-folder.js';
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
    // the shipped months (11 files) and their history (6 daily-mean exports and manual reports)
    expect(summary.files).toMatchObject({ uploaded: 17, ingested: 17, quarantined: 0, deadLettered: 0 });
    expect(Object.keys(summary.gradesBySite).sort()).toEqual(['hanhai-stp', 'sixinhe', 'xiaomeihe', 'zhaoniuhe']);
    expect(summary.samplesStored).toBeGreaterThan(5000);
    // a small, believable set of alerts: each kind the samples were built to show, not hundreds
    const kinds = new Set(summary.alerts.map((a: { kind: string }) => a.kind));
    expect([...kinds].sort()).toEqual(['exceedance', 'fluctuation', 'recovery', 'suspect-data']);
    expect(summary.alerts.length).toBeGreaterThan(5);
    expect(summary.alerts.length).toBeLessThan(40);
    const swings = summary.alerts.filter((a: { kind: string }) => a.kind === 'fluctuation');
    for (const s of swings) expect(s.sms).toMatch(/7月15日/);
    // one message per site and reading: 赵牛河's TP and DO over target at 03:00 on 15 July are one SMS (17 alerts, not 19)
    const readings = summary.alerts.filter((a: { kind: string }) => a.kind === 'exceedance').map((a: { site: string; sms: string }) => `${a.site} ${/\d+月\d+日\d+时/.exec(a.sms)?.[0]}`);
    expect(new Set(readings).size).toBe(readings.length);
    expect(summary.alerts.find((a: { site: string; sms: string }) => a.site === 'zhaoniuhe' && /7月15日03时超标/.test(a.sms))?.param).toEqual(['TP', 'DO']);
    // the latest complete month's bulletin, written where the summary says (announcing it is the schedule's job)
    const reports = `${dataDir}/reports/2023-07`;
    expect(summary.bulletin).toEqual({
      month: '2023-07', html: `${reports}/bulletin.html`, json: `${reports}/bulletin.json`,
      letters: [`${reports}/letters/01-约谈通知-主要负责人-赵牛河流域责任镇.docx`, `${reports}/letters/02-提醒函-小湄河流域责任镇.docx`],
    });
    for (const f of [summary.bulletin.html, summary.bulletin.json, ...summary.bulletin.letters]) expect(existsSync(f)).toBe(true);
  });

  it('start without --json says where the bulletin is and how to make another month', async () => {
    const r = await runCli('start', '--once', '--data-dir', dataDir, '--s3-port', '0', '--dynamo-port', '0');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`monthly bulletin 2023-07 (the latest complete month): ${dataDir}/reports/2023-07/bulletin.html`);
    expect(r.stdout).toContain('npm run --silent bishui -- report --month 2023-07');
  });

  it('a second start finds the files already ingested and stores nothing twice', async () => {
    const r = await runCli('start', '--once', '--data-dir', dataDir, '--s3-port', '0', '--dynamo-port', '0', '--json');
    const summary = JSON.parse(r.stdout);
    expect(summary.files).toMatchObject({ uploaded: 17, ingested: 0, alreadyIngested: 17 });
    expect(summary.samplesStored).toBe(0);
    expect(summary.alerts).toEqual([]);
    expect(summary.bulletin.month).toBe('2023-07');
  });

  it('report --json: the July 2023 bulletin of the shipped samples — sections over target, the ladder, the TN trend', async () => {
    const r = await runCli('report', '--month', '2023-07', '--data-dir', dataDir, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(Object.keys(b)).toEqual(expect.arrayContaining(['month', 'sites', 'zone', 'towns', 'trends', 'files']));
    expect(b.month).toBe('2023-07');
    // files: the documents' keys (as in S3); locations: where they are on disk
    const letters = ['reports/2023-07/letters/01-约谈通知-主要负责人-赵牛河流域责任镇.docx', 'reports/2023-07/letters/02-提醒函-小湄河流域责任镇.docx'];
    expect(b.files).toEqual({ html: 'reports/2023-07/bulletin.html', json: 'reports/2023-07/bulletin.json', letters });
    expect(b.locations).toEqual({ html: `${dataDir}/${b.files.html}`, json: `${dataDir}/${b.files.json}`, letters: letters.map((l) => `${dataDir}/${l}`) });
    const written = JSON.parse(readFileSync(b.locations.json, 'utf8'));
    expect(written.files).toEqual(b.files);
    expect(written.towns).toEqual(b.towns);
    expect(readFileSync(b.locations.html, 'utf8')).toContain('高新区2023年7月地表水环境质量通报');
    const site = (id: string) => b.sites.find((s: { site: string }) => s.site === id);
    for (const id of ['zhaoniuhe', 'xiaomeihe', 'sixinhe', 'hanhai-stp']) expect(site(id)).toMatchObject({ registered: true, assessed: true, days: 31, target: 'IV' });
    for (const id of ['zhaoniuhe', 'xiaomeihe', 'sixinhe']) {
      expect(typeof site(id).yoy).toBe('number'); // July 2022 is in the history
      expect(typeof site(id).mom).toBe('number'); // and June 2023
    }
    expect(site('hanhai-stp').yoy).toBeNull(); // the plant's history is not shipped
    // the manual samples' BOD5 at 赵牛河 (May–July) and phenol at 小湄河 (July) are over Grade IV
    expect(site('zhaoniuhe')).toMatchObject({ compliant: false, exceedances: [expect.objectContaining({ param: 'BOD5', limit: 6 })] });
    expect(site('xiaomeihe')).toMatchObject({ compliant: false, exceedances: [expect.objectContaining({ param: 'phenol', limit: 0.01 })] });
    expect(site('sixinhe').compliant).toBe(true);
    expect(b.sites.filter((s: { rank: number | null }) => s.rank !== null).map((s: { rank: number }) => s.rank).sort()).toEqual([1, 2, 3]);
    const town = (site: string) => b.towns.find((t: { sites: string[] }) => t.sites.includes(site));
    expect(town('zhaoniuhe')).toMatchObject({ consecutive: 3, action: 'interview-principal', actionLabel: '约谈主要负责人' });
    expect(town('xiaomeihe')).toMatchObject({ consecutive: 1, action: 'reminder-letter' });
    expect(town('sixinhe')).toMatchObject({ consecutive: 0, action: 'none' });
    expect(b.trends).toEqual([expect.objectContaining({ site: 'sixinhe', param: 'TN', n: 24, direction: 'up', verdict: '反弹' })]);
    expect(b.trends[0].p).toBeLessThan(0.05);
    expect(site('hanhai-stp').effluent.compliantShare).toBeLessThan(1); // the NH3-N episode of 18 July
    expect(b.floodDaily.filter((d: { day: string }) => d.day === '2023-07-15')).toHaveLength(3);
  });

  it('report publishes the month\'s one message to the local outbox, as the supervision function does to SNS', async () => {
    const { alerts } = JSON.parse((await runCli('alerts', '--data-dir', dataDir, '--json')).stdout);
    const monthly = alerts.filter((a: { MessageAttributes: Record<string, { StringValue: string }> }) => a.MessageAttributes.kind?.StringValue === 'supervision');
    expect(monthly).toHaveLength(1);
    expect(monthly[0].TopicArn).toMatch(/alerts$/);
    const body = JSON.parse(monthly[0].Message);
    expect(body.email).toContain(`${dataDir}/reports/2023-07/bulletin.html`);
    expect(body.sms).toMatch(/^碧水2023年7月通报：区域水质指数/);
  });

  it('report prints where the documents are and a readable summary, and names a bad month in one line (exit 2)', async () => {
    const r = await runCli('report', '--month', '2023-07', '--data-dir', dataDir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 5)).toEqual([
      `2023-07 月度通报已写入 ${dataDir}/reports/2023-07/`, `  ${dataDir}/reports/2023-07/bulletin.html`, `  ${dataDir}/reports/2023-07/bulletin.json`,
      `  ${dataDir}/reports/2023-07/letters/01-约谈通知-主要负责人-赵牛河流域责任镇.docx`, `  ${dataDir}/reports/2023-07/letters/02-提醒函-小湄河流域责任镇.docx`,
    ]);
    expect(r.stdout).toMatch(/断面排名/);
    expect(r.stdout).toMatch(/赵牛河流域责任镇\s+赵牛河断面\s+3\s+约谈主要负责人/);
    expect(r.stdout).toMatch(/四新河出境断面 总氮：反弹/);
    for (const bad of ['2023-13', 'abc']) {
      expect(await runCli('report', '--month', bad, '--data-dir', dataDir)).toEqual({
        code: 2, stdout: '', stderr: `bishui: --month '${bad}' is not a month (expected YYYY-MM, e.g. 2023-07)`,
      });
    }
  });

  it('the per-file lines of a start tell files ingested earlier from new ones', async () => {
    const r = await runCli('start', '--once', '--data-dir', dataDir, '--s3-port', '0', '--dynamo-port', '0');
    const lines = r.stdout.split('\n').filter((l) => /^ {2}[✓✗=?…] /.test(l));
    const shipped = filesIn('samples').length + filesIn('samples/history').length;
    expect(lines.filter((l) => l.startsWith('  = '))).toHaveLength(shipped);
    for (const l of lines) expect(l).toMatch(/^ {2}= incoming\/.*: already ingested on .* \(\d+ samples\); same content, nothing stored again$/);
    expect(r.stdout).not.toMatch(/✓/);
    expect(r.stdout).toMatch(new RegExp(`0 ingested, ${shipped} already ingested earlier`));
  });

  it('report --supervision FILE (or $BISHUI_SUPERVISION) uses other settings; a bad file is one line, exit 1', async () => {
    const settings = JSON.parse(readFileSync(new URL('../../config/supervision.json', import.meta.url), 'utf8'));
    const other = tmp.write('supervision.json', JSON.stringify({ ...settings, committee: '试验区管委会', documents: { zoneName: '试验区', issuer: '试验区河长办' } }));
    const r = await runCli('report', '--month', '2023-07', '--data-dir', dataDir, '--supervision', other, '--json');
    expect(r.code).toBe(0);
    const b = JSON.parse(r.stdout);
    expect(b.committee).toBe('试验区管委会');
    expect(readFileSync(b.locations.html, 'utf8')).toContain('试验区2023年7月地表水环境质量通报');
    process.env.BISHUI_SUPERVISION = other;
    try {
      expect(JSON.parse((await runCli('report', '--month', '2023-07', '--data-dir', dataDir, '--json')).stdout).committee).toBe('试验区管委会');
    } finally {
      delete process.env.BISHUI_SUPERVISION;
    }
    const bad = tmp.write('bad-supervision.json', JSON.stringify({ ...settings, replyDeadlineDays: -1 }));
    const refused = await runCli('report', '--month', '2023-07', '--data-dir', dataDir, '--supervision', bad);
    expect(refused).toEqual({ code: 1, stdout: '', stderr: `bishui: ${bad} is not valid: replyDeadlineDays: Too small: expected number to be >0` });
    // and the default settings again, for the tests after
    expect((await runCli('report', '--month', '2023-07', '--data-dir', dataDir)).code).toBe(0);
  });

  it('ingest puts files through the pipeline and prints each ledger outcome', async () => {
    const good = tmp.write('四新河-补测.csv', 'site,time,COD,NH3N\n四新河,2023-08-01 08:00,31,0.8\n四新河,2023-08-01 09:00,x,0.8\n');
    const bad = tmp.write('notes.csv', 'name,phone\nLi,123\n');
    const r = await runCli('ingest', good, bad, '--data-dir', dataDir, '--json');
    expect(r.code).toBe(2); // one file could not be read
    const { files } = JSON.parse(r.stdout);
    expect(files[0]).toMatchObject({ key: 'incoming/四新河-补测.csv', status: 'done', accepted: 2, rejected: 0, warned: 1, new: true });
    expect(files[0].warnings).toEqual([expect.stringMatching(/^line 3, COD 'x': column 'COD': not a number/)]);
    expect(files[1]).toMatchObject({ key: 'incoming/notes.csv', status: 'failed', quarantineKey: 'quarantine/incoming/notes.csv', new: true });
  });

  it('ingest goes on past a missing file, reports it once, tells new files from ones ingested before, and exits 2', async () => {
    const day = tmp.write('小湄河-0801.csv', 'site,time,NH3N\nxiaomeihe,2023-08-01 08:00,0.5\nxiaomeihe,2023-08-01 20:00,0.6\nxiaomeihe,2023-08-02 00:00,0.7\n');
    const again = `${tmp.dir}/四新河-补测.csv`;
    const missing = `${tmp.dir}/no-such-export.csv`;
    const r = await runCli('ingest', missing, day, again, '--data-dir', dataDir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(r.stdout.match(/no-such-export/g)).toHaveLength(1);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(`  ✗ ${missing}: not read — no such file`);
    expect(lines).toContain('  ✓ incoming/小湄河-0801.csv: csv utf-8, 3 samples stored');
    expect(lines.find((l) => l.includes('四新河-补测'))).toMatch(/^ {2}= incoming\/四新河-补测\.csv: already ingested on .* \(2 samples\); same content, nothing stored again$/);
    const json = JSON.parse((await runCli('ingest', missing, day, '--data-dir', dataDir, '--json')).stdout);
    expect(json.files).toEqual([
      { file: missing, status: 'not-read', error: 'no such file' },
      expect.objectContaining({ key: 'incoming/小湄河-0801.csv', status: 'done', new: false }),
    ]);
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

  it('a date-only --to covers the whole day', async () => {
    const r = await runCli('query', '--site', 'xiaomeihe', '--from', '2023-08-01', '--to', '2023-08-01', '--data-dir', dataDir, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).samples.map((s: { time: string }) => s.time)).toEqual(['2023-08-01T08:00:00+08:00', '2023-08-01T20:00:00+08:00']);
  });

  it('query --site with a name that is not registered suggests the close one, or lists the registered ids', async () => {
    const typo = await runCli('query', '--site', 'xiaomeihr', '--data-dir', dataDir);
    expect(typo).toMatchObject({ code: 2, stdout: '' });
    expect(typo.stderr).toBe("bishui: --site 'xiaomeihr' is not a registered site and no samples are stored under that name; did you mean xiaomeihe (小湄河断面)?");
    const none = await runCli('query', '--site', 'nosuch', '--data-dir', dataDir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/'nosuch' is not a registered site .*registered: zhaoniuhe, xiaomeihe, sixinhe, hanhai-stp \(bishui sites lists them\)$/);
  });

  it('query finds an unregistered station stored under its name as written', async () => {
    await runCli('ingest', tmp.write('东沟桥.csv', 'site,time,COD\n东沟桥,2023-08-03 08:00,45\n'), '--data-dir', dataDir);
    const r = await runCli('query', '--site', '东沟桥', '--data-dir', dataDir, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ site: '东沟桥', registered: false, samples: [{ grade: '劣V' }] });
  });

  it('sites lists the registry with each site\'s latest stored sample', async () => {
    const r = await runCli('sites', '--data-dir', dataDir, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.localData).toMatch(/the data dir/);
    expect(doc.sites.map((s: { id: string }) => s.id)).toEqual(['zhaoniuhe', 'xiaomeihe', 'sixinhe', 'hanhai-stp']);
    expect(doc.sites[1]).toEqual({
      id: 'xiaomeihe', name: '小湄河断面', aliases: ['小湄河'], kind: 'river-section', target: 'IV', town: '小湄河流域责任镇',
      mn: ['3715000XMH0001'], latestSample: { time: '2023-08-02T00:00:00+08:00', file: '小湄河-0801.csv', line: 4 },
    });
    const table = await runCli('sites', '--data-dir', dataDir);
    expect(table.stdout).toMatch(/^xiaomeihe\s+小湄河断面\s+小湄河\s+river-section\s+IV\s+小湄河流域责任镇\s+3715000XMH0001\s+2023-08-02T00:00:00\+08:00$/m);
  });

  it('sites without local data lists the registry and says where latest samples will come from', async () => {
    const r = await runCli('sites', '--data-dir', `${tmp.dir}/empty-data`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^zhaoniuhe\s+赵牛河断面\s+赵牛河\s+river-section\s+IV/m);
    expect(r.stdout).toMatch(/no local data in .*empty-data\/ yet/);
    const json = JSON.parse((await runCli('sites', '--data-dir', `${tmp.dir}/empty-data`, '--json')).stdout);
    expect(json.localData).toBeNull();
    expect(json.sites[0]).not.toHaveProperty('latestSample');
  });

  it('query explains a bad time and an empty data dir', async () => {
    expect(await runCli('query', '--site', 'sixinhe', '--from', 'soon', '--data-dir', dataDir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/--from <time>' argument 'soon' is invalid\. Expected a date or time/) });
    expect((await runCli('query', '--site', 'sixinhe', '--data-dir', `${tmp.dir}/nothing`)).stderr).toMatch(/no local data in .*nothing/);
  });
});
