/**
 * HJ 212-2017 (and 2005) packet logs — docs/domain.md#hj-212-2017. No maintained JavaScript parser exists.
 * Frame: `##` + 4-digit data length + data segment + 4 hex CRC16 + CRLF. A log line may carry a
 * timestamp or other prefix before `##`, and a line may hold several frames.
 */
import type { ParamId } from '../domain/parameters.js';
import { paramByHjCode } from '../domain/parameters.js';
import type { Sample } from '../domain/sample.js';
import { implausibility } from '../domain/sample.js';
import { formatInstant, parseTime } from '../domain/time.js';
import { lineBatches, lineTooLong } from './lines.js';
import type { CellFault, ParseContext, ParseEvent } from './types.js';
import { DEFAULT_MIN_PLAUSIBLE_YEAR, MAX_CELL_CHARS, MAX_QUOTED_CHARS } from '../limits.js';
import { quote, safeText } from '../safe-text.js';
import { earliestTime, shownValue, siteNameProblem } from './record.js';
import { parseCell } from './values.js';
import { cellEvent } from './record-events.js';

/**
 * HJ 212's CRC16: init 0xFFFF; per byte crc = (crc >> 8) ^ b, then 8 shifts with 0xA001; no final
 * xor. After the first step the value is a single byte, so the 8 shifts are a 256-entry table.
 */
const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let x = 0; x < 256; x++) {
    let c = x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[x] = c;
  }
  return t;
})();

export function crc16(data: Uint8Array | string): number {
  let crc = 0xffff;
  if (typeof data === 'string') {
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c > 0x7f) return crc16(Buffer.from(data, 'utf8')); // non-ASCII: the CRC is over UTF-8 bytes
      crc = CRC_TABLE[(crc >>> 8) ^ c] as number;
    }
    return crc;
  }
  for (let i = 0; i < data.length; i++) crc = CRC_TABLE[(crc >>> 8) ^ (data[i] as number)] as number;
  return crc;
}

/** The textbook bit-by-bit form, kept to check the table against. */
export function crc16Bitwise(bytes: Uint8Array): number {
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
    return { ok: false, reason: `frame has no 4-digit length after '##' (found ${quote(lenText)})`, end: nextFrame(text, start + 2) };
  }
  const declared = Number(lenText);
  const from = start + 6;
  // The length counts bytes; data segments are ASCII in practice, so bytes equal characters.
  const data = text.slice(from, from + declared);
  const crcText = text.slice(from + declared, from + declared + 4);
  const byteLen = isAscii(data) ? data.length : Buffer.byteLength(data, 'utf8');
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

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
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
  const packet: { -readonly [K in keyof Packet]: Packet[K] } = { cp: data.slice(cpAt + 5, cpEnd) };
  let start = 0;
  while (start < cpAt) {
    let end = data.indexOf(';', start);
    if (end < 0 || end > cpAt) end = cpAt;
    const eq = data.indexOf('=', start);
    if (eq > start && eq < end) {
      const value = data.slice(eq + 1, end).trim();
      switch (data.slice(start, eq).trim().toUpperCase()) {
        case 'QN': packet.qn = value; break;
        case 'ST': packet.st = value; break;
        case 'CN': packet.cn = value; break;
        case 'PW': packet.pw = value; break;
        case 'MN': packet.mn = value; break;
        case 'FLAG': packet.flag = value; break;
        default: break;
      }
    }
    start = end + 1;
  }
  return packet;
}

/** One pollutant's fields in a CP list; the common suffixes have slots, the rest go to `other`. */
export class PollutantFields {
  Rtd: string | undefined = undefined;
  Avg: string | undefined = undefined;
  Min: string | undefined = undefined;
  Max: string | undefined = undefined;
  Cou: string | undefined = undefined;
  Flag: string | undefined = undefined;
  other: Record<string, string> | undefined = undefined;

  set(suffix: string, value: string): void {
    switch (suffix) {
      case 'Rtd': this.Rtd = value; break;
      case 'Avg': this.Avg = value; break;
      case 'Min': this.Min = value; break;
      case 'Max': this.Max = value; break;
      case 'Cou': this.Cou = value; break;
      case 'Flag': this.Flag = value; break;
      default: (this.other ??= {})[suffix] = value;
    }
  }

  /** Every field as suffix → value, for keeping an unknown pollutant as written. */
  entries(): [string, string][] {
    const e: [string, string][] = [];
    for (const k of ['Rtd', 'Avg', 'Min', 'Max', 'Cou', 'Flag'] as const) if (this[k] !== undefined) e.push([k, this[k] as string]);
    if (this.other) e.push(...Object.entries(this.other));
    return e;
  }
}

export interface CpFields {
  readonly dataTime?: string;
  readonly pollutants: Map<string, PollutantFields>;
}

/** Parses `DataTime=…;code-Suffix=v,code-Suffix=v;…` by scanning, without splitting into arrays. */
export function parseCp(cp: string): CpFields {
  let dataTime: string | undefined;
  const pollutants = new Map<string, PollutantFields>();
  let start = 0;
  const n = cp.length;
  while (start < n) {
    let end = start;
    while (end < n) {
      const c = cp.charCodeAt(end);
      if (c === 59 /* ; */ || c === 44 /* , */) break;
      end++;
    }
    const eq = cp.indexOf('=', start);
    if (eq > start && eq < end) {
      const value = cp.slice(eq + 1, end).trim();
      const dash = cp.lastIndexOf('-', eq);
      if (dash > start) {
        const code = cp.slice(start, dash).trim();
        let rec = pollutants.get(code);
        if (!rec) { rec = new PollutantFields(); pollutants.set(code, rec); }
        rec.set(cp.slice(dash + 1, eq).trim(), value);
      } else if (cp.slice(start, eq).trim() === 'DataTime') {
        dataTime = value;
      }
    }
    start = end + 1;
  }
  return { ...(dataTime !== undefined ? { dataTime } : {}), pollutants };
}

const NUM = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Turns one checked packet into a sample, a skip (no data by design) or a rejection. */
/** Turns one checked packet into events (a sample, a skip or a rejection, and any warnings) on `out`. */
export function packetToEvent(
  packet: Packet, line: number, ctx: ParseContext, unknownCodes: Set<string>, out: ParseEvent[], tally: { missing: number } = { missing: 0 },
): void {
  const cmd = packet.cn ? DATA_COMMANDS[packet.cn] : undefined;
  if (!cmd) {
    const what = packet.cn ? (NON_DATA[packet.cn] ?? 'a command that is not a data upload') : 'no CN';
    out.push({ type: 'skipped', line, reason: safeText(`CN=${packet.cn ?? '?'} (${what}) carries no samples`) });
    return;
  }
  const reject = (reason: string) => { out.push({ type: 'rejected', line, reason: safeText(reason) }); };
  if (!packet.mn) return reject('packet has no MN (station code)');
  const mnProblem = siteNameProblem(packet.mn);
  if (mnProblem) return reject(`MN: ${mnProblem}`);
  const { dataTime, pollutants } = parseCp(packet.cp);
  if (!dataTime) return reject(`CN=${packet.cn} packet has no DataTime in CP`);
  const time = parseTime(dataTime, ctx.zone);
  if (time === null) return reject(`DataTime ${quote(dataTime)} is not yyyyMMddHHmmss`);
  if (time > ctx.notAfter) return reject(`DataTime ${quote(dataTime)} lies in the future (after ${formatInstant(ctx.notAfter, ctx.zone)})`);
  const minYear = ctx.minYear ?? DEFAULT_MIN_PLAUSIBLE_YEAR;
  if (time < earliestTime(ctx)) return reject(`DataTime ${quote(dataTime)} lies before ${minYear}: not a plausible monitoring time`);

  const values: Partial<Record<ParamId, number>> = {};
  const flags: Partial<Record<ParamId, string>> = {};
  let min: Partial<Record<ParamId, number>> | undefined;
  let max: Partial<Record<ParamId, number>> | undefined;
  let unknown: Record<string, number | string> | undefined;
  let faults: CellFault[] | undefined;
  const fault = (param: string, value: string, reason: string) => {
    (faults ??= []).push({ line, param: safeText(param, { max: MAX_QUOTED_CHARS }), value: shownValue(value), reason: safeText(reason) });
  };
  let any = false;
  const num = (t: string | undefined, factor: number) => {
    const x = t !== undefined && NUM.test(t) ? Number(t) * factor : NaN;
    return Number.isFinite(x) ? x : undefined;
  };
  for (const [code, fields] of pollutants) {
    const info = paramByHjCode(code);
    if (!info) {
      unknown ??= {};
      for (const [suffix, v] of fields.entries()) {
        if (v.length > MAX_CELL_CHARS) { fault(code, v, `${quote(`${code}-${suffix}`)}: longer than ${MAX_CELL_CHARS} characters`); continue; }
        unknown[`${code}-${suffix}`] = NUM.test(v) ? Number(v) : v;
      }
      if (!unknownCodes.has(code)) {
        unknownCodes.add(code);
        out.push({ type: 'warning', message: `pollutant code ${quote(code)} is not in the catalogue; its values are kept as written` });
      }
      continue;
    }
    const factor = info.hjFactor ?? 1;
    const flag = fields.Flag?.trim();
    if (flag) { flags[info.id] = flag; any = true; }
    const main = fields[cmd.field] ?? fields.Rtd ?? fields.Avg;
    if (main !== undefined && parseCell(main).kind === 'missing') {
      // `w21003-Avg=` or `=--`: no value this period, counted like a blank cell.
      tally.missing++;
      delete flags[info.id];
    } else if (main !== undefined) {
      const v = num(main, factor);
      if (v === undefined) { fault(info.id, main, `${code}-${cmd.field}: not a number`); delete flags[info.id]; continue; }
      // Only valid (N) data must be physically plausible; flagged values are kept as the station sent them.
      const why = flag && flag !== 'N' ? null : implausibility(info.id, v);
      if (why) { fault(info.id, main, `${code}: ${why}`); delete flags[info.id]; continue; }
      if (values[info.id] !== undefined) {
        fault(info.id, main, `${code}: ${info.id} was already given by another code in this packet; the first is kept`);
        continue;
      }
      values[info.id] = v;
      any = true;
    }
    const lo = num(fields.Min, factor);
    if (lo !== undefined) (min ??= {})[info.id] = lo;
    const hi = num(fields.Max, factor);
    if (hi !== undefined) (max ??= {})[info.id] = hi;
    if (fields.Cou !== undefined) (unknown ??= {})[`${code}-Cou`] = num(fields.Cou, 1) ?? fields.Cou;
  }
  const noValue = Object.keys(values).length === 0;
  if (!unknown && (!any || (noValue && (faults || Object.keys(flags).length === 0)))) {
    const why = faults ? `CN=${packet.cn} packet carries no valid pollutant value` : `CN=${packet.cn} packet carries no pollutant values`;
    return reject([why, ...(faults ?? []).map((f) => `${f.reason}, got ${quote(f.value)}`)].join('; '));
  }
  const site = ctx.registry.resolve(packet.mn);
  const sample: { -readonly [K in keyof Sample]: Sample[K] } = {
    site: site.id, registered: site.registered, time, values, flags, interval: cmd.interval,
    source: { file: ctx.file, line },
  };
  if (min) sample.min = min;
  if (max) sample.max = max;
  if (unknown) sample.unknown = unknown;
  out.push({ type: 'sample', sample });
  if (faults) for (const f of faults) out.push(cellEvent(f));
}

export async function* parseHj212(chunks: AsyncIterable<string>, ctx: ParseContext): AsyncGenerator<ParseEvent[]> {
  const unknownCodes = new Set<string>();
  const tally = { missing: 0 };
  for await (const batch of lineBatches(chunks, ctx.maxLineBytes)) {
    const out: ParseEvent[] = [];
    for (const [line, text] of batch) {
      if (text === undefined) out.push({ type: 'rejected', line, reason: lineTooLong(ctx.maxLineBytes) });
      else parseLogLine(text, line, ctx, unknownCodes, out, tally);
    }
    if (out.length > 0) yield out;
  }
  if (tally.missing > 0) yield [{ type: 'missing', count: tally.missing }];
}

/** Fields only a data segment has. */
const PACKET_CONTENT = /(?:^|;)\s*(?:QN|ST|CN|MN|PW|CP)=|DataTime=|&&/;

function parseLogLine(
  text: string, line: number, ctx: ParseContext, unknownCodes: Set<string>, out: ParseEvent[], tally: { missing: number },
): void {
  let at = text.indexOf('##');
  if (at < 0) {
    const t = text.trim();
    if (t === '') return;
    // A log holds more than packets: connection messages, bare timestamps. Only what looks like a
    // packet that lost its frame is data lost.
    if (PACKET_CONTENT.test(t)) out.push({ type: 'rejected', line, reason: `HJ 212 packet content without its '##' frame header: ${quote(t)}` });
    else out.push({ type: 'skipped', line, reason: `log line, not a packet: ${quote(t)}` });
    return;
  }
  while (at >= 0) {
    const f = checkFrame(text, at);
    if (!f.ok) {
      out.push({ type: 'rejected', line, reason: safeText(f.reason) });
    } else {
      const packet = parseDataSegment(f.data);
      if (typeof packet === 'string') out.push({ type: 'rejected', line, reason: safeText(packet) });
      else packetToEvent(packet, line, ctx, unknownCodes, out, tally);
    }
    at = text.indexOf('##', Math.max(f.end, at + 2));
  }
}
