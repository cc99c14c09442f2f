/**
 * DynamoDB's item size, counted as DynamoDB documents it (Item sizes and formats; Constraints): the
 * adapters check every item against the limits with this one function before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { itemBytes, refusalOf } from '../../../shared/adapters/dynamo/item-size.js';
import { DYNAMO_MAX_ITEM_BYTES } from '../../../shared/limits.js';

describe('itemBytes: DynamoDB\'s documented rules', () => {
  it('the Constraints page\'s example: "shirt-color" = "R" and "shirt-size" = "M" make 23 bytes', () => {
    expect(itemBytes({ 'shirt-color': 'R', 'shirt-size': 'M' })).toBe(23);
  });

  it('strings and names count in UTF-8 bytes, not characters or UTF-16 units', () => {
    expect(itemBytes({ s: '氨氮' })).toBe(1 + 6);
    expect(itemBytes({ 站点: 'x' })).toBe(6 + 1);
    expect(itemBytes({ e: '😀' })).toBe(1 + 4); // 2 UTF-16 units, 4 UTF-8 bytes
  });

  it('numbers: 1 byte per two significant digits, leading and trailing zeros trimmed, plus 1', () => {
    expect(itemBytes({ n: 7 })).toBe(1 + 2);
    expect(itemBytes({ n: 12 })).toBe(1 + 2);
    expect(itemBytes({ n: 123 })).toBe(1 + 3);
    expect(itemBytes({ n: 1000 })).toBe(1 + 2);
    expect(itemBytes({ n: 0.00012 })).toBe(1 + 2);
    expect(itemBytes({ n: -3.14159 })).toBe(1 + 4);
    expect(itemBytes({ n: 1e-7 })).toBe(1 + 2);
  });

  it('booleans and nulls are 1 byte; binary its raw length', () => {
    expect(itemBytes({ ok: true, no: null })).toBe(2 + 1 + 2 + 1);
    expect(itemBytes({ b: new Uint8Array(10) })).toBe(1 + 10);
  });

  it('a List or Map: 3 bytes, plus 1 per element, plus the elements (a Map\'s keys count as names)', () => {
    expect(itemBytes({ l: [] })).toBe(1 + 3);
    expect(itemBytes({ m: {} })).toBe(1 + 3);
    expect(itemBytes({ l: ['ab', 'c'] })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemBytes({ v: { COD: 31, NH3N: 0.8 } })).toBe(1 + 3 + (1 + 3 + 2) + (1 + 4 + 2));
    expect(itemBytes({ r: [{ line: 2, reason: 'x' }] })).toBe(1 + 3 + 1 + (3 + (1 + 4 + 2) + (1 + 6 + 1)));
  });

  it('undefined attributes are not sent (the document client removes them) and count nothing', () => {
    expect(itemBytes({ a: 'x', b: undefined, m: { c: undefined } })).toBe(2 + 1 + 3);
  });
});

describe('refusalOf: the limits a write would hit', () => {
  const key = { PK: 'SITE#sixinhe', SK: 'S#2023-07-15T00:00:00.000Z#hour' };

  it('an ordinary item passes', () => {
    expect(refusalOf({ ...key, v: { COD: 31 } })).toBeUndefined();
  });

  it('an item over 400 KB in UTF-8 is refused though it is far less in UTF-16 units (where dynalite counts)', () => {
    const text = '水'.repeat(140_000); // 140,000 UTF-16 units, 420,000 UTF-8 bytes
    expect(text.length).toBeLessThan(DYNAMO_MAX_ITEM_BYTES);
    expect(refusalOf({ ...key, u: text })).toMatch(/420,0\d\d bytes; DynamoDB allows 409,600 per item/);
    expect(refusalOf({ ...key, u: 'a'.repeat(DYNAMO_MAX_ITEM_BYTES - itemBytes({ ...key, u: '' })) })).toBeUndefined();
    // Numbers are first counted at their largest; an item at the limit exactly still passes.
    const withNumbers = { ...key, v: { COD: 31, NH3N: 0.8, TP: 0.12 }, t: 1_689_379_200_000, u: '' };
    const atLimit = { ...withNumbers, u: 'a'.repeat(DYNAMO_MAX_ITEM_BYTES - itemBytes(withNumbers)) };
    expect(itemBytes(atLimit)).toBe(DYNAMO_MAX_ITEM_BYTES);
    expect(refusalOf(atLimit)).toBeUndefined();
    expect(refusalOf({ ...atLimit, u: `${atLimit.u}a` })).toMatch(/409,601 bytes/);
  });

  it('keys over their limits, counted in bytes, and empty keys are refused', () => {
    expect(refusalOf({ PK: `SITE#${'站'.repeat(700)}`, SK: 'x' })).toMatch(/partition key \(PK\) is 2,105 bytes; DynamoDB allows 2,048/);
    expect(refusalOf({ PK: 'p', SK: 's'.repeat(1025) })).toMatch(/sort key \(SK\) is 1,025 bytes; DynamoDB allows 1,024/);
    expect(refusalOf({ PK: 'p', SK: 's'.repeat(1024) })).toBeUndefined();
    expect(refusalOf({ PK: 'p', SK: 's', GSI1PK: 'f'.repeat(2049), GSI1SK: '1' })).toMatch(/partition key of index GSI1/);
    expect(refusalOf({ PK: '', SK: 's' })).toMatch(/empty/);
  });
});
