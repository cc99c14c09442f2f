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
