/**
 * The hand-written reading of plain decimals (values.ts `plainDecimal`) gives the very double
 * Number() gives, bit for bit, or declines (NaN) and leaves the text to the general reading.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainDecimal } from '../../../shared/parsers/values.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20231129);
const RUNS = (n: number) => Number(process.env.FUZZ_RUNS ?? n);

/** Same double, -0 told from 0. */
const same = (a: number, b: number) => Object.is(a, b);

describe('plain decimals read by hand', () => {
  it.each([
    ['0', 0], ['-0', -0], ['-0.0', -0], ['0.52', 0.52], ['1234.5', 1234.5], ['-12', -12], ['007', 7], ['0.000123', 0.000123],
    ['0.1', 0.1], ['0.3', 0.3], ['123456789012345', 123456789012345], ['0.12345678901234', 0.12345678901234],
    ['9.99999999999999', 9.99999999999999], ['-99999999999999.9', -99999999999999.9],
  ])('%s → %s, as Number() reads it', (text, value) => {
    expect(same(plainDecimal(text), value)).toBe(true);
    expect(same(plainDecimal(text), Number(text))).toBe(true);
  });

  it.each([
    '', '-', '.', '.5', '5.', '-.5', '+5', '1.2.3', '1,182', '1e5', ' 1', '1 ', '0x10', '１２', 'NaN', 'Infinity', '--1', '1-',
    '1234567890123456', '0.1234567890123456', '-1234567890123456', '12345678901234567890',
  ])('declines %j (the general reading decides)', (text) => {
    expect(plainDecimal(text)).toBeNaN();
  });

  it('equals Number() on random decimal strings of up to 15 digits, and declines longer ones', () => {
    const digits = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const decimal = fc.record({ minus: fc.boolean(), whole: digits(1, 18), fraction: fc.option(digits(1, 18), { nil: undefined }) })
      .map(({ minus, whole, fraction }) => `${minus ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`);
    fc.assert(fc.property(decimal, (text) => {
      const v = plainDecimal(text);
      const count = text.replace(/[-.]/g, '').length;
      if (count <= 15) expect(same(v, Number(text)), text).toBe(true);
      else expect(v, text).toBeNaN();
    }), { seed: SEED, numRuns: RUNS(20_000) });
  });

  it('equals Number() on the shortest text of random doubles (what exports write)', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (d) => {
      const text = String(d);
      const v = plainDecimal(text);
      if (!Number.isNaN(v)) expect(same(v, Number(text)), text).toBe(true);
      const fixed = d.toFixed(Math.max(0, Math.min(14 - Math.floor(Math.log10(Math.abs(d) || 1)), 20)));
      const w = plainDecimal(fixed);
      if (!Number.isNaN(w)) expect(same(w, Number(fixed)), fixed).toBe(true);
    }), { seed: SEED, numRuns: RUNS(20_000) });
  });
});
