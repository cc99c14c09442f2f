/**
 * Where the monthly supervision settings come from: the repo's config/supervision.json, bundled, or
 * a file a deployment names. Validated with zod; what each setting means is in that file's $comments
 * and in the domain modules that use it (monthly-assessment, ranking, ladder, trend-verdict).
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import defaultSettings from '../../config/supervision.json' with { type: 'json' };
import '../domain/zod-messages.js';
import { PARAM_IDS, type ParamId } from '../domain/parameters.js';
import { MAX_SUPERVISION_MONTHS } from '../limits.js';
import type { Site } from '../domain/sites.js';
import { TREND_VERDICTS, type TrendRules } from '../domain/trend-rules.js';

const comment = z.optional(z.string());
const text = z.string().check(z.minLength(1));
const count = z.number().check(z.int(), z.gte(0));
const positive = z.number().check(z.int(), z.positive());
const verdict = z.enum(TREND_VERDICTS);

const schema = z.strictObject({
  $comment: comment,
  /** 管委会: copied on every reminder letter. */
  committee: text,
  /** Days the town has to reply to a letter. */
  replyDeadlineDays: positive,
  /** How the documents name the zone (titles, letters) and who issues them. */
  documents: z.strictObject({ $comment: comment, zoneName: text, issuer: text }),
  completeness: z.strictObject({
    $comment: comment,
    online: count,
    manual: count,
    sites: z._default(z.record(z.string(), count), {}),
  }),
  zoneIndex: z.strictObject({ $comment: comment, aggregate: z.enum(['mean', 'median']) }),
  ranking: z.strictObject({ $comment: comment, cwqiDecimals: count.check(z.lte(10)), changeDecimals: count.check(z.lte(10)) }),
  ladder: z.strictObject({ $comment: comment, lookbackMonths: positive.check(z.lte(MAX_SUPERVISION_MONTHS)) }),
  trends: z.strictObject({
    $comment: comment,
    targets: z.array(z.strictObject({ site: text, param: z.enum(PARAM_IDS) })),
    windowMonths: positive.check(z.gte(2), z.lte(MAX_SUPERVISION_MONTHS)),
    minMonths: positive.check(z.gte(2)),
    alpha: z.number().check(z.gt(0), z.lt(1)),
    referenceLagMonths: positive.check(z.lte(MAX_SUPERVISION_MONTHS)),
    labels: z.strictObject({ rising: text, halted: text, falling: text, none: text, insufficient: text }),
    goalMetBy: z.array(verdict),
  }),
});

type Parsed = z.infer<typeof schema>;

export interface SupervisionConfig extends Omit<Parsed, 'trends'> {
  readonly trends: TrendRules & {
    readonly targets: readonly { readonly site: string; readonly param: ParamId }[];
    readonly goalMetBy: readonly Parsed['trends']['goalMetBy'][number][];
  };
}

export function parseSupervisionConfig(input: unknown, source = 'supervision config'): SupervisionConfig {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source} is not valid: ${issues}`);
  }
  const c = parsed.data;
  if (c.trends.minMonths > c.trends.windowMonths) {
    throw new Error(`${source} is not valid: trends.minMonths (${c.trends.minMonths}) is more than trends.windowMonths (${c.trends.windowMonths})`);
  }
  return c;
}

let cached: SupervisionConfig | undefined;

export function defaultSupervisionConfig(): SupervisionConfig {
  cached ??= parseSupervisionConfig(defaultSettings, 'config/supervision.json');
  return cached;
}

export function loadSupervisionConfig(path: string): SupervisionConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read supervision config ${path}: ${(err as Error).message}`);
  }
  return parseSupervisionConfig(json, path);
}

/**
 * Days with valid data a site's month needs to be assessed: the site's own setting, else online (a
 * registered site with an HJ 212 MN: an automatic station) or manual (any other, unregistered included).
 */
export function minDaysFor(site: Site, config: SupervisionConfig): number {
  return config.completeness.sites[site.id] ?? (site.registered && site.mn.length > 0 ? config.completeness.online : config.completeness.manual);
}
