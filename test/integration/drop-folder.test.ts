/** The drop folder: each file is uploaded once, then moved to done/ or failed/ (the reason beside it). */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchDropFolder } from '../../local/runtime/drop-folder.js';
import type { SampleStore } from '../../shared/ports/index.js';
import { usePipeline } from '../helpers/pipeline.js';
import { tempDir } from '../helpers/tmp.js';

const pipe = usePipeline();
const tmp = tempDir('bishui-drop-');
const drop = join(tmp.dir, 'drop');
const said: string[] = [];
let stop: () => void = () => {};
let watching: Promise<void> | undefined;

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; said:\n${said.join('\n')}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const uploadsOf = (key: string) => pipe.get().handled.filter((h) => h.ref.key === key).length;
const GOOD = 'site,time,COD\nsixinhe,2023-07-15 08:00,20\nsixinhe,2023-07-15 09:00,22\n';

afterAll(async () => {
  stop();
  await watching;
});

describe('drop folder', () => {
  it('moves an ingested file to done/ and a file that is not monitoring data to failed/ with the reason beside it', async () => {
    watching = watchDropFolder(pipe.get(), drop, (s) => said.push(s), new Promise<void>((r) => { stop = r; }), { pollMs: 50 });
    await until('the drop folder', () => existsSync(drop));
    writeFileSync(join(drop, 'good.csv'), GOOD);
    writeFileSync(join(drop, 'notes.csv'), 'name,phone\nLi,123\n');
    await until('both files moved', () => existsSync(join(drop, 'done', 'good.csv')) && existsSync(join(drop, 'failed', 'notes.csv')));
    expect(readdirSync(drop).sort()).toEqual(['done', 'failed']);
    expect(readFileSync(join(drop, 'done', 'good.csv'), 'utf8')).toBe(GOOD);
    expect(readFileSync(join(drop, 'failed', 'notes.csv.error.txt'), 'utf8')).toMatch(/not monitoring data|no .*column/i);
    expect(readFileSync(join(drop, 'failed', 'notes.csv.error.txt'), 'utf8')).toMatch(/quarantined copy: s3:\/\/bishui-raw\/quarantine\/incoming\/notes\.csv/);
    expect(said).toContain(`  → good.csv moved to ${join(drop, 'done', 'good.csv')}`);
    expect(said).toContain(`  → notes.csv moved to ${join(drop, 'failed', 'notes.csv')} (reason in notes.csv.error.txt)`);
  });

  it('never uploads a file twice: after the move, later looks find nothing to do', async () => {
    const before = uploadsOf('incoming/good.csv');
    await new Promise((r) => setTimeout(r, 300)); // several polls
    expect(uploadsOf('incoming/good.csv')).toBe(before);
    expect(before).toBe(1);
  });

  it('the same content dropped again is recognised as already ingested and filed beside the first, not over it', async () => {
    writeFileSync(join(drop, 'good.csv'), GOOD);
    await until('the second copy moved', () => existsSync(join(drop, 'done', 'good-2.csv')));
    expect(readdirSync(join(drop, 'done')).sort()).toEqual(['good-2.csv', 'good.csv']);
    await until('the second upload handled', () => uploadsOf('incoming/good.csv') === 2);
    const second = pipe.get().handled.filter((h) => h.ref.key === 'incoming/good.csv').at(-1);
    expect(second?.outcome?.status).toBe('duplicate');
  });

  it('waits until a file stops changing before uploading it', async () => {
    const growing = join(drop, 'growing.csv');
    writeFileSync(growing, 'site,time,COD\n');
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 30));
      writeFileSync(growing, `site,time,COD\n${Array.from({ length: i + 1 }, (_, h) => `sixinhe,2023-07-16 ${String(h).padStart(2, '0')}:00,20`).join('\n')}\n`);
    }
    await until('the grown file moved', () => existsSync(join(drop, 'done', 'growing.csv')));
    const entries = pipe.get().handled.filter((h) => h.ref.key === 'incoming/growing.csv' && h.outcome?.status === 'done');
    expect(entries.at(-1)?.outcome).toMatchObject({ entry: { accepted: 6 } });
  });
});

describe('drop folder, when the pipeline gives up on a file', () => {
  const failing = usePipeline({
    leaseMs: 10, visibilityTimeoutMs: 20, maxReceiveCount: 2,
    wrapDeps: (deps) => {
      const samples: SampleStore = Object.create(deps.samples);
      samples.putSamples = async () => { throw new Error('DynamoDB is unreachable'); };
      return { ...deps, samples };
    },
  });
  const dir = join(tmp.dir, 'drop-dead');
  let stopDead: () => void = () => {};

  it('a dead-lettered file moves to failed/ with the last error beside it', async () => {
    const done = watchDropFolder(failing.get(), dir, () => {}, new Promise<void>((r) => { stopDead = r; }), { pollMs: 50 });
    try {
      await until('the drop folder', () => existsSync(dir));
      writeFileSync(join(dir, 'stuck.csv'), GOOD);
      await until('the file moved', () => existsSync(join(dir, 'failed', 'stuck.csv')));
      expect(readFileSync(join(dir, 'failed', 'stuck.csv.error.txt'), 'utf8')).toBe('dead-lettered: DynamoDB is unreachable\n');
      expect(failing.get().queue.deadLetters).toHaveLength(1);
    } finally {
      stopDead();
      await done;
    }
  });
});
