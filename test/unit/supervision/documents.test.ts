/**
 * The month's documents from a Bulletin: the page holds what the issue lists and shows data text
 * inert, the JSON round-trips, every ladder action gets a letter that reads back with its facts.
 */
import mammoth from 'mammoth';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLE1 } from '../../../shared/domain/gb3838.js';
import { MAX_CHART_SECTIONS } from '../../../shared/limits.js';
import { PARAMETERS } from '../../../shared/domain/parameters.js';
import type { Bulletin } from '../../../shared/supervision/bulletin.js';
import { senLine } from '../../../shared/supervision/documents/charts.js';
import {
  type DocumentFile, documentNames, renderSupervisionDocuments,
} from '../../../shared/supervision/documents/index.js';
import { bulletinJson } from '../../../shared/supervision/documents/json.js';
import { safeNamePart } from '../../../shared/supervision/documents/names.js';
import { FIXTURE_OPTIONS, fixtureBulletin, UNREGISTERED } from '../../helpers/bulletin-fixture.js';

const HOSTILE_SITE = '=HYPERLINK("http://evil.example/x","<script>alert(1)</script>")\u0007\u202Eok';
const HOSTILE_TOWN = '../../etc/<b>四新河</b>\u0000镇\n';

const file = (files: readonly DocumentFile[], name: string) => {
  const f = files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} among ${files.map((x) => x.name).join(', ')}`);
  return f;
};
const text = (f: DocumentFile) => (typeof f.body === 'string' ? f.body : new TextDecoder().decode(f.body));
const table = (page: string, cls: string) => {
  const m = new RegExp(`<table class="${cls}">([\\s\\S]*?)</table>`).exec(page);
  if (!m) throw new Error(`no table.${cls}`);
  return m[1] as string;
};
const docxText = async (f: DocumentFile) => {
  const r = await mammoth.extractRawText({ buffer: Buffer.from(f.body as Uint8Array) });
  expect(r.messages).toEqual([]);
  return r.value;
};
/** Fails naming the neighbourhood of an unwanted match (not the whole page, which is 150 kB). */
function expectAbsent(page: string, pattern: RegExp) {
  const m = pattern.exec(page);
  expect(m === null ? null : page.slice(Math.max(0, m.index - 80), m.index + 80)).toBeNull();
}
/** As people read a concentration (four significant digits), independent of the renderer's code. */
const shown = (v: number) => String(Number(v.toPrecision(4)));

describe('the fixture agrees with GB 3838', () => {
  const b = fixtureBulletin();
  it('a section graded V exceeds its IV limit and stays within V on the exceeded indicator', () => {
    const v = b.sites.filter((s) => s.grade === 'V');
    expect(v.length).toBe(3);
    for (const s of v) {
      for (const e of s.exceedances) {
        const item = TABLE1.river.get(e.param);
        expect(e.value, `${s.site} ${e.param}`).toBeGreaterThan(item?.limits[3] as number);
        expect(e.value, `${s.site} ${e.param}`).toBeLessThanOrEqual(item?.limits[4] as number);
        expect(e.limit).toBe(item?.limits[3]);
      }
    }
  });
  it('has one town at each ladder step that writes a letter, and one section not assessed', () => {
    expect(b.towns.map((t) => t.action).sort()).toEqual(['interview-deputy', 'interview-principal', 'listed-supervision', 'reminder-letter']);
    expect(b.sites.filter((s) => !s.assessed).map((s) => s.site)).toEqual([UNREGISTERED.site]);
    expect(new Set(b.history.map((h) => h.month)).size).toBe(13);
  });
});

describe('renderSupervisionDocuments', () => {
  const bulletin = fixtureBulletin();
  let files: DocumentFile[];
  let page: string;
  beforeAll(async () => {
    ({ files } = await renderSupervisionDocuments(bulletin, FIXTURE_OPTIONS));
    page = text(file(files, 'bulletin.html'));
  });

  it('names the page, the data and one letter per ladder action under reports/YYYY-MM/', () => {
    expect(files.map((f) => [f.name, f.contentType])).toEqual([
      ['bulletin.html', 'text/html; charset=utf-8'],
      ['bulletin.json', 'application/json; charset=utf-8'],
      ...documentNames(bulletin).letters.map((n) => [n, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document']),
    ]);
    expect(documentNames(bulletin).letters).toEqual([
      'letters/01-提醒函-高新区.docx',
      'letters/02-约谈通知-分管负责人-小湄河流域责任镇.docx',
      'letters/03-约谈通知-主要负责人-赵牛河流域责任镇.docx',
      'letters/04-挂牌督办通知-四新河流域责任镇.docx',
    ]);
  });

  it('the page ranks the sections by CWQI, best first, and by year-on-year improvement', () => {
    const ranked = [...bulletin.sites].filter((s) => s.rank !== null).sort((a, b) => (a.rank as number) - (b.rank as number));
    expect(ranked.length).toBe(3);
    expect([...table(page, 'rank-cwqi').matchAll(/data-site="([^"]+)"><td>(\d+)<\/td><td class="name">([^<]+)</g)].map((m) => [m[1], Number(m[2]), m[3]]))
      .toEqual(ranked.map((s) => [s.site, s.rank, s.name]));
    const improved = [...bulletin.sites].filter((s) => s.improvementRank !== null).sort((a, b) => (a.improvementRank as number) - (b.improvementRank as number));
    expect([...table(page, 'rank-improvement').matchAll(/data-site="([^"]+)"/g)].map((m) => m[1])).toEqual(improved.map((s) => s.site));
    // the best year-on-year change is shown signed, as a percentage
    const best = improved[0] as (typeof improved)[number];
    expect(table(page, 'rank-improvement')).toContain(`${(best.yoy as number) < 0 ? '−' : '+'}${Math.abs((best.yoy as number) * 100).toFixed(1)}%`);
    expect([...table(page, 'rank-towns').matchAll(/data-town="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(bulletin.towns.map((t) => t.town).sort());
  });

  it('the page lists every site with its grade and CWQI, and names the one not assessed', () => {
    const sites = table(page, 'sites');
    for (const s of bulletin.sites) {
      const row = new RegExp(`<tr data-site="${s.site}">([\\s\\S]*?)</tr>`).exec(sites)?.[1] ?? '';
      expect(row, s.site).toContain(s.name);
      if (s.cwqi !== null) expect(row, s.site).toContain(s.cwqi.toFixed(2));
      if (s.grade === 'V') expect(row, s.site).toContain('Ⅴ类');
      if (!s.assessed) expect(row, s.site).toContain('数据不足');
    }
    expect(page).toContain(UNREGISTERED.reason);
  });

  it('the page shows each exceeded indicator with value, limit and multiple, every action, and the plant\'s compliance', () => {
    const ex = table(page, 'exceedances');
    for (const s of bulletin.sites) {
      for (const e of s.exceedances) {
        expect(ex).toContain(shown(e.value));
        expect(ex).toContain(`${(e.multiple as number).toFixed(2)}倍`);
        expect(ex).toContain(String(e.limit));
      }
    }
    const actions = table(page, 'actions');
    for (const t of bulletin.towns) {
      expect(actions).toContain(`data-town="${t.town}" data-action="${t.action}"`);
      for (const r of t.recipients) expect(actions).toContain(r.name);
    }
    const plant = bulletin.sites.find((s) => s.effluent)?.effluent;
    expect(table(page, 'effluent')).toContain(`${((plant?.compliantShare as number) * 100).toFixed(1)}%`);
    expect(ex).toContain('单个样品'); // the plant's worst sample, since its monthly means comply
  });

  it('the page has every chart as inline SVG, the trend verdict, the goals, and nothing that loads or runs', () => {
    const charts = [...page.matchAll(/<figure class="chart" data-chart="([^"]+)">[\s\S]*?<svg[^>]*width="(\d+)"[^>]*height="(\d+)"/g)];
    expect(charts.map((m) => m[1])).toEqual(['cwqi-history', 'contributions', 'trend-sixinhe-TN', 'flood-daily']);
    for (const m of charts) expect(Number(m[2]) * Number(m[3])).toBeGreaterThan(0);
    expect(page).toContain(`Mann–Kendall 检验：${bulletin.trends[0]?.verdict}`);
    for (const g of bulletin.zone.goals) expect(page).toContain(g.goal);
    expectAbsent(page, /<script|<link|<img|<iframe|@import|url\(/i);
    expectAbsent(page, /\s(src|href)=/i);
    expect(page).toContain('@page { size: A4');
  });

  it('bulletin.json is the Bulletin, unrounded, keys sorted at every level', () => {
    const json = text(file(files, 'bulletin.json'));
    expect(JSON.parse(json)).toEqual(bulletin);
    expect(json).toContain(String(bulletin.zone.cwqi)); // all its digits
    const reversed = JSON.parse(JSON.stringify(bulletin), function (this: unknown, _k, v: unknown) {
      return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v;
    }) as Bulletin;
    expect(bulletinJson(reversed)).toBe(json);
    expect(Object.keys(JSON.parse(json))).toEqual(Object.keys(bulletin).sort());
  });

  it('refuses a number JSON cannot hold rather than writing null', () => {
    const bad = { ...bulletin, zone: { ...bulletin.zone, cwqi: Number.NaN } };
    expect(() => bulletinJson(bad)).toThrow('bulletin.zone.cwqi is NaN');
  });

  it('each letter reads back with recipients, section, month, values, limits, multiples, consecutive months and deadline', async () => {
    const names = documentNames(bulletin).letters;
    const towns = bulletin.towns.filter((t): t is typeof t & { action: Exclude<typeof t.action, 'none'> } => t.action !== 'none');
    const titles = { 'reminder-letter': '提醒函', 'interview-deputy': '约谈', 'interview-principal': '约谈', 'listed-supervision': '挂牌督办' } as const;
    for (const [i, t] of towns.entries()) {
      const body = await docxText(file(files, names[i] as string));
      expect(body).toContain(titles[t.action]);
      for (const r of t.recipients) expect(body).toContain(r.name);
      expect(body).toContain('2023年7月');
      expect(body).toContain(`已连续${t.consecutive}个月`);
      expect(body).toContain('2023年8月16日前'); // reply deadline
      expect(body).toContain('高新区河长制办公室');
      expect(body).toMatch(/原因分析[\s\S]*整改措施[\s\S]*整改时限/);
      expect(body.includes('抄送：高新区管委会')).toBe(t.action === 'reminder-letter');
      for (const id of t.sites) {
        const s = bulletin.sites.find((x) => x.site === id);
        expect(body).toContain(s?.name);
        const exceedances = s?.exceedances.length ? s.exceedances : (s?.effluent?.worst?.exceedances ?? []);
        expect(exceedances.length).toBeGreaterThan(0);
        for (const e of exceedances) {
          expect(body).toContain(PARAMETERS[e.param].zh);
          expect(body).toContain(shown(e.value));
          expect(body).toContain(String(e.limit));
          expect(body).toContain(`${(e.multiple as number).toFixed(2)}倍`);
        }
      }
    }
  });
});

describe('data text in the documents', () => {
  const bulletin = fixtureBulletin({ unregisteredName: HOSTILE_SITE, sixinheTown: HOSTILE_TOWN });
  let files: DocumentFile[];
  let page: string;
  beforeAll(async () => {
    ({ files } = await renderSupervisionDocuments(bulletin, FIXTURE_OPTIONS));
    page = text(file(files, 'bulletin.html'));
  });

  it('shows a hostile site name inert: escaped, formula-proof, without control or bidi characters', () => {
    expectAbsent(page, /<script/i);
    expectAbsent(page, /<b>四新河/);
    expect(page.includes('&lt;b&gt;四新河&lt;/b&gt; 镇')).toBe(true);
    // shown in the tables as text, its leading '=' behind the spreadsheet's text mark
    expect(page.split("<td class=\"name\">&#39;=HYPERLINK(&quot;http://evil.example/x&quot;,&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;) ok").length - 1).toBe(1);
    expectAbsent(page, />=HYPERLINK/);
    expectAbsent(page, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/);
  });

  it('keeps path separators and control characters out of a letter\'s name and control characters out of its text', async () => {
    const names = files.map((f) => f.name);
    for (const n of names) {
      expect(n).toMatch(/^(bulletin\.(html|json)|letters\/\d{2}-[\p{L}\p{N}_-]+\.docx)$/u);
    }
    const letter = names.find((n) => n.startsWith('letters/04-')) as string;
    expect(letter).toBe('letters/04-挂牌督办通知-etc_b_四新河_b_镇.docx');
    const body = await docxText(file(files, letter));
    expect(body).toContain('../../etc/<b>四新河</b> 镇');
    expect(body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  });

  it('a name part made from data is letters, digits, - and _ only, bounded, never empty', () => {
    expect(safeNamePart('..')).toBe('town');
    expect(safeNamePart('a/b\\c:d*e?f"g<h>i|j')).toBe('a_b_c_d_e_f_g_h_i_j');
    expect(safeNamePart('镇'.repeat(100))).toBe('镇'.repeat(40));
    expect(safeNamePart('ＡＢＣ镇')).toBe('ABC镇'); // NFKC: full-width letters
  });
});

describe('document options and variants', () => {
  it('rejects options that are not valid, naming the field', async () => {
    await expect(renderSupervisionDocuments(fixtureBulletin(), { ...FIXTURE_OPTIONS, replyBy: '2023-02-30' }))
      .rejects.toThrow(/replyBy: a real calendar date/);
    await expect(renderSupervisionDocuments(fixtureBulletin(), { ...FIXTURE_OPTIONS, issuer: '' }))
      .rejects.toThrow(/issuer/);
  });

  it('a month outside the flood window has no flood chart; a town at step none gets no letter', async () => {
    const b = fixtureBulletin();
    const quiet: Bulletin = {
      ...b, floodDaily: [],
      towns: b.towns.map((t) => (t.action === 'reminder-letter' ? { ...t, action: 'none' as const, actionLabel: '无', consecutive: 0 } : t)),
    };
    const { files } = await renderSupervisionDocuments(quiet, FIXTURE_OPTIONS);
    const page = text(file(files, 'bulletin.html'));
    expect(page).not.toContain('data-chart="flood-daily"');
    expect(files.filter((f) => f.name.startsWith('letters/')).map((f) => f.name)).toEqual([
      'letters/01-约谈通知-分管负责人-小湄河流域责任镇.docx',
      'letters/02-约谈通知-主要负责人-赵牛河流域责任镇.docx',
      'letters/03-挂牌督办通知-四新河流域责任镇.docx',
    ]);
    expect(page).toMatch(/data-town="高新区"><td>—<\/td><td class="name">高新区<\/td><td class="name">[^<]*<\/td><td>0<\/td><td>无<\/td>/);
  });

  it(`draws at most ${MAX_CHART_SECTIONS} sections in a chart and says how many it left out; the tables list all`, async () => {
    const b = fixtureBulletin();
    const model = b.sites.find((s) => s.site === 'sixinhe') as Bulletin['sites'][number];
    const extra = Array.from({ length: 14 }, (_, i) => ({ ...model, site: `extra-${i}`, name: `临时站${i}`, registered: false, town: null, rank: null, improvementRank: null }));
    const many: Bulletin = {
      ...b, sites: [...b.sites, ...extra],
      history: [...b.history, ...extra.flatMap((x) => b.history.filter((h) => h.site === 'sixinhe').map((h) => ({ ...h, site: x.site })))],
    };
    const { files } = await renderSupervisionDocuments(many, FIXTURE_OPTIONS);
    const page = text(file(files, 'bulletin.html'));
    const history = /data-chart="cwqi-history"[\s\S]*?<\/figure>/.exec(page)?.[0] ?? '';
    expect(history.match(/class="mark-text role-legend-label"/g)?.length).toBe(MAX_CHART_SECTIONS);
    const withData = many.sites.filter((s) => s.kind === 'river-section' && s.cwqi !== null).length;
    expect(withData).toBe(17);
    expect(page.includes(`另有 ${withData - MAX_CHART_SECTIONS} 个断面未绘入图表`)).toBe(true);
    for (const x of extra) expect(table(page, 'sites')).toContain(`data-site="${x.site}"`);
  });

  it('a month without assessed data still renders: no empty chart, the data problems named, no letter', async () => {
    const b = fixtureBulletin();
    const empty: Bulletin = {
      ...b,
      sites: b.sites.map((s) => ({ ...s, assessed: false, notAssessedReason: '本月无数据', grade: null, compliant: null, cwqi: null, contributions: {}, exceedances: [], mainPollutants: [], rank: null, improvementRank: null, yoy: null, mom: null })),
      history: b.history.map((h) => ({ ...h, cwqi: null })), floodDaily: [],
      trends: b.trends.map((t) => ({ ...t, n: 0, s: null, varS: null, z: null, p: null, senSlopePerYear: null, direction: null, verdict: '数据不足', verdictKey: 'insufficient' as const, series: [] })),
      towns: b.towns.map((t) => ({ ...t, action: 'none' as const, actionLabel: '无', consecutive: 0 })),
      data: { problems: b.sites.map((s) => ({ site: s.site, reason: '本月无数据' })) },
    };
    const { files } = await renderSupervisionDocuments(empty, FIXTURE_OPTIONS);
    const page = text(file(files, 'bulletin.html'));
    expect(page).not.toContain('<figure');
    expect(page.split('本月没有可绘制的评价数据').length - 1).toBe(2); // the history and the contributions
    expect(page.split('本月无数据（本月未评价，不计为达标）').length - 1).toBe(b.sites.length);
    expect(files.map((f) => f.name)).toEqual(['bulletin.html', 'bulletin.json']);
  });
});

describe("Sen's line", () => {
  it('runs through a straight series from its first month to its last', () => {
    const series = ['2022-01', '2022-02', '2022-04', '2022-05'].map((month, i) => ({ month, value: 2 + 0.1 * [0, 1, 3, 4][i]! }));
    const t = { site: 's', param: 'TN' as const, n: 4, from: '2022-01', to: '2022-05', s: 6, varS: 8.67, z: 1.7, p: 0.09, senSlopePerYear: 1.2, direction: 'none' as const, verdict: '无显著趋势', verdictKey: 'none' as const, reference: { from: '2021-01', to: '2021-05', n: 0, s: null, p: null }, series };
    const line = senLine(t);
    expect(line.map((p) => p.month)).toEqual(['2022-01', '2022-05']);
    expect(line[0]?.value).toBeCloseTo(2, 10);
    expect(line[1]?.value).toBeCloseTo(2.4, 10);
  });
});
