/** File content shown safely: control characters escaped or stripped, length cut with an ellipsis. */
import { describe, expect, it } from 'vitest';
import { MAX_QUOTED_CHARS, MAX_REASON_CHARS } from '../../../shared/limits.js';
import { hasControlChars, quote, safeText } from '../../../shared/safe-text.js';

describe('safeText', () => {
  it('leaves short printable text as it is', () => {
    expect(safeText('赵牛河断面 COD 31')).toBe('赵牛河断面 COD 31');
  });
  it('escapes control characters, NULs, escape codes and bidi overrides', () => {
    expect(safeText('a\nb\r\tc\u0000d\u001b[31me\u202ef')).toBe('a\\nb\\r\\tc\\u0000d\\u001b[31me\\u202ef');
    expect(hasControlChars('a\u0085b')).toBe(true);
    expect(hasControlChars('赵牛河')).toBe(false);
  });
  it('strips them where no escape may appear', () => {
    expect(safeText('站点\n名称\u0007', { controls: 'strip' })).toBe('站点名称');
  });
  it('cuts at the bound with an ellipsis, never splitting a surrogate pair', () => {
    const long = 'x'.repeat(10_000_000);
    const s = safeText(long);
    expect(s).toHaveLength(MAX_REASON_CHARS);
    expect(s.endsWith('…')).toBe(true);
    const emoji = '😀'.repeat(10);
    const cutEmoji = safeText(emoji, { max: 4 });
    expect(cutEmoji).toBe('😀😀😀…');
    expect(quote('y'.repeat(500))).toHaveLength(MAX_QUOTED_CHARS + 2);
  });
  it('keeps the bound after escaping', () => {
    expect(safeText('\u0000'.repeat(1000), { max: 20 })).toHaveLength(20);
  });
});
