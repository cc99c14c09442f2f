/**
 * Column headers as monitoring platforms write them — Chinese or English, canonical ids, HJ 212
 * codes, with or without a unit — mapped to what the column holds, and the factor that converts
 * the header's unit into the catalogue's.
 */
import type { ParamId } from '../domain/parameters.js';
import { PARAMETERS, PARAM_IDS, paramByHjCode } from '../domain/parameters.js';
import { quote } from '../safe-text.js';

export type ColumnRole =
  | { readonly role: 'site' }
  | { readonly role: 'siteCode' }
  | { readonly role: 'time' }
  | { readonly role: 'date' }
  | { readonly role: 'clock' }
  | { readonly role: 'param'; readonly param: ParamId; readonly factor: number }
  | { readonly role: 'flag'; readonly param: ParamId }
  // long layout
  | { readonly role: 'indicator' }
  | { readonly role: 'value' }
  | { readonly role: 'unit' }
  | { readonly role: 'rowFlag' }
  | { readonly role: 'ignore' };

const ALIASES: Record<ParamId, readonly string[]> = {
  pH: ['ph', 'ph值', '酸碱度'],
  DO: ['do', '溶解氧', 'dissolvedoxygen'],
  CODMn: ['codmn', 'imn', '高锰酸盐指数', 'permanganateindex', 'cod锰'],
  COD: ['cod', 'codcr', '化学需氧量', 'chemicaloxygendemand', 'cod铬'],
  BOD5: ['bod5', 'bod', '五日生化需氧量', '生化需氧量', 'biochemicaloxygendemand'],
  NH3N: ['nh3n', 'nh4n', '氨氮', 'ammonianitrogen', 'ammonia', 'nh3'],
  TP: ['tp', '总磷', 'totalphosphorus'],
  TN: ['tn', '总氮', 'totalnitrogen'],
  Cu: ['cu', '铜', 'copper'],
  Zn: ['zn', '锌', 'zinc'],
  F: ['f', '氟化物', 'fluoride', '氟'],
  Se: ['se', '硒', 'selenium'],
  As: ['as', '砷', 'arsenic'],
  Hg: ['hg', '汞', 'mercury'],
  Cd: ['cd', '镉', 'cadmium'],
  Cr6: ['cr6', 'crvi', '六价铬', 'hexavalentchromium', 'chromiumvi'],
  Pb: ['pb', '铅', 'lead'],
  CN: ['cn', '氰化物', 'cyanide', '总氰化物'],
  phenol: ['phenol', '挥发酚', 'volatilephenol', 'volatilephenols'],
  oil: ['oil', '石油类', 'petroleum'],
  LAS: ['las', '阴离子表面活性剂', 'anionicsurfactant', 'anionicsurfactants'],
  S2: ['s2', '硫化物', 'sulfide', 'sulphide'],
  coliform: ['coliform', '粪大肠菌群', 'fecalcoliform', 'fecalcoliforms', 'faecalcoliform'],
  temp: ['temp', '水温', 'temperature', 'watertemperature', 'wt'],
  turbidity: ['turbidity', '浊度', 'turb'],
  conductivity: ['conductivity', '电导率', 'ec', 'cond'],
  flow: ['flow', '流量', '瞬时流量', 'flowrate', '废水流量'],
};

const OTHER_ROLES: readonly [ColumnRole, readonly string[]][] = [
  [{ role: 'site' }, ['site', 'station', 'section', 'sitename', 'stationname', 'sectionname', 'point', 'pointname',
    'monitorpoint', 'monitorpointname', 'outletname', '断面', '断面名称',
    '监测断面', '站点', '站点名称', '点位', '点位名称', '监测点', '监测点位', '监测点位名称', '测站', '测站名称', '站名',
    '监测站', '监测站点', '排口名称', '排放口', '排放口名称', '企业名称', '名称']],
  [{ role: 'siteCode' }, ['mn', 'sitecode', 'stationcode', 'siteid', 'stationid', '站点编码', '站点编号', '断面编码',
    '点位编码', '设备编号', '监测点编码', '数采仪编号']],
  [{ role: 'time' }, ['time', 'datetime', 'timestamp', 'sampletime', 'datatime', 'monitortime', 'samplingtime',
    '时间', '监测时间', '采样时间', '数据时间', '采样日期时间', '监测日期时间', '日期时间', '时段']],
  [{ role: 'date' }, ['date', 'sampledate', '日期', '采样日期', '监测日期']],
  [{ role: 'clock' }, ['clock', 'hour', '时刻', '小时']],
  [{ role: 'indicator' }, ['indicator', 'parameter', 'param', 'pollutant', 'item', 'factor', 'code', 'pollutantcode',
    '项目', '监测项目', '指标', '监测指标', '因子', '监测因子', '污染物', '污染物名称', '因子名称', '项目名称', '污染物代码', '因子编码']],
  [{ role: 'value' }, ['value', 'result', 'concentration', 'reading', '值', '监测值', '浓度', '浓度值', '结果', '监测结果',
    '数值', '测定值', '实测值']],
  [{ role: 'unit' }, ['unit', 'units', '单位', '计量单位']],
  [{ role: 'rowFlag' }, ['flag', 'dataflag', 'status', 'quality', '标识', '数据标识', '标记', '状态', '数据标记', '数据状态']],
];

/** Units a header may carry, to the factor that turns a value in it into the catalogue's unit. */
const UNIT_FACTORS: Record<string, Record<string, number>> = {
  'mg/L': { 'mg/l': 1, 'µg/l': 0.001, 'ug/l': 0.001, 'μg/l': 0.001, 'ng/l': 1e-6, 'g/l': 1000, 'mg/dm3': 1, 'ppm': 1, 'ppb': 0.001 },
  '': { '': 1, '无量纲': 1, '-': 1, 'ph': 1 },
  '个/L': { '个/l': 1, 'mpn/l': 1, 'cfu/l': 1, '个/100ml': 10, 'mpn/100ml': 10, 'cfu/100ml': 10, '个/ml': 1000 },
  '°C': { '°c': 1, '℃': 1, 'c': 1, 'deg.c': 1, 'degc': 1 },
  NTU: { 'ntu': 1, 'fnu': 1, '度': 1 },
  'µS/cm': { 'µs/cm': 1, 'us/cm': 1, 'μs/cm': 1, 'ms/cm': 1000, 'ms/m': 10 },
  'L/s': { 'l/s': 1, 'm3/s': 1000, 'm³/s': 1000, 'm3/h': 1000 / 3600, 'm³/h': 1000 / 3600, 't/h': 1000 / 3600, 'm3/d': 1000 / 86400, 'm³/d': 1000 / 86400 },
};

const UNIT_IN_BRACKETS = /[（(\[【]\s*([^）)\]】]*)\s*[）)\]】]\s*$/;

/** Canonical spelling of a unit: NFKC, lower case, no spaces (µ/μ/u unified by the factor table). */
export function normaliseUnit(u: string): string {
  return u.normalize('NFKC').replace(/\s+/g, '').replace(/μ/g, 'µ').toLowerCase();
}

/** Factor from `unit` to the catalogue's unit for `param`; undefined when the unit is not one we know. */
export function unitFactor(param: ParamId, unit: string): number | undefined {
  const table = UNIT_FACTORS[PARAMETERS[param].unit];
  const u = normaliseUnit(unit);
  return table?.[u] ?? table?.[u.replace(/µ/g, 'u')];
}

/**
 * A header reduced to its name: NFKC, no unit suffix, lower case, no spaces or separators.
 * `unit` is the bracketed or trailing suffix when there is one; `whole` is the name with it kept,
 * for names whose brackets are part of the name (`Cr(VI)`).
 */
export function normaliseHeader(h: string): { name: string; unit: string | undefined; whole: string } {
  let s = h.normalize('NFKC').replace(/^\uFEFF/, '').trim();
  const squash = (x: string) => x.toLowerCase().replace(/[\s\-_.+()（）\[\]【】:：·]/g, '');
  const whole = squash(s);
  let unit: string | undefined;
  const m = UNIT_IN_BRACKETS.exec(s);
  if (m && m[1] !== undefined && m.index > 0) {
    unit = m[1];
    s = s.slice(0, m.index);
  } else {
    // "NH3-N mg/L" — a trailing unit after a space
    const sp = /^(.*\S)\s+(\S+\/\S+|℃|°C|NTU|无量纲)$/i.exec(s);
    if (sp && sp[2] && looksLikeUnit(sp[2])) { unit = sp[2]; s = sp[1] ?? s; }
  }
  return { name: squash(s), unit, whole };
}

export function looksLikeUnit(u: string): boolean {
  const n = normaliseUnit(u);
  if (n === '') return true;
  return Object.values(UNIT_FACTORS).some((t) => n in t || n.replace(/µ/g, 'u') in t);
}

const PARAM_BY_NAME = new Map<string, ParamId>();
for (const id of PARAM_IDS) {
  for (const alias of [id, PARAMETERS[id].zh, PARAMETERS[id].en, ...ALIASES[id]]) {
    PARAM_BY_NAME.set(normaliseHeader(alias).whole, id);
  }
}
const ROLE_BY_NAME = new Map<string, ColumnRole>();
for (const [role, names] of OTHER_ROLES) for (const n of names) ROLE_BY_NAME.set(normaliseHeader(n).whole, role);

/** Finds a parameter by name, alias or HJ 212 code (both tables). */
export function paramByName(text: string): ParamId | undefined {
  const { name, whole } = normaliseHeader(text);
  return PARAM_BY_NAME.get(whole) ?? PARAM_BY_NAME.get(name) ?? paramByHjCode(text.trim())?.id;
}

const FLAG_SUFFIX = /^(.*?)[\s\-_]*(flag|标识|标记|状态|数据标识|标志)$/i;

export interface HeaderMapping {
  readonly role: ColumnRole;
  /** Why a unit could not be used, when the header names a unit bishui cannot convert. */
  readonly problem?: string;
}

/** Why a column whose unit cannot be converted is not read; `where` names a unit given outside the header. */
export function unconvertibleUnit(header: string, unit: string, param: ParamId, where = ''): string {
  return `column ${quote(header)}: unit ${quote(unit)}${where} cannot be converted to ${PARAMETERS[param].unit || 'a unitless value'}; the column is not read`;
}

export function mapHeader(header: string): HeaderMapping {
  const { name, unit, whole } = normaliseHeader(header);
  const wholeParam = PARAM_BY_NAME.get(whole);
  if (wholeParam) return { role: { role: 'param', param: wholeParam, factor: 1 } };
  const param = PARAM_BY_NAME.get(name) ?? paramByHjCode(header.trim())?.id;
  if (param) {
    if (unit === undefined || unit.trim() === '') return { role: { role: 'param', param, factor: 1 } };
    const factor = unitFactor(param, unit);
    if (factor === undefined) {
      return { role: { role: 'ignore' }, problem: unconvertibleUnit(header, unit, param) };
    }
    return { role: { role: 'param', param, factor } };
  }
  const role = ROLE_BY_NAME.get(name) ?? ROLE_BY_NAME.get(whole);
  if (role) return { role };
  const flag = FLAG_SUFFIX.exec(header.normalize('NFKC').trim());
  if (flag && flag[1]) {
    const p = paramByName(flag[1]);
    if (p) return { role: { role: 'flag', param: p } };
  }
  return { role: { role: 'ignore' } };
}
