/**
 * `bishui watchdog` beside a running `bishui start` (a real second process): it reaches the running
 * emulators through runtime.json instead of refusing, judges each station by its online readings
 * before --at (a later reading and a manual sample do not count), says the age in days beyond 48 h,
 * and what it announces lands in the running pipeline's outbox, where `bishui alerts` shows it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('bishui-watchdog-');
const dataDir = join(tmp.dir, 'data');
const samples = join(tmp.dir, 'samples');
const hourly = (day: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `赵牛河断面,${day} ${String(from + i).padStart(2, '0')}:00,${18 + (i % 5)},${(0.5 + (i % 7) / 100).toFixed(2)}`);

let child: ChildProcess | undefined;

beforeAll(async () => {
  mkdirSync(samples, { recursive: true });
  // 赵牛河's station export: 1–3 July hourly, then readings again on 20 July (after the --at below)
  tmp.write('samples/赵牛河断面-2023-07.csv', ['断面名称,监测时间,化学需氧量(mg/L),氨氮(mg/L)',
    ...hourly('2023-07-01', 0, 23), ...hourly('2023-07-02', 0, 23), ...hourly('2023-07-03', 0, 10), ...hourly('2023-07-20', 0, 5)].join('\n'));
  // a manual sample on 8 July: not an online reading
  tmp.write('samples/人工监测-2023-07.csv', '断面名称,采样时间,化学需氧量(mg/L),氨氮(mg/L)\n赵牛河断面,2023-07-08 10:00,19,0.6\n');
  child = spawn(process.execPath, [resolve('bin/bishui.mjs'), 'start', '--data-dir', dataDir, '--samples', samples, '--drop', join(tmp.dir, 'drop'), '--s3-port', '0', '--dynamo-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const until = Date.now() + 120_000;
  while (!/Watching/.test(out) || !existsSync(join(dataDir, 'runtime.json'))) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`bishui start did not come up:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 150_000);

afterAll(async () => {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child!.once('exit', r));
  child.kill('SIGTERM');
  await exited;
});

describe('bishui watchdog beside a running bishui start', () => {
  it('judges the online readings before --at, in days beyond 48 h, into the running outbox', async () => {
    const r = await runCli('watchdog', '--at', '2023-07-10T12:00:00+08:00', '--data-dir', dataDir, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const zhaoniuhe = doc.stations.find((s: { site: string }) => s.site === 'zhaoniuhe');
    // not 20 July (after --at), not 8 July (a manual sample): the last online reading, 3 July 10:00
    expect(zhaoniuhe).toMatchObject({ latest: '2023-07-03T10:00:00+08:00', silent: true, hoursSilent: 170 });
    const notices = doc.published.filter((n: { site: string }) => n.site === 'zhaoniuhe');
    expect(notices).toEqual([expect.objectContaining({ topic: 'operations', kind: 'suspect-data', sms: '赵牛河断面在线监测自7月3日10时起已7天无数据，请检查设备。' })]);
    // the running pipeline's outbox has it
    const alerts = JSON.parse((await runCli('alerts', '--data-dir', dataDir, '--json')).stdout);
    expect(alerts.alerts.map((a: { Message: string }) => JSON.parse(a.Message).sms)).toContain('赵牛河断面在线监测自7月3日10时起已7天无数据，请检查设备。');
    // the table says the same in words
    const table = await runCli('watchdog', '--at', '2023-07-10T12:00:00+08:00', '--data-dir', dataDir);
    expect(table.stdout).toMatch(/zhaoniuhe\s+│?\s*2023-07-03 10:00\s+│?\s*7 d/);
  }, 60_000);
});
