/**
 * The public JSON shape of an evaluated sample, shared by `bishui evaluate --json`, `bishui query`
 * and anything else that shows a sample to a person or a program.
 */
import type { Evaluation, Exceedance } from './evaluate.js';
import type { Grade } from './gb3838.js';
import type { ParamId } from './parameters.js';
import type { Sample, SourceRef } from './sample.js';
import { DEFAULT_ZONE, formatInstant } from './time.js';

export interface SampleView {
  readonly site: string;
  readonly registered: boolean;
  readonly time: string;
  readonly values: Partial<Record<ParamId, number>>;
  readonly flags: Partial<Record<ParamId, string>>;
  readonly grade: Grade | null;
  readonly target: Grade;
  readonly compliant: boolean | null;
  readonly cwqi: number | null;
  readonly contributions: Partial<Record<ParamId, number>>;
  readonly exceedances: readonly Exceedance[];
  readonly mainPollutants: readonly ParamId[];
  readonly belowDetection?: readonly ParamId[];
  readonly interval?: string;
  readonly min?: Partial<Record<ParamId, number>>;
  readonly max?: Partial<Record<ParamId, number>>;
  readonly unknown?: Readonly<Record<string, number | string>>;
  readonly source: SourceRef;
}

export function sampleView(s: Sample, e: Evaluation, zone: string = DEFAULT_ZONE): SampleView {
  return {
    site: s.site, registered: s.registered, time: formatInstant(s.time, zone),
    values: s.values, flags: s.flags,
    grade: e.grade, target: e.target, compliant: e.compliant,
    cwqi: e.cwqi, contributions: e.contributions, exceedances: e.exceedances, mainPollutants: e.mainPollutants,
    ...(s.belowDetection ? { belowDetection: Object.keys(s.belowDetection) as ParamId[] } : {}),
    ...(s.interval ? { interval: s.interval } : {}),
    ...(s.min ? { min: s.min } : {}),
    ...(s.max ? { max: s.max } : {}),
    ...(s.unknown ? { unknown: s.unknown } : {}),
    source: s.source,
  };
}
