/**
 * Alert events → SNS notifications: Chinese email with full detail, one Chinese SMS segment, and
 * the attributes subscriptions filter on (site, town, kind, severity, param).
 */
import type { Exceedance } from '../domain/evaluate.js';
import type { ParamId } from '../domain/parameters.js';
import { PARAMETERS } from '../domain/parameters.js';
import type { Site } from '../domain/sites.js';
import { DEFAULT_ZONE, formatInstant } from '../domain/time.js';
import type { Notification } from '../ports/index.js';
import type { FluctuationEvent } from './flood-rule.js';
import type { AlertEvent } from './site-rules.js';
import { smsText } from './sms.js';

export type Severity = 'info' | 'warning' | 'critical';

const zh = (p: ParamId) => PARAMETERS[p].zh;
const unit = (p: ParamId) => PARAMETERS[p].unit;
const num = (v: number) => String(Number(v.toPrecision(4)));
/** 7月15日08时 */
function when(ms: number, zone = DEFAULT_ZONE): string {
  const t = formatInstant(ms, zone);
  return `${Number(t.slice(5, 7))}月${Number(t.slice(8, 10))}日${t.slice(11, 13)}时`;
}
const full = (ms: number, zone = DEFAULT_ZONE) => formatInstant(ms, zone).slice(0, 16).replace('T', ' ');

const CHECKS: Partial<Record<ParamId, string>> = {
  COD: '上游排口与入河排污口排放、污水处理厂出水、降雨冲刷带入的面源污染',
  CODMn: '上游排口、生活污水直排、降雨冲刷',
  NH3N: '生活污水直排、养殖废水、污水处理厂硝化效果（低水温时尤甚）',
  TP: '生活污水、农田退水与降雨冲刷、污水处理厂除磷加药',
  TN: '农田退水、污水处理厂反硝化效果、上游来水',
  DO: '有机污染负荷、藻类夜间耗氧、高温少流',
  pH: '工业废水偷排、藻类大量繁殖、仪器校准',
  F: '工业排放（电镀、玻璃、化肥）与地下水补给',
};

function attributes(site: Site, kind: string, severity: Severity, param: string): Record<string, string> {
  return { site: site.id, town: site.town ?? 'unknown', kind, severity, param };
}

function limitText(e: Exceedance, site: Site): string {
  if (e.param === 'pH') return `pH ${e.value < e.limit ? '下限' : '上限'} ${e.limit}`;
  if (e.param === 'DO') return `${site.target}类标准（≥${num(e.limit)}${unit(e.param)}）`;
  const effluent = site.effluentLimits[e.param];
  return effluent !== undefined && effluent === e.limit ? `出水限值 ${num(e.limit)}${unit(e.param)}` : `${site.target}类标准 ${num(e.limit)}${unit(e.param)}`;
}

export function exceedanceSeverity(e: Exceedance, grade: string | null): Severity {
  return grade === '劣V' || (e.multiple !== null && e.multiple >= 1) ? 'critical' : 'warning';
}

export function notificationFor(event: AlertEvent | FluctuationEvent, site: Site, zone = DEFAULT_ZONE): Notification {
  const name = site.name;
  switch (event.kind) {
    case 'exceedance': {
      const e = event.exceedance;
      const phase = { opened: '超标', reminder: '持续超标', worse: '超标加重' }[event.phase];
      const multiple = e.multiple === null ? '' : `，超标${e.multiple.toFixed(2)}倍`;
      const severity = exceedanceSeverity(e, event.grade);
      const trend = event.trend.map(([t, v]) => `${full(t, zone)}  ${num(v)}${unit(e.param)}`).join('\n');
      return {
        topic: 'alerts',
        subject: `【碧水】${name} ${zh(e.param)}${phase}`,
        default: `${name} ${when(event.time, zone)} ${zh(e.param)} ${num(e.value)}${unit(e.param)} ${phase}（${limitText(e, site)}）`,
        email: [
          `【碧水】${name} ${zh(e.param)}${phase}`, '',
          `站点：${name}（${site.id}${site.town ? `，责任镇：${site.town}` : ''}）`,
          `时间：${full(event.time, zone)}${event.phase === 'opened' ? '' : `（自 ${full(event.since, zone)} 起）`}`,
          `指标：${zh(e.param)}（${e.param}）`,
          `监测值：${num(e.value)}${unit(e.param)}`,
          `限值：${limitText(e, site)}`,
          `本次水质类别：${event.grade ?? '—'}（目标 ${site.target} 类）`,
          `超标倍数：${e.multiple === null ? '不适用（pH、溶解氧不计超标倍数）' : e.multiple.toFixed(2)}`, '',
          '近期变化：', trend, '',
          `请核查：${CHECKS[e.param] ?? '上游来水与排口情况、仪器运行状态'}；并确认在线监测设备运行正常。`,
          `连续 3 次达标后将发送恢复通知。`,
        ].join('\n'),
        sms: smsText(`${name}${when(event.time, zone)}${zh(e.param)}${num(e.value)}${unit(e.param)}${phase}（${limitText(e, site)}${multiple}），${event.grade ?? ''}类，请核查。`),
        attributes: attributes(site, 'exceedance', severity, e.param),
      };
    }
    case 'recovery':
      return {
        topic: 'alerts',
        subject: `【碧水】${name} ${zh(event.param)}恢复达标`,
        default: `${name} ${zh(event.param)} recovered at ${full(event.time, zone)}`,
        email: [`【碧水】${name} ${zh(event.param)}恢复达标`, '', `自 ${full(event.since, zone)} 起的超标已结束：${full(event.time, zone)} 起连续达标。`,
          `最新监测值：${num(event.value)}${unit(event.param)}（限值 ${num(event.limit)}${unit(event.param)}）。`].join('\n'),
        sms: smsText(`${name}${zh(event.param)}已恢复达标（${when(event.time, zone)}，${num(event.value)}${unit(event.param)}），超标自${when(event.since, zone)}起。`),
        attributes: attributes(site, 'recovery', 'info', event.param),
      };
    case 'fluctuation': {
      const pct = (x: number | null) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`);
      const drivers = event.drivers.map((d) => `${zh(d.param)}（${num(d.from)}→${num(d.to)}）`).join('、') || '—';
      const season = event.mainSeason ? '主汛期' : event.inWindow ? '汛期' : '非汛期';
      const severity: Severity = event.reasons.includes('grade') || (event.vsBaseline ?? 0) > 1 ? 'critical' : 'warning';
      return {
        topic: 'alerts',
        subject: `【碧水】${name} ${season}水质指数大幅波动`,
        default: `${name} ${event.day} daily CWQI ${num(event.cwqi)} (baseline ${pct(event.vsBaseline)}, day-on-day ${pct(event.dayOnDay)})`,
        email: [
          `【碧水】${name} ${season}水质指数大幅波动（${event.day}）`, '',
          `日均水质指数（CWQI）：${num(event.cwqi)}`,
          `较汛前基准（${event.baseline === null ? '无' : num(event.baseline)}）：${pct(event.vsBaseline)}`,
          `较前一日（${event.previous === null ? '无' : num(event.previous)}）：${pct(event.dayOnDay)}`,
          `日均水质类别：${event.grade ?? '—'}（前一日 ${event.previousGrade ?? '—'}，汛前基准 ${event.baselineGrade ?? '—'}）`,
          `主要拉高指标（指数分项，基准→当日）：${drivers}`, '',
          '请核查：降雨冲刷与面源污染、沿河排口雨污混流、上游来水；必要时加密监测。',
        ].join('\n'),
        sms: smsText(`${name}${Number(event.day.slice(5, 7))}月${Number(event.day.slice(8, 10))}日水质指数${num(event.cwqi)}（较基准${pct(event.vsBaseline)}，较前日${pct(event.dayOnDay)}${event.reasons.includes('grade') ? `，降至${event.grade}类` : ''}），主要是${event.drivers.slice(0, 2).map((d) => zh(d.param)).join('、') || '—'}。`),
        attributes: attributes(site, 'fluctuation', severity, event.drivers[0]?.param ?? 'none'),
      };
    }
    case 'suspect-data': {
      const ops = (title: string, body: string[], sms: string, param: string): Notification => ({
        topic: 'operations',
        subject: `【碧水】${name} 监测数据异常：${title}`,
        default: `${name}: ${title}`,
        email: [`【碧水】${name} 监测数据异常：${title}`, '', ...body, '', '自动监测数据弄虚作假或设备故障都会表现为此类异常，请运维单位现场核查并留存记录。'].join('\n'),
        sms: smsText(sms),
        attributes: attributes(site, 'suspect-data', 'warning', param),
      });
      switch (event.problem) {
        case 'gap':
          return ops('数据中断', [`自 ${full(event.from, zone)} 至 ${full(event.time, zone)} 无有效数据。`, '请检查：采样泵与数采仪、通讯链路、供电。'],
            `${name}在线监测${when(event.from, zone)}至${when(event.time, zone)}无有效数据，请检查设备。`, 'none');
        case 'silent': {
          const hours = Math.floor((event.time - event.from) / 3_600_000);
          return ops(event.reminder ? '数据仍中断' : '数据中断', [`最后一条数据时间 ${full(event.from, zone)}，截至 ${full(event.time, zone)} 已 ${hours} 小时没有收到数据。`, '请检查：采样泵与数采仪、通讯链路、供电；设备停运须按规定报备。'],
            `${name}在线监测自${when(event.from, zone)}起已${hours}小时无数据，请检查设备。`, 'none');
        }
        case 'flagged-run':
          return ops('长时间无效标记', [`自 ${full(event.from, zone)} 起数据持续带标记 ${event.flags.join('、')}（非 N，不计入评价）。`, '请检查：仪器故障、维护或校准是否超时。'],
            `${name}自${when(event.from, zone)}起数据持续标记${event.flags.join('')}，请检查仪器。`, 'none');
        case 'flat-line':
          return ops(`${zh(event.param)}数值恒定`, [`${zh(event.param)} 连续 ${event.readings} 次读数均为 ${num(event.value)}${unit(event.param)}，截至 ${full(event.time, zone)}。`, '正常水体中该指标应有波动，请检查仪器是否卡滞或数据被人为设定。'],
            `${name}${zh(event.param)}连续${event.readings}次恒为${num(event.value)}，请核查仪器。`, event.param);
        case 'near-zero':
          return ops(`${zh(event.param)}超标后骤降至接近零`, [`${full(event.time, zone)} ${zh(event.param)} 由超标的 ${num(event.previous)} 骤降至 ${num(event.value)}${unit(event.param)}（限值 ${num(event.limit)}）。`, '请核查：仪器、采样管路是否被干预，现场比对人工监测。'],
            `${name}${zh(event.param)}超标后骤降至${num(event.value)}，疑似异常，请核查。`, event.param);
      }
    }
  }
}
