/**
 * The parameter catalogue: every indicator bishui knows, by canonical id.
 * Units are those of GB 3838-2002 (mg/L unless noted); HJ 212 codes per
 * HJ 212-2017 (and the 2005 code where one exists). Source: docs/domain.md#gb-3838-2002-table-1 and #pollutant-codes.
 */

export const PARAM_IDS = [
  'pH', 'DO', 'CODMn', 'COD', 'BOD5', 'NH3N', 'TP', 'TN', 'Cu', 'Zn', 'F', 'Se', 'As', 'Hg', 'Cd',
  'Cr6', 'Pb', 'CN', 'phenol', 'oil', 'LAS', 'S2', 'coliform', 'temp', 'turbidity', 'conductivity', 'flow',
] as const;

export type ParamId = (typeof PARAM_IDS)[number];

export interface ParamInfo {
  readonly id: ParamId;
  readonly zh: string;
  readonly en: string;
  /** Unit in which bishui stores and grades the value (the standard's unit). */
  readonly unit: string;
  /** HJ 212-2017 pollutant code. */
  readonly hj2017?: string;
  /** HJ 212-2005 pollutant code. */
  readonly hj2005?: string;
  /** Unit the HJ 212 packets carry, where it differs from `unit`; value is the factor to `unit`. */
  readonly hjFactor?: number;
  /** Concentrations cannot be negative; water temperature can. */
  readonly nonNegative: boolean;
}

const p = (
  id: ParamId, zh: string, en: string, unit: string,
  codes: { hj2017?: string; hj2005?: string; hjFactor?: number } = {}, nonNegative = true,
): ParamInfo => ({ id, zh, en, unit, ...codes, nonNegative });

export const PARAMETERS: Readonly<Record<ParamId, ParamInfo>> = {
  pH: p('pH', 'pH值', 'pH', '', { hj2017: 'w01001', hj2005: '001' }),
  DO: p('DO', '溶解氧', 'dissolved oxygen', 'mg/L', { hj2017: 'w01009' }),
  CODMn: p('CODMn', '高锰酸盐指数', 'permanganate index', 'mg/L', { hj2017: 'w01019' }),
  COD: p('COD', '化学需氧量', 'chemical oxygen demand', 'mg/L', { hj2017: 'w01018', hj2005: '011' }),
  BOD5: p('BOD5', '五日生化需氧量', '5-day biochemical oxygen demand', 'mg/L', { hj2017: 'w01017', hj2005: '010' }),
  NH3N: p('NH3N', '氨氮', 'ammonia nitrogen', 'mg/L', { hj2017: 'w21003', hj2005: '060' }),
  TP: p('TP', '总磷', 'total phosphorus', 'mg/L', { hj2017: 'w21011', hj2005: '101' }),
  TN: p('TN', '总氮', 'total nitrogen', 'mg/L', { hj2017: 'w21001', hj2005: '065' }),
  Cu: p('Cu', '铜', 'copper', 'mg/L', { hj2017: 'w20138' }),
  Zn: p('Zn', '锌', 'zinc', 'mg/L', { hj2017: 'w20139' }),
  F: p('F', '氟化物', 'fluoride', 'mg/L', { hj2017: 'w21017', hj2005: '072' }),
  Se: p('Se', '硒', 'selenium', 'mg/L', { hj2017: 'w20140' }),
  As: p('As', '砷', 'arsenic', 'mg/L', { hj2017: 'w20141' }),
  Hg: p('Hg', '汞', 'mercury', 'mg/L', { hj2017: 'w20142', hjFactor: 0.001 }),
  Cd: p('Cd', '镉', 'cadmium', 'mg/L', { hj2017: 'w20143', hjFactor: 0.001 }),
  Cr6: p('Cr6', '六价铬', 'hexavalent chromium', 'mg/L', { hj2017: 'w20117', hj2005: '024', hjFactor: 0.001 }),
  Pb: p('Pb', '铅', 'lead', 'mg/L', { hj2017: 'w20144' }),
  CN: p('CN', '氰化物', 'cyanide', 'mg/L', { hj2017: 'w21016', hj2005: '070' }),
  phenol: p('phenol', '挥发酚', 'volatile phenol', 'mg/L', { hj2017: 'w23002', hj2005: '110' }),
  oil: p('oil', '石油类', 'petroleum', 'mg/L', { hj2017: 'w22001', hj2005: '080' }),
  LAS: p('LAS', '阴离子表面活性剂', 'anionic surfactant', 'mg/L', { hj2017: 'w19002', hj2005: '520' }),
  S2: p('S2', '硫化物', 'sulfide', 'mg/L', { hj2017: 'w21019', hj2005: '071' }),
  coliform: p('coliform', '粪大肠菌群', 'fecal coliform', '个/L', { hj2017: 'w02003', hj2005: '550' }),
  temp: p('temp', '水温', 'water temperature', '°C', { hj2017: 'w01010' }, false),
  turbidity: p('turbidity', '浊度', 'turbidity', 'NTU', { hj2017: 'w01003' }),
  conductivity: p('conductivity', '电导率', 'conductivity', 'µS/cm', { hj2017: 'w01014' }),
  flow: p('flow', '流量', 'flow', 'L/s', { hj2017: 'w00000', hj2005: 'B01' }),
};

const ID_SET: ReadonlySet<string> = new Set(PARAM_IDS);

export function isParamId(s: string): s is ParamId {
  return ID_SET.has(s);
}

const BY_HJ_CODE: ReadonlyMap<string, ParamInfo> = new Map(
  Object.values(PARAMETERS).flatMap((info) => [
    ...(info.hj2017 ? [[info.hj2017.toLowerCase(), info] as const] : []),
    ...(info.hj2005 ? [[info.hj2005.toLowerCase(), info] as const] : []),
  ]),
);

/** Looks a pollutant code up in both the 2017 and the 2005 tables (case-insensitive). */
export function paramByHjCode(code: string): ParamInfo | undefined {
  return BY_HJ_CODE.get(code.toLowerCase());
}
