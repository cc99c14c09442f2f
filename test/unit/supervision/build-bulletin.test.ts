/**
 * The whole bulletin over a small hand-worked zone, from day parts in memory: 同比/环比 arithmetic and
 * null bases, year to date, the zone's index, rankings with ties, the ladder, the trend, unregistered
 * stations, the outlet's samples, and one read per site.
 */
import { describe, expect, it } from 'vitest';
import { defaultSupervisionConfig, parseSupervisionConfig } from '../../../shared/config/supervision.js';
import { addMonths } from '../../../shared/domain/months.js';
import { SiteRegistry } from '../../../shared/domain/sites.js';
import { buildBulletin } from '../../../shared/supervision/build-bulletin.js';
import { MemorySupervisionStore } from '../../helpers/memory-stores.js';
import { shanghai } from '../../helpers/parse.js';

const person = (name: string) => ({ name, title: name });
const town = (name: string) => ({ name, riverChiefs: [person(`${name}河长`)], deputyHead: person(`${name}分管`), principalHead: person(`${name}主要`) });
const registry = SiteRegistry.parse({
  towns: [town('A镇'), town('B镇'), town('C区')],
  sites: [
    { id: 'a1', name: '甲一断面', kind: 'river-section', town: 'A镇' },
    { id: 'a2', name: '甲二断面', kind: 'river-section', town: 'A镇' },
    { id: 'b1', name: '乙断面', kind: 'river-section', town: 'B镇' },
    { id: 'stp', name: '污水厂出水', kind: 'effluent-outlet', town: 'C区' },
  ],
});
const config = parseSupervisionConfig({ ...structuredClone(defaultSupervisionConfig()), trends: { ...defaultSupervisionConfig().trends, targets: [{ site: 'b1', param: 'TN' }] } });

// One manual sample a month (the 10th); manual sections need 1 day.
const store = new MemorySupervisionStore()
  // a1: CWQI = COD/20 + NH3-N/1.0. 2023-07: 20, 1.0 → 2.0; 2023-06: 10, 0.5 → 1.0; 2022-07: 40, 0.5 → 2.5.
  .day('a1', '2023-07-10', { COD: 20, NH3N: 1.0 }).day('a1', '2023-06-10', { COD: 10, NH3N: 0.5 }).day('a1', '2022-07-10', { COD: 40, NH3N: 0.5 })
  // a2: over target IV (COD > 30) in May, June and July; compliant in April; no data a year ago.
  .day('a2', '2023-04-10', { COD: 20, NH3N: 0.5 }).day('a2', '2023-05-10', { COD: 31, NH3N: 0.5 })
  .day('a2', '2023-06-10', { COD: 32, NH3N: 0.5 }).day('a2', '2023-07-10', { COD: 36, NH3N: 0.5 })
  // an unregistered station reporting in July, worse than Grade V
  .day('某排口', '2023-07-05', { COD: 50 })
  // the plant: its July mean from its day part, its samples judged one by one
  .day('stp', '2023-07-18', { COD: 22, NH3N: 1.2, TP: 0.15 }, 2);
// b1: COD 20, NH3-N 1.0 (CWQI 2.0) every month from 2021-08 to 2023-07 but June 2023, TN rising 0.05 a month.
for (let i = 0; i < 24; i++) {
  const m = addMonths('2021-08', i);
  if (m !== '2023-06') store.day('b1', `${m}-10`, { COD: 20, NH3N: 1.0, TN: 2 + 0.05 * i });
}
const stpSample = (local: string, NH3N: number) => ({
  sample: { site: 'stp', registered: true, time: shanghai(local), values: { COD: 22, NH3N, TP: 0.15 }, flags: {}, source: { file: 's.csv', line: 2 } },
  fileId: 'b/s.csv', fileVersion: '1', grade: null, cwqi: null, compliant: null,
});
store.samples.push(stpSample('2023-07-18 08:00', 0.5), stpSample('2023-07-18 10:00', 1.9), stpSample('2023-08-01 08:00', 3.0));

const bulletin = await buildBulletin('2023-07', { store, registry, config, now: () => Date.parse('2023-08-02T01:00:00Z') });
const site = (id: string) => bulletin.sites.find((s) => s.site === id)!;

describe('buildBulletin', () => {
  it('同比 and 环比 are (now − base)/base of the CWQI, null without a base month', () => {
    expect(site('a1').cwqi).toBeCloseTo(2.0, 12);
    expect(site('a1').yoy).toBeCloseTo((2.0 - 2.5) / 2.5, 12);
    expect(site('a1').mom).toBeCloseTo((2.0 - 1.0) / 1.0, 12);
    expect(site('a2').yoy).toBeNull(); // no July 2022
    expect(site('b1').yoy).toBeCloseTo(0, 12);
    expect(site('b1').mom).toBeNull(); // no June 2023
  });
  it('year to date: the months\' means averaged, then judged, against 1..M of last year', () => {
    // a1 2023: June and July → COD 15 (Class I), NH3-N 0.75 (Class III) → III, CWQI 1.5; 2022: July only → 2.5; change −0.4
    expect(site('a1').yearToDate).toMatchObject({ means: { COD: 15, NH3N: 0.75 }, grade: 'III', cwqi: expect.closeTo(1.5, 12), change: expect.closeTo(-0.4, 12) });
    // a2: April–July COD (20 + 31 + 32 + 36)/4 = 29.75 → IV
    expect(site('a2').yearToDate).toMatchObject({ grade: 'IV', change: null });
  });
  it('ranks assessed registered sections by CWQI, ties sharing a rank; by 同比 most negative first', () => {
    // a1 2.0, b1 2.0, a2 COD 36/20 + 0.5 = 2.3
    expect(Object.fromEntries(bulletin.sites.map((s) => [s.site, s.rank]))).toEqual({ a1: 1, b1: 1, a2: 3, stp: null, '某排口': null });
    expect(Object.fromEntries(bulletin.sites.map((s) => [s.site, s.improvementRank]))).toEqual({ a1: 1, b1: 2, a2: null, stp: null, '某排口': null });
  });
  it('the zone: mean of the sections\' CWQI; its changes over the sections that have both months', () => {
    expect(bulletin.zone.cwqi).toBeCloseTo((2.0 + 2.3 + 2.0) / 3, 12);
    // 同比: a1 and b1 have July 2022: (2.0 + 2.0)/2 against (2.5 + 2.0)/2
    expect(bulletin.zone.yoy).toBeCloseTo((2.0 - 2.25) / 2.25, 12);
    // 环比: a1 and a2 have June: (2.0 + 2.3)/2 against (1.0 + 2.1)/2
    expect(bulletin.zone.mom).toBeCloseTo((2.15 - 1.55) / 1.55, 12);
    expect(bulletin.zone.worseThanV).toEqual([]); // the unregistered station's 劣V is shown, not counted
    expect(bulletin.zone.goals.map((g) => [g.goal, g.met])).toEqual([
      ['消除劣V类水体', true], ['水质指数同比改善', expect.any(Boolean)], ['乙断面总氮反弹趋势得到遏制', false],
    ]);
  });
  it('the ladder per town: A three months over (约谈主要负责人); B compliant now after a month without data', () => {
    const a = bulletin.towns.find((t) => t.town === 'A镇')!;
    expect(a).toMatchObject({ sites: ['a1', 'a2'], consecutive: 3, action: 'interview-principal', actionLabel: '约谈主要负责人', rank: 2 });
    // April: a2 compliant but a1 without data — the month that ended the earlier run is a data problem
    expect(a.history.map((h) => `${h.month} ${h.status}`)).toEqual(['2023-04 insufficient-data', '2023-05 exceeded', '2023-06 exceeded', '2023-07 exceeded']);
    expect(a.recipients.map((r) => `${r.role}:${r.name}`)).toEqual(['主要负责人:A镇主要', '责任河长:A镇河长', `抄送:${config.committee}`]);
    const b = bulletin.towns.find((t) => t.town === 'B镇')!;
    expect(b).toMatchObject({ consecutive: 0, action: 'none', recipients: [], rank: 1 });
    expect(bulletin.towns.map((t) => t.town)).toEqual(['A镇', 'B镇']); // C区 has no section
  });
  it('the trend of b1\'s TN: 23 months rising in the 24-month window → 反弹, Sen 0.6 mg/L a year', () => {
    const [t] = bulletin.trends;
    expect(t).toMatchObject({ site: 'b1', param: 'TN', n: 23, from: '2021-08', to: '2023-07', s: 253, direction: 'up', verdict: '反弹', verdictKey: 'rising' });
    expect(t!.senSlopePerYear).toBeCloseTo(0.6, 9);
    expect(t!.p).toBeLessThan(1e-6);
  });
  it('an unregistered station that reported is listed, judged, unranked; the outlet\'s July samples are judged one by one', () => {
    expect(site('某排口')).toMatchObject({ registered: false, grade: '劣V', assessed: true, rank: null, town: null });
    expect(site('stp').effluent).toMatchObject({ samples: 2, compliantSamples: 1, compliantShare: 0.5, worst: { time: '2023-07-18T10:00:00+08:00' } });
  });
  it('the charts\' data: 13 months of CWQI per section, the flood-season days of July', () => {
    expect(bulletin.history.filter((h) => h.site === 'a1').map((h) => h.month)).toEqual(Array.from({ length: 13 }, (_, i) => addMonths('2022-07', i)));
    expect(bulletin.history.find((h) => h.site === 'a1' && h.month === '2022-07')?.cwqi).toBeCloseTo(2.5, 12);
    expect(bulletin.history.find((h) => h.site === 'a1' && h.month === '2022-08')?.cwqi).toBeNull();
    expect(bulletin.floodDaily.map((d) => `${d.site} ${d.day}`)).toEqual(['a1 2023-07-10', 'a2 2023-07-10', 'b1 2023-07-10']);
  });
  it('reads each site once over the whole span; the same data give the same bulletin', async () => {
    expect(store.reads).toHaveLength(5);
    expect(store.reads.find((r) => r.startsWith('b1'))).toBe('b1 2020-08-01..2023-07-31'); // trend window + reference window
    const again = await buildBulletin('2023-07', { store, registry, config, now: () => Date.parse('2023-08-02T01:00:00Z') });
    expect(again).toEqual(bulletin);
  });
  it('names a bad month and an unknown trend site', async () => {
    await expect(buildBulletin('2023-13', { store, registry, config })).rejects.toThrow("month '2023-13' is not a month (expected YYYY-MM, e.g. 2023-07)");
    await expect(buildBulletin('2023-07', { store, registry, config: defaultSupervisionConfig() })).rejects.toThrow(/trend target site 'sixinhe' is not in the site registry/);
  });
});
