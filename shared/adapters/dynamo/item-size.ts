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

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Numbers: 1 byte per two significant digits (leading and trailing zeros trimmed), plus 1. */
function numberBytes(n: number | bigint): number {
  const mantissa = String(n).replace(/^-/, '').split(/e/i)[0] as string;
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** The size of one value as the document client marshals it (names not included). */
function valueBytes(v: unknown): number {
  if (typeof v === 'string') return utf8Bytes(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numberBytes(v);
  if (typeof v === 'boolean' || v === null) return 1;
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) {
    let n = 0;
    for (const e of v) n += valueBytes(e);
    return n;
  }
  if (Array.isArray(v)) {
    let n = LIST_OR_MAP_BYTES;
    for (const e of v) if (e !== undefined) n += ELEMENT_BYTES + valueBytes(e);
    return n;
  }
  if (typeof v === 'object') {
    let n = LIST_OR_MAP_BYTES;
    for (const [k, e] of Object.entries(v)) if (e !== undefined) n += ELEMENT_BYTES + utf8Bytes(k) + valueBytes(e);
    return n;
  }
  throw new TypeError(`DynamoDB cannot store a ${typeof v}`);
}

/** An item's size in bytes: the UTF-8 lengths of its attribute names plus the sizes of their values. */
export function itemBytes(item: object): number {
  let n = 0;
  for (const [name, v] of Object.entries(item)) if (v !== undefined) n += utf8Bytes(name) + valueBytes(v);
  return n;
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
