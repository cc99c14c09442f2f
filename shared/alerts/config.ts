/**
 * Alert settings: config/alerts.json, validated here and bundled into every function, so each
 * number is configuration, not code (the flood season differs between provinces:
 * docs/domain.md#flood-season). Tests and callers may pass another AlertConfig.
 */
import * as z from 'zod/mini';
import '../domain/zod-messages.js';
import alertsJson from '../../config/alerts.json' with { type: 'json' };
import { PARAM_IDS } from '../domain/parameters.js';

const mmdd = z.string().check(z.regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'MM-DD'));
const range = z.strictObject({ from: mmdd, to: mmdd });
const share = z.number().check(z.gte(0));
const positive = z.number().check(z.positive());
const count = z.number().check(z.int(), z.positive());

export const alertConfigSchema = z.strictObject({
  $comment: z.optional(z.string()),
  /** Reminder while an exceedance lasts, at most this often (sample time). */
  reminderHours: positive,
  /** Consecutive compliant valid readings that close an episode. */
  recoveryStreak: count,
  /** Exceedance-multiple band edges; moving into a higher band sends an immediate update. */
  multipleBands: z.array(positive),
  /** More notifications than this for one site and topic from one update (a backlog file) are sent as one digest. */
  digestAbove: count,
  flood: z.strictObject({
    /** MM-DD, inclusive. */
    window: range,
    main: range,
    /** Baseline: mean daily CWQI of this many days before the window opens. */
    baselineDays: count,
    /** Alert when the daily CWQI is this share above the baseline (0.3 = +30 %). */
    vsBaseline: share,
    /** … or this share above the previous day's. */
    dayOnDay: share,
    /** … or the daily grade falls by this many classes or more against the previous day, */
    gradeDrop: count,
    /** … counted only when the fallen grade is beyond the site's target (quiet on class-boundary noise). */
    gradeOnlyBeyondTarget: z.boolean(),
    outsideWindow: z.strictObject({ enabled: z.boolean(), vsBaseline: share, dayOnDay: share }),
  }),
  suspect: z.strictObject({
    /** No valid sample for longer than this (hourly stations). */
    gapHours: positive,
    /** A run of non-N flags lasting longer than this. */
    flaggedRunHours: positive,
    /** The same value this many consecutive readings in a row. */
    flatLineReadings: count,
    /** Right after an exceedance, a reading below this share of the limit is a suspect fall. */
    nearZeroShareOfLimit: share,
    /** Indicators that always vary in a live river; a flat line in them is suspect. */
    varyingParams: z.array(z.enum(PARAM_IDS)),
  }),
  ingest: z.strictObject({
    /** Share of rejected rows above which operations hear about a file. */
    rejectedShareToReport: z.number().check(z.gte(0), z.lte(1)),
  }),
});

export type AlertConfig = Omit<z.infer<typeof alertConfigSchema>, '$comment'>;

export function parseAlertConfig(input: unknown, source = 'alert settings'): AlertConfig {
  const parsed = alertConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(`${source} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const { $comment: _, ...config } = parsed.data;
  return config;
}

/** The shipped settings, config/alerts.json. */
export const DEFAULT_ALERT_CONFIG: AlertConfig = parseAlertConfig(alertsJson, 'config/alerts.json');
