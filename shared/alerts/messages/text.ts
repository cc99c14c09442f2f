/**
 * The words and numbers every message is built from: Chinese times, values with units, indicator
 * names, a station's name made safe to show (an unregistered one quoted and marked 未登记), and the
 * attributes subscriptions filter on.
 */
import type { Exceedance } from '../../domain/evaluate.js';
import type { Grade } from '../../domain/gb3838.js';
import type { ParamId } from '../../domain/parameters.js';
import { PARAMETERS } from '../../domain/parameters.js';
import type { Site } from '../../domain/sites.js';
import { formatInstant } from '../../domain/time.js';
import { MAX_NAME_CHARS_EMAIL, MAX_NAME_CHARS_SMS, MAX_NAME_CHARS_SUBJECT } from '../../limits.js';
import { oneLine } from '../../safe-text.js';
import type { AlertConfig } from '../config.js';
import type { Severity } from '../events.js';

/** What every builder needs besides its event. */
export interface MessageContext {
  readonly site: Site;
  readonly zone: string;
  readonly config: AlertConfig;
}

export const zh = (p: ParamId) => PARAMETERS[p].zh;
export const unit = (p: ParamId) => PARAMETERS[p].unit;
/** Four significant digits, no trailing zeros: 0.00004 stays 0.00004, 31.94 reads 31.94. */
export const num = (v: number) => String(Number(v.toPrecision(4)));
export const withUnit = (p: ParamId, v: number) => `${num(v)}${unit(p)}`;
export const classText = (cls: Grade | null) => (cls === null ? '类别未知' : `${cls}类`);
export const multipleText = (m: number) => `超标${m.toFixed(2)}倍`;

/** 7月15日08时 (08时30分 when not on the hour). */
export function when(ms: number, zone: string): string {
  const t = formatInstant(ms, zone);
  const minutes = t.slice(14, 16) === '00' ? '' : `${t.slice(14, 16)}分`;
  return `${Number(t.slice(5, 7))}月${Number(t.slice(8, 10))}日${t.slice(11, 13)}时${minutes}`;
}

/** 2023-07-15 08:00 */
export const full = (ms: number, zone: string) => formatInstant(ms, zone).slice(0, 16).replace('T', ' ');

/** 7月15日 from YYYY-MM-DD. */
export const dayText = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** How long, in hours up to 48 h and in days beyond. */
export function durationText(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  return hours <= 48 ? `${hours}小时` : `${Math.floor(hours / 24)}天`;
}

/**
 * A station's name as a message shows it, at most `max` characters: a registered site's name, or
 * an unregistered station's name as written — quoted, marked 未登记, control characters removed.
 */
export function siteName(site: Site, max: number): string {
  if (site.registered) return oneLine(site.name, max);
  const mark = '（未登记）';
  return `“${oneLine(site.name, Math.max(4, max - mark.length - 2))}”${mark}`;
}
export const smsName = (site: Site) => siteName(site, MAX_NAME_CHARS_SMS);
export const subjectName = (site: Site) => siteName(site, MAX_NAME_CHARS_SUBJECT);
export const emailName = (site: Site) => siteName(site, MAX_NAME_CHARS_EMAIL);

/** The site line of an email: name, id and the responsible town. */
export function siteLine(site: Site): string {
  const id = site.registered ? `（${site.id}${site.town ? `，责任镇：${oneLine(site.town, MAX_NAME_CHARS_EMAIL)}` : ''}）` : `（站点未在 config/sites.json 中登记，按河流断面 ${site.target} 类目标评价）`;
  return `站点：${emailName(site)}${id}`;
}

/** The limit an exceedance was judged against, in words. */
export function limitText(e: Exceedance, site: Site): string {
  if (e.param === 'pH') return `pH ${e.value < e.limit ? '下限' : '上限'} ${num(e.limit)}`;
  if (e.param === 'DO') return `${site.target}类标准 ≥${withUnit(e.param, e.limit)}`;
  const effluent = site.effluentLimits[e.param];
  return effluent === e.limit ? `出水限值 ${withUnit(e.param, e.limit)}` : `${site.target}类标准 ${withUnit(e.param, e.limit)}`;
}

/** The attributes subscription filter policies match on (bounded and cleaned when sent: bounds.ts). */
export function attributes(site: Site, kind: string, severity: Severity | readonly Severity[], param: string | readonly string[]): Record<string, string | readonly string[]> {
  return { site: site.id, town: site.town ?? 'unknown', kind, severity, param };
}

/** What to check for an indicator over its limit. */
export const CHECKS: Partial<Record<ParamId, string>> = {
  COD: '上游排口与入河排污口排放、污水处理厂出水、降雨冲刷带入的面源污染',
  CODMn: '上游排口、生活污水直排、降雨冲刷',
  NH3N: '生活污水直排、养殖废水、污水处理厂硝化效果（低水温时尤甚）',
  TP: '生活污水、农田退水与降雨冲刷、污水处理厂除磷加药',
  TN: '农田退水、污水处理厂反硝化效果、上游来水',
  DO: '有机污染负荷、藻类夜间耗氧、高温少流',
  pH: '工业废水偷排、藻类大量繁殖、仪器校准',
  F: '工业排放（电镀、玻璃、化肥）与地下水补给',
};
export const DEFAULT_CHECK = '上游来水与排口情况、仪器运行状态';

/** Numbers the texts quote from the alert settings, so they say what the rules do. */
export const recoveryRule = (config: AlertConfig) => `连续 ${config.recoveryStreak} 次有效监测达标后将发送恢复通知；超标持续期间每 ${config.reminderHours} 小时提醒一次。`;
