/**
 * `bishui report --month YYYY-MM`: the month's supervision run on the local data, as the supervision
 * function does it — bulletin.html, bulletin.json and the letters under <data dir>/reports/YYYY-MM/
 * (replacing an earlier run's), the month's message into the outbox — then where the files are and
 * a readable summary (ranking, exceeded sections and the ladder's actions, the outlet, trends, data
 * problems) or, with --json, the whole bulletin (`files`: the documents' keys) and their paths.
 */
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { isMonth } from '../../shared/domain/months.js';
import { MAX_REASON_CHARS } from '../../shared/limits.js';
import { PARAMETERS } from '../../shared/domain/parameters.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import type { Bulletin, MonthlySiteResult } from '../../shared/supervision/bulletin.js';
import type { SupervisionRun } from '../../shared/supervision/run-supervision.js';
import { type CliIo, loadRegistryOption, loadSupervisionOption } from './io.js';
import { DEFAULT_DATA_DIR, supervisionFor } from './local-store.js';
import { fmt, renderTable } from './table.js';

export function registerReport(program: Command, io: CliIo): void {
  program.command('report')
    .description('the month\'s supervision bulletin from the local data, written to <data dir>/reports/YYYY-MM/: ranking, exceeded sections and the ladder\'s actions, trends')
    .requiredOption('--month <YYYY-MM>', 'the month to report, e.g. 2023-07')
    .option('--data-dir <dir>', 'where the local emulators keep their data', DEFAULT_DATA_DIR)
    .option('--sites <file>', 'site registry (default: config/sites.json or $BISHUI_SITES)')
    .option('--supervision <file>', 'supervision settings (default: config/supervision.json or $BISHUI_SUPERVISION)')
    .option('--json', 'print the bulletin as JSON')
    .action(async (opts: { month: string; dataDir: string; sites?: string; supervision?: string; json?: boolean }) => {
      if (!isMonth(opts.month)) {
        io.err(`bishui: --month '${opts.month.replace(/\p{Cc}/gu, '?').slice(0, MAX_REASON_CHARS)}' is not a month (expected YYYY-MM, e.g. 2023-07)`);
        io.setExit(2);
        return;
      }
      const registry = loadRegistryOption(opts.sites);
      const supervisionConfig = loadSupervisionOption(opts.supervision);
      const { run, close } = await supervisionFor(opts.dataDir, { registry, supervisionConfig });
      try {
        const r = await run(opts.month);
        io.out(opts.json ? JSON.stringify({ ...r.bulletin, locations: r.locations }, null, 2) : `${written(r)}\n\n${summary(r.bulletin, registry)}`);
      } finally {
        await close();
      }
    });
}

/** Where the run wrote the documents, and what it replaced. */
export function written(r: SupervisionRun): string {
  const out = [`${r.bulletin.month} 月度通报已写入 ${dirname(r.locations.html)}/`, `  ${r.locations.html}`, `  ${r.locations.json}`, ...r.locations.letters.map((l) => `  ${l}`)];
  if (r.removed.length > 0) out.push(`  （已删除上次生成、本次不再需要的 ${r.removed.length} 个文件）`);
  if (r.notification) out.push(`  通报消息已发布（kind supervision，severity ${r.notification.attributes.severity}）：npm run --silent bishui -- alerts`);
  return out.join('\n');
}

const pct = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const paramZh = (p: string) => PARAMETERS[p as keyof typeof PARAMETERS]?.zh ?? p;

function exceedanceText(s: MonthlySiteResult): string {
  return s.exceedances.map((e) => `${paramZh(e.param)} ${fmt(e.value)}（限值 ${fmt(e.limit)}${e.multiple === null ? '' : `，超标 ${fmt(e.multiple, 2)} 倍`}）`).join('；');
}

export function summary(b: Bulletin, registry: SiteRegistry): string {
  const name = (id: string) => registry.get(id)?.name ?? id;
  const out: string[] = [];
  out.push(`${b.month} 水环境质量月度通报（数据） — ${b.committee}`);
  out.push(`区域水质指数 ${fmt(b.zone.cwqi, 2)}（同比 ${pct(b.zone.yoy)}，环比 ${pct(b.zone.mom)}；1—${Number(b.month.slice(5))}月累计 ${fmt(b.zone.yearToDate.cwqi, 2)}，同比 ${pct(b.zone.yearToDate.change)}）`);
  for (const g of b.zone.goals) out.push(`  ${g.met === null ? '?' : g.met ? '✓' : '✗'} ${g.goal}：${g.detail}`);
  out.push('', '断面排名（水质指数越小越好；同比、环比为指数变化，负值为改善）');
  const ranked = b.sites.filter((s) => s.registered && (s.kind === 'river-section' || s.kind === 'lake-section'))
    .sort((x, y) => (x.rank ?? Infinity) - (y.rank ?? Infinity));
  out.push(renderTable(['排名', '断面', '类别', '目标', '达标', '水质指数', '同比', '环比', '改善排名', '主要污染物'], ranked.map((s) => [
    String(s.rank ?? '—'), s.name, s.assessed ? (s.grade ?? '—') : '数据不足', s.target, s.compliant === null ? '—' : s.compliant ? '是' : '否',
    fmt(s.cwqi, 2), pct(s.yoy), pct(s.mom), String(s.improvementRank ?? '—'), s.mainPollutants.map(paramZh).join('、') || '—',
  ])).split('\n').map((l) => `  ${l}`).join('\n'));
  const over = b.sites.filter((s) => s.registered && s.compliant === false);
  out.push('', `超标：${over.length === 0 ? '无' : ''}`);
  for (const s of over) out.push(`  ${s.name}${s.town ? `（${s.town}）` : ''}：${exceedanceText(s)}`);
  out.push('', '督导措施（按镇）');
  out.push(renderTable(['排名', '镇/中心', '断面', '连续超标月数', '措施', '对象'], b.towns.map((t) => [
    String(t.rank ?? '—'), t.town, t.sites.map(name).join('、'), String(t.consecutive), t.actionLabel,
    t.recipients.map((r) => `${r.role} ${r.name}`).join('，') || '—',
  ])).split('\n').map((l) => `  ${l}`).join('\n'));
  for (const s of b.sites.filter((x) => x.effluent)) {
    const e = s.effluent!;
    out.push('', `${s.name}：${e.samples} 个样品，逐样达标率 ${e.compliantShare === null ? '—' : `${(e.compliantShare * 100).toFixed(1)}%`}`
      + (e.worst && e.worst.exceedances.length > 0 ? `；最差 ${e.worst.time}：${e.worst.exceedances.map((x) => `${paramZh(x.param)} ${fmt(x.value)}（限值 ${fmt(x.limit)}）`).join('；')}` : ''));
  }
  out.push('', '趋势（Mann-Kendall 检验，Sen 斜率）');
  for (const t of b.trends) {
    out.push(`  ${name(t.site)} ${paramZh(t.param)}：${t.verdict}（${t.n} 个月 ${t.from ?? ''}—${t.to ?? ''}，S=${t.s ?? '—'}，Z=${fmt(t.z, 2)}，p=${t.p === null ? '—' : t.p.toPrecision(2)}，Sen 斜率 ${fmt(t.senSlopePerYear, 3)} /年）`);
  }
  const unregistered = b.sites.filter((s) => !s.registered);
  if (unregistered.length > 0) out.push('', `未登记站点（不参与排名与督导）：${unregistered.map((s) => `${s.name} ${s.grade ?? '—'}`).join('，')}`);
  out.push('', `数据问题：${b.data.problems.length === 0 ? '无' : ''}`);
  for (const p of b.data.problems) out.push(`  ${name(p.site)}：${p.reason}`);
  return out.join('\n');
}
