/**
 * The supervision run over a small zone in memory, writing through the file-system ReportStore into
 * a temporary directory: the documents under reports/YYYY-MM/, bulletin.files holding their keys (in
 * bulletin.json too), a re-run that needs fewer letters leaving no stale one, the one message after
 * the documents, and nothing announced when a write fails.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileReportStore } from '../../../shared/adapters/file-report-store.js';
import { SMS_MAX_CHARS } from '../../../shared/limits.js';
import { defaultSupervisionConfig, parseSupervisionConfig } from '../../../shared/config/supervision.js';
import { SiteRegistry } from '../../../shared/domain/sites.js';
import type { Notification, Publisher, ReportStore } from '../../../shared/ports/index.js';
import { reportPrefix, runSupervision, type SupervisionRunDeps } from '../../../shared/supervision/run-supervision.js';
import { MemoryPublisher, MemorySupervisionStore } from '../../helpers/memory-stores.js';
import { tempDir } from '../../helpers/tmp.js';

const person = (name: string) => ({ name, title: name });
const town = (name: string) => ({ name, riverChiefs: [person(`${name}河长`)], deputyHead: person(`${name}分管`), principalHead: person(`${name}主要`) });
const registry = SiteRegistry.parse({
  towns: [town('甲镇'), town('乙镇'), town('丙镇')],
  sites: [
    { id: 'a', name: '甲断面', kind: 'river-section', town: '甲镇' },
    { id: 'b', name: '乙断面', kind: 'river-section', town: '乙镇' },
    { id: 'c', name: '丙断面', kind: 'river-section', town: '丙镇' },
  ],
});
const config = parseSupervisionConfig({
  ...structuredClone(defaultSupervisionConfig()),
  committee: '测试管委会', replyDeadlineDays: 10, documents: { zoneName: '测试区', issuer: '测试区河长办' },
  trends: { ...defaultSupervisionConfig().trends, targets: [] },
});
const NOW = Date.parse('2023-08-02T01:00:00Z'); // 09:00 on 2 August in Shanghai

/**
 * One manual sample a month. 甲断面: COD over Grade IV (30) in May, June and July → 约谈主要负责人;
 * 乙断面: over in July only → 提醒函 (unless `bCompliant`); 丙断面 within target throughout.
 */
function zone(bCompliant = false): MemorySupervisionStore {
  const s = new MemorySupervisionStore();
  for (const m of ['2023-04', '2023-05', '2023-06', '2023-07']) {
    s.day('a', `${m}-10`, { COD: m === '2023-04' ? 20 : 34, NH3N: 0.5 });
    s.day('b', `${m}-10`, { COD: m === '2023-07' && !bCompliant ? 31 : 18, NH3N: 0.4 });
    s.day('c', `${m}-10`, { COD: 15, NH3N: 0.3 });
  }
  return s;
}

const deps = (store: MemorySupervisionStore, reports: ReportStore, publisher?: Publisher): SupervisionRunDeps => ({
  store, registry, config, reports, now: () => NOW, ...(publisher ? { publisher } : {}),
});

/** Every file under dir, as keys relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

describe('runSupervision', () => {
  it('writes bulletin.html, bulletin.json and one letter per action under reports/YYYY-MM/, and names them in bulletin.files', async () => {
    const tmp = tempDir('bishui-run-');
    const reports = new FileReportStore(tmp.dir);
    const run = await runSupervision('2023-07', deps(zone(), reports));
    const prefix = 'reports/2023-07/';
    expect(reportPrefix('2023-07')).toBe(prefix);
    expect(run.bulletin.towns.map((t) => [t.town, t.action])).toEqual([['甲镇', 'interview-principal'], ['乙镇', 'reminder-letter'], ['丙镇', 'none']]);
    expect(run.bulletin.files).toEqual({
      html: `${prefix}bulletin.html`, json: `${prefix}bulletin.json`,
      letters: [`${prefix}letters/01-约谈通知-主要负责人-甲镇.docx`, `${prefix}letters/02-提醒函-乙镇.docx`],
    });
    expect(filesUnder(tmp.dir)).toEqual([run.bulletin.files.html, run.bulletin.files.json, ...run.bulletin.files.letters].sort());
    expect(run.locations).toEqual({
      html: join(tmp.dir, prefix, 'bulletin.html'), json: join(tmp.dir, prefix, 'bulletin.json'),
      letters: run.bulletin.files.letters.map((k) => join(tmp.dir, k)),
    });
    // bulletin.json is the bulletin as run: the same keys, the issuer's settings applied
    const json = JSON.parse(readFileSync(run.locations.json, 'utf8'));
    expect(json.files).toEqual(run.bulletin.files);
    expect(json.committee).toBe('测试管委会');
    const html = readFileSync(run.locations.html, 'utf8');
    expect(html).toContain('测试区2023年7月地表水环境质量通报');
    expect(html).toContain('测试区河长办');
    for (const l of run.locations.letters) expect(readFileSync(l).subarray(0, 2).toString()).toBe('PK'); // a .docx is a zip
    expect(run.removed).toEqual([]);
    expect(run.notification).toBeUndefined(); // no publisher: nothing announced
  });

  it('a re-run that needs fewer letters leaves no stale letter, and leaves other months alone', async () => {
    const tmp = tempDir('bishui-rerun-');
    const reports = new FileReportStore(tmp.dir);
    await runSupervision('2023-06', deps(zone(), reports));
    const first = await runSupervision('2023-07', deps(zone(), reports));
    expect(first.bulletin.files.letters).toHaveLength(2);
    const june = filesUnder(tmp.dir).filter((k) => k.startsWith('reports/2023-06/'));
    expect(june.length).toBeGreaterThanOrEqual(3);

    // 乙断面's July is corrected (compliant): 乙镇 needs no letter any more
    const again = await runSupervision('2023-07', deps(zone(true), reports));
    expect(again.bulletin.files.letters).toEqual(['reports/2023-07/letters/01-约谈通知-主要负责人-甲镇.docx']);
    expect(again.removed).toEqual(['reports/2023-07/letters/02-提醒函-乙镇.docx']);
    expect(filesUnder(join(tmp.dir, 'reports/2023-07'))).toEqual(['bulletin.html', 'bulletin.json', 'letters/01-约谈通知-主要负责人-甲镇.docx']);
    expect(filesUnder(tmp.dir).filter((k) => k.startsWith('reports/2023-06/'))).toEqual(june);
  });

  it('a month with no action keeps no letters folder from an earlier run', async () => {
    const tmp = tempDir('bishui-noletters-');
    const reports = new FileReportStore(tmp.dir);
    await runSupervision('2023-07', deps(zone(), reports));
    const quiet = await runSupervision('2023-03', deps(zone(), reports)); // no data: nothing over target
    expect(quiet.bulletin.files.letters).toEqual([]);
    expect(filesUnder(join(tmp.dir, 'reports/2023-03'))).toEqual(['bulletin.html', 'bulletin.json']);
    expect(existsSync(join(tmp.dir, 'reports/2023-03/letters'))).toBe(false);
  });

  it('publishes one message after the documents are written, naming where they are', async () => {
    const tmp = tempDir('bishui-publish-');
    const reports = new FileReportStore(tmp.dir);
    const seenAtPublish: string[][] = [];
    const sent: Notification[] = [];
    const publisher: Publisher = { async publish(n) { seenAtPublish.push(filesUnder(tmp.dir)); sent.push(n); } };
    const run = await runSupervision('2023-07', deps(zone(), reports, publisher));
    expect(sent).toHaveLength(1);
    expect(run.notification).toBe(sent[0]);
    expect(seenAtPublish[0]).toEqual([run.bulletin.files.html, run.bulletin.files.json, ...run.bulletin.files.letters].sort());
    const n = sent[0]!;
    expect(n.topic).toBe('alerts');
    expect(n.attributes).toEqual({ kind: 'supervision', severity: 'critical', site: 'all', town: 'all', param: 'none', month: '2023-07' });
    expect(n.subject).toBe('【碧水】2023年7月地表水环境质量月度通报');
    for (const where of [run.locations.html, run.locations.json, ...run.locations.letters]) expect(n.email).toContain(where);
    // the ranking (丙 best, then 乙, then 甲), the sections over target with their values, each action
    expect(n.email).toMatch(/1\. 丙断面[^\n]*\n\s+2\. 乙断面[^\n]*\n\s+3\. 甲断面/);
    expect(n.email).toMatch(/甲断面（甲镇）：Ⅴ类，化学需氧量 34 mg\/L（≤ 30 mg\/L，超标0\.13倍）/);
    expect(n.email).toMatch(/甲镇（甲断面）：连续 3 个月超标 → 约谈主要负责人（主要负责人 甲镇主要，责任河长 甲镇河长，抄送 测试管委会）/);
    expect(n.email).toMatch(/乙镇（乙断面）：连续 1 个月超标 → 提醒函/);
    expect(n.email).not.toMatch(/丙镇（/);
    expect(n.sms.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(n.sms).toMatch(/^碧水2023年7月通报：区域水质指数[\d.]+（同比—），超标断面2个，约谈主要负责人1镇、提醒函1镇。详见邮件。$/);
  });

  it('a failed write announces nothing and leaves the earlier documents', async () => {
    const tmp = tempDir('bishui-fail-');
    const files = new FileReportStore(tmp.dir);
    await runSupervision('2023-07', deps(zone(), files));
    const before = filesUnder(tmp.dir);
    const failing: ReportStore = {
      // the page and the data are written, then the (only) letter fails
      put: async (key, body, type) => { if (key.endsWith('.docx')) throw new Error('disk full'); await files.put(key, body, type); },
      list: (p) => files.list(p), delete: (k) => files.delete(k), locate: (k) => files.locate(k),
    };
    const publisher = new MemoryPublisher();
    await expect(runSupervision('2023-07', deps(zone(true), failing, publisher))).rejects.toThrow('disk full');
    expect(publisher.sent).toEqual([]);
    // the stale-letter cleanup comes after every write: 乙镇's letter is still there, nothing went missing
    expect(filesUnder(tmp.dir)).toEqual(before);
    expect(before).toContain('reports/2023-07/letters/02-提醒函-乙镇.docx');
  });

  it('a bad month is refused before anything is read or written', async () => {
    const tmp = tempDir('bishui-badmonth-');
    const publisher = new MemoryPublisher();
    await expect(runSupervision('2023-7', deps(zone(), new FileReportStore(tmp.dir), publisher))).rejects.toThrow("month '2023-7' is not a month (expected YYYY-MM, e.g. 2023-07)");
    expect(filesUnder(tmp.dir)).toEqual([]);
    expect(publisher.sent).toEqual([]);
  });
});
