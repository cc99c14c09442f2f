/** The sewage plant's month judged sample by sample (docs/domain.md#effluent): who counts, and which sample is the worst. */
import { describe, expect, it } from 'vitest';
import { effluentMonth } from '../../../shared/domain/effluent-month.js';
import type { Evaluation, Exceedance } from '../../../shared/domain/evaluate.js';
import type { Grade } from '../../../shared/domain/gb3838.js';

const judged = (time: string, grade: Grade | null, compliant: boolean | null, exceedances: Exceedance[] = []) => ({
  time, evaluation: { grade, target: 'IV', compliant, cwqi: null, contributions: {}, exceedances, mainPollutants: [] } satisfies Evaluation,
});
const over = (param: Exceedance['param'], multiple: number | null): Exceedance => ({ param, value: 1, limit: 1, multiple });

describe('effluentMonth', () => {
  it('a sample with nothing valid to judge counts as a sample, not in the share, and is never the worst', () => {
    const m = effluentMonth([judged('t1', null, null), judged('t2', 'III', true)]);
    expect(m).toMatchObject({ samples: 2, compliantSamples: 1, compliantShare: 1, worst: { time: 't2', grade: 'III' } });
  });

  it('of samples equally bad, the earliest is the worst', () => {
    const m = effluentMonth([judged('t1', 'V', false, [over('COD', 0.1)]), judged('t2', 'V', false, [over('COD', 0.1)])]);
    expect(m.worst?.time).toBe('t1');
  });

  it('among compliant samples, the worst grade is the worst sample', () => {
    const m = effluentMonth([judged('t1', 'II', true), judged('t2', 'IV', true), judged('t3', 'III', true)]);
    expect(m).toMatchObject({ compliantSamples: 3, compliantShare: 1, worst: { time: 't2', grade: 'IV' } });
  });

  it('a sample over a limit is worse than any sample within, whatever their grades', () => {
    const m = effluentMonth([judged('t1', 'V', true), judged('t2', 'III', false, [over('pH', null)])]);
    expect(m.worst).toMatchObject({ time: 't2', exceedances: [{ param: 'pH' }] });
    expect(m.compliantShare).toBe(0.5);
  });

  it('between samples over a limit, the larger exceedance multiple — a sample\'s largest — decides before the grade', () => {
    const m = effluentMonth([
      judged('t1', '劣V', false, [over('COD', 0.3)]),
      judged('t2', 'V', false, [over('COD', 0.1), over('NH3N', 0.5)]),
    ]);
    expect(m.worst?.time).toBe('t2');
  });

  it('a sample without a grade ranks below a graded one', () => {
    const m = effluentMonth([judged('t1', null, true), judged('t2', 'I', true)]);
    expect(m.worst?.time).toBe('t2');
  });
});
