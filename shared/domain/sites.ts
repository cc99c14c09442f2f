/**
 * The site registry: what each monitored place is, what it must meet, who answers for it.
 * Validated with zod; a station that is not registered keeps its identity and is judged as a
 * river section with target IV (the zone's target), never dropped.
 */
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

export class SiteRegistry {
  private readonly byKey = new Map<string, Site>();
  private readonly resolved = new Map<string, Site>();

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
