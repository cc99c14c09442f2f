/**
 * Statistics and remarks rows (issue 12 item 3): skipped and counted, never rejected or stored;
 * HJ 212 log lines that are not packets likewise.
 */
import { describe, expect, it } from 'vitest';
import { footerKind } from '../../../shared/parsers/footers.js';
import { frame } from '../../../shared/parsers/hj212.js';
import { parseBytes, parseRows } from '../../helpers/parse.js';

const STATISTICS = ['平均值', '均值', '最大值', '最小值', '有效数据个数', '样本数', '合计', '总计',
  'Average', 'Mean', 'Max', 'Maximum', 'Min', 'Minimum', 'Count', 'Valid count', 'Total', 'Sum', '平均值：', 'AVERAGE'];
const REMARKS = ['备注', '备注：数据为小时均值', '备注:仪器于 12 日校准', 'Remark', 'Remarks: none', 'Note', 'Notes: hourly means', '注：L 表示低于检出限'];

describe('footer labels', () => {
  it.each(STATISTICS)('%s is a statistics label', (label) => { expect(footerKind(label)).toBe('statistics'); });
  it.each(REMARKS)('%s is a remarks label', (label) => { expect(footerKind(label)).toBe('remarks'); });
  it.each(['赵牛河断面', '2023-07-15 08:00', 'sixinhe', '注意事项很多', 'Minnesota', 'notebook', ''])('%s is not', (text) => {
    expect(footerKind(text)).toBeUndefined();
  });
});

const HEADER = '断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)';
const DATA = ['赵牛河断面,2023-07-15 08:00,24,0.52', '赵牛河断面,2023-07-15 09:00,26,0.48'];

describe('a station report with a footer block', () => {
  it.each(STATISTICS)('skips a %s row in the time column', async (label) => {
    const p = await parseBytes([HEADER, ...DATA, `赵牛河断面,${label},25,0.50`].join('\n'));
    expect(p.samples).toHaveLength(2);
    expect(p.rejected).toEqual([]);
    expect(p.skipped).toEqual([{ line: 4, reason: expect.stringMatching(/^statistics row '.+': not a sample$/) }]);
  });

  it.each(STATISTICS)('skips a %s row in the site column (first cell)', async (label) => {
    const p = await parseBytes([HEADER, ...DATA, `${label},,25,0.50`].join('\n'));
    expect(p.samples.map((s) => s.site)).toEqual(['zhaoniuhe', 'zhaoniuhe']);
    expect(p.rejected).toEqual([]);
    expect(p.skipped).toHaveLength(1);
  });

  it('skips a whole block — statistics, remarks and their continuation lines, sign-off — and stores none of it', async () => {
    const p = await parseBytes([
      '赵牛河断面小时数据报表', HEADER, ...DATA,
      '平均值,,25,0.50', '最大值,,26,0.52', '最小值,,24,0.48', '有效数据个数,,2,2',
      '备注：1. 数据为小时均值;,,,', '2. L 表示低于检出限,,,', 'Note: exported by the platform', '制表人：张三,,审核人：李四,',
    ].join('\n'), 'report.csv');
    expect(p.samples).toHaveLength(2);
    expect(p.rejected).toEqual([]);
    expect(p.cells).toEqual([]);
    expect(p.skipped.map((s) => s.line)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(p.skipped[5]!.reason).toBe('remarks row (continued): not a sample');
  });

  it('skips footers of long-layout reports and workbook sheets too', async () => {
    const long = await parseBytes(['站点名称,监测时间,监测项目,监测值', '四新河,2023-07-15 08:00,COD,31', '合计,,COD,31', '备注：无,,,'].join('\n'));
    expect(long.samples).toHaveLength(1);
    expect(long.rejected).toEqual([]);
    expect(long.skipped.map((s) => s.line)).toEqual([3, 4]);
    const book = await parseRows([
      { line: 1, sheet: 'S', cells: ['site', 'time', 'COD'] },
      { line: 2, sheet: 'S', cells: ['sixinhe', '2023-07-15 08:00', '20'] },
      { line: 3, sheet: 'S', cells: ['', 'Average', '20'] },
    ]);
    expect(book.events.filter((e) => e.type === 'skipped')).toEqual([{ type: 'skipped', line: 3, sheet: 'S', reason: "statistics row 'Average': not a sample" }]);
  });
});

describe('HJ 212 logs with other lines', () => {
  it('skips connection messages and bare timestamps, rejects packet content without its frame', async () => {
    const packet = frame('QN=20230715080000123;ST=21;CN=2061;PW=123456;MN=3715000ZNH0001;Flag=4;CP=&&DataTime=20230715080000;w21003-Avg=0.52,w21003-Flag=N&&');
    const p = await parseBytes([
      '2023-07-15 07:59:58 client 10.0.0.5:51234 connected',
      packet.trimEnd(),
      '2023-07-15 08:00:01',
      'disconnected',
      'QN=20230715090000123;ST=21;CN=2061;MN=3715000ZNH0001;CP=&&DataTime=20230715090000;w21003-Avg=0.5&&',
    ].join('\n'), 'station.log');
    expect(p.samples).toHaveLength(1);
    expect(p.skipped.map((s) => s.line)).toEqual([1, 3, 4]);
    expect(p.skipped[0]!.reason).toMatch(/^log line, not a packet: '2023-07-15 07:59:58 client/);
    expect(p.rejected).toEqual([{ line: 5, reason: expect.stringMatching(/^HJ 212 packet content without its '##' frame header/) }]);
  });
});
