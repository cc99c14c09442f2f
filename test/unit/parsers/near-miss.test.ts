/**
 * Near-miss site names (issue 12 item 5): stored as written and unregistered, and the file gets one
 * warning per name asking whether it is the registered site.
 */
import { describe, expect, it } from 'vitest';
import { parseBytes } from '../../helpers/parse.js';

describe('a site name close to a registered one', () => {
  it('is stored as written, unregistered, with one Chinese warning naming the likely site', async () => {
    const p = await parseBytes([
      '站点名称,监测时间,氨氮',
      '赵牛河自动站,2023-07-15 08:00,0.52', '赵牛河自动站,2023-07-15 09:00,0.50', '赵牛河断面(自动),2023-07-15 10:00,0.49',
      '东沟桥,2023-07-15 08:00,0.3', '赵牛河断面,2023-07-15 11:00,0.47',
    ].join('\n'));
    expect(p.samples.map((s) => [s.site, s.registered])).toEqual([
      ['赵牛河自动站', false], ['赵牛河自动站', false], ['赵牛河断面(自动)', false], ['东沟桥', false], ['zhaoniuhe', true],
    ]);
    expect(p.warnings).toEqual([
      '站点「赵牛河自动站」未登记，是否为 赵牛河断面 (zhaoniuhe)？如是请加入 config/sites.json 的 aliases',
      '站点「赵牛河断面(自动)」未登记，是否为 赵牛河断面 (zhaoniuhe)？如是请加入 config/sites.json 的 aliases',
    ]);
    expect(p.events.find((e) => e.type === 'warning')).toMatchObject({ nearMiss: { name: '赵牛河自动站', site: 'zhaoniuhe' } });
  });

  it('JSON samples get the same warning', async () => {
    const p = await parseBytes('{"site":"小湄河监测站","time":"2023-07-15 08:00","pH":7.2}\n', 'x.ndjson');
    expect(p.samples[0]).toMatchObject({ site: '小湄河监测站', registered: false });
    expect(p.warnings).toEqual(['站点「小湄河监测站」未登记，是否为 小湄河断面 (xiaomeihe)？如是请加入 config/sites.json 的 aliases']);
  });
});
