/** Ranking with shared ranks and the supervision ladder over sequences of months (docs/domain.md#ranking, #supervision-ladder). */
import { describe, expect, it } from 'vitest';
import { type TownMonthStatus, ladderAction, ladderRun, recipientsOf, townMonthStatus } from '../../../shared/domain/ladder.js';
import { addMonths } from '../../../shared/domain/months.js';
import { rankAscending } from '../../../shared/domain/ranking.js';

describe('rankAscending', () => {
  it('smaller is better; equal values share a rank and the next one skips (1, 2, 2, 4)', () => {
    const r = rankAscending([{ key: 'c', value: 3.1 }, { key: 'a', value: 2.0 }, { key: 'b', value: 3.1 }, { key: 'd', value: 4.5 }]);
    expect(Object.fromEntries(r)).toEqual({ a: 1, b: 2, c: 2, d: 4 });
  });
  it('compares values as printed: 4.123 and 4.118 both print 4.12 and share a rank', () => {
    const r = rankAscending([{ key: 'x', value: 4.123 }, { key: 'y', value: 4.118 }, { key: 'z', value: 4.2 }], 2);
    expect(Object.fromEntries(r)).toEqual({ x: 1, y: 1, z: 3 });
    expect(Object.fromEntries(rankAscending([{ key: 'x', value: 4.123 }, { key: 'y', value: 4.118 }]))).toEqual({ y: 1, x: 2 });
  });
  it('an item without a value gets no rank; the most negative change ranks first', () => {
    const r = rankAscending([{ key: 'up', value: 0.05 }, { key: 'none', value: null }, { key: 'down', value: -0.081 }]);
    expect(Object.fromEntries(r)).toEqual({ down: 1, up: 2 });
  });
});

describe('the ladder', () => {
  const run = (statuses: TownMonthStatus[]) => ladderRun(statuses.map((status, i) => ({ month: addMonths('2023-07', i - statuses.length + 1), status })));
  const X = 'exceeded', C = 'compliant', N = 'insufficient-data';

  it.each([
    [[C, X], 1, 'reminder-letter', '发提醒函'],
    [[C, X, X], 2, 'interview-deputy', '约谈分管负责人'],
    [[C, X, X, X], 3, 'interview-principal', '约谈主要负责人'],
    [[C, X, X, X, X], 4, 'listed-supervision', '挂牌督办'],
    [[X, X, X, X, X, X], 6, 'listed-supervision', '挂牌督办'],
  ] as const)('%j in a row → %i, %s', (statuses, consecutive, action, label) => {
    expect(run([...statuses])).toMatchObject({ consecutive, action, actionLabel: label });
  });
  it('a compliant month between ends the run: only the months after it count', () => {
    const r = run([X, X, C, X, X]);
    expect(r).toMatchObject({ consecutive: 2, action: 'interview-deputy' });
    expect(r.history).toEqual([{ month: '2023-06', status: X }, { month: '2023-07', status: X }]);
  });
  it('a month without enough data ends the run too, and is named in the history', () => {
    const r = run([X, X, N, X]);
    expect(r).toMatchObject({ consecutive: 1, action: 'reminder-letter' });
    expect(r.history).toEqual([{ month: '2023-06', status: N }, { month: '2023-07', status: X }]);
  });
  it('this month compliant, or without data: no action', () => {
    expect(run([X, X, C])).toMatchObject({ consecutive: 0, action: 'none', actionLabel: '无', history: [] });
    expect(run([X, X, N])).toMatchObject({ consecutive: 0, action: 'none', history: [{ month: '2023-07', status: N }] });
  });
  it('the same months give the same answer (it is derived, not remembered)', () => {
    expect(run([C, X, X, X])).toEqual(run([C, X, X, X]));
  });

  it('a town\'s month: any assessed section over target is exceeded; else any section without enough data is a data problem', () => {
    const ok = { assessed: true, compliant: true };
    const over = { assessed: true, compliant: false };
    const none = { assessed: false, compliant: null };
    expect(townMonthStatus([ok, over])).toBe('exceeded');
    expect(townMonthStatus([none, over])).toBe('exceeded');
    expect(townMonthStatus([ok, none])).toBe('insufficient-data');
    expect(townMonthStatus([ok, ok])).toBe('compliant');
    expect(townMonthStatus([])).toBe('insufficient-data');
  });

  it('letters go to the river chief with the committee copied; interviews add the deputy, then the principal head', () => {
    const town = { name: 'A镇', riverChiefs: [{ name: '张三', title: '镇级河长' }], deputyHead: { name: '李四', title: '副镇长' }, principalHead: { name: '王五', title: '镇长' } };
    expect(recipientsOf('reminder-letter', town, '管委会')).toEqual([{ role: '责任河长', name: '张三', title: '镇级河长' }, { role: '抄送', name: '管委会' }]);
    expect(recipientsOf('interview-deputy', town, '管委会').map((r) => r.role)).toEqual(['分管负责人', '责任河长', '抄送']);
    expect(recipientsOf('interview-principal', town, '管委会').map((r) => r.name)).toEqual(['王五', '张三', '管委会']);
    expect(recipientsOf('listed-supervision', town, '管委会').map((r) => r.name)).toEqual(['王五', '张三', '管委会']);
    expect(recipientsOf('none', town, '管委会')).toEqual([]);
    expect(ladderAction(0)).toBe('none');
  });
});
