/**
 * What the supervision function is invoked with, validated: `{ "month": "2023-07" }` on demand, or
 * `{ "scheduledTime": "<ISO time>" }` from its schedule (EventBridge Scheduler fills it in), which
 * reports the month before the one the schedule fired in, in the zone — so a retry hours later, or
 * a late delivery, still reports the month the schedule meant.
 */
import * as z from 'zod/mini';
import '../../shared/domain/zod-messages.js';
import { addMonths, isMonth } from '../../shared/domain/months.js';
import { localDate } from '../../shared/domain/time.js';
import { MAX_REASON_CHARS } from '../../shared/limits.js';

const shown = (v: unknown) => JSON.stringify(v)?.replace(/\p{Cc}/gu, '?').slice(0, MAX_REASON_CHARS) ?? String(v);

const onDemand = z.strictObject({
  month: z.string().check(z.refine(isMonth, { error: (i) => `${shown(i.input)} is not a month (expected YYYY-MM, e.g. 2023-07)` })),
});
const scheduled = z.strictObject({ scheduledTime: z.iso.datetime({ offset: true }) });

export type SupervisionEvent = z.infer<typeof onDemand> | z.infer<typeof scheduled>;

/** The month to report, or an error naming what was wrong and what is expected. */
export function monthOfEvent(event: unknown, zone: string): string {
  const wanted = 'expected {"month":"YYYY-MM"} (on demand) or {"scheduledTime":"<ISO 8601 time>"} (the schedule)';
  if (typeof event === 'object' && event !== null && 'month' in event) {
    const r = onDemand.safeParse(event);
    if (!r.success) throw new Error(`supervision event is not valid: ${r.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; ')}; ${wanted}`);
    return r.data.month;
  }
  const r = scheduled.safeParse(event);
  if (!r.success) throw new Error(`supervision event ${shown(event)} is not valid: ${wanted}`);
  return addMonths(localDate(Date.parse(r.data.scheduledTime), zone).slice(0, 7), -1);
}
