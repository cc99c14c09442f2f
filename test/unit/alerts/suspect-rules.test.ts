/**
 * Suspect data in detail (suspect-rules.ts), the edges of each rule with the shipped settings: a
 * gap longer than 6 h in a series reporting more often, a flagged run of 6 h, a flat line of 12
 * readings, a fall below a tenth of the limit right after an exceedance.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { type AlertEvent, applySamples, emptyState } from '../../../shared/alerts/site-rules.js';
import type { EvaluatedSample } from '../../../shared/domain/evaluate.js';
import type { Sample } from '../../../shared/domain/sample.js';
import { HOUR, T0, at, registry } from './helpers.js';

const cfg = DEFAULT_ALERT_CONFIG;
const run = (samples: EvaluatedSample[], config = cfg) => applySamples(emptyState(), registry.resolve('zhaoniuhe'), samples, config);
const suspect = (events: AlertEvent[]) => events.flatMap((e) => (e.kind === 'suspect-data' ? [`${e.problem}@${(e.time - T0) / HOUR}`] : []));
/** A varying, compliant reading (no flat line, no exceedance). */
const normal = (h: number) => ({ NH3N: 0.5 + (h % 7) / 100, COD: 18 + (h % 5) });
const ok = (h: number) => at('zhaoniuhe', h, normal(h));
const flagged = (h: number, flags: Sample['flags'] = { NH3N: 'D', COD: 'D' }) => at('zhaoniuhe', h, normal(h), flags);

describe('a gap', () => {
  it('longer than the gap in a series that reported within it: announced when data resumes, from the last valid reading', () => {
    const { events } = run([ok(0), ok(6), ok(12.01)]);
    expect(suspect(events)).toEqual(['gap@12.01']);
    expect(events[0]).toEqual({ kind: 'suspect-data', problem: 'gap', site: 'zhaoniuhe', time: T0 + 12.01 * HOUR, from: T0 + 6 * HOUR });
  });

  it('exactly the gap is no gap', () => {
    expect(suspect(run([ok(0), ok(6), ok(12)]).events)).toEqual([]);
  });

  it('no gap before the series has shown a cadence within the gap', () => {
    expect(suspect(run([ok(0), ok(7), ok(20)]).events)).toEqual([]);
  });

  it('the cadence is the latest step: a stretch of hourly readings after sparse ones makes the next silence a gap', () => {
    expect(suspect(run([ok(0), ok(10), ok(11), ok(30)]).events)).toEqual(['gap@30']);
  });

  it('a flagged run already announced is not announced again as a gap when data resumes', () => {
    const samples = [ok(0), ok(1), ...[2, 3, 4, 5, 6, 7, 8, 9].map((h) => flagged(h)), ok(10)];
    expect(suspect(run(samples).events)).toEqual(['flagged-run@8']);
    // a flagged stretch too short to announce: the gap is
    expect(suspect(run([ok(0), ok(1), ...[2, 3, 4, 5, 6].map((h) => flagged(h)), ok(8)]).events)).toEqual(['gap@8']);
  });
});

describe('a flagged run', () => {
  it('readings whose every value is flagged, for the flagged-run hours or longer: announced once, with its flags', () => {
    const samples = [ok(0), flagged(1, { NH3N: 'D', COD: 'M' }), flagged(2), flagged(3), flagged(4), flagged(5), flagged(6), flagged(7), flagged(8)];
    const { events } = run(samples);
    expect(suspect(events)).toEqual(['flagged-run@7']);
    expect(events[0]).toEqual({ kind: 'suspect-data', problem: 'flagged-run', site: 'zhaoniuhe', time: T0 + 7 * HOUR, from: T0 + HOUR, flags: ['D'] });
    expect(run([flagged(0, { NH3N: 'D', COD: 'M' }), flagged(6, { NH3N: 'D', COD: 'M' })]).events[0]).toMatchObject({ from: T0, flags: ['D', 'M'] });
  });

  it('one valid value ends the run; a new run starts afresh and is announced again', () => {
    const mixed = at('zhaoniuhe', 4, normal(4), { COD: 'D' });
    expect(suspect(run([flagged(0), flagged(3), mixed, flagged(5), flagged(10)]).events)).toEqual([]);
    expect(suspect(run([flagged(0), flagged(6), ok(7), flagged(8), flagged(14)]).events)).toEqual(['flagged-run@6', 'flagged-run@14']);
  });

  it('a reading with no values at all neither starts nor ends a flagged run, nor counts as data', () => {
    const empty = (h: number) => at('zhaoniuhe', h, {});
    expect(suspect(run([flagged(0), empty(3), flagged(6)]).events)).toEqual(['flagged-run@6']);
    expect(suspect(run([ok(0), empty(1), empty(8)]).events)).toEqual([]);
    // the stream fell silent after hour 1, whatever empty readings came between
    expect(run([ok(0), ok(1), empty(6), ok(10)]).events).toEqual([{ kind: 'suspect-data', problem: 'gap', site: 'zhaoniuhe', time: T0 + 10 * HOUR, from: T0 + HOUR }]);
  });
});

describe('a flat line', () => {
  const flat = (n: number, value = 0.575, extra: Partial<Sample> = {}) => Array.from({ length: n }, (_, h) => at('zhaoniuhe', h, { ...normal(h), NH3N: value }, {}, extra));

  it('the same value flatLineReadings times in a row: announced once, at the reading that makes the count', () => {
    expect(suspect(run(flat(11)).events)).toEqual([]);
    const { events } = run(flat(20));
    expect(suspect(events)).toEqual(['flat-line@11']);
    expect(events[0]).toEqual({ kind: 'suspect-data', problem: 'flat-line', site: 'zhaoniuhe', time: T0 + 11 * HOUR, param: 'NH3N', value: 0.575, readings: 12 });
  });

  it('a different value starts the count again, and a new flat run is announced again', () => {
    const samples = [...flat(11), at('zhaoniuhe', 11, { ...normal(11), NH3N: 0.6 }), ...flat(12).map((x, i) => at('zhaoniuhe', 12 + i, x.sample.values))];
    expect(suspect(run(samples).events)).toEqual(['flat-line@23']);
  });

  it('a file sent again is not judged again: its last reading does not extend a flat run', () => {
    const first = applySamples(emptyState(), registry.resolve('zhaoniuhe'), flat(11), cfg);
    const again = applySamples(first.state, registry.resolve('zhaoniuhe'), flat(11), cfg);
    expect(suspect(again.events)).toEqual([]);
  });

  it('only in indicators that always vary, and not while below detection', () => {
    const config = { ...cfg, suspect: { ...cfg.suspect, varyingParams: ['COD' as const] } };
    expect(suspect(run(flat(20), config).events)).toEqual([]);
    expect(suspect(run(flat(20, 0.025, { belowDetection: { NH3N: true } })).events)).toEqual([]);
  });
});

describe('a fall to near zero', () => {
  const cod = (values: number[], extra: Record<string, number> = {}) => values.map((v, h) => at('zhaoniuhe', h, { COD: v, ...extra }));

  it('right after an exceedance, below the share of its limit: announced with the limit and the value before', () => {
    const { events } = run(cod([20, 36, 2.9]));
    expect(events.find((e) => e.kind === 'suspect-data')).toEqual({ kind: 'suspect-data', problem: 'near-zero', site: 'zhaoniuhe', time: T0 + 2 * HOUR, param: 'COD', value: 2.9, limit: 30, previous: 36 });
  });

  it('exactly the share of the limit is not near zero; nor is a fall one reading later, nor a low reading without an exceedance before', () => {
    expect(suspect(run(cod([36, 3])).events)).toEqual([]);
    expect(suspect(run(cod([36, 20, 0.5])).events)).toEqual([]);
    expect(suspect(run(cod([20, 0.5])).events)).toEqual([]);
  });

  it('a reading that still exceeds is no fall; dissolved oxygen and pH, which have no multiple, never count', () => {
    expect(suspect(run(cod([36, 45, 0.5])).events)).toEqual(['near-zero@2']);
    // pH 9.5 over its upper bound, then 6.2: within the band and below 0.7 × 9 — still no near-zero fall
    const config = { ...cfg, suspect: { ...cfg.suspect, nearZeroShareOfLimit: 0.7 } };
    expect(suspect(run([9.5, 6.2].map((v, h) => at('zhaoniuhe', h, { pH: v })), config).events)).toEqual([]);
    expect(suspect(run(cod([36, 20]), config).events)).toEqual(['near-zero@1']); // the same share on COD: 20 < 21
  });
});
