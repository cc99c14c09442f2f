/**
 * The site registry: what each monitored place is, what it must meet, who answers for it.
 * Validated with zod; a station that is not registered keeps its identity and is judged as a
 * river section with target IV (the zone's target), never dropped.
 */
import { distance } from 'fastest-levenshtein';
import * as z from 'zod/mini';
import './zod-messages.js';
import { GRADES, type Grade, type WaterBody } from './gb3838.js';
import { PARAM_IDS, type ParamId } from './parameters.js';

export const SITE_KINDS = ['river-section', 'lake-section', 'effluent-outlet', 'outfall'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

const targetGrade = z.enum(GRADES.filter((g) => g !== '劣V') as [Grade, ...Grade[]]);
const paramId = z.enum(PARAM_IDS);
const limits = z.partialRecord(paramId, z.number().check(z.positive()));

/** "Effluent at surface-water Grade IV" is checked on COD, NH3-N and TP (docs/domain.md#effluent). */
export const DEFAULT_EFFLUENT_LIMITS: Readonly<Partial<Record<ParamId, number>>> = { COD: 30, NH3N: 1.5, TP: 0.3 };

const text = z.string().check(z.minLength(1));

const siteInput = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes')),
  name: text,
  aliases: z._default(z.array(text), []),
  kind: z.enum(SITE_KINDS),
  water: z.optional(z.enum(['river', 'lake'])),
  target: z.optional(targetGrade),
  effluentLimits: z.optional(limits),
  town: z.optional(text),
  focus: z._default(z.array(paramId), []),
  mn: z._default(z.array(text), []),
});

const person = z.strictObject({ name: text, title: text });

/** A town (镇/中心) that answers for sections: who the ladder writes to and interviews (docs/domain.md#supervision-ladder). */
const townInput = z.strictObject({
  name: text,
  /** 责任河长: the river chiefs of the town's sections (letters go to them). */
  riverChiefs: z.array(person).check(z.minLength(1)),
  /** 分管负责人: interviewed after two consecutive months over target. */
  deputyHead: person,
  /** 主要负责人: interviewed after three. */
  principalHead: person,
});

export const registryFileSchema = z.strictObject({
  $comment: z.optional(z.string()),
  towns: z._default(z.array(townInput), []),
  defaults: z._default(
    z.strictObject({ target: z._default(targetGrade, 'IV'), water: z._default(z.enum(['river', 'lake']), 'river') }),
    { target: 'IV', water: 'river' },
  ),
  sites: z.array(siteInput),
});

export type RegistryFile = z.input<typeof registryFileSchema>;

export interface Person {
  readonly name: string;
  readonly title: string;
}

export interface Town {
  readonly name: string;
  readonly riverChiefs: readonly Person[];
  readonly deputyHead: Person;
  readonly principalHead: Person;
}

export interface Site {
  readonly id: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly kind: SiteKind;
  readonly water: WaterBody;
  readonly target: Grade;
  /** Effluent limits checked beside the GB 3838 grade (empty for sections). */
  readonly effluentLimits: Readonly<Partial<Record<ParamId, number>>>;
  readonly town?: string;
  readonly focus: readonly ParamId[];
  readonly mn: readonly string[];
  readonly registered: boolean;
}

/** Names are matched after NFKC (full-width → half-width), trimming and dropping inner spaces. */
export function normaliseName(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

/** Bracketed remarks in a name: `(自动)`, `（人工）`, `[备用]`. */
const BRACKETED = /[（(\[【][^）)\]】]*[）)\]】]/g;
/** What stations and clerks append to a section's name, longest first. */
const NAME_SUFFIXES = ['水质自动监测站', '水质自动站', '自动监测站', '水质监测站', '监测断面', '自动站', '监测站', '监测点',
  '断面', '站点', '点位', '水质', '站', '点'];
const SEPARATORS = /[-_·.、\s]/g;

/** A name reduced to what identifies the place: no brackets, separators or trailing 站/断面/自动站. */
export function coreName(name: string): string {
  let s = normaliseName(name).replace(BRACKETED, '').replace(SEPARATORS, '');
  for (let again = true; again;) {
    again = false;
    for (const suffix of NAME_SUFFIXES) {
      if (s.length > suffix.length + 1 && s.endsWith(suffix)) { s = s.slice(0, -suffix.length); again = true; break; }
    }
  }
  return s;
}

const ASCII = /^[\x20-\x7e]+$/;

/**
 * `short` is `long` with characters left out, in order, and keeps most of it: 瀚海污水厂 for
 * 瀚海污水处理厂. Chinese names only (Latin ids have their typo rule), at least four characters
 * and three fifths of the longer, so 小清河 never abbreviates 小湄河 (a different river one
 * character away).
 */
function abbreviates(short: string, long: string): boolean {
  if (ASCII.test(short) || short.length < 4 || short.length >= long.length || short.length * 5 < long.length * 3) return false;
  let i = 0;
  for (const ch of long) if (ch === short[i]) i++;
  return i === short.length;
}
/** Shortest core that containment may match on: two Chinese characters, four Latin letters. */
const minCore = (core: string) => (ASCII.test(core) ? 4 : 2);

export class SiteRegistry {
  private readonly byKey = new Map<string, Site>();
  private readonly resolved = new Map<string, Site>();
  private readonly suggested = new Map<string, Site | null>();
  /** Each site's names, aliases and id reduced to their cores (HJ 212 MNs are codes, not names). */
  private readonly cores: readonly { readonly core: string; readonly site: Site }[];

  constructor(
    readonly sites: readonly Site[], private readonly defaults: { target: Grade; water: WaterBody }, readonly towns: readonly Town[] = [],
  ) {
    for (const site of sites) {
      for (const key of [site.id, site.name, ...site.aliases, ...site.mn]) {
        const k = normaliseName(key);
        const other = this.byKey.get(k);
        if (other && other.id !== site.id) {
          throw new Error(`site registry: '${key}' names both ${other.id} and ${site.id}`);
        }
        this.byKey.set(k, site);
      }
    }
    this.cores = sites.flatMap((site) => [site.id, site.name, ...site.aliases].map((n) => ({ core: coreName(n), site })))
      .filter((c) => c.core.length >= minCore(c.core));
  }

  static parse(input: unknown, source = 'site registry'): SiteRegistry {
    const parsed = registryFileSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new Error(`${source} is not valid: ${issues}`);
    }
    const { defaults, sites, towns } = parsed.data;
    const townNames = new Set<string>();
    for (const t of towns) {
      if (townNames.has(t.name)) throw new Error(`${source}: town '${t.name}' appears twice`);
      townNames.add(t.name);
    }
    const ids = new Set<string>();
    const built = sites.map((s): Site => {
      if (ids.has(s.id)) throw new Error(`${source}: site id '${s.id}' appears twice`);
      ids.add(s.id);
      if (s.town !== undefined && !townNames.has(s.town)) {
        const known = [...townNames].map((n) => `'${n}'`).join(', ') || 'none';
        throw new Error(`${source}: site '${s.id}' names town '${s.town}', which is not in towns (registered: ${known})`);
      }
      const effluent = s.kind === 'effluent-outlet' ? { ...DEFAULT_EFFLUENT_LIMITS, ...s.effluentLimits } : { ...s.effluentLimits };
      return {
        id: s.id, name: s.name, aliases: s.aliases, kind: s.kind,
        water: s.water ?? (s.kind === 'lake-section' ? 'lake' : defaults.water),
        target: s.target ?? defaults.target,
        effluentLimits: effluent,
        ...(s.town ? { town: s.town } : {}),
        focus: s.focus, mn: s.mn, registered: true,
      };
    });
    return new SiteRegistry(built, defaults, towns);
  }

  /** A registered town by name. */
  town(name: string): Town | undefined {
    return this.towns.find((t) => t.name === name);
  }

  get(id: string): Site | undefined {
    const s = this.byKey.get(normaliseName(id));
    return s && s.id === id ? s : undefined;
  }

  /** Finds a site by id, name, alias or HJ 212 MN. */
  find(nameOrCode: string): Site | undefined {
    return this.byKey.get(normaliseName(nameOrCode));
  }

  /**
   * The registered site, or an unregistered one that keeps `identity` as written. Answers are
   * remembered by the text asked for: a file names the same few stations on every row.
   */
  resolve(identity: string): Site {
    let site = this.resolved.get(identity);
    if (site) return site;
    site = this.find(identity);
    if (!site) {
      const key = identity.trim();
      site = {
        id: key, name: key, aliases: [], kind: 'river-section', water: 'river',
        target: this.defaults.target, effluentLimits: {}, focus: [], mn: [], registered: false,
      };
    }
    if (this.resolved.size >= 10_000) this.resolved.clear();
    this.resolved.set(identity, site);
    return site;
  }

  /**
   * The registered site a name that is not registered most likely means, or undefined: the same
   * place once brackets and suffixes such as 自动站, 断面, (自动) are set aside, one name containing
   * the other, or (Latin ids only) a typo or two. Never a guess between two sites, never for a name
   * that shares no such core with any site.
   */
  suggest(name: string): Site | undefined {
    const known = this.find(name);
    if (known) return known;
    let answer = this.suggested.get(name);
    if (answer === undefined) {
      answer = this.closest(coreName(name)) ?? null;
      if (this.suggested.size >= 10_000) this.suggested.clear();
      this.suggested.set(name, answer);
    }
    return answer ?? undefined;
  }

  private closest(core: string): Site | undefined {
    if (core.length < minCore(core)) return undefined;
    let best: { site: Site; score: number } | undefined;
    let tie = false;
    const consider = (site: Site, score: number) => {
      if (!best || score > best.score) { best = { site, score }; tie = false; }
      else if (score === best.score && site.id !== best.site.id) tie = true;
    };
    for (const c of this.cores) {
      if (c.core === core) consider(c.site, 1000);
      else if (core.includes(c.core) || c.core.includes(core)) consider(c.site, Math.min(core.length, c.core.length));
      else if (abbreviates(core, c.core) || abbreviates(c.core, core)) consider(c.site, Math.min(core.length, c.core.length));
      else if (ASCII.test(core) && ASCII.test(c.core) && Math.min(core.length, c.core.length) >= 5) {
        const d = distance(core, c.core);
        if (d <= (Math.max(core.length, c.core.length) >= 8 ? 2 : 1)) consider(c.site, 10 - d);
      }
    }
    return tie ? undefined : (best as { site: Site } | undefined)?.site;
  }

  /** A registered site named anywhere in a path or file name (S3 key), longest name first. */
  findInPath(path: string): Site | undefined {
    const hay = normaliseName(path);
    let best: { site: Site; len: number } | undefined;
    for (const [key, site] of this.byKey) {
      if (key.length >= 2 && hay.includes(key) && (!best || key.length > best.len)) best = { site, len: key.length };
    }
    return best?.site;
  }
}
