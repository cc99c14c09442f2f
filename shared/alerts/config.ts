/**
 * Alert settings. Every number is configuration, not code (water-domain.md §4: the flood season is
 * 1 June – 30 September, main season 16 July – 15 August, in Shandong; other provinces differ).
 */
export interface AlertConfig {
  /** Reminder while an exceedance lasts, at most this often (sample time). */
  readonly reminderHours: number;
  /** Consecutive compliant valid readings that close an episode. */
  readonly recoveryStreak: number;
  /** Exceedance-multiple band edges; moving into a higher band sends an immediate update. */
  readonly multipleBands: readonly number[];
  readonly flood: {
    /** MM-DD, inclusive. */
    readonly window: { readonly from: string; readonly to: string };
    readonly main: { readonly from: string; readonly to: string };
    /** Baseline: mean daily CWQI of this many days before the window opens. */
    readonly baselineDays: number;
    /** Alert when the daily CWQI is this share above the baseline (0.3 = +30 %). */
    readonly vsBaseline: number;
    /** … or this share above the previous day's. */
    readonly dayOnDay: number;
    /** … or the daily grade falls by this many classes or more against the previous day, */
    readonly gradeDrop: number;
    /** … counted only when the fallen grade is beyond the site's target (quiet on class-boundary noise). */
    readonly gradeOnlyBeyondTarget: boolean;
    readonly outsideWindow: { readonly enabled: boolean; readonly vsBaseline: number; readonly dayOnDay: number };
  };
  readonly suspect: {
    /** No valid sample for longer than this (hourly stations). */
    readonly gapHours: number;
    /** A run of non-N flags lasting longer than this. */
    readonly flaggedRunHours: number;
    /** The same value this many consecutive readings in a row. */
    readonly flatLineReadings: number;
    /** Right after an exceedance, a reading below this share of the limit is a suspect fall. */
    readonly nearZeroShareOfLimit: number;
  };
}

export const DEFAULT_ALERT_CONFIG: AlertConfig = {
  reminderHours: 24,
  recoveryStreak: 3,
  multipleBands: [0.5, 1, 2, 5],
  flood: {
    window: { from: '06-01', to: '09-30' },
    main: { from: '07-16', to: '08-15' },
    baselineDays: 30,
    vsBaseline: 0.3,
    dayOnDay: 0.5,
    gradeDrop: 1,
    gradeOnlyBeyondTarget: true,
    outsideWindow: { enabled: false, vsBaseline: 0.5, dayOnDay: 0.8 },
  },
  suspect: { gapHours: 6, flaggedRunHours: 6, flatLineReadings: 12, nearZeroShareOfLimit: 0.1 },
};

/** Indicators that always vary in a live river; a flat line in them is suspect. */
export const VARYING_PARAMS = new Set(['pH', 'DO', 'CODMn', 'COD', 'NH3N', 'TP', 'TN', 'temp', 'turbidity', 'conductivity', 'F']);
