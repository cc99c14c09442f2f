/**
 * Keeps docs/domain.md and the code in step: the document's tables are parsed as Markdown (marked's
 * lexer) and compared with the code's own data — GB 3838 Table 1, the HJ 212 catalogue and data
 * commands, the effluent and flood-season defaults, the ladder — and every anchor it links to must be
 * a heading, slugged as GitHub does (github-slugger).
 */
import { readFileSync } from 'node:fs';
import GithubSlugger from 'github-slugger';
import { lexer, type Token, type Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_CONFIG } from '../../../shared/alerts/config.js';
import { CWQI_PARAMS } from '../../../shared/domain/cwqi.js';
import { setsGrade, TABLE1, type Table1Item, type WaterBody } from '../../../shared/domain/gb3838.js';
import { isParamId, PARAMETERS, paramByHjCode, type ParamId } from '../../../shared/domain/parameters.js';
import { DEFAULT_EFFLUENT_LIMITS } from '../../../shared/domain/sites.js';
import { checkFrame, crc16, DATA_COMMANDS, hex4 } from '../../../shared/parsers/hj212.js';
import { LADDER_ACTIONS } from '../../../shared/supervision/bulletin.js';

const DOC_PATH = new URL('../../../docs/domain.md', import.meta.url);
const doc = readFileSync(DOC_PATH, 'utf8');
const tokens: Token[] = lexer(doc);

/** A cell's text without code spans' backticks. */
const cellText = (c: Tokens.TableCell) => c.text.replace(/`/g, '').trim();

type Row = Record<string, string>;

/** The rows of the one table whose header starts with `first`, keyed by header text. */
function table(...first: string[]): Row[] {
  const found = tokens.filter((t): t is Tokens.Table => t.type === 'table'
    && first.every((h, i) => t.header[i] !== undefined && cellText(t.header[i] as Tokens.TableCell) === h));
  expect(found, `exactly one table in docs/domain.md whose header starts with: ${first.join(' | ')}`).toHaveLength(1);
  const t = found[0] as Tokens.Table;
  const keys = t.header.map(cellText);
  return t.rows.map((cells) => Object.fromEntries(keys.map((k, i) => [k, cells[i] ? cellText(cells[i] as Tokens.TableCell) : ''])));
}

const NONE = '—';
const unitCell = (unit: string) => unit === '' ? NONE : unit;

describe('docs/domain.md: anchors', () => {
  const slugger = new GithubSlugger();
  const headings = new Set(
    tokens.filter((t): t is Tokens.Heading => t.type === 'heading').map((h) => slugger.slug(h.text)),
  );

  it('lists the anchors code links to, each a heading of the document', () => {
    const listed = table('anchor', 'what it holds').map((r) => (r.anchor ?? '').replace(/^\[|\]\(.*$/g, ''));
    for (const required of ['#gb-3838-2002-table-1', '#cwqi', '#hj-212-2017', '#flood-season', '#effluent',
      '#monthly-assessment', '#validity-and-detection-limits']) {
      expect(listed, `the anchor list names ${required}`).toContain(required);
    }
    for (const anchor of listed) expect(headings, `a heading for ${anchor}`).toContain(anchor.slice(1));
  });

  it('every link inside the document reaches a heading', () => {
    const targets = [...doc.matchAll(/\]\(#([^)\s]+)\)/g)].map((m) => m[1] as string);
    expect(targets.length).toBeGreaterThan(10);
    for (const t of new Set(targets)) expect(headings, `a heading for #${t}`).toContain(t);
  });
});

describe('docs/domain.md: GB 3838-2002 Table 1 against TABLE1', () => {
  const rows = table('id', '项目 item', 'unit', 'limit', 'I', 'II', 'III', 'IV', 'V', 'water', 'sets grade', 'CWQI');
  const CLASSES = ['I', 'II', 'III', 'IV', 'V'] as const;
  const KIND: Record<Table1Item['kind'], string> = { max: '≤', min: '≥', range: 'range' };
  const bodies: WaterBody[] = ['river', 'lake'];

  it.each(bodies)('every %s limit of the code appears in the document for that item and class', (body) => {
    for (const [param, item] of TABLE1[body]) {
      const matching = rows.filter((r) => r.id === param && (r.water === 'all' || r.water === body));
      expect(matching, `one row for ${param} (${body})`).toHaveLength(1);
      const row = matching[0] as Row;
      expect(row.limit, `${param}: kind of limit`).toBe(KIND[item.kind]);
      const cells = CLASSES.map((c) => row[c]);
      if (item.kind === 'range') {
        const [lo, hi] = item.range ?? [NaN, NaN];
        expect(cells, `${param}: the pH band in every class`).toEqual(CLASSES.map(() => `${lo}–${hi}`));
      } else {
        expect(cells.map(Number), `${param} (${body}): limits of Class I..V`).toEqual([...item.limits]);
      }
      expect(row.unit, `${param}: unit`).toBe(unitCell(PARAMETERS[param].unit));
      expect((row['sets grade'] ?? '').split(/,\s*/).includes(body), `${param}: sets a ${body}'s grade`).toBe(setsGrade(param, body));
      expect(row.CWQI === '✓', `${param}: enters the CWQI`).toBe(CWQI_PARAMS.includes(param));
    }
  });

  it('holds no row the code does not know, and the whole of Table 1 (its 24 items)', () => {
    const inCode = new Set<string>([...TABLE1.river.keys(), ...TABLE1.lake.keys()]);
    for (const r of rows) {
      const id = r.id ?? '';
      expect(isParamId(id), `'${id}' is a catalogue id`).toBe(true);
      if (!inCode.has(id)) {
        // Only water temperature is in Table 1 but not graded: it limits man-made change, not a value.
        expect(id).toBe('temp');
        expect([r['sets grade'], r.CWQI]).toEqual([NONE, NONE]);
      }
    }
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set([...inCode, 'temp']));
    expect(new Set(rows.map((r) => r.id)).size).toBe(24);
  });
});

describe('docs/domain.md: HJ 212-2017 against the parser and the catalogue', () => {
  const codes = table('id', 'parameter', '2017', '2005', 'unit in HJ 212', "bishui's unit", 'conversion');

  it('every HJ 212 code in the catalogue appears with its parameter, unit and conversion', () => {
    const withCodes = Object.values(PARAMETERS).filter((p) => p.hj2017 !== undefined || p.hj2005 !== undefined);
    expect(withCodes.length).toBeGreaterThan(20);
    for (const info of withCodes) {
      const matching = codes.filter((r) => r.id === info.id);
      expect(matching, `one code row for ${info.id}`).toHaveLength(1);
      const row = matching[0] as Row;
      expect(row['2017'], `${info.id}: 2017 code`).toBe(info.hj2017 ?? NONE);
      expect(row['2005'], `${info.id}: 2005 code`).toBe(info.hj2005 ?? NONE);
      expect(row["bishui's unit"], `${info.id}: unit`).toBe(unitCell(info.unit));
      expect(row.conversion, `${info.id}: factor from the packet's unit`).toBe(info.hjFactor === undefined ? NONE : `× ${info.hjFactor}`);
      expect((row.parameter ?? '').startsWith(info.zh), `${info.id}: named ${info.zh}`).toBe(true);
    }
  });

  it('every code the document lists resolves to that parameter in the parser', () => {
    for (const r of codes) {
      for (const code of [r['2017'], r['2005']]) {
        if (code === NONE || code === undefined) continue;
        expect(paramByHjCode(code)?.id, `code ${code}`).toBe(r.id);
      }
    }
  });

  it('the data commands are the parser\'s: CN, the value stored, the interval', () => {
    const rows = table('CN', 'data', 'value bishui stores', 'interval');
    expect(Object.fromEntries(rows.map((r) => [r.CN, { field: r['value bishui stores'], interval: r.interval }])))
      .toEqual(Object.fromEntries(Object.entries(DATA_COMMANDS).map(([cn, c]) => [cn, { field: c.field, interval: c.interval }])));
  });

  it('the CRC test vector in the document is a frame the parser accepts, its CRC the one computed', () => {
    const line = doc.split('\n').find((l) => l.startsWith('##0101QN='));
    expect(line, 'the standard\'s example packet').toBeDefined();
    const frame = line as string;
    const checked = checkFrame(frame, 0);
    expect(checked.ok, checked.ok ? '' : checked.reason).toBe(true);
    const data = frame.slice(6, -4);
    expect(Buffer.byteLength(data, 'utf8')).toBe(Number(frame.slice(2, 6)));
    expect(frame.slice(-4)).toBe(hex4(crc16(data)));
    expect(frame.slice(-4)).toBe('1C80');
  });
});

describe('docs/domain.md: configuration defaults', () => {
  it('the effluent table gives the default 准IV类 limits of effluent outlets', () => {
    const rows = table('id', '准IV类, bishui\'s default (mg/L)');
    const documented = Object.fromEntries(rows
      .filter((r) => /^\d/.test(r["准IV类, bishui's default (mg/L)"] ?? ''))
      .map((r) => [r.id, Number(r["准IV类, bishui's default (mg/L)"])]));
    expect(documented).toEqual(DEFAULT_EFFLUENT_LIMITS);
  });

  it('the flood-season table gives every flood setting and its default', () => {
    const rows = table('setting', 'default', 'meaning');
    const shown = (v: unknown) => typeof v === 'object' && v !== null && 'from' in v && 'to' in v
      ? `${String(v.from)} – ${String(v.to)}` : String(v);
    const leaves = (o: object, prefix: string): [string, string][] => Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null && !('from' in v) ? leaves(v, `${prefix}.${k}`) : [[`${prefix}.${k}`, shown(v)]]);
    expect(Object.fromEntries(rows.map((r) => [r.setting, r.default])))
      .toEqual(Object.fromEntries(leaves(DEFAULT_ALERT_CONFIG.flood, 'flood')));
  });

  it('the ladder table names the ladder\'s actions in order of escalation', () => {
    const rows = table('consecutive months', 'action (LadderAction)');
    expect(rows.map((r) => r['action (LadderAction)'])).toEqual(LADDER_ACTIONS.filter((a) => a !== 'none'));
  });
});

describe('docs/domain.md: the catalogue beyond Table 1', () => {
  it('describes, in the Table 1 section, every catalogue parameter that Table 1 does not list', () => {
    const table1Ids = new Set(table('id', '项目 item').map((r) => r.id));
    const others = Object.keys(PARAMETERS).filter((id) => !table1Ids.has(id)) as ParamId[];
    expect(others.length).toBeGreaterThan(0);
    const section = doc.slice(doc.indexOf('## GB 3838-2002 Table 1'), doc.indexOf('## Single-factor evaluation'));
    for (const id of others) {
      expect(section.includes(PARAMETERS[id].zh), `${id} (${PARAMETERS[id].zh}) described under Table 1`).toBe(true);
    }
  });
});
