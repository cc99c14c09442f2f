/**
 * The supervision ladder (督导考核, docs/domain.md#supervision-ladder), per town: the months in a row, up to this
 * one, in which any of its sections exceeded its target. 1 → 提醒函 to the river chief, copied to the
 * committee; 2 → 约谈 the deputy head and the river chief; 3 → 约谈 the principal head and the river
 * chief; 4 or more → 挂牌督办. A compliant month ends a run; so does a month without enough data to
 * assess (it is not "exceeding") — reported as a data problem instead. Worked out from the stored
 * monthly results every time, so re-running a month gives the same answer.
 */
import type { Person, Town } from './sites.js';

/** The ladder's steps, in order of escalation. */
export const LADDER_ACTIONS = ['none', 'reminder-letter', 'interview-deputy', 'interview-principal', 'listed-supervision'] as const;
export type LadderAction = (typeof LADDER_ACTIONS)[number];

export const LADDER_LABELS: Readonly<Record<LadderAction, string>> = {
  'none': '无',
  'reminder-letter': '发提醒函',
  'interview-deputy': '约谈分管负责人',
  'interview-principal': '约谈主要负责人',
  'listed-supervision': '挂牌督办',
};

export type TownMonthStatus = 'exceeded' | 'compliant' | 'insufficient-data';

/**
 * A town's month from its sections' months: exceeded when any assessed section missed its target;
 * otherwise insufficient data when any section could not be assessed (or it has none); else compliant.
 */
export function townMonthStatus(sections: readonly { readonly assessed: boolean; readonly compliant: boolean | null }[]): TownMonthStatus {
  if (sections.some((s) => s.assessed && s.compliant === false)) return 'exceeded';
  if (sections.length === 0 || sections.some((s) => !s.assessed || s.compliant === null)) return 'insufficient-data';
  return 'compliant';
}

export function ladderAction(consecutive: number): LadderAction {
  return LADDER_ACTIONS[Math.min(Math.max(consecutive, 0), LADDER_ACTIONS.length - 1)] as LadderAction;
}

export interface LadderRun {
  readonly consecutive: number;
  readonly action: LadderAction;
  readonly actionLabel: string;
  /** The run's months, oldest first, preceded by the month that ended it when that month lacked data. */
  readonly history: readonly { readonly month: string; readonly status: TownMonthStatus }[];
}

/**
 * The run ending at the last month of `months` (oldest first, consecutive calendar months, the last
 * one the month being reported). A run as long as the months given is a lower bound.
 */
export function ladderRun(months: readonly { readonly month: string; readonly status: TownMonthStatus }[]): LadderRun {
  let i = months.length - 1;
  while (i >= 0 && (months[i] as { status: TownMonthStatus }).status === 'exceeded') i--;
  const consecutive = months.length - 1 - i;
  const ended = i >= 0 && (months[i] as { status: TownMonthStatus }).status === 'insufficient-data' ? [months[i] as { month: string; status: TownMonthStatus }] : [];
  const action = ladderAction(consecutive);
  return { consecutive, action, actionLabel: LADDER_LABELS[action], history: [...ended, ...months.slice(i + 1)] };
}

export interface Recipient {
  /** The part they play: 责任河长, 分管负责人, 主要负责人, 抄送. */
  readonly role: string;
  readonly name: string;
  readonly title?: string;
}

/** Who is written to or interviewed for an action (the river chiefs in every step), and the committee copied. */
export function recipientsOf(action: LadderAction, town: Town | undefined, committee: string): Recipient[] {
  if (action === 'none') return [];
  const as = (role: string, p: Person): Recipient => ({ role, name: p.name, title: p.title });
  const chiefs = (town?.riverChiefs ?? []).map((p) => as('责任河长', p));
  const heads = !town ? [] : action === 'interview-deputy' ? [as('分管负责人', town.deputyHead)]
    : action === 'reminder-letter' ? [] : [as('主要负责人', town.principalHead)];
  return [...heads, ...chiefs, { role: '抄送', name: committee }];
}
