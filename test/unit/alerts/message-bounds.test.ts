/**
 * What every notification goes through before it is recorded: one SMS segment cut at a boundary
 * (sms.ts), and the SNS bounds (messages/bounds.ts) — a one-line subject under 100 UTF-16 units, a
 * bounded default and email, at most 10 clean attributes.
 */
import { describe, expect, it } from 'vitest';
import { bounded } from '../../../shared/alerts/messages/bounds.js';
import { smsText } from '../../../shared/alerts/sms.js';
import { MAX_ATTRIBUTE_CHARS, MAX_DEFAULT_CHARS, MAX_EMAIL_BYTES, SMS_MAX_CHARS, SNS_MAX_SUBJECT_CHARS } from '../../../shared/limits.js';
import type { Notification } from '../../../shared/ports/index.js';

describe('smsText', () => {
  it('one line: runs of white space become one space, none at the ends', () => {
    expect(smsText('  四新河\n\n  超标\t请核查  ')).toBe('四新河 超标 请核查');
  });

  it('text of exactly one segment is kept whole; one character more is cut', () => {
    const exact = '甲'.repeat(SMS_MAX_CHARS);
    expect(smsText(exact)).toBe(exact);
    expect(smsText(`${exact}乙`)).toBe(`${'甲'.repeat(SMS_MAX_CHARS - 1)}…`);
  });

  it('cuts at the last boundary that leaves room for the ellipsis, dropping the boundary and punctuation before it', () => {
    // 67 characters, then a comma: what precedes it plus … fits in 70
    const head = `${'甲'.repeat(60)}（乙丙丁戊己庚`;
    expect(smsText(`${head}，${'辛'.repeat(20)}`)).toBe(`${head}…`);
    // a comma at index 69: the 69 characters before it and … make exactly 70
    expect(smsText(`${head}壬癸，${'辛'.repeat(20)}`)).toBe(`${head}壬癸…`);
    // the comma at index 70 leaves 70 characters before it: too many, so the earlier boundary
    expect(smsText(`${'甲'.repeat(30)}、${'乙'.repeat(39)}，${'辛'.repeat(20)}`)).toBe(`${'甲'.repeat(30)}…`);
    // an opening bracket or a comma right before the cut would read oddly before the ellipsis
    expect(smsText(`${'甲'.repeat(30)}（，、${'乙'.repeat(60)}`)).toBe(`${'甲'.repeat(30)}…`);
  });

  it('a space is a boundary too; a run with no boundary at all is cut hard, to the full segment', () => {
    expect(smsText(`${'a'.repeat(40)} ${'b'.repeat(40)}`)).toBe(`${'a'.repeat(40)}…`);
    expect(smsText('a'.repeat(100))).toBe(`${'a'.repeat(69)}…`);
    // a boundary that opens the text is no place to cut: nothing would be left
    expect(smsText(`，${'a'.repeat(100)}`)).toBe(`，${'a'.repeat(68)}…`);
  });

  it('counts a character outside the BMP as two units and never splits it', () => {
    const text = '🌊'.repeat(50); // 100 units
    const cut = smsText(text);
    expect(cut).toBe(`${'🌊'.repeat(34)}…`); // 68 units + …: the 35th would make 71
    expect(cut.length).toBe(69);
    expect(smsText(`a${'🌊'.repeat(50)}`)).toBe(`a${'🌊'.repeat(34)}…`); // 69 units + … = 70
  });

  it('another bound when asked', () => {
    expect(smsText('甲乙丙，丁戊己', 5)).toBe('甲乙丙…');
  });
});

describe('bounded', () => {
  const base: Notification = { topic: 'alerts', subject: '【碧水】主题', default: '默认', email: '【碧水】\n\n正文', sms: '短信', attributes: { kind: 'exceedance' } };

  it('a notification within every bound leaves unchanged', () => {
    expect(bounded(base)).toStrictEqual(base);
  });

  it('the subject: one line, under SNS\'s bound in UTF-16 units, never empty', () => {
    expect(bounded({ ...base, subject: '【碧水】甲\n乙\u0007' }).subject).toBe('【碧水】甲 乙');
    const long = bounded({ ...base, subject: '字'.repeat(200) }).subject;
    expect(long).toBe(`${'字'.repeat(SNS_MAX_SUBJECT_CHARS - 1)}…`);
    const wide = bounded({ ...base, subject: '🌊'.repeat(80) }).subject;
    expect(wide).toBe(`${'🌊'.repeat(49)}…`); // 98 units + …
    expect(bounded({ ...base, subject: '\u0007' }).subject).toBe('【碧水】通知');
  });

  it('the default: one line of at most MAX_DEFAULT_CHARS', () => {
    expect(bounded({ ...base, default: '甲\n乙' }).default).toBe('甲 乙');
    expect([...bounded({ ...base, default: '字'.repeat(3 * MAX_DEFAULT_CHARS) }).default]).toHaveLength(MAX_DEFAULT_CHARS);
  });

  it('the SMS: one segment', () => {
    expect(bounded({ ...base, sms: '字'.repeat(500) }).sms).toBe(`${'字'.repeat(SMS_MAX_CHARS - 1)}…`);
  });

  it('the email keeps its lines, loses its control characters', () => {
    expect(bounded({ ...base, email: '甲\u0007乙\r\n丙\u202e丁' }).email).toBe('甲乙\n丙丁');
  });

  it('an email over the byte bound is cut at a line, with a note, within the bound', () => {
    const line = '字'.repeat(1000); // 3,000 bytes and a line break each
    const email = Array.from({ length: 100 }, () => line).join('\n');
    const out = bounded({ ...base, email }).email;
    const tail = '……（以下从略，内容超出邮件长度上限）';
    const room = MAX_EMAIL_BYTES - new TextEncoder().encode(tail).length;
    const kept = Math.floor(room / 3001);
    expect(out).toBe([...Array.from({ length: kept }, () => line), tail].join('\n'));
    expect(new TextEncoder().encode(out).length).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
  });

  it('an email over the byte bound keeps every whole line that fits with the note, to the last byte', () => {
    const tail = '……（以下从略，内容超出邮件长度上限）';
    const room = MAX_EMAIL_BYTES - new TextEncoder().encode(tail).length;
    const line = 'a'.repeat(1000); // 1,001 bytes with its line break
    const k = Math.floor(room / 1001);
    const filler = 'f'.repeat(room - k * 1001 - 1); // the kept lines then fill the room exactly
    const kept = [...Array.from({ length: k }, () => line), filler];
    // Short lines after it: one more byte of room, or a line counted a byte short, would let one in.
    const email = [...kept, ...Array.from({ length: 20 }, () => 'b'.repeat(10))].join('\n');
    const out = bounded({ ...base, email }).email;
    expect(out).toBe([...kept, tail].join('\n'));
    expect(new TextEncoder().encode(out).length).toBe(MAX_EMAIL_BYTES);
  });

  it('an email with one very long line: the line is cut to 4,000 characters', () => {
    const out = bounded({ ...base, email: `甲\u0007\n${'字'.repeat(5000)}` }).email.split('\n');
    expect(out[0]).toBe('甲');
    expect([...out[1]!]).toHaveLength(4 * MAX_DEFAULT_CHARS);
  });

  it('attributes: at most 10, keys and values one clean line, empty values "unknown"', () => {
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, `v${i}`]));
    expect(Object.keys(bounded({ ...base, attributes: many }).attributes)).toEqual(Array.from({ length: 10 }, (_, i) => `k${i}`));
    const out = bounded({ ...base, attributes: { 'si\nte': '甲\n乙', town: '\u0007', long: 'x'.repeat(1000) } }).attributes;
    expect(out).toEqual({ 'si te': '甲 乙', town: 'unknown', long: `${'x'.repeat(MAX_ATTRIBUTE_CHARS - 1)}…` });
  });

  it('a list attribute: distinct clean values; one value becomes a string, none "unknown"; cut to fit as sent', () => {
    const list = (v: readonly string[]) => bounded({ ...base, attributes: { param: v } }).attributes.param;
    expect(list(['COD', 'NH3N', 'COD'])).toEqual(['COD', 'NH3N']);
    expect(list(['COD', 'COD'])).toBe('COD');
    expect(list(['', '\u0007'])).toBe('unknown');
    expect(list([])).toBe('unknown');
    expect(list(['', 'TP', 'a\nb'])).toEqual(['TP', 'a b']);
    const values = Array.from({ length: 40 }, (_, i) => `参数${String(i).padStart(2, '0')}`); // "参数00", … 6 + 2 quotes + comma each
    const out = list(values) as string[];
    expect(JSON.stringify(out).length).toBeLessThanOrEqual(MAX_ATTRIBUTE_CHARS);
    expect(JSON.stringify([...out, values[out.length]]).length).toBeGreaterThan(MAX_ATTRIBUTE_CHARS);
    expect(out).toEqual(values.slice(0, out.length));
  });

  it('a list attribute exactly at the bound as sent is kept whole; a first value as long as the bound is kept, cut', () => {
    const list = (v: readonly string[]) => bounded({ ...base, attributes: { param: v } }).attributes.param;
    // ["a…a","b…b"]: 2 brackets, 4 quotes and a comma around the values
    const a = 'a'.repeat(124);
    const b = 'b'.repeat(MAX_ATTRIBUTE_CHARS - 7 - a.length);
    expect(JSON.stringify([a, b]).length).toBe(MAX_ATTRIBUTE_CHARS);
    expect(list([a, b])).toEqual([a, b]);
    expect(list([a, `${b}b`])).toBe(a);
    expect(list(['x'.repeat(1000), 'TP'])).toBe(`${'x'.repeat(MAX_ATTRIBUTE_CHARS - 1)}…`);
  });
});
