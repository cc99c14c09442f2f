/**
 * A late exceedance is reported once (issue 10, item 7): a file arriving after later readings were
 * judged, with an exceedance no earlier file reported, gets one digest per file and site (补报)
 * listing the readings — episodes untouched; an hour another file already reported stays silent.
 */
import { describe, expect, it } from 'vitest';
import { alertRig, hours } from './helpers.js';

const normal = (h: number) => ({ COD: 18 + (h % 5), NH3N: 0.5 + (h % 7) / 100 }); // varying, as a river does
/** An hourly station export of 四新河 (a file of its own name). */
const file = (name: string, from: number, n: number, values: (h: number) => Record<string, number>, extra = {}) =>
  hours('sixinhe', from, n, values, { source: { file: name, line: 2 }, ...extra });

describe('a file that arrives late', () => {
  it('with exceedances no earlier file reported: one digest when the file is finished, listing the readings', async () => {
    const rig = alertRig();
    await rig.engine.onStored(file('b.csv', 24, 24, normal));
    await rig.engine.fileFinished('b.csv', ['sixinhe']);
    expect(rig.publisher.sent).toEqual([]);
    // hours 0–23 arrive afterwards, two of them over target, in two chunks of one file
    const late = file('a.csv', 0, 24, (h) => (h === 3 ? { COD: 36, NH3N: 0.5 } : h === 17 ? { COD: 20, NH3N: 2.4 } : normal(h)));
    await rig.engine.onStored(late.slice(0, 12));
    await rig.engine.onStored(late.slice(12));
    expect(rig.publisher.sent).toEqual([]); // nothing yet: one digest per file, at its end
    await rig.engine.fileFinished('a.csv', ['sixinhe']);
    expect(rig.publisher.sent).toHaveLength(1);
    const [digest] = rig.publisher.sent;
    expect(digest!.subject).toBe('【碧水】四新河出境断面 补报：迟到数据超标');
    expect(digest!.sms).toBe('四新河出境断面补报迟到数据超标：7月1日03时至7月1日17时共2个时次，化学需氧量、氨氮，详见邮件。');
    expect(digest!.email).toContain('■ 2023-07-01 03:00：化学需氧量 36mg/L（限值 30mg/L，V类，超标0.20倍）');
    expect(digest!.email).toContain('■ 2023-07-01 17:00：氨氮 2.4mg/L（限值 1.5mg/L，劣V类，超标0.60倍）');
    expect(digest!.attributes).toMatchObject({ kind: 'exceedance', severity: 'critical', site: 'sixinhe', param: ['COD', 'NH3N'] });
    // the episodes are untouched: no opening, and the next exceedance in time opens as it would have
    await rig.engine.onStored(file('c.csv', 48, 1, () => ({ COD: 36, NH3N: 0.5 })));
    expect(rig.publisher.sent.map((n) => n.sms).slice(1)).toEqual(['四新河出境断面7月3日00时超标：化学需氧量36mg/L（V类，超标0.20倍），请核查。']);
    // the same late file again (re-sent, or its run retried): reported already, silent
    await rig.engine.onStored(late);
    await rig.engine.fileFinished('a.csv', ['sixinhe']);
    expect(rig.publisher.sent).toHaveLength(2);
  });

  it('an hour already reported by another file stays silent: HJ 212 first, the CSV export of the same hours later', async () => {
    const rig = alertRig();
    const values = (h: number) => (h === 3 ? { COD: 36, NH3N: 0.5 } : normal(h));
    await rig.engine.onStored(file('hj212.log', 0, 12, values, { interval: 'hour' }));
    await rig.engine.fileFinished('hj212.log', ['sixinhe']);
    expect(rig.publisher.sent.map((n) => n.attributes.kind)).toEqual(['exceedance', 'recovery']);
    await rig.engine.onStored(file('export.csv', 0, 12, values));
    await rig.engine.fileFinished('export.csv', ['sixinhe']);
    expect(rig.publisher.sent).toHaveLength(2);
  });

  it('late readings within target, or an exceedance in a later-judged hour of the same episode, say nothing new', async () => {
    const rig = alertRig();
    await rig.engine.onStored(file('b.csv', 10, 10, (h) => (h < 15 ? { COD: 36 + (h % 2) } : normal(h))));
    await rig.engine.fileFinished('b.csv', ['sixinhe']);
    const before = rig.publisher.sent.length;
    await rig.engine.onStored(file('a.csv', 0, 10, normal));
    await rig.engine.fileFinished('a.csv', ['sixinhe']);
    await rig.engine.onStored(file('again.csv', 10, 5, (h) => ({ COD: 38 + (h % 2) }))); // the same exceeding hours, other values
    await rig.engine.fileFinished('again.csv', ['sixinhe']);
    expect(rig.publisher.sent).toHaveLength(before);
  });
});
