/**
 * A second `bishui start` while one runs, a port something else holds, a data dir another bishui process
 * has open: one line, non-zero exit, no stack trace.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPipeline } from '../../local/runtime/pipeline.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('bishui-ports-');
const portOf = (url: string) => Number(new URL(url).port);

describe('ports in use', () => {
  let other: Server;
  let otherPort: number;
  let running: LocalPipeline;
  beforeAll(async () => {
    other = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    otherPort = (other.address() as AddressInfo).port;
    running = await LocalPipeline.start({ outboxPath: `${tmp.dir}/outbox.jsonl`, s3Port: 0, dynamoPort: 0 });
  });
  afterAll(async () => {
    await running.close();
    await new Promise((r) => other.close(r));
  });

  async function startOn(flag: '--s3-port' | '--dynamo-port', port: number) {
    const other = flag === '--s3-port' ? '--dynamo-port' : '--s3-port';
    return runCli('start', '--once', '--json', '--data-dir', `${tmp.dir}/data-${flag}-${port}`, flag, String(port), other, '0');
  }

  it.each(['--s3-port', '--dynamo-port'] as const)('a %s taken by another program: names the port and the way out', async (flag) => {
    const r = await startOn(flag, otherPort);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const service = flag === '--s3-port' ? 'S3' : 'DynamoDB';
    expect(r.stderr).toBe(`bishui: port ${otherPort} (local ${service}) is in use: another bishui start is running, or another program holds it (or pass ${flag} 0 for a free port)`);
  });

  it.each(['--s3-port', '--dynamo-port'] as const)('a %s taken by another bishui start: the same one line', async (flag) => {
    const port = portOf(flag === '--s3-port' ? running.emulators.s3Endpoint : running.emulators.dynamoEndpoint);
    const r = await startOn(flag, port);
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^bishui: port ${port} \\(local (S3|DynamoDB)\\) is in use: another bishui start is running.*\\(or pass ${flag} 0 for a free port\\)$`));
  });

  it('a second start on the same data dir while the first runs says so (runtime.json names a live process)', async () => {
    const dataDir = `${tmp.dir}/shared-data`;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(`${dataDir}/runtime.json`, JSON.stringify({
      pid: process.ppid, s3Endpoint: running.emulators.s3Endpoint, dynamoEndpoint: running.emulators.dynamoEndpoint,
      outboxPath: `${tmp.dir}/outbox.jsonl`, startedAt: new Date().toISOString(),
    }));
    const r = await runCli('start', '--once', '--data-dir', dataDir, '--s3-port', '0', '--dynamo-port', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`bishui: bishui start is already running for ${dataDir}; stop it first or use another --data-dir`);
  });
});

describe('a data dir another bishui process has open', () => {
  function dataDirLockedBy(pid: number): string {
    const dataDir = `${tmp.dir}/locked-${pid}`;
    mkdirSync(`${dataDir}/dynamodb`, { recursive: true });
    writeFileSync(`${dataDir}/lock.json`, JSON.stringify({ pid, since: new Date().toISOString() }));
    return dataDir;
  }

  it('is refused with one line naming the process, not an uncaught "Database is closed"', async () => {
    const dataDir = dataDirLockedBy(process.ppid);
    const r = await runCli('query', '--site', 'sixinhe', '--data-dir', dataDir);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`bishui: the data dir ${dataDir}/ is in use by another bishui process (pid ${process.ppid}); wait for it to finish or pass another --data-dir (if pid ${process.ppid} is not bishui, remove ${dataDir}/lock.json)`);
  });

  it('a lock left by a process that is gone is taken over, and released when the command ends', async () => {
    const dataDir = dataDirLockedBy(2 ** 22 + 12345); // above Linux's pid_max: no such process
    const r = await runCli('query', '--site', 'sixinhe', '--data-dir', dataDir);
    expect(r).toMatchObject({ code: 0, stdout: 'no stored samples for sixinhe', stderr: '' });
    expect(existsSync(`${dataDir}/lock.json`)).toBe(false);
  });
});
