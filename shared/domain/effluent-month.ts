/**
 * An effluent outlet's month judged sample by sample: the work plan asks the sewage plant to hold
 * Grade IV *stably* — every sample, not the average (docs/domain.md#effluent).
 */
import type { Evaluation, Exceedance } from './evaluate.js';
import type { Grade } from './gb3838.js';
import { gradeRank } from './gb3838.js';

export interface EffluentSummary {
  readonly samples: number;
  readonly compliantSamples: number;
  /** compliantSamples / samples judged (those with a valid value to judge); null when none was judged. */
  readonly compliantShare: number | null;
  /** The worst sample: the largest exceedance multiple, else the worst grade; the earliest of equals. */
  readonly worst: { readonly time: string; readonly grade: Grade | null; readonly exceedances: readonly Exceedance[] } | null;
}

/** How bad a sample is, for picking the worst: exceeded first, then by largest multiple, then by grade. */
function severity(e: Evaluation): [number, number, number] {
  const multiples = e.exceedances.map((x) => x.multiple ?? 0);
  return [e.exceedances.length > 0 ? 1 : 0, multiples.length > 0 ? Math.max(...multiples) : 0, e.grade ? gradeRank(e.grade) : -1];
}

function worse(a: [number, number, number], b: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) > (b[i] as number);
  return false;
}

/** `samples` in time order (time as printed, ISO with offset). */
export function effluentMonth(samples: readonly { readonly time: string; readonly evaluation: Evaluation }[]): EffluentSummary {
  let judged = 0;
  let compliant = 0;
  let worst: { time: string; evaluation: Evaluation; key: [number, number, number] } | undefined;
  for (const { time, evaluation } of samples) {
    if (evaluation.compliant === null) continue;
    judged++;
    if (evaluation.compliant) compliant++;
    const key = severity(evaluation);
    if (!worst || worse(key, worst.key)) worst = { time, evaluation, key };
  }
  return {
    samples: samples.length, compliantSamples: compliant, compliantShare: judged > 0 ? compliant / judged : null,
    worst: worst ? { time: worst.time, grade: worst.evaluation.grade, exceedances: worst.evaluation.exceedances } : null,
  };
}
