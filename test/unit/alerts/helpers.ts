/** Evaluated samples for alert scenarios. */
import { defaultRegistry } from '../../../shared/config/registry.js';
import { evaluateSample } from '../../../shared/domain/evaluate.js';
import type { Sample } from '../../../shared/domain/sample.js';
import type { EvaluatedSample } from '../../../shared/domain/evaluate.js';

export const registry = defaultRegistry();
export const HOUR = 3_600_000;
export const T0 = Date.parse('2023-07-01T00:00:00+08:00');

export function at(site: string, hour: number, values: Sample['values'], flags: Sample['flags'] = {}, extra: Partial<Sample> = {}): EvaluatedSample {
  const sample: Sample = { site, registered: true, time: T0 + hour * HOUR, values, flags, source: { file: 'hourly.csv', line: hour + 2 }, ...extra };
  return { sample, evaluation: evaluateSample(sample, registry.resolve(site)) };
}

/** `n` hourly readings from `from`, values by hour. */
export function hours(site: string, from: number, n: number, values: (h: number) => Sample['values'], extra: Partial<Sample> = {}): EvaluatedSample[] {
  return Array.from({ length: n }, (_, i) => at(site, from + i, values(from + i), {}, extra));
}
