/**
 * HJ 212-2017 (and 2005) packet logs — water-domain.md §6. No maintained JavaScript parser exists.
 * Frame: `##` + 4-digit data length + data segment + 4 hex CRC16 + CRLF. A log line may carry a
 * timestamp or other prefix before `##`, and a line may hold several frames.
 */
import type { ParamId } from '../domain/parameters.js';
import { paramByHjCode } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { implausibility } from '../domain/sample.js';
import { formatInstant, parseTime } from '../domain/time.js';
import { lines } from './decode.js';
import type { ParseContext, ParseEvent } from './types.js';

/** HJ 212's CRC16: init 0xFFFF; per byte crc = (crc >> 8) ^ b, then 8 shifts with 0xA001; no final xor. */
export function crc16(data: Uint8Array | string): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = 0xffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = (crc >> 8) ^ (bytes[i] as number);
    for (let k = 0; k < 8; k++) {
      const lsb = crc & 1;
      crc >>= 1;
      if (lsb) crc ^= 0xa001;
    }
  }
  return crc;
}

export const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');

/** Wraps a data segment in a frame (for tests and the sample generator). */
export function frame(dataSegment: string): string {
  const len = Buffer.byteLength(dataSegment, 'utf8');
  return `##${String(len).padStart(4, '0')}${dataSegment}${hex4(crc16(dataSegment))}\r\n`;
}

/** The data commands that carry samples, and the value field each reports. */
export const DATA_COMMANDS: Readonly<Record<string, { interval: Interval; field: 'Rtd' | 'Avg'; name: string }>> = {
  '2011': { interval: 'rtd', field: 'Rtd', name: 'real-time data' },
  '2051': { interval: 'minute', field: 'Avg', name: 'minute data' },
  '2061': { interval: 'hour', field: 'Avg', name: 'hourly data' },
  '2031': { interval: 'day', field: 'Avg', name: 'daily data' },
};

export type Interval = 'rtd' | 'minute' | 'hour' | 'day';

const NON_DATA: Readonly<Record<string, string>> = {
  '2021': 'equipment status', '9011': 'request reply', '9012': 'execution result', '9013': 'notification reply',
  '9014': 'data reply', '9015': 'heartbeat', '1061': 'setting', '1062': 'setting', '1063': 'setting', '1064': 'setting',
};

export interface Packet {
  readonly qn?: string;
  readonly st?: string;
  readonly cn?: string;
  readonly pw?: string;
  readonly mn?: string;
  readonly flag?: string;
  readonly cp: string;
}

export type FrameResult =
  | { readonly ok: true; readonly data: string; readonly end: number }
  | { readonly ok: false; readonly reason: string; readonly end: number };

/** Checks one frame starting at `start` (the `##`) in `text`: length field and CRC. */
export function checkFrame(text: string, start: number): FrameResult {
  const lenText = text.slice(start + 2, start + 6);
  if (!/^\d{4}$/.test(lenText)) {
    return { ok: false, reason: `frame has no 4-digit length after '##' (found '${lenText}')`, end: nextFrame(text, start + 2) };
  }
  const declared = Number(lenText);
  const from = start + 6;
  // The length counts bytes; data segments are ASCII in practice, so bytes equal characters.
  const data = text.slice(from, from + declared);
  const crcText = text.slice(from + declared, from + declared + 4);
  const byteLen = Buffer.byteLength(data, 'utf8');
  if (data.length < declared || byteLen !== declared || !/^[0-9a-fA-F]{4}$/.test(crcText) || !data.endsWith('&&')) {
    const end = nextFrame(text, start + 2);
    const seg = text.slice(from, end).replace(/\s+$/, '');
    const actual = /[0-9a-fA-F]{4}$/.test(seg) ? Buffer.byteLength(seg.slice(0, -4), 'utf8') : Buffer.byteLength(seg, 'utf8');
    return { ok: false, reason: `length field says ${declared} bytes but the data segment has ${actual}`, end };
  }
  const expected = crc16(data);
  if (parseInt(crcText, 16) !== expected) {
    return { ok: false, reason: `CRC mismatch: packet says ${crcText.toUpperCase()}, data segment gives ${hex4(expected)}`, end: from + declared + 4 };
  }
  return { ok: true, data, end: from + declared + 4 };
}

function nextFrame(text: string, from: number): number {
  const i = text.indexOf('##', from);
  return i < 0 ? text.length : i;
}

/** Splits a data segment into its header fields and the CP content. */
export function parseDataSegment(data: string): Packet | string {
  const cpAt = data.indexOf('CP=&&');
  if (cpAt < 0) return 'data segment has no CP=&&…&& part';
  const cpEnd = data.lastIndexOf('&&');
  if (cpEnd < cpAt + 5) return 'CP part is not closed by &&';
  const headerFields: Record<string, string> = {};
  for (const part of data.slice(0, cpAt).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) headerFields[part.slice(0, eq).trim().toUpperCase()] = part.slice(eq + 1).trim();
  }
  const pick = (k: string) => headerFields[k];
  return {
    ...(pick('QN') !== undefined ? { qn: pick('QN') } : {}),
    ...(pick('ST') !== undefined ? { st: pick('ST') } : {}),
    ...(pick('CN') !== undefined ? { cn: pick('CN') } : {}),
    ...(pick('PW') !== undefined ? { pw: pick('PW') } : {}),
    ...(pick('MN') !== undefined ? { mn: pick('MN') } : {}),
    ...(pick('FLAG') !== undefined ? { flag: pick('FLAG') } : {}),
    cp: data.slice(cpAt + 5, cpEnd),
  };
}

export interface CpFields {
  readonly dataTime?: string;
  /** code → suffix → value, e.g. w21003 → { Avg: '0.52', Flag: 'N' }. */
  readonly pollutants: Map<string, Record<string, string>>;
}

export function parseCp(cp: string): CpFields {
  let dataTime: string | undefined;
  const pollutants = new Map<string, Record<string, string>>();
  for (const group of cp.split(';')) {
    for (const field of group.split(',')) {
      const eq = field.indexOf('=');
      if (eq <= 0) continue;
      const key = field.slice(0, eq).trim();
      const value = field.slice(eq + 1).trim();
      if (key === 'DataTime') { dataTime = value; continue; }
      const dash = key.lastIndexOf('-');
      if (dash <= 0) continue;
      const code = key.slice(0, dash);
      const suffix = key.slice(dash + 1);
      let rec = pollutants.get(code);
      if (!rec) { rec = {}; pollutants.set(code, rec); }
      rec[suffix] = value;
    }
  }
  return { ...(dataTime !== undefined ? { dataTime } : {}), pollutants };
}

const NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Turns one checked packet into a sample, a skip (no data by design) or a rejection. */
export function packetToEvent(packet: Packet, line: number, ctx: ParseContext, unknownCodes: Set<string>): ParseEvent[] {
  const cmd = packet.cn ? DATA_COMMANDS[packet.cn] : undefined;
  if (!cmd) {
    const what = packet.cn ? (NON_DATA[packet.cn] ?? 'a command that is not a data upload') : 'no CN';
    return [{ type: 'skipped', line, reason: `CN=${packet.cn ?? '?'} (${what}) carries no samples` }];
  }
  if (!packet.mn) return [{ type: 'rejected', line, reason: 'packet has no MN (station code)' }];
  const { dataTime, pollutants } = parseCp(packet.cp);
  if (!dataTime) return [{ type: 'rejected', line, reason: `CN=${packet.cn} packet has no DataTime in CP` }];
  const time = parseTime(dataTime, ctx.zone);
  if (time === null) return [{ type: 'rejected', line, reason: `DataTime '${dataTime}' is not yyyyMMddHHmmss` }];
  if (time > ctx.notAfter) return [{ type: 'rejected', line, reason: `DataTime '${dataTime}' lies in the future (after ${formatInstant(ctx.notAfter, ctx.zone)})` }];

  const events: ParseEvent[] = [];
  const values: Partial<Record<ParamId, number>> = {};
  const flags: Partial<Record<ParamId, string>> = {};
  const min: Partial<Record<ParamId, number>> = {};
  const max: Partial<Record<ParamId, number>> = {};
  const unknown: Record<string, number | string> = {};
  const problems: string[] = [];
  for (const [code, fields] of pollutants) {
    const info = paramByHjCode(code);
    const main = fields[cmd.field] ?? fields.Rtd ?? fields.Avg;
    if (!info) {
      for (const [suffix, v] of Object.entries(fields)) unknown[`${code}-${suffix}`] = NUM.test(v) ? Number(v) : v;
      if (!unknownCodes.has(code)) {
        unknownCodes.add(code);
        events.push({ type: 'warning', message: `pollutant code '${code}' is not in the catalogue; its values are kept as written` });
      }
      continue;
    }
    const factor = info.hjFactor ?? 1;
    const flag = fields.Flag?.trim();
    if (flag) flags[info.id] = flag;
    if (main !== undefined) {
      if (!NUM.test(main)) { problems.push(`${code}-${cmd.field} is not a number: '${main}'`); continue; }
      const v = Number(main) * factor;
      if (!Number.isFinite(v)) { problems.push(`${code}-${cmd.field} is not a finite number: '${main}'`); continue; }
      // Only valid (N) data must be physically plausible; flagged values are kept as the station sent them.
      const why = flag && flag !== 'N' ? null : implausibility(info.id, v);
      if (why) { problems.push(`${code}: ${why}`); continue; }
      values[info.id] = v;
    }
    for (const [suffix, target] of [['Min', min], ['Max', max]] as const) {
      const t = fields[suffix];
      const x = t !== undefined && NUM.test(t) ? Number(t) * factor : NaN;
      if (Number.isFinite(x)) target[info.id] = x;
    }
    if (fields.Cou !== undefined) unknown[`${code}-Cou`] = NUM.test(fields.Cou) ? Number(fields.Cou) : fields.Cou;
  }
  if (problems.length > 0) return [...events, { type: 'rejected', line, reason: problems.join('; ') }];
  if (Object.keys(values).length === 0 && Object.keys(flags).length === 0 && Object.keys(unknown).length === 0) {
    return [...events, { type: 'rejected', line, reason: `CN=${packet.cn} packet carries no pollutant values` }];
  }
  const site = ctx.registry.resolve(packet.mn);
  const sample: Sample = {
    site: site.id, registered: site.registered, time, values, flags,
    ...(Object.keys(min).length > 0 ? { min } : {}),
    ...(Object.keys(max).length > 0 ? { max } : {}),
    ...(Object.keys(unknown).length > 0 ? { unknown } : {}),
    interval: cmd.interval,
    source: { file: ctx.file, line },
  };
  events.push({ type: 'sample', sample });
  return events;
}

export async function* parseHj212(chunks: AsyncIterable<string>, ctx: ParseContext): AsyncGenerator<ParseEvent> {
  const unknownCodes = new Set<string>();
  for await (const [line, text] of lines(chunks)) {
    let at = text.indexOf('##');
    if (at < 0) {
      if (text.trim() !== '') yield { type: 'rejected', line, reason: `not an HJ 212 packet (no '##'): '${text.slice(0, 60)}'` };
      continue;
    }
    while (at >= 0) {
      const f = checkFrame(text, at);
      if (!f.ok) {
        yield { type: 'rejected', line, reason: f.reason };
      } else {
        const packet = parseDataSegment(f.data);
        if (typeof packet === 'string') yield { type: 'rejected', line, reason: packet };
        else yield* packetToEvent(packet, line, ctx, unknownCodes);
      }
      at = text.indexOf('##', Math.max(f.end, at + 2));
    }
  }
}
