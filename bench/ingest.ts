/**
 * Ingest figures (issue 4):
 * - local end-to-end ingest of an N-sample file (upload → S3 event → queue → handler → dynalite), in
 *   samples/s, as a ratio to dynalite's own BatchWriteItem throughput for items of the same shape
 *   written at the same concurrency in the same run;
 * - DynamoDB writes per sample and the item size;
 * - the ingest bundle as CDK builds it (esbuild, minified, AWS SDK external) and its cold init;
 * - peak RSS of the handler process while it ingests a large file from emulators in another process.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { batchPutAll } from '../shared/adapters/dynamo/batch-writer.js';
import { documentClient } from '../shared/adapters/dynamo/repository.js';
import { toItem } from '../shared/adapters/dynamo/sample-items.js';
import { defaultRegistry } from '../shared/config/registry.js';
import { evaluateSample } from '../shared/domain/evaluate.js';
import { toStored } from '../shared/ports/index.js';
import { LOCAL_TABLE, ensureTable, localDynamoClient, startEmulators } from '../infra/local/emulators.js';
import { LocalPipeline } from '../infra/local/pipeline.js';
import { makeSamples } from './domain.js';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoFileLedger, DynamoSampleStore } from '../shared/adapters/dynamo/repository.js';
import { S3ObjectStore } from '../shared/adapters/s3-object-store.js';
import { ingestObject } from '../shared/ingest/ingest-object.js';
import { silentLog } from '../shared/ports/index.js';
import { LOCAL_BUCKET, localS3Client } from '../infra/local/emulators.js';

/** DynamoDB's own size rule: attribute names plus values (strings in UTF-8, numbers ~ digits/2 + 1). */
export function itemSizeBytes(item: Record<string, unknown>): number {
  const size = (v: unknown): number => {
    if (v === null || v === undefined) return 1;
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (typeof v === 'number') return Math.ceil(String(v).replace(/^-|\.|e.*$/g, '').length / 2) + 1;
    if (typeof v === 'boolean') return 1;
    if (Array.isArray(v)) return 3 + v.reduce((n: number, x) => n + 1 + size(x), 0);
    return 3 + Object.entries(v as Record<string, unknown>).reduce((n, [k, x]) => n + Buffer.byteLength(k) + 1 + size(x), 0);
  };
  return Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + size(v), 0);
}

export async function bareDynaliteWrites(n: number): Promise<{ seconds: number; itemsPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bishui-bench-dyn-'));
  const emu = await startEmulators({ dataDir: dir });
  try {
    const client = localDynamoClient(emu.dynamoEndpoint);
    await ensureTable(client);
    const doc = documentClient(client);
    const registry = defaultRegistry();
    const samples = makeSamples(n);
    const items = samples.map((s) => toItem(toStored(s, evaluateSample(s, registry.resolve(s.site)), 'bench/file.csv', 'v1')));
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < items.length; i += 500) await batchPutAll(doc, LOCAL_TABLE, items.slice(i, i + 500) as never[]);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    client.destroy();
    return { seconds, itemsPerSecond: n / seconds };
  } finally {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function localEndToEnd(csvPath: string, samples: number): Promise<{ seconds: number; samplesPerSecond: number; writesPerSample: number; itemBytes: { mean: number; max: number } }> {
  const dir = mkdtempSync(join(tmpdir(), 'bishui-bench-e2e-'));
  let itemsWritten = 0;
  let sized = 0;
  let sizeSum = 0;
  let sizeMax = 0;
  const pipe = await LocalPipeline.start({
    dataDir: dir, s3Port: 0, dynamoPort: 0, leaseMs: 3_600_000, visibilityTimeoutMs: 3_600_000,
    wrapDeps: (deps, { dynamo }) => {
      dynamo.middlewareStack.add((next, context) => async (args) => {
        if (context.commandName === BatchWriteItemCommand.name) {
          const reqs = Object.values((args.input as { RequestItems: Record<string, { PutRequest?: { Item: Record<string, unknown> } }[]> }).RequestItems)[0] ?? [];
          for (const r of reqs) {
            const sk = r.PutRequest?.Item.SK;
            const skText = typeof sk === 'string' ? sk : (sk as { S?: string } | undefined)?.S ?? '';
            if (!r.PutRequest || !skText.startsWith('S#')) continue; // sample items only, not day parts
            itemsWritten++;
            if (sized < 2000) { const b = itemSizeBytes(r.PutRequest.Item); sized++; sizeSum += b; sizeMax = Math.max(sizeMax, b); }
          }
        }
        return next(args);
      }, { step: 'initialize', name: 'countWrites' });
      return deps;
    },
  });
  try {
    const t0 = process.hrtime.bigint();
    await pipe.upload('incoming/bench.csv', await readAll(csvPath));
    await pipe.idle();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const entry = pipe.handled.at(-1)?.outcome;
    if (!entry || entry.status !== 'done' || entry.entry.accepted !== samples) throw new Error(`bench ingest did not complete: ${JSON.stringify(pipe.handled.at(-1))}`);
    return { seconds, samplesPerSecond: samples / seconds, writesPerSample: itemsWritten / samples, itemBytes: { mean: sizeSum / sized, max: sizeMax } };
  } finally {
    await pipe.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The ingest function as the CDK stack bundles it. */
export async function bundleFigures(): Promise<{ bytes: number; coldInitMs: number[]; sdkOnlyInitMs: number[] }> {
  // Inside the project, so @aws-sdk resolves from node_modules as it does from the Lambda runtime.
  mkdirSync('bench/.out/ingest', { recursive: true });
  const out = join(process.cwd(), 'bench/.out/ingest/index.mjs');
  await build({
    entryPoints: ['functions/ingest/handler.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node22',
    minify: true, sourcemap: true, outfile: out, external: ['@aws-sdk/*'], logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const bytes = statSync(out).size;
  const probe = `const t=performance.now(); await import(${JSON.stringify(out)}); process.stdout.write(String(performance.now()-t));`;
  const env = {
    ...process.env, TABLE_NAME: 'bishui', ALERTS_TOPIC_ARN: 'arn:aws:sns:cn-north-1:1:a', OPERATIONS_TOPIC_ARN: 'arn:aws:sns:cn-north-1:1:o',
    AWS_REGION: 'cn-north-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // Baseline in the same run: a fresh process that loads only the two SDK clients the handler builds at init.
  const sdkProbe = "const t=performance.now(); await import('@aws-sdk/client-s3'); await import('@aws-sdk/client-dynamodb'); await import('@aws-sdk/lib-dynamodb'); process.stdout.write(String(performance.now()-t));";
  const coldInitMs: number[] = [];
  const sdkOnlyInitMs: number[] = [];
  const run = (code: string) => Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { env, cwd: process.cwd(), encoding: 'utf8' }));
  for (let i = 0; i < 5; i++) {
    coldInitMs.push(run(probe));
    sdkOnlyInitMs.push(run(sdkProbe));
  }
  return { bytes, coldInitMs, sdkOnlyInitMs };
}

async function readAll(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of createReadStream(path)) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/**
 * Parent side of the RSS figure: emulators here, the file uploaded outside incoming/ (no event),
 * then a fresh child process — the "function" — ingests it; its peak RSS is the figure.
 */
/**
 * A DynamoDB that accepts every write at once and stores nothing: for the memory figure on files so
 * large that dynalite (~2,000 items/s) would take an hour. Only what ingestObject sends is answered.
 */
async function nullDynamo(): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '').split('.').pop();
    req.resume();
    req.on('end', () => {
      const body = target === 'UpdateItem' ? { Attributes: { attempts: { N: '1' } } } : target === 'BatchWriteItem' ? { UnprocessedItems: {} } : {};
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export async function handlerPeakRss(csvPath: string, self: string, sink: 'dynalite' | 'null', heapMB?: number): Promise<{ maxRssMB: number; samples: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bishui-bench-rss-'));
  const emu = await startEmulators({ dataDir: dir });
  const nullDb = sink === 'null' ? await nullDynamo() : undefined;
  try {
    await ensureTable(localDynamoClient(emu.dynamoEndpoint));
    const s3 = localS3Client(emu.s3Endpoint);
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: 'bench/rss.csv', Body: createReadStream(csvPath), ContentLength: statSync(csvPath).size }));
    const { stdout: out } = await promisify(execFile)(process.execPath, [...(heapMB ? [`--max-old-space-size=${heapMB}`] : []), self, 'child', 'ingest-object', emu.s3Endpoint, nullDb?.endpoint ?? emu.dynamoEndpoint, 'bench/rss.csv'], {
      maxBuffer: 1 << 20, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    return JSON.parse(out.trim().split('\n').pop() as string) as { maxRssMB: number; samples: number; seconds: number };
  } finally {
    await nullDb?.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Child side: ingest one object with the real adapters, report peak RSS. */
export async function ingestObjectChild(s3Endpoint: string, dynamoEndpoint: string, key: string): Promise<void> {
  const doc = documentClient(localDynamoClient(dynamoEndpoint));
  const t0 = process.hrtime.bigint();
  const outcome = await ingestObject({ bucket: LOCAL_BUCKET, key }, {
    objects: new S3ObjectStore(localS3Client(s3Endpoint)), samples: new DynamoSampleStore(doc, LOCAL_TABLE),
    ledger: new DynamoFileLedger(doc, LOCAL_TABLE), publisher: { publish: async () => {} }, registry: defaultRegistry(),
    log: silentLog, now: Date.now, leaseMs: 3_600_000,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const samples = outcome.status === 'done' ? outcome.entry.accepted ?? 0 : -1;
  process.stdout.write(`${JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024, samples, seconds })}\n`);
  doc.destroy();
}
