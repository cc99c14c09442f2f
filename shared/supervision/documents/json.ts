/**
 * bulletin.json: the Bulletin as it is, numbers unrounded, keys in code-point order at every level
 * (the same month gives the same bytes however the object was built). A number JSON cannot hold
 * (NaN, ±Infinity) would silently become null: it is refused instead.
 */
import type { Bulletin } from '../bulletin.js';

function sorted(value: unknown, path: string): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new Error(`bulletin.json: ${path} is ${value}, which JSON cannot hold`);
  }
  if (Array.isArray(value)) return value.map((v, i) => sorted(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sorted((value as Record<string, unknown>)[k], `${path}.${k}`)]),
    );
  }
  return value;
}

export function bulletinJson(bulletin: Bulletin): string {
  return `${JSON.stringify(sorted(bulletin, 'bulletin'), null, 2)}\n`;
}
