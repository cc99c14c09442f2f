/**
 * A monitoring sample: one site at one instant, its indicators in the standard's units.
 */
import type { ParamId } from './parameters.js';
import { PARAMETERS } from './parameters.js';

export interface SourceRef {
  readonly file: string;
  /** The line (text files) or row (a workbook's sheet) the sample was read from. */
  readonly line: number;
  /** The workbook sheet, for samples read from Excel. */
  readonly sheet?: string;
}

export interface Sample {
  /** Registry id, or the identity as written (site name or HJ 212 MN) when unregistered. */
  readonly site: string;
  readonly registered: boolean;
  /** Instant, epoch milliseconds. */
  readonly time: number;
  /** Values by canonical id, in the catalogue's units. Below-detection values hold the detection limit. */
  readonly values: Partial<Record<ParamId, number>>;
  /** Per-value data flags as written (HJ 212: N normal; F M S D C T B P kept, not evaluated). */
  readonly flags: Partial<Record<ParamId, string>>;
  /** Values reported below the detection limit (`0.01L`, `<0.01`, `ND`); the value is that limit. */
  readonly belowDetection?: Partial<Record<ParamId, true>>;
  /** HJ 212 Min and Max over the data period, where the packet gives them. */
  readonly min?: Partial<Record<ParamId, number>>;
  readonly max?: Partial<Record<ParamId, number>>;
  /** The data period an HJ 212 value stands for (real-time, minute, hour, day); absent for reports. */
  readonly interval?: 'rtd' | 'minute' | 'hour' | 'day';
  /** Values under codes or headers bishui does not know, kept as written. */
  readonly unknown?: Readonly<Record<string, number | string>>;
  readonly source: SourceRef;
}

/** A value takes part in grade, index and exceedances only when it carries no flag or HJ 212's N. */
export function isValidFlag(flag: string | undefined): boolean {
  return flag === undefined || flag === 'N' || flag === '';
}

/** Physical plausibility of a value (reasons a row is rejected); null when plausible. */
export function implausibility(param: ParamId, value: number): string | null {
  if (value >= 0 && value <= 14) return null; // every parameter's plausible range includes 0–14: the common case
  if (!Number.isFinite(value)) return `${param} is not a finite number: ${value}`;
  if (param === 'pH') return `pH must be between 0 and 14, got ${value}`;
  if (param === 'DO' && value > 30) return `DO above 30 mg/L is not physically plausible, got ${value}`;
  if (PARAMETERS[param].nonNegative && value < 0) return `${param} cannot be negative, got ${value}`;
  return null;
}
