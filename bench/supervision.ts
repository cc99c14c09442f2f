/**
 * The supervision function as it ships, for sizing it: its bundle (esbuild, as the stack builds it),
 * then in a fresh process started with the heap flags Lambda gives a function of the stack's memory,
 * its cold init and two runs of July 2023 over the shipped samples (24 months of history) on the
 * emulators — documents into s3rver, the message into a stand-in SNS — and the process's peak RSS.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { FUNCTION_BUNDLE } from '../infra/stack/bundling.js';
import { SUPERVISION } from '../infra/stack/supervision.js';
import { LOCAL_BUCKET } from '../local/runtime/emulators.js';
import { filesIn } from '../local/runtime/drop-folder.js';
import { LocalPipeline } from '../local/runtime/pipeline.js';
import { INCOMING_PREFIX } from '../shared/layout.js';
import { functionEnv, lambdaNodeFlags, nullSns } from './ingest.js';

export const BENCH_MONTH = '2023-07';

export async function buildSupervisionBundle(): Promise<string> {
  mkdirSync('bench/.out/supervision', { recursive: true });
  const out = join(process.cwd(), 'bench/.out/supervision/index.mjs');
  const b = FUNCTION_BUNDLE;
  await build({
    entryPoints: ['functions/supervision/handler.ts'], bundle: true, platform: 'node', format: b.format, target: b.target,
    minify: b.minify, sourcemap: b.sourcemap, outfile: out, external: [...b.external], logLevel: 'warning', banner: { js: b.banner },
  });
  return out;
}

export interface SupervisionFigures {
  readonly bundleBytes: number;
  readonly memoryMiB: number;
  readonly nodeFlags: readonly string[];
  readonly coldInitMs: number;
  /** Seconds per run: the first right after init, the second warm. */
  readonly runSeconds: readonly number[];
  readonly peakRssMB: number;
  readonly documents: number;
  readonly published: number;
}

export async function supervisionFigures(self: string): Promise<SupervisionFigures> {
  const bundle = await buildSupervisionBundle();
  const dir = mkdtempSync(join(tmpdir(), 'bishui-bench-supervision-'));
  const pipe = await LocalPipeline.start({ dataDir: dir, s3Port: 0, dynamoPort: 0, alerts: false });
  const sns = await nullSns();
  try {
    const samples = join(process.cwd(), 'samples');
    for (const f of [...filesIn(samples), ...filesIn(join(samples, 'history'))]) await pipe.upload(`${INCOMING_PREFIX}${basename(f)}`, readFileSync(f));
    await pipe.idle();
    const nodeFlags = lambdaNodeFlags(SUPERVISION.memoryMiB);
    const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, self, 'child', 'supervision', bundle, BENCH_MONTH], {
      maxBuffer: 16 << 20, env: { ...functionEnv(pipe.emulators.s3Endpoint, pipe.emulators.dynamoEndpoint, sns.endpoint), RAW_BUCKET: LOCAL_BUCKET },
    });
    const child = JSON.parse(stdout.trim().split('\n').pop() as string) as { initMs: number; runSeconds: number[]; maxRssMB: number; documents: number };
    return {
      bundleBytes: statSync(bundle).size, memoryMiB: SUPERVISION.memoryMiB, nodeFlags, coldInitMs: child.initMs,
      runSeconds: child.runSeconds, peakRssMB: child.maxRssMB, documents: child.documents, published: sns.published(),
    };
  } finally {
    await sns.close();
    await pipe.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Child side: load the bundle (cold init), run the month twice, report. */
export async function supervisionChild(bundle: string, month: string): Promise<void> {
  const t0 = performance.now();
  const { handler } = await import(pathToFileURL(bundle).href) as { handler: (e: unknown) => Promise<{ files: { letters: string[] } }> };
  const initMs = performance.now() - t0;
  const runSeconds: number[] = [];
  let documents = 0;
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    const r = await handler({ month });
    runSeconds.push((performance.now() - t) / 1000);
    documents = 2 + r.files.letters.length;
  }
  process.stdout.write(`${JSON.stringify({ initMs, runSeconds, maxRssMB: process.resourceUsage().maxRSS / 1024, documents })}\n`);
}
