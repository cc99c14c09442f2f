/**
 * The monthly bulletin (月度通报) as data: everything `bulletin.html`, `bulletin.json`, the letters and
 * the supervision message show. Built from stored day parts and samples by the supervision run;
 * rendered by the documents; printed by `bishui report --json`. Types only.
 * Facts: docs/domain.md#monthly-assessment (#period-values, #change-against-a-base-period, #ranking,
 * #supervision-ladder, #trend-test).
 */
import type { Evaluation, Exceedance } from '../domain/evaluate.js';
import type { Grade } from '../domain/gb3838.js';
import type { ParamId } from '../domain/parameters.js';
import type { SiteKind } from '../domain/sites.js';

import type { LadderAction } from '../domain/ladder.js';

/** The ladder's steps (督导考核), in order of escalation — defined with the ladder in shared/domain/ladder.ts. */
export { LADDER_ACTIONS, LADDER_LABELS, type LadderAction } from '../domain/ladder.js';

/**
 * One site's month, from the means of its daily means of valid data: the month's means evaluated as
 * a sample is (grade, compliance, CWQI, exceedances, main pollutants), and what only a month has.
 */
export interface MonthlySiteResult extends Evaluation {
  readonly site: string;
  readonly name: string;
  readonly registered: boolean;
  readonly kind: SiteKind;
  readonly town: string | null;
  /** YYYY-MM */
  readonly month: string;
  /** Days of the month with at least one sample. */
  readonly days: number;
  /** Days with a valid value, per indicator. */
  readonly validDays: Partial<Record<ParamId, number>>;
  /** Days with a valid value of any indicator: what the completeness threshold counts. */
  readonly daysWithValidData: number;
  /** The threshold: days with valid data this site's month needs to be assessed (config/supervision.json). */
  readonly minDays: number;
  /** Enough data to be assessed (configurable threshold); an unassessed month is never compliant. */
  readonly assessed: boolean;
  /** Why the month was not assessed (数据不足), when it was not. */
  readonly notAssessedReason?: string;
  /** Mean of daily means, per indicator (shown even when the month is not assessed). */
  readonly means: Partial<Record<ParamId, number>>;
  /**
   * The month's means against the target (and, for outlets, the effluent limits); null when not
   * assessed or nothing valid was measured. For an outlet the work plan's test is every sample:
   * see `effluent.compliantShare`.
   */
  readonly compliant: boolean | null;
  /** (CWQI_now − CWQI_base) / CWQI_base against the same month a year earlier; null without base data. */
  readonly yoy: number | null;
  /** … against the previous month. */
  readonly mom: number | null;
  /** Rank by CWQI among assessed river and lake sections (1 = best; ties share a rank); null otherwise. */
  readonly rank: number | null;
  /** Rank by year-on-year change (most negative first); null without a year-on-year figure. */
  readonly improvementRank: number | null;
  /**
   * Months 1..M of this year: means, grade, CWQI and its change against 1..M of last year. The
   * period mean of an indicator is the mean of the assessed months' means (each month weighs the
   * same); grade and index follow from those means (docs/domain.md#period-values).
   */
  readonly yearToDate: {
    readonly means: Partial<Record<ParamId, number>>;
    readonly grade: Grade | null;
    readonly cwqi: number | null;
    readonly change: number | null;
  };
  /** Effluent outlets: the month's samples judged one by one (every sample must comply). */
  readonly effluent?: EffluentMonth;
}

export interface EffluentMonth {
  readonly samples: number;
  readonly compliantSamples: number;
  /** compliantSamples / samples judged; null when none was judged. */
  readonly compliantShare: number | null;
  /** The worst sample: the largest exceedance multiple (or the worst grade when none exceeded). */
  readonly worst: {
    readonly time: string;
    readonly grade: Grade | null;
    readonly exceedances: readonly Exceedance[];
  } | null;
}

export interface ZoneSummary {
  /** Mean of the assessed sections' CWQI (convention; configurable). */
  readonly cwqi: number | null;
  readonly yoy: number | null;
  readonly mom: number | null;
  /** Sections worse than Grade V this month. */
  readonly worseThanV: readonly string[];
  /** Sections whose year-to-date mean (months 1..M) grades worse than Grade V. */
  readonly worseThanVYearToDate: readonly string[];
  /**
   * The zone's index over months 1..M (its sections' year-to-date CWQI, aggregated as the month's)
   * and its change against 1..M of last year, over the sections assessed in both.
   */
  readonly yearToDate: { readonly cwqi: number | null; readonly change: number | null };
  /** The year's goals: no 劣V, index better than a year earlier, TN rebound at the outbound section halted. */
  readonly goals: readonly { readonly goal: string; readonly met: boolean | null; readonly detail: string }[];
}

export interface TownResult {
  readonly town: string;
  readonly sites: readonly string[];
  /** Consecutive months, up to this one, in which one of its sections exceeded its target. */
  readonly consecutive: number;
  readonly action: LadderAction;
  readonly actionLabel: string;
  /** Months within the run, oldest first, and months that ended a run for lack of data. */
  readonly history: readonly { readonly month: string; readonly status: 'exceeded' | 'compliant' | 'insufficient-data' }[];
  /** Rank by the mean CWQI of its assessed sections (1 = best). */
  readonly rank: number | null;
  /**
   * Who is written to or interviewed (from the registry's towns): role 责任河长 / 分管负责人 /
   * 主要负责人, and 抄送 for the committee; `title` is the person's post as registered.
   */
  readonly recipients: readonly { readonly role: string; readonly name: string; readonly title?: string }[];
}

export interface TrendResult {
  readonly site: string;
  readonly param: ParamId;
  /** Months used (those with a monthly mean among the last `window`). */
  readonly n: number;
  readonly from: string | null;
  readonly to: string | null;
  readonly s: number | null;
  readonly varS: number | null;
  readonly z: number | null;
  readonly p: number | null;
  readonly senSlopePerYear: number | null;
  readonly direction: 'up' | 'down' | 'none' | null;
  /** 反弹 / 遏制 / 改善 / 无显著趋势 / 数据不足, as the config defines them. */
  readonly verdict: string;
  /** The monthly means the test ran on, oldest first (for the chart). */
  readonly series: readonly { readonly month: string; readonly value: number }[];
  /** Which verdict this is: rising, halted, falling, none, insufficient (`verdict` is its label). */
  readonly verdictKey: 'rising' | 'halted' | 'falling' | 'none' | 'insufficient';
  /** The same test over the window ending `referenceLagMonths` earlier, which decides 遏制. */
  readonly reference: { readonly from: string; readonly to: string; readonly n: number; readonly s: number | null; readonly p: number | null };
}

export interface Letter {
  readonly town: string;
  readonly action: Exclude<LadderAction, 'none'>;
  /** File name under reports/YYYY-MM/. */
  readonly file: string;
}

export interface Bulletin {
  readonly month: string;
  /** 管委会, as configured: the bulletin's issuer and the letters' copy. */
  readonly committee: string;
  /** Days a town has to reply to a letter. */
  readonly replyDeadlineDays: number;
  readonly generatedAt: string;
  readonly sites: readonly MonthlySiteResult[];
  readonly zone: ZoneSummary;
  readonly towns: readonly TownResult[];
  readonly trends: readonly TrendResult[];
  /** For the charts: CWQI per section over the last 13 months (null where a month was not assessed). */
  readonly history: readonly { readonly site: string; readonly month: string; readonly cwqi: number | null }[];
  /** For the flood-season chart: daily CWQI per section, when the month lies in the flood window. */
  readonly floodDaily: readonly { readonly site: string; readonly day: string; readonly cwqi: number }[];
  readonly data: {
    /** Sections/outlets whose month could not be assessed, and why — a data problem to fix. */
    readonly problems: readonly { readonly site: string; readonly reason: string }[];
  };
  /** Where the documents were written; empty strings and no letters until they are. */
  readonly files: { readonly html: string; readonly json: string; readonly letters: readonly string[] };
}
