/**
 * The public JSON shape of an evaluated sample, shared by `bishui evaluate --json`, `bishui query`
 * and anything else that shows a sample to a person or a program.
 */
import type { Evaluation } from './evaluate.js';
import type { ParamId } from './parameters.js';
import type { Sample } from './sample.js';
import { DEFAULT_ZONE, formatInstant } from './time.js';

/** The sample's own fields (time as text), then the evaluation's, in the documented key order. */
export interface SampleView extends Pick<Sample, 'site' | 'registered' | 'values' | 'flags'>, Evaluation {
  readonly time: string;
  readonly belowDetection?: readonly ParamId[];
  readonly interval?: string;
  readonly min?: Partial<Record<ParamId, number>>;
  readonly max?: Partial<Record<ParamId, number>>;
  readonly unknown?: Readonly<Record<string, number | string>>;
  /** Where it was read: the file, and the line (a number) or, in a workbook, `Sheet!row`. */
  readonly source: { readonly file: string; readonly line: number | string };
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
    source: s.source.sheet === undefined ? s.source : { file: s.source.file, line: `${s.source.sheet}!${s.source.line}` },
  };
}
