/** Compliance episodes and suspect-data rules, as a pure state machine. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { type AlertEvent, applySamples, emptyState } from '../../../shared/alerts/site-rules.js';
import { HOUR, T0, at, hours, registry } from './helpers.js';

const cfg = DEFAULT_ALERT_CONFIG;
const run = (batches: ReturnType<typeof hours>[], site = 'sixinhe') => {
  let state = emptyState();
  const events: AlertEvent[] = [];
  for (const b of batches) {
    const r = applySamples(state, registry.resolve(site), b, cfg);
    state = r.state;
    events.push(...r.events);
  }
  return { state, events };
};
const summary = (events: AlertEvent[]) => events.map((e) => {
  if (e.kind === 'late-exceedance') return `late@${e.hits.map((h) => (h.time - T0) / HOUR).join(',')}`;
  const at = (e.time - T0) / HOUR;
  if (e.kind === 'exceedance') return `${e.items.find((i) => i.phase !== 'ongoing')!.phase}@${at}`;
  return e.kind === 'recovery' ? `recovery@${at}` : `${e.problem}@${at}`;
});

// NH3-N at a Grade IV section: limit 1.5 mg/L (GB 3838 Table 1, docs/domain.md#gb-3838-2002-table-1).
// Built inside each test: rule code called while the file loads would make its mutants "static".
const episode = () => hours('sixinhe', 0, 80, (h) => ({ NH3N: h >= 5 && h < 60 ? 1.6 + (h % 3) * 0.01 : 0.8 + (h % 4) / 100, COD: 18 + (h % 5) }));

describe('compliance episodes', () => {
  it('one opening, a reminder every 24 h while it lasts, one recovery after 3 compliant readings', () => {
    const { events } = run([episode()]);
    expect(summary(events)).toEqual(['opened@5', 'reminder@29', 'reminder@53', 'recovery@62']);
    const opened = events[0] as Extract<AlertEvent, { kind: 'exceedance' }>;
    expect(opened.items[0]!.exceedance).toMatchObject({ param: 'NH3N', value: 1.62, limit: 1.5 }); // hour 5: 1.6 + 2 × 0.01
    expect(opened.items[0]!.exceedance.multiple).toBeCloseTo(0.12 / 1.5, 12);
  });

  it('the same readings in 500-sample chunks give the same alerts', () => {
    const ep = episode();
    expect(summary(run([ep.slice(0, 7), ep.slice(7, 30), ep.slice(30)]).events)).toEqual(['opened@5', 'reminder@29', 'reminder@53', 'recovery@62']);
  });

  it('an update at once when it worsens: into a higher multiple band, or into 劣V', () => {
    const worse = hours('sixinhe', 0, 12, (h) => ({ NH3N: h < 2 ? 0.8 : h < 5 ? 1.6 : h < 8 ? 2.4 : 3.2 }));
    // 2.4 is 0.6× over 1.5 (band 0.5) and 劣V; 3.2 is 1.13× (band 1).
    expect(summary(run([worse]).events)).toEqual(['opened@2', 'worse@5', 'worse@8']);
  });

  it('a repeated file and a late, out-of-order file open nothing again', () => {
    const ep = episode();
    const first = run([ep]);
    const again = applySamples(first.state, registry.resolve('sixinhe'), ep, cfg);
    expect(again.events).toEqual([]);
    const lateExceedance = [at('sixinhe', 40, { NH3N: 1.9 }), at('sixinhe', 85, { NH3N: 1.7 })];
    const late = applySamples(first.state, registry.resolve('sixinhe'), lateExceedance.slice(0, 1), cfg);
    expect(late.events).toEqual([]); // hour 40 lies inside the closed episode: no reopening
    const fresh = applySamples(first.state, registry.resolve('sixinhe'), lateExceedance.slice(1), cfg);
    expect(summary(fresh.events)).toEqual(['opened@85']); // a genuinely new exceedance after recovery
  });

  it('the same hour from an HJ 212 log and from a CSV export is judged once', () => {
    const hj = hours('sixinhe', 0, 10, (h) => ({ COD: h === 3 ? 31 : 20 }), { interval: 'hour' });
    const csv = hours('sixinhe', 0, 10, (h) => ({ COD: h === 3 ? 31 : 20 }));
    expect(summary(run([hj, csv]).events)).toEqual(['opened@3', 'recovery@6']);
  });

  it('flagged values neither open nor close an episode', () => {
    const s = [
      ...hours('sixinhe', 0, 3, () => ({ NH3N: 1.8 })),
      ...hours('sixinhe', 3, 5, () => ({ NH3N: 0.5 })).map((x) => ({ ...x, sample: { ...x.sample, flags: { NH3N: 'M' } } })),
      ...hours('sixinhe', 8, 2, () => ({ NH3N: 0.5 })),
    ];
    expect(summary(run([s]).events)).toEqual(['opened@0']);
  });

  it('the sewage plant: every sample against its effluent limits', () => {
    const stp = hours('hanhai-stp', 0, 8, (h) => ({ COD: 20, NH3N: h === 2 ? 1.7 : 0.5, TP: 0.2 }));
    const { events } = run([stp], 'hanhai-stp');
    expect(summary(events)).toEqual(['opened@2', 'recovery@5']);
  });
});

describe('suspect data', () => {
  const normal = (h: number) => ({ NH3N: 0.5 + (h % 7) / 100, COD: 18 + (h % 5), pH: 7.4 + (h % 3) / 10 });

  it('a silent gap longer than 6 h, announced when data resumes', () => {
    const s = [...hours('zhaoniuhe', 0, 10, normal), ...hours('zhaoniuhe', 17, 5, normal)];
    expect(summary(run([s], 'zhaoniuhe').events)).toEqual(['gap@17']);
    expect(summary(run([[...hours('zhaoniuhe', 0, 10, normal), ...hours('zhaoniuhe', 15, 5, normal)]], 'zhaoniuhe').events)).toEqual([]);
  });

  it('manual samples days apart are no gap: only a series reporting more often than the gap can fall silent', () => {
    const manual = [0, 24 * 3, 24 * 10, 24 * 17].map((h) => at('sixinhe', h, normal(h), {}, { source: { file: '四新河-人工监测.csv', line: h + 2 } }));
    expect(summary(run([manual], 'sixinhe').events)).toEqual([]);
    // a four-hourly analyser (within the 6 h gap) that stops is a silence
    const fourHourly = [0, 4, 8, 12, 30].map((h) => at('sixinhe', h, normal(h)));
    expect(summary(run([fourHourly], 'sixinhe').events)).toEqual(['gap@30']);
  });

  it('a run of non-N flags longer than 6 h', () => {
    const flagged = hours('zhaoniuhe', 10, 9, normal).map((x) => ({ ...x, sample: { ...x.sample, flags: { NH3N: 'D', COD: 'D', pH: 'D' } } }));
    const s = [...hours('zhaoniuhe', 0, 10, normal), ...flagged, ...hours('zhaoniuhe', 19, 3, normal)];
    expect(summary(run([s], 'zhaoniuhe').events)).toEqual(['flagged-run@16']);
  });

  it('a flat line: the same value 12 readings running, once per run', () => {
    const s = hours('xiaomeihe', 0, 30, (h) => ({ ...normal(h), NH3N: h >= 5 && h < 20 ? 0.575 : normal(h).NH3N }));
    expect(summary(run([s], 'xiaomeihe').events)).toEqual(['flat-line@16']);
  });

  it('a fall to near zero right after an exceedance', () => {
    const s = hours('sixinhe', 0, 6, (h) => ({ COD: h === 2 ? 36 : h === 3 ? 0.5 : 20 }));
    const events = run([s]).events;
    expect(summary(events)).toEqual(['opened@2', 'near-zero@3', 'recovery@5']);
    expect(events[1]).toMatchObject({ param: 'COD', value: 0.5, previous: 36, limit: 30 });
  });
});
