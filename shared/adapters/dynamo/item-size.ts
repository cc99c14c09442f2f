/**
 * An item's size as DynamoDB counts it, and the documented limits every write is checked against
 * before it is sent — so that dynalite (which counts string sizes in UTF-16 units and checks no key
 * length) refuses exactly what DynamoDB would, and a refusal is a clear reason instead of a failed
 * batch. The counting rules are DynamoDB's "Item sizes and formats":
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
import { DYNAMO_MAX_ITEM_BYTES, DYNAMO_MAX_PARTITION_KEY_BYTES, DYNAMO_MAX_SORT_KEY_BYTES } from '../../limits.js';
import { FILE_INDEX, TABLE_KEYS } from './table-design.js';

/** A List or Map costs 3 bytes whatever it holds, and each of its elements 1 byte more. */
const LIST_OR_MAP_BYTES = 3;
const ELEMENT_BYTES = 1;

/** A string's length in UTF-8 bytes (as Buffer.byteLength counts it: a lone surrogate is 3), without a native call per short string. */
export function utf8Bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 2; i++; } // a pair: 4 bytes for 2 units
    else n += 2;
  }
  return n;
}

const ZERO = 48;
const NINE = 57;

/** Numbers: 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1. */
function numberBytes(n: number | bigint): number {
  const text = String(n);
  let first = -1;
  let last = -1;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 || c === 69) break; // 'e': the exponent is not part of the digits
    if (c < ZERO || c > NINE) continue; // '-', '.'
    digits++;
    if (c !== ZERO) { if (first < 0) first = digits; last = digits; }
  }
  const significant = first < 0 ? 1 : last - first + 1;
  return Math.ceil(significant / 2) + 1;
}

/** At most 38 significant digits: 19 bytes of digits, plus 1 (rounded up, plus 1 spare). */
const NUMBER_BYTES_AT_MOST = 21;

/**
 * The size of one value as the document client marshals it (names not included); with `exact`
 * false, numbers count as their largest size — a bound that needs no formatting of the number.
 */
function valueBytes(v: unknown, exact: boolean): number {
  if (typeof v === 'string') return utf8Bytes(v);
  if (typeof v === 'number' || typeof v === 'bigint') return exact ? numberBytes(v) : NUMBER_BYTES_AT_MOST;
  if (typeof v === 'boolean' || v === null) return 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) {
    let n = 0;
    for (const e of v) n += valueBytes(e, exact);
    return n;
  }
  if (Array.isArray(v)) {
    let n = LIST_OR_MAP_BYTES;
    for (const e of v) if (e !== undefined) n += ELEMENT_BYTES + valueBytes(e, exact);
    return n;
  }
  if (typeof v === 'object') return LIST_OR_MAP_BYTES + membersBytes(v, ELEMENT_BYTES, exact);
  throw new TypeError(`DynamoDB cannot store a ${typeof v}`);
}

/** The names and values of an object's members, each with `overhead` bytes more. */
function membersBytes(o: object, overhead: number, exact: boolean): number {
  let n = 0;
  for (const name in o) {
    if (!Object.hasOwn(o, name)) continue;
    const e = (o as Record<string, unknown>)[name];
    if (e !== undefined) n += overhead + utf8Bytes(name) + valueBytes(e, exact);
  }
  return n;
}

/** An item's size in bytes: the UTF-8 lengths of its attribute names plus the sizes of their values. */
export function itemBytes(item: object): number {
  return membersBytes(item, 0, true);
}

const KEY_LIMITS: readonly (readonly [string, string, number])[] = [
  [TABLE_KEYS.partitionKey, 'partition key', DYNAMO_MAX_PARTITION_KEY_BYTES],
  [TABLE_KEYS.sortKey, 'sort key', DYNAMO_MAX_SORT_KEY_BYTES],
  [FILE_INDEX.partitionKey, `partition key of index ${FILE_INDEX.name}`, DYNAMO_MAX_PARTITION_KEY_BYTES],
  [FILE_INDEX.sortKey, `sort key of index ${FILE_INDEX.name}`, DYNAMO_MAX_SORT_KEY_BYTES],
];

const grouped = (n: number) => n.toLocaleString('en-US');

/** Why DynamoDB would refuse to store this item (a key too long or empty, the item too large), or undefined. */
export function refusalOf(item: object): string | undefined {
  for (const [name, what, max] of KEY_LIMITS) {
    const v = (item as Record<string, unknown>)[name];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0) return `its ${what} (${name}) is empty or not a string`;
    const bytes = utf8Bytes(v);
    if (bytes > max) return `its ${what} (${name}) is ${grouped(bytes)} bytes; DynamoDB allows ${grouped(max)}`;
  }
  if (membersBytes(item, 0, false) <= DYNAMO_MAX_ITEM_BYTES) return undefined; // a bound: most items end here
  const bytes = itemBytes(item);
  if (bytes > DYNAMO_MAX_ITEM_BYTES) return `it is ${grouped(bytes)} bytes; DynamoDB allows ${grouped(DYNAMO_MAX_ITEM_BYTES)} per item`;
  return undefined;
}

/** An item DynamoDB would refuse; thrown before the request is sent. */
export class ItemRefusedError extends Error {
  constructor(readonly key: string, readonly reason: string) {
    super(`DynamoDB would refuse the item ${key}: ${reason}`);
    this.name = 'ItemRefusedError';
  }
}

/** Throws ItemRefusedError when DynamoDB would refuse the item. */
export function assertStorable(item: object): void {
  const reason = refusalOf(item);
  if (reason) throw new ItemRefusedError(describeKey(item as Record<string, unknown>), reason);
}

/** The item's key for a message, shortened: keys can be a kilobyte long. */
function describeKey(item: Readonly<Record<string, unknown>>): string {
  const cut = (v: unknown) => {
    const s = String(v);
    return s.length > 80 ? `${s.slice(0, 77)}…` : s;
  };
  return `${cut(item[TABLE_KEYS.partitionKey])} / ${cut(item[TABLE_KEYS.sortKey])}`;
}
