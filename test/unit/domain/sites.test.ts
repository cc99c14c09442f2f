/** The site registry: the zone's four default sites, lookup by alias and MN, validation. */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { SiteRegistry } from '../../../shared/domain/sites.js';

describe('default registry (config/sites.json)', () => {
  const r = defaultRegistry();
  it('holds the zone\'s four sites with their targets and focus indicators', () => {
    expect(r.sites.map((s) => s.id)).toEqual(['zhaoniuhe', 'xiaomeihe', 'sixinhe', 'hanhai-stp']);
    expect(r.get('zhaoniuhe')).toMatchObject({ name: '赵牛河断面', kind: 'river-section', water: 'river', target: 'IV', focus: ['TP', 'NH3N', 'F'] });
    expect(r.get('xiaomeihe')).toMatchObject({ name: '小湄河断面', focus: ['NH3N', 'pH'] });
    expect(r.get('sixinhe')).toMatchObject({ name: '四新河出境断面', focus: ['COD', 'TN'] });
    expect(r.get('hanhai-stp')).toMatchObject({ name: '高新瀚海污水处理厂出水', kind: 'effluent-outlet' });
  });
  it.each([
    ['赵牛河', 'zhaoniuhe'], ['赵牛河断面', 'zhaoniuhe'], ['小湄河', 'xiaomeihe'], ['四新河', 'sixinhe'],
    ['四新河断面', 'sixinhe'], ['四新河出境断面', 'sixinhe'], ['瀚海污水处理厂', 'hanhai-stp'],
    ['高新瀚海污水处理厂', 'hanhai-stp'], [' 四新河 ', 'sixinhe'], ['SIXINHE', 'sixinhe'],
  ])('finds %s as %s', (name, id) => {
    expect(r.resolve(name).id).toBe(id);
    expect(r.resolve(name).registered).toBe(true);
  });
  it('finds a site by its HJ 212 MN', () => {
    const mn = r.get('sixinhe')!.mn[0]!;
    expect(r.resolve(mn).id).toBe('sixinhe');
  });
  it('keeps an unknown station as written, unregistered, river, target IV', () => {
    expect(r.resolve('010000A8900016F000169DC0')).toMatchObject({ id: '010000A8900016F000169DC0', registered: false, water: 'river', target: 'IV' });
  });
  it('finds a site named in an S3 key or file name', () => {
    expect(r.findInPath('incoming/2023/四新河出境断面-202307.csv')?.id).toBe('sixinhe');
    expect(r.findInPath('incoming/zhaoniuhe/july.csv')?.id).toBe('zhaoniuhe');
    expect(r.findInPath('incoming/report.csv')).toBeUndefined();
  });
});

describe('registry validation', () => {
  it('names the field and the problem', () => {
    expect(() => SiteRegistry.parse({ sites: [{ id: 'x', name: 'X', kind: 'pond' }] }, 'sites.json'))
      .toThrow(/sites.json is not valid: sites\.0\.kind/);
    expect(() => SiteRegistry.parse({ sites: [{ id: 'x', name: 'X', kind: 'river-section', target: '劣V' }] })).toThrow(/target/);
    expect(() => SiteRegistry.parse({ sites: [{ id: 'x', name: 'X', kind: 'river-section', focus: ['XYZ'] }] })).toThrow(/focus/);
  });
  it('refuses a name that points at two sites', () => {
    expect(() => SiteRegistry.parse({ sites: [
      { id: 'a', name: 'A河', kind: 'river-section' }, { id: 'b', name: 'B河', aliases: ['A河'], kind: 'river-section' },
    ] })).toThrow(/names both a and b/);
  });
});

describe('towns', () => {
  it('the default registry names every site\'s town, with placeholders for its river chief and heads', () => {
    const r = defaultRegistry();
    for (const site of r.sites) expect(r.town(site.town as string), site.id).toBeDefined();
    expect(r.town('四新河流域责任镇')).toMatchObject({
      riverChiefs: [{ name: '（待填）', title: expect.any(String) }],
      deputyHead: { name: '（待填）', title: '分管负责人' }, principalHead: { name: '（待填）', title: '主要负责人' },
    });
  });
  const town = { name: 'A镇', riverChiefs: [{ name: '张三', title: '镇级河长' }], deputyHead: { name: '李四', title: '副镇长' }, principalHead: { name: '王五', title: '镇长' } };
  it('refuses a site whose town is not registered, naming the site, the town and the towns there are', () => {
    expect(() => SiteRegistry.parse({ towns: [town], sites: [{ id: 'x', name: 'X', kind: 'river-section', town: 'B镇' }] }, 'sites.json'))
      .toThrow("sites.json: site 'x' names town 'B镇', which is not in towns (registered: 'A镇')");
    expect(() => SiteRegistry.parse({ sites: [{ id: 'x', name: 'X', kind: 'river-section', town: 'B镇' }] })).toThrow(/registered: none/);
  });
  it('validates each town: a river chief at least, both heads with name and title', () => {
    expect(() => SiteRegistry.parse({ towns: [{ ...town, riverChiefs: [] }], sites: [] })).toThrow(/towns\.0\.riverChiefs/);
    expect(() => SiteRegistry.parse({ towns: [{ ...town, deputyHead: { name: '李四' } }], sites: [] })).toThrow(/towns\.0\.deputyHead\.title/);
    expect(() => SiteRegistry.parse({ towns: [town, town], sites: [] })).toThrow(/town 'A镇' appears twice/);
  });
  it('a registry without towns still loads when no site names one', () => {
    expect(SiteRegistry.parse({ sites: [{ id: 'x', name: 'X', kind: 'river-section' }] }).towns).toEqual([]);
  });
});

describe('SiteRegistry.suggest: the site a mistyped name most likely meant', () => {
  const r = defaultRegistry();
  it.each([
    ['xiaomeihr', 'xiaomeihe'], ['xiaomei', 'xiaomeihe'], ['XIAOMEIHE ', 'xiaomeihe'], ['sixinhee', 'sixinhe'],
    ['hanhai-sp', 'hanhai-stp'], ['小湄河段面', 'xiaomeihe'], ['赵牛河自动站', 'zhaoniuhe'], ['赵牛河断面(自动)', 'zhaoniuhe'],
    ['四新河出境', 'sixinhe'], ['瀚海污水厂', 'hanhai-stp'],
  ])('suggests %s → %s', (typo, id) => {
    expect(r.suggest(typo)?.id).toBe(id);
  });
  it.each([['nosuch'], ['he'], ['河'], [''], ['东沟桥']])('suggests nothing for %j, which is close to no site', (name) => {
    expect(r.suggest(name)).toBeUndefined();
  });
  it('prefers the closer of two sites', () => {
    const two = SiteRegistry.parse({ sites: [
      { id: 'river-a', name: 'A河', kind: 'river-section' },
      { id: 'river-ab', name: 'AB河', kind: 'river-section' },
    ] });
    expect(two.suggest('river-abc')?.id).toBe('river-ab');
    expect(two.suggest('river-ab1')?.id).toBe('river-ab');
  });
});

describe('near-miss names (suggest)', () => {
  const r = defaultRegistry();
  it.each([
    ['赵牛河自动站', 'zhaoniuhe'], ['赵牛河断面(自动)', 'zhaoniuhe'], ['赵牛河 断面', 'zhaoniuhe'], ['赵牛河断面（人工）', 'zhaoniuhe'],
    ['赵牛河水质自动站', 'zhaoniuhe'], ['小湄河监测站', 'xiaomeihe'], ['四新河出境断面-自动站', 'sixinhe'], ['四新河出境', 'sixinhe'],
    ['瀚海污水处理厂出水口', 'hanhai-stp'], ['zhaonuihe', 'zhaoniuhe'], ['zhaoniuhe2', 'zhaoniuhe'], ['xiaomeihe-auto', 'xiaomeihe'],
    ['赵牛河断面', 'zhaoniuhe'],
  ])('%s → %s', (name, id) => {
    expect(r.suggest(name)?.id).toBe(id);
  });
  it.each(['东沟桥', '小清河', '徒骇河断面', '城西污水处理厂', '河', '站', 'abc', '3715000ZNH0002', 'xiaohe', '赵牛河与小湄河交汇处'])(
    'suggests nothing for %s', (name) => {
      expect(r.suggest(name)).toBeUndefined();
    });
});
