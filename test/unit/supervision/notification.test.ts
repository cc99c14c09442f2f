/**
 * The supervision message from a bulletin: severity from the ladder and the grades, the SMS within
 * one segment, and hostile data (control characters, huge names, thousands of stations and towns)
 * reaching the message cleaned and bounded, within SNS's limits.
 */
import { describe, expect, it } from 'vitest';
import { SMS_MAX_CHARS } from '../../../shared/limits.js';
import { MAX_MESSAGE_LIST_ITEMS, MAX_MESSAGE_NAME_CHARS, SNS_MAX_MESSAGE_BYTES, SNS_MAX_SUBJECT_CHARS } from '../../../shared/limits.js';
import type { Bulletin, TownResult } from '../../../shared/supervision/bulletin.js';
import { supervisionNotification, supervisionSeverity, supervisionSms } from '../../../shared/supervision/notification.js';
import { fixtureBulletin } from '../../helpers/bulletin-fixture.js';

const where = { html: 's3://raw/reports/2023-07/bulletin.html', json: 's3://raw/reports/2023-07/bulletin.json', letters: ['s3://raw/reports/2023-07/letters/01-提醒函-x.docx'] };
const quiet = (b: Bulletin): Bulletin => ({
  ...b, towns: b.towns.map((t) => ({ ...t, action: 'none', actionLabel: '无', consecutive: 0 })),
  sites: b.sites.map((s) => ({ ...s, compliant: s.compliant === false ? true : s.compliant, exceedances: [] })),
  zone: { ...b.zone, worseThanV: [] }, data: { problems: [] },
});
const withAction = (b: Bulletin, action: TownResult['action']): Bulletin => ({
  ...quiet(b), towns: quiet(b).towns.map((t, i) => (i === 0 ? { ...t, action, consecutive: 1 } : t)),
});

describe('supervision message', () => {
  it('severity: critical for 约谈主要负责人, 挂牌督办 or a section worse than V; warning for other actions or sections over target; info otherwise', () => {
    const b = fixtureBulletin();
    expect(supervisionSeverity(quiet(b))).toBe('info');
    expect(supervisionSeverity(withAction(b, 'reminder-letter'))).toBe('warning');
    expect(supervisionSeverity(withAction(b, 'interview-deputy'))).toBe('warning');
    expect(supervisionSeverity(withAction(b, 'interview-principal'))).toBe('critical');
    expect(supervisionSeverity(withAction(b, 'listed-supervision'))).toBe('critical');
    expect(supervisionSeverity({ ...quiet(b), zone: { ...b.zone, worseThanV: ['x'] } })).toBe('critical');
    const over = quiet(b);
    expect(supervisionSeverity({ ...over, sites: over.sites.map((s, i) => (i === 0 ? { ...s, compliant: false } : s)) })).toBe('warning');
    expect(supervisionSeverity({ ...over, data: { problems: [{ site: 'x', reason: '数据不足' }] } })).toBe('warning');
  });

  it('the SMS is one segment in Chinese: month, zone index and its change, sections over target, actions by kind', () => {
    const b = fixtureBulletin();
    const sms = supervisionSms(b);
    expect(sms.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(sms).toMatch(/^碧水2023年7月通报：区域水质指数\d+\.\d\d（同比[+−]\d+\.\d%），超标断面\d+个，/);
    expect(supervisionSms(quiet(b))).toMatch(/超标断面0个，无督导措施。详见邮件。$/);
    // every kind of action at once still fits, cut with an ellipsis rather than a second segment
    const all = { ...b, towns: (['reminder-letter', 'interview-deputy', 'interview-principal', 'listed-supervision'] as const).map((action, i) => ({ ...b.towns[0]!, town: `镇${i}`, action })) };
    expect(supervisionSms(all).length).toBeLessThanOrEqual(SMS_MAX_CHARS);
  });

  it('hostile data reaches the message without control characters, each name bounded, within SNS limits', () => {
    const b = fixtureBulletin();
    const evil = `\u0000\u001b[31m恶意\u202E站名\r\n${'长'.repeat(10_000)}`;
    const site0 = b.sites.find((s) => s.compliant === false)!;
    const hostile: Bulletin = {
      ...b,
      sites: [...b.sites, ...Array.from({ length: 3000 }, (_, i) => ({ ...site0, site: `u${i}`, name: `${evil}${i}`, registered: false, rank: 500 + i, town: evil }))],
      towns: Array.from({ length: 2000 }, (_, i) => ({
        ...b.towns[0]!, town: `${evil}${i}`, action: 'listed-supervision' as const, sites: Array.from({ length: 500 }, (_, k) => `u${k}`),
        recipients: Array.from({ length: 500 }, () => ({ role: evil, name: evil })),
      })),
      data: { problems: Array.from({ length: 5000 }, (_, i) => ({ site: `u${i}`, reason: evil })) },
    };
    const n = supervisionNotification(hostile, { ...where, letters: Array.from({ length: 2000 }, (_, i) => `s3://raw/reports/2023-07/letters/${i}.docx`) });
    // line breaks only between the email's lines; no other control or bidi-override character anywhere
    for (const text of [n.subject, n.default, n.sms, ...n.email.split('\n')]) expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202A-\u202E\u2066-\u2069]/);
    expect(n.subject.length).toBeLessThanOrEqual(SNS_MAX_SUBJECT_CHARS);
    expect(n.sms.length).toBeLessThanOrEqual(SMS_MAX_CHARS);
    expect(new TextEncoder().encode(JSON.stringify({ default: n.default, email: n.email, sms: n.sms })).length).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(n.email).not.toContain('长'.repeat(MAX_MESSAGE_NAME_CHARS)); // every name from data is cut to its bound
    const ranked = hostile.sites.filter((s) => s.rank !== null && (s.kind === 'river-section' || s.kind === 'lake-section')).length;
    expect(ranked).toBeGreaterThan(3000);
    expect(n.email).toContain(`……另有 ${ranked - MAX_MESSAGE_LIST_ITEMS} 项，见通报`); // the ranking
    expect(n.attributes).toMatchObject({ kind: 'supervision', severity: 'critical', site: 'all', town: 'all' });
  });

  it('each list is bounded and says how many it left out; a town names at most MAX_MESSAGE_NAMES_PER_LINE sections', () => {
    const b = fixtureBulletin();
    const many: Bulletin = {
      ...b,
      towns: Array.from({ length: 200 }, (_, i) => ({ ...b.towns[0]!, town: `镇${i}`, action: 'reminder-letter' as const, sites: Array.from({ length: 30 }, (_, k) => `s${k}`) })),
      data: { problems: Array.from({ length: 120 }, (_, i) => ({ site: `s${i}`, reason: '数据不足' })) },
    };
    const n = supervisionNotification(many, { ...where, letters: Array.from({ length: 200 }, (_, i) => `s3://raw/reports/2023-07/letters/${i}.docx`) });
    expect(n.email.match(/……另有 150 项，见通报/g)).toHaveLength(2); // the actions and the letters
    expect(n.email).toMatch(new RegExp(`……另有 ${120 - MAX_MESSAGE_LIST_ITEMS} 项，见通报`));
    expect(n.email).toMatch(/镇0（s0、s1、s2、s3、s4、s5、s6、s7、s8、s9等 30 处）：连续/);
    expect(n.email.split('\n').filter((l) => l.startsWith('  函件：'))).toHaveLength(MAX_MESSAGE_LIST_ITEMS);
  });

  it('an email that would still be too large is cut with a note rather than refused by SNS', () => {
    const b = fixtureBulletin();
    // locations are the store's (an S3 key may be 1,024 bytes): 50 of them in 3-byte characters, with the longest goals and problems
    const huge = { ...where, letters: Array.from({ length: MAX_MESSAGE_LIST_ITEMS }, (_, i) => `s3://raw/reports/2023-07/letters/${'函'.repeat(1000)}${i}.docx`) };
    const goals = Array.from({ length: MAX_MESSAGE_LIST_ITEMS }, () => ({ goal: '目'.repeat(2000), met: false, detail: '详'.repeat(2000) }));
    const problems = Array.from({ length: MAX_MESSAGE_LIST_ITEMS }, (_, i) => ({ site: `s${i}`, reason: '因'.repeat(2000) }));
    const n = supervisionNotification({ ...b, zone: { ...b.zone, goals }, data: { problems } }, huge);
    expect(new TextEncoder().encode(JSON.stringify({ default: n.default, email: n.email, sms: n.sms })).length).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    expect(n.email.startsWith('【碧水】2023年7月地表水环境质量月度通报')).toBe(true);
    expect(n.email.endsWith('……（邮件过长已截断，全文见通报）')).toBe(true);
    expect(n.email.length).toBeGreaterThan(SNS_MAX_MESSAGE_BYTES / 6); // cut to fit, not to nothing
  });
});
