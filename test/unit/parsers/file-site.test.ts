/**
 * The site named by the file itself (issue 12 item 4): a title row or a metadata line above the
 * header names the site when no column does, before the S3 key and the file name are tried.
 */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { metadataSite, titleSite } from '../../../shared/parsers/file-site.js';
import { parseBytes, shanghai } from '../../helpers/parse.js';

const TABLE = ['监测时间,化学需氧量(mg/L),氨氮(mg/L)', '2023-07-15 08:00,24,0.52', '2023-07-15 09:00,26,0.48'];

describe('metadata lines and titles', () => {
  it.each([
    [['站点名称：赵牛河断面'], '赵牛河断面'],
    [['站点名称:赵牛河断面'], '赵牛河断面'],
    [['断面名称：四新河出境断面  监测日期：2023年7月'], '四新河出境断面'],
    [['监测点位：东沟桥 采样人：王五'], '东沟桥'],
    [['站点名称', '赵牛河断面', '', ''], '赵牛河断面'],
    [['站点名称：', '小湄河'], '小湄河'],
    [['Station:', 'xiaomeihe'], 'xiaomeihe'],
  ])('%j names %s', (cells, site) => {
    expect(metadataSite(cells)).toBe(site);
  });
  it.each([[['赵牛河断面小时数据报表'], 'zhaoniuhe'], [['四新河出境断面 2023年7月 自动监测日报', '', ''], 'sixinhe'], [['水质月报'], undefined]])(
    'title %j names %s', (cells, id) => {
      expect(titleSite(cells, defaultRegistry())).toBe(id);
    });
});

describe('a report whose site is named only above its table', () => {
  it('takes the site from a title row', async () => {
    const p = await parseBytes(['赵牛河断面小时数据报表,,', ...TABLE].join('\n'), 'report.csv');
    expect(p.samples.map((s) => [s.site, s.registered, s.time])).toEqual([
      ['zhaoniuhe', true, shanghai('2023-07-15 08:00')], ['zhaoniuhe', true, shanghai('2023-07-15 09:00')],
    ]);
  });

  it('takes it from a metadata line, in one cell or split over two, full-width or ASCII colon', async () => {
    for (const meta of ['站点名称：四新河出境断面,,', '站点名称:四新河出境断面,,', '站点名称,四新河出境断面,', '断面名称：四新河,,']) {
      const p = await parseBytes(['自动监测日报,,', meta, ...TABLE].join('\n'), 'daily.csv');
      expect(p.samples.map((s) => s.site), meta).toEqual(['sixinhe', 'sixinhe']);
    }
  });

  it('a metadata line outranks the title and the S3 key', async () => {
    const p = await parseBytes(['赵牛河断面小时数据报表,,', '监测点位：小湄河,,', ...TABLE].join('\n'), 'r.csv', {
      key: 'incoming/四新河/report.csv',
    });
    expect(p.samples.map((s) => s.site)).toEqual(['xiaomeihe', 'xiaomeihe']);
  });

  it('a title outranks the S3 key; the key is still used when the file names nothing', async () => {
    const titled = await parseBytes(['赵牛河断面小时数据报表,,', ...TABLE].join('\n'), 'r.csv', { key: 'incoming/sixinhe/r.csv' });
    expect(titled.samples[0]!.site).toBe('zhaoniuhe');
    const plain = await parseBytes(['水质日报,,', ...TABLE].join('\n'), 'r.csv', { key: 'incoming/sixinhe/r.csv' });
    expect(plain.samples[0]!.site).toBe('sixinhe');
  });

  it('a metadata value that is not registered names an unregistered site as written', async () => {
    const p = await parseBytes(['监测点位：东沟桥,,', ...TABLE].join('\n'), 'x.csv');
    expect(p.samples.map((s) => [s.site, s.registered])).toEqual([['东沟桥', false], ['东沟桥', false]]);
  });

  it('a site column still wins over the title for the rows that fill it', async () => {
    const p = await parseBytes(['赵牛河断面小时数据报表,,,', '站点,监测时间,COD', '小湄河,2023-07-15 08:00,20', ',2023-07-15 09:00,21'].join('\n'));
    expect(p.samples.map((s) => s.site)).toEqual(['xiaomeihe', 'zhaoniuhe']);
  });

  it('still rejects a file that names no site anywhere, saying where a site may be named', async () => {
    await expect(parseBytes(['水质日报,,', ...TABLE].join('\n'), 'report.csv')).rejects.toThrow(/站点名称：/);
  });
});
