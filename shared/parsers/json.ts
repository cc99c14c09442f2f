/**
 * JSON and NDJSON samples: `{site, time, values: {...}, flags?: {...}}` or the flat
 * `{site, time, COD: .., NH3N: ..}` form, keys named as CSV headers may be.
 * JSON arrays (bare, or under a top-level `samples` key) are split element by element as the text
 * streams, so a large file is never held whole; each element keeps the line it starts on.
 */
import type { ParamId } from '../domain/parameters.js';
import { mapHeader } from './headers.js';
import type { RawCell, RawRecord } from './record.js';
import { RecordEvents } from './record-events.js';
import type { CellFault, ParseContext, ParseEvent } from './types.js';
import { FileRejectedError } from './types.js';
import { lineBatches, lineTooLong } from './lines.js';
import { MAX_CELL_CHARS, MAX_COLUMNS, MAX_JSON_DEPTH, MAX_LINE_BYTES, MAX_QUOTED_CHARS } from '../limits.js';
import { shownValue } from './record.js';
import { quote, safeText } from '../safe-text.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: Json | undefined): string | number | undefined =>
  typeof v === 'string' || typeof v === 'number' ? v : undefined;

/** Maps one JSON object to a raw record. */
export function objectRecord(obj: Record<string, Json>, line: number): RawRecord {
  let site: string | undefined;
  let siteCode: string | undefined;
  let time: string | number | undefined;
  const cells: RawCell[] = [];
  const flags: Partial<Record<ParamId, string>> = {};
  const unknown: Record<string, string | number> = {};
  let faults: CellFault[] | undefined;
  /** Values under keys bishui does not know are kept as written — within the bound for one cell. */
  const keep = (key: string, v: string | number) => {
    if (typeof v === 'string' && v.length > MAX_CELL_CHARS) {
      (faults ??= []).push({ line, param: safeText(key, { max: MAX_QUOTED_CHARS }), value: shownValue(v), reason: `${quote(key)}: longer than ${MAX_CELL_CHARS} characters` });
    } else {
      unknown[key] = v;
    }
  };

  const addValue = (key: string, v: Json, where: string) => {
    const { role, problem } = mapHeader(key);
    if (role.role === 'param') {
      if (v !== null && typeof v !== 'number' && typeof v !== 'string') {
        cells.push({ param: role.param, factor: role.factor, raw: JSON.stringify(v), label: `${where}${quote(key)}` });
      } else {
        cells.push({ param: role.param, factor: role.factor, raw: v, label: `${where}${quote(key)}` });
      }
      return true;
    }
    if (problem) keep(key, typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v));
    return false;
  };

  for (const [key, v] of Object.entries(obj)) {
    const k = key.toLowerCase();
    if (k === 'values' && isObject(v)) {
      for (const [pk, pv] of Object.entries(v)) {
        if (!addValue(pk, pv, 'values.')) keep(pk, scalar(pv) ?? JSON.stringify(pv));
      }
      continue;
    }
    if (k === 'flags' && isObject(v)) {
      for (const [pk, pv] of Object.entries(v)) {
        const { role } = mapHeader(pk);
        if (role.role === 'param' && typeof pv === 'string') flags[role.param] = pv;
      }
      continue;
    }
    if (k === 'source' || k === 'registered') continue;
    const { role } = mapHeader(key);
    switch (role.role) {
      case 'site': site = scalar(v)?.toString(); break;
      case 'siteCode': siteCode = scalar(v)?.toString(); break;
      case 'time': time = scalar(v); break;
      case 'param': addValue(key, v, ''); break;
      case 'flag': if (typeof v === 'string') flags[role.param] = v; break;
      case 'ignore': if (v !== null) keep(key, scalar(v) ?? JSON.stringify(v)); break;
      default: break;
    }
  }
  return {
    line, site: site ?? siteCode, time, cells,
    ...(Object.keys(flags).length > 0 ? { flags } : {}),
    ...(Object.keys(unknown).length > 0 ? { unknown } : {}),
    ...(faults ? { faults } : {}),
  };
}

export async function* parseNdjson(chunks: AsyncIterable<string>, ctx: ParseContext): AsyncGenerator<ParseEvent[]> {
  const records = new RecordEvents(ctx);
  for await (const batch of lineBatches(chunks, ctx.maxLineBytes)) {
    const out: ParseEvent[] = [];
    for (const [line, text] of batch) {
      if (text === undefined) { out.push({ type: 'rejected', line, reason: lineTooLong(ctx.maxLineBytes) }); continue; }
      const t = text.trim();
      if (t !== '') parseElement(t, line, records, out);
    }
    if (out.length > 0) yield out;
  }
  const tail: ParseEvent[] = [];
  records.finish(tail);
  if (tail.length > 0) yield tail;
}

function parseElement(text: string, line: number, records: RecordEvents, out: ParseEvent[]): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    out.push({ type: 'rejected', line, reason: safeText(`not valid JSON: ${(err as Error).message}`) });
    return;
  }
  if (!isObject(value)) {
    out.push({ type: 'rejected', line, reason: `expected a JSON object per sample, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` });
    return;
  }
  // JSON.parse does not recurse; what reads the object afterwards (JSON.stringify of a nested value) does.
  if (nestsDeeper(value)) { out.push({ type: 'rejected', line, reason: tooDeep(MAX_JSON_DEPTH) }); return; }
  if (Object.keys(value).length > MAX_COLUMNS) {
    out.push({ type: 'rejected', line, reason: `the object has ${Object.keys(value).length.toLocaleString('en')} keys; at most ${MAX_COLUMNS.toLocaleString('en')} are read` });
    return;
  }
  records.push(objectRecord(value, line), out);
}

/** One element of the sample array as found by the scanner: its text, or why it is not read. */
export type Element = { readonly line: number; readonly text: string } | { readonly line: number; readonly problem: string };

/**
 * Root keys under which an export keeps its array of samples (`{"samples": [...]}`, a platform API's
 * `{"code": 0, "data": [...]}`), and the envelopes one level up that hold such a key
 * (`{"data": {"records": [...], "total": 9}}`, a paged API's answer). The first such array is read.
 */
export const SAMPLE_ARRAY_KEYS: ReadonlySet<string> = new Set(['samples', 'data', 'rows', 'records', 'list', 'items', 'result', 'results', 'datalist']);
export const ENVELOPE_KEYS: ReadonlySet<string> = new Set(['data', 'result', 'body', 'page']);

/** Whether a parsed object keeps its samples in an array as `arrayElements` finds it (not an NDJSON line). */
export function holdsSampleArray(v: object): boolean {
  const entries = Object.entries(v);
  if (entries.some(([k, x]) => SAMPLE_ARRAY_KEYS.has(k.toLowerCase()) && Array.isArray(x))) return true;
  return entries.some(([k, x]) => ENVELOPE_KEYS.has(k.toLowerCase()) && typeof x === 'object' && x !== null && !Array.isArray(x)
    && Object.entries(x).some(([k2, y]) => SAMPLE_ARRAY_KEYS.has(k2.toLowerCase()) && Array.isArray(y)));
}

const TRUNCATED = 'the JSON ends early: brackets or quotes are not closed (truncated upload?)';
const tooDeep = (max: number) => `nested deeper than ${max} levels: not a sample`;

/**
 * Yields each element of the sample array with its starting line: the root array, or the first array
 * under one of SAMPLE_ARRAY_KEYS in the root object or in an ENVELOPE_KEYS object inside it; other
 * keys are skipped. A character scan with a depth counter
 * — no recursion, so nesting of any depth costs nothing but time. An element longer than
 * `maxBytes` (in characters: at most that many bytes) or nested deeper than `maxDepth` is not held:
 * it comes out as a problem once its end is found.
 */
export async function* arrayElements(
  chunks: AsyncIterable<string>, file: string, maxBytes: number = MAX_LINE_BYTES, maxDepth: number = MAX_JSON_DEPTH,
): AsyncGenerator<Element> {
  let line = 1;
  let depth = 0; // nesting depth of the current position
  let arrayDepth = -1; // depth at which sample elements sit (1 for a root array, 2 under "samples", 3 under "data"."records"); -2 once it has ended
  let inString = false;
  let escaped = false;
  let lastKey = ''; // the last string read at depth 1 or 2 before the samples: before a '[' or '{', its key
  let envelope = false; // inside an ENVELOPE_KEYS object of the root (depth 2)
  let keyParts: string[] | null = null;
  let keyFrom = 0;
  let sawRoot = false;
  // The element being read: its text so far (dropped once it is too long or deep), where it started.
  let elem: { parts: string[]; size: number; line: number; container: boolean; problem: string | undefined } | null = null;
  let elemFrom = 0;

  const finish = (chunk: string, to: number): Element => {
    const e = elem!;
    elem = null;
    if (e.problem === undefined) {
      e.size += to - elemFrom;
      if (e.size > maxBytes) e.problem = `the element is longer than ${maxBytes.toLocaleString('en')} characters (the bound for one record)`;
    }
    return e.problem !== undefined ? { line: e.line, problem: e.problem } : { line: e.line, text: e.parts.join('') + chunk.slice(elemFrom, to) };
  };

  for await (const chunk of chunks) {
    elemFrom = 0;
    keyFrom = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (ch === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === 92) escaped = true;
        else if (ch === 34) {
          inString = false;
          if (keyParts) { keyParts.push(chunk.slice(keyFrom, i)); lastKey = keyParts.join(''); keyParts = null; }
        }
        continue;
      }
      if (ch === 32 || ch === 10 || ch === 13 || ch === 9) continue;
      if (!elem && depth === arrayDepth && ch !== 44 && ch !== 93) {
        elem = { parts: [], size: 0, line, container: ch === 123 || ch === 91, problem: undefined };
        elemFrom = i;
      }
      if (ch === 34) {
        inString = true;
        if ((depth === 1 || (depth === 2 && envelope)) && arrayDepth === -1 && !elem) { keyParts = []; keyFrom = i + 1; }
        continue;
      }
      if (ch === 123 || ch === 91) {
        if (!sawRoot) {
          sawRoot = true;
          if (ch === 91) arrayDepth = 1;
        } else if (arrayDepth === -1 && ch === 91 && (depth === 1 || (depth === 2 && envelope)) && SAMPLE_ARRAY_KEYS.has(lastKey.toLowerCase())) {
          arrayDepth = depth + 1;
        } else if (arrayDepth === -1 && ch === 123 && depth === 1) {
          envelope = ENVELOPE_KEYS.has(lastKey.toLowerCase());
        }
        lastKey = '';
        depth++;
        if (elem && elem.problem === undefined && depth - arrayDepth > maxDepth) {
          elem.problem = tooDeep(maxDepth);
          elem.parts = [];
        }
      } else if (ch === 125 || ch === 93) {
        depth--;
        if (depth === 1) envelope = false;
        if (elem && elem.container && depth === arrayDepth) {
          yield finish(chunk, i + 1);
        } else if (arrayDepth > 0 && depth === arrayDepth - 1) {
          if (elem) yield finish(chunk, i); // a scalar element ends at the array's close
          arrayDepth = -2;
        }
      } else if (ch === 44 && elem && !elem.container && depth === arrayDepth) {
        yield finish(chunk, i);
      }
    }
    if (elem) {
      const e: { parts: string[]; size: number; problem: string | undefined } = elem;
      if (e.problem === undefined) {
        e.size += chunk.length - elemFrom;
        if (e.size > maxBytes) { e.problem = `the element is longer than ${maxBytes.toLocaleString('en')} characters (the bound for one record)`; e.parts = []; }
        else e.parts.push(chunk.slice(elemFrom));
      }
    }
    if (keyParts) keyParts.push(chunk.slice(keyFrom));
  }
  if (!sawRoot) throw new FileRejectedError(file, 'is not JSON: no array or object found', '不是 JSON：找不到数组或对象');
  if (arrayDepth === -1) throw new FileRejectedError(file, 'is JSON but holds no samples: expected an array of samples, or an object with one under "samples" (or "data", "rows", "records", "list", "items", "result"), directly or inside "data"/"result"', '是 JSON，但不含监测样品（应为样品数组，或含 samples、data、records 等数组的对象）');
  if (depth !== 0 || inString) {
    const e = elem as { line: number; problem: string | undefined } | null;
    yield { line: e?.line ?? line, problem: e?.problem ?? TRUNCATED };
  }
}

/** Whether a parsed value nests deeper than `max` (walked without recursion, stopping at the bound). */
export function nestsDeeper(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return false;
}

export async function* parseJson(chunks: AsyncIterable<string>, ctx: ParseContext): AsyncGenerator<ParseEvent[]> {
  const records = new RecordEvents(ctx);
  let out: ParseEvent[] = [];
  for await (const el of arrayElements(chunks, ctx.file, ctx.maxLineBytes)) {
    if ('problem' in el) out.push({ type: 'rejected', line: el.line, reason: el.problem });
    else parseElement(el.text, el.line, records, out);
    if (out.length >= 1000) { yield out; out = []; }
  }
  records.finish(out);
  if (out.length > 0) yield out;
}
