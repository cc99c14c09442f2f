/**
 * The supervision message from a bulletin: severity from the ladder and the grades, the SMS within
 * one segment, and hostile data (control characters, huge names, thousands of stations and towns)
 * reaching the message cleaned and bounded, within SNS's limits.
 */
import { describe, expect, it } from 'vitest';
import { SMS_MAX_CHARS } from '../../../shared/limits.js';
import { MAX_MESSAGE_LIST_ITEMS, MAX_MESSAGE_NAME_CHARS, MAX_MESSAGE_NAMES_PER_LINE, SNS_MAX_MESSAGE_BYTES, SNS_MAX_SUBJECT_CHARS } from '../../../shared/limits.js';
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

describe('the supervision email, word for word', () => {
  it('the fixture month: zone, goals, ranking and the unassessed, sections and outlets over target, the plant\'s samples, actions, data problems, files', () => {
    const n = supervisionNotification(fixtureBulletin(), where);
    expect(n.subject).toBe('【碧水】2023年7月地表水环境质量月度通报');
    expect(n.default).toBe('【碧水】2023年7月地表水环境质量月度通报：区域水质指数 8.53，超标 4 处，督导措施 4 项。通报：s3://raw/reports/2023-07/bulletin.html');
    expect(n.email).toBe([
      '【碧水】2023年7月地表水环境质量月度通报',
      '',
      '区域水质指数 8.53（同比 +3.3%，环比 +1.0%）；1—7月累计 8.53（同比 +3.3%）。变化为负即改善。',
      '  达成：消除劣V类 — 本月及年初至今均无劣Ⅴ类断面',
      '  未达成：水质指数同比改善 — 全区水质指数与去年同月相比',
      '  未达成：四新河出境断面总氮反弹趋势得到遏制 — 近24个月总氮月均值 Mann–Kendall 检验：反弹',
      '',
      '断面排名（水质指数越小越好）：',
      '  1. 赵牛河断面  Ⅴ类（目标 Ⅳ类）  水质指数 7.47  同比 −3.8%  环比 +0.7%',
      '  2. 四新河出境断面  Ⅴ类（目标 Ⅳ类）  水质指数 9.01  同比 +3.4%  环比 +0.6%',
      '  3. 小湄河断面  Ⅴ类（目标 Ⅳ类）  水质指数 9.12  同比 +9.7%  环比 +1.6%',
      '  未参与排名（数据不足）：',
      '    东沟村临时监测点：本月仅 3 天有数据，少于评价所需的 10 天',
      '',
      '超标断面与点位：',
      '  赵牛河断面（赵牛河流域责任镇）：Ⅴ类，总磷 0.356 mg/L（≤ 0.3 mg/L，超标0.19倍）',
      '  小湄河断面（小湄河流域责任镇）：Ⅴ类，氨氮 1.72 mg/L（≤ 1.5 mg/L，超标0.15倍）',
      '  四新河出境断面（四新河流域责任镇）：Ⅴ类，化学需氧量 33.1 mg/L（≤ 30 mg/L，超标0.10倍）',
      '  高新瀚海污水处理厂出水（高新区）：Ⅳ类，未达标',
      '',
      '污水处理厂出水（逐样判定）：',
      '  高新瀚海污水处理厂出水：31 个样品，达标率 93.5%',
      '',
      '督导措施：',
      '  高新区（高新瀚海污水处理厂出水）：连续 1 个月超标 → 提醒函（责任河长 高新区河长（待填））',
      '  小湄河流域责任镇（小湄河断面）：连续 2 个月超标 → 约谈分管负责人（责任河长 小湄河流域责任镇河长（待填），分管负责人 小湄河流域责任镇分管负责人（待填））',
      '  赵牛河流域责任镇（赵牛河断面）：连续 3 个月超标 → 约谈主要负责人（责任河长 赵牛河流域责任镇河长（待填），主要负责人 赵牛河流域责任镇主要负责人（待填））',
      '  四新河流域责任镇（四新河出境断面）：连续 4 个月超标 → 挂牌督办（责任河长 四新河流域责任镇河长（待填），主要负责人 四新河流域责任镇主要负责人（待填））',
      '',
      '数据问题：',
      '  东沟村临时监测点：本月仅 3 天有数据，少于评价所需的 10 天',
      '',
      '报告文件：',
      '  通报：s3://raw/reports/2023-07/bulletin.html',
      '  数据（JSON）：s3://raw/reports/2023-07/bulletin.json',
      '  函件：s3://raw/reports/2023-07/letters/01-提醒函-x.docx',
    ].join('\n'));
    expect(n.attributes).toEqual({ kind: 'supervision', severity: 'critical', site: 'all', town: 'all', param: 'none', month: '2023-07' });
  });

  it('a quiet month: 无 where a list is empty, no blocks for outlets, the unassessed or data problems; a goal not yet judged is 待定', () => {
    const b = quiet(fixtureBulletin());
    const calm: Bulletin = {
      ...b, sites: b.sites.filter((s) => s.assessed && !s.effluent), zone: { ...b.zone, goals: [{ goal: '消除劣V类', met: null, detail: '年底评定' }] },
    };
    const n = supervisionNotification(calm, { ...where, letters: [] });
    const blocks = n.email.split('\n\n');
    expect(blocks.map((x) => x.split('\n')[0])).toEqual(['【碧水】2023年7月地表水环境质量月度通报', expect.stringMatching(/^区域水质指数/), '断面排名（水质指数越小越好）：', '超标断面与点位：', '督导措施：', '报告文件：']);
    expect(blocks[1]!.split('\n')[1]).toBe('  待定：消除劣V类 — 年底评定');
    // Every section ranked: the ranking holds ranks only, no heading for the unassessed.
    expect(blocks[2]!.split('\n').slice(1).map((l) => /^  \d+\. /.test(l))).toEqual(calm.sites.filter((s) => s.rank !== null).map(() => true));
    expect(blocks[3]).toBe('超标断面与点位：\n  无');
    expect(blocks[4]).toBe('督导措施：\n  无');
    expect(blocks[5]!.split('\n').at(-1)).toBe('  函件：无');
    expect(n.default).toContain('超标 0 处，督导措施 0 项。');
    expect(n.attributes.severity).toBe('info');
  });

  it('pH over its band is shown without a unit, beside another indicator; a site without a town names none; a town without named officials lists none', () => {
    const b = fixtureBulletin();
    const sites = b.sites.map((s, i) => (i === 0 ? { ...s, town: undefined, exceedances: [{ param: 'pH' as const, value: 9.4, limit: 9, multiple: null }, { param: 'TP' as const, value: 0.36, limit: 0.3, multiple: 0.2 }] } : s));
    const towns = b.towns.map((t, i) => (i === 0 ? { ...t, recipients: [] } : t));
    const n = supervisionNotification({ ...b, sites, towns } as Bulletin, where);
    const line = n.email.split('\n').find((l) => l.includes('pH值 9.4'));
    expect(line).toBe('  赵牛河断面：Ⅴ类，pH值 9.4（上限 9，超标不计）；总磷 0.36 mg/L（≤ 0.3 mg/L，超标0.20倍）');
    const town = n.email.split('\n').find((l) => l.startsWith(`  ${towns[0]!.town}（`));
    expect(town).toBe('  高新区（高新瀚海污水处理厂出水）：连续 1 个月超标 → 提醒函');
  });

  it('only sections are ranked or listed as unassessed; an unregistered one is marked', () => {
    const b = fixtureBulletin();
    const lake = { ...b.sites[0]!, site: 'lake', name: '某湖', kind: 'lake-section' as const, rank: 4, registered: false };
    const outfall = { ...b.sites[0]!, site: 'outfall', name: '某排口', kind: 'outfall' as const, rank: 5, assessed: false, notAssessedReason: '无数据' };
    const n = supervisionNotification({ ...b, sites: [...b.sites, lake, outfall] }, where);
    expect(n.email).toContain('\n  4. 某湖（未登记）  Ⅴ类');
    expect(n.email).not.toContain('5. 某排口');
    expect(n.email).not.toContain('    某排口：无数据');
    expect(n.email).toContain('\n  某湖（赵牛河流域责任镇）（未登记）：Ⅴ类，');
    const noReason = supervisionNotification({ ...b, sites: b.sites.map((s) => (s.assessed ? s : { ...s, notAssessedReason: undefined })) as Bulletin['sites'] }, where);
    expect(noReason.email).toContain('\n    东沟村临时监测点：数据不足\n');
  });

  it(`exactly ${MAX_MESSAGE_LIST_ITEMS} items are listed whole; a town's ${MAX_MESSAGE_NAMES_PER_LINE} sections are named whole`, () => {
    const b = fixtureBulletin();
    const letters = Array.from({ length: MAX_MESSAGE_LIST_ITEMS }, (_, i) => `s3://raw/l${i}.docx`);
    const town = { ...b.towns[0]!, sites: Array.from({ length: MAX_MESSAGE_NAMES_PER_LINE }, (_, k) => `s${k}`) };
    const n = supervisionNotification({ ...b, towns: [town] }, { ...where, letters });
    expect(n.email).not.toContain('……另有');
    expect(n.email).toContain('（s0、s1、s2、s3、s4、s5、s6、s7、s8、s9）：连续');
  });

  it('an email cut to fit keeps as much as fits: one character more would not', () => {
    const b = fixtureBulletin();
    const problems = Array.from({ length: MAX_MESSAGE_LIST_ITEMS }, (_, i) => ({ site: `s${i}`, reason: '因'.repeat(2000) }));
    const goals = Array.from({ length: MAX_MESSAGE_LIST_ITEMS }, () => ({ goal: '目'.repeat(2000), met: false, detail: '详'.repeat(2000) }));
    const huge = { ...where, letters: Array.from({ length: MAX_MESSAGE_LIST_ITEMS }, (_, i) => `s3://raw/reports/2023-07/letters/${'函'.repeat(1000)}${i}.docx`) };
    const n = supervisionNotification({ ...b, zone: { ...b.zone, goals }, data: { problems } }, huge);
    const note = '\n……（邮件过长已截断，全文见通报）';
    expect(n.email.endsWith(note)).toBe(true);
    const size = (email: string) => new TextEncoder().encode(JSON.stringify({ default: n.default, email, sms: n.sms })).length;
    expect(size(n.email)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    // within one character of the limit (a character is at most 6 bytes in JSON: a \uXXXX escape)
    expect(size(n.email)).toBeGreaterThan(SNS_MAX_MESSAGE_BYTES - 6);
    expect(n.email.startsWith('【碧水】2023年7月地表水环境质量月度通报\n\n区域水质指数')).toBe(true);
  });

  it('an email cut where it is written in one-byte characters fills the limit to the byte', () => {
    const b = fixtureBulletin();
    const letters = Array.from({ length: MAX_MESSAGE_LIST_ITEMS }, (_, i) => `s3://raw/reports/2023-07/letters/${'a'.repeat(20_000)}${i}.docx`);
    const n = supervisionNotification(b, { ...where, letters });
    expect(n.email.endsWith('a\n……（邮件过长已截断，全文见通报）')).toBe(true);
    expect(new TextEncoder().encode(JSON.stringify({ default: n.default, email: n.email, sms: n.sms })).length).toBe(SNS_MAX_MESSAGE_BYTES);
  });

  it('an email exactly at SNS\'s limit is sent whole; one byte more is cut', () => {
    const b = fixtureBulletin();
    const problems = Array.from({ length: 40 }, (_, i) => ({ site: `s${i}`, reason: '因'.repeat(2000) }));
    const at = (extra: number) => supervisionNotification({ ...b, data: { problems } }, { ...where, letters: [`s3://raw/${'x'.repeat(extra)}`] });
    const size = (n: ReturnType<typeof at>) => new TextEncoder().encode(JSON.stringify({ default: n.default, email: n.email, sms: n.sms })).length;
    const fill = SNS_MAX_MESSAGE_BYTES - size(at(0));
    expect(fill).toBeGreaterThan(0);
    expect(size(at(fill))).toBe(SNS_MAX_MESSAGE_BYTES);
    expect(at(fill).email.endsWith(`${'x'.repeat(fill)}`)).toBe(true);
    expect(at(fill + 1).email.endsWith('……（邮件过长已截断，全文见通报）')).toBe(true);
  });
});
