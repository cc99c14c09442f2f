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
import type { ParseContext, ParseEvent } from './types.js';
import { FileRejectedError } from './types.js';
import { lineBatches } from './decode.js';
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
    if (problem) unknown[key] = typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v);
    return false;
  };

  for (const [key, v] of Object.entries(obj)) {
    const k = key.toLowerCase();
    if (k === 'values' && isObject(v)) {
      for (const [pk, pv] of Object.entries(v)) {
        if (!addValue(pk, pv, 'values.')) unknown[pk] = scalar(pv) ?? JSON.stringify(pv);
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
      case 'ignore': if (v !== null) unknown[key] = scalar(v) ?? JSON.stringify(v); break;
      default: break;
    }
  }
  return {
    line, site: site ?? siteCode, time, cells,
    ...(Object.keys(flags).length > 0 ? { flags } : {}),
    ...(Object.keys(unknown).length > 0 ? { unknown } : {}),
  };
}

export async function* parseNdjson(chunks: AsyncIterable<string>, ctx: ParseContext): AsyncGenerator<ParseEvent[]> {
  const records = new RecordEvents(ctx);
  for await (const batch of lineBatches(chunks)) {
    const out: ParseEvent[] = [];
    for (const [line, text] of batch) {
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
  records.push(objectRecord(value, line), out);
}

/**
 * Yields the text of each element of the sample array with its starting line: the root array, or
 * the array under the root object's `samples` key. Other root keys are skipped.
 */
/** Marks the unterminated tail of a truncated array (no JSON text can equal it). */
const TRUNCATED = '\u0000truncated';

async function* arrayElements(chunks: AsyncIterable<string>, file: string): AsyncGenerator<[number, string]> {
  let line = 1;
  let depth = 0; // nesting depth of the current position
  let arrayDepth = -1; // depth at which sample elements sit (1 for a root array, 2 under "samples")
  let inString = false;
  let escaped = false;
  let lastKey = '';
  let keyBuf: string[] | null = null;
  let elem: string[] | null = null;
  let elemStart = 0;
  let elemLine = 0;
  let sawRoot = false;
  let elemStartKey = 0;

  for await (const chunk of chunks) {
    elemStart = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (ch === 10) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === 92) escaped = true;
        else if (ch === 34) {
          inString = false;
          if (keyBuf) { keyBuf.push(chunk.slice(elemStartKey, i)); lastKey = keyBuf.join(''); keyBuf = null; }
        }
        continue;
      }
      if (ch === 34) {
        inString = true;
        if (depth === 1 && arrayDepth < 0 && !elem) { keyBuf = []; elemStartKey = i + 1; }
        continue;
      }
      const opening = ch === 123 || ch === 91;
      const closing = ch === 125 || ch === 93;
      if (opening) {
        if (!sawRoot) {
          sawRoot = true;
          if (ch === 91) arrayDepth = 1;
        } else if (arrayDepth < 0 && depth === 1 && ch === 91 && lastKey.toLowerCase() === 'samples') {
          arrayDepth = 2;
        } else if (depth === arrayDepth && !elem) {
          elem = []; elemStart = i; elemLine = line;
        }
        depth++;
      } else if (closing) {
        depth--;
        if (elem && depth === arrayDepth) {
          elem.push(chunk.slice(elemStart, i + 1));
          yield [elemLine, elem.join('')];
          elem = null;
        } else if (depth === arrayDepth - 1 && arrayDepth > 0) {
          arrayDepth = -2; // the sample array has ended
        }
      } else if (depth === arrayDepth && !elem && ch > 32 && ch !== 44) {
        // a scalar element (number, literal) — collect up to the next comma or bracket
        elem = []; elemStart = i; elemLine = line;
        let j = i;
        while (j < chunk.length && chunk[j] !== ',' && chunk[j] !== ']' && chunk[j] !== '\n') j++;
        yield [elemLine, chunk.slice(i, j)];
        elem = null;
        i = j - 1;
      }
    }
    if (elem) elem.push(chunk.slice(elemStart));
    if (keyBuf) { keyBuf.push(chunk.slice(elemStartKey)); elemStartKey = 0; }
  }
  if (!sawRoot) throw new FileRejectedError(file, 'is not JSON: no array or object found');
  if (arrayDepth === -1) throw new FileRejectedError(file, 'is JSON but holds no samples: expected an array of samples or an object with a "samples" array');
  if (depth !== 0 || inString) {
    yield [elemLine || line, TRUNCATED];
  }
}
export async function* parseJson(chunks: AsyncIterable<string>, ctx: ParseContext): AsyncGenerator<ParseEvent[]> {
  const records = new RecordEvents(ctx);
  let out: ParseEvent[] = [];
  for await (const [line, text] of arrayElements(chunks, ctx.file)) {
    if (text === TRUNCATED) out.push({ type: 'rejected', line, reason: 'the JSON ends early: brackets or quotes are not closed (truncated upload?)' });
    else parseElement(text, line, records, out);
    if (out.length >= 1000) { yield out; out = []; }
  }
  records.finish(out);
  if (out.length > 0) yield out;
}
