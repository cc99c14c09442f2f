/**
 * Ingest figures (issue 4):
 * - local end-to-end ingest of an N-sample file (upload → S3 event → queue → handler → dynalite), in
 *   samples/s, as a ratio to dynalite's own BatchWriteItem throughput for items of the same shape
 *   written at the same concurrency in the same run;
 * - DynamoDB writes per sample and the item size;
 * - the ingest bundle as CDK builds it (esbuild, minified, AWS SDK external) and its cold init;
 * - peak RSS of the bundled function in its own process while it ingests a large file from emulators in another.
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFileSync, createReadStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { build } from 'esbuild';
import { FUNCTION_BUNDLE, LAZY_MODULE_BUNDLE, XLSX_ENGINE, lazyModuleFile } from '../infra/stack/bundling.js';
import { batchPutAll } from '../shared/adapters/dynamo/batch-writer.js';
import { toItem } from '../shared/adapters/dynamo/sample-items.js';
import { SAMPLE_SK_PREFIX, alertPk } from '../shared/adapters/dynamo/table-design.js';
import { INCOMING_PREFIX } from '../shared/layout.js';
import { defaultRegistry } from '../shared/config/registry.js';
import { evaluateSample } from '../shared/domain/evaluate.js';
import { toStored } from '../shared/ingest/stored-sample.js';
import { LOCAL_TABLE, ensureTable, localDynamoClient, startEmulators } from '../local/runtime/emulators.js';
import { LocalPipeline } from '../local/runtime/pipeline.js';
import { makeSamples } from './domain.js';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { documentClient } from '../shared/adapters/dynamo/document-client.js';
import { DynamoFileLedger } from '../shared/adapters/dynamo/file-ledger.js';
import { LOCAL_BUCKET, localS3Client } from '../local/runtime/emulators.js';

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
            if (!r.PutRequest || !skText.startsWith(SAMPLE_SK_PREFIX)) continue; // sample items only, not day parts
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
    await pipe.upload(`${INCOMING_PREFIX}bench.csv`, await readAll(csvPath));
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

/**
 * The same file through the local pipeline twice, each on fresh emulators: once in one invocation
 * (a budget of an hour), once with a small budget per invocation, so that it is handed on from
 * invocation to invocation (each reads the file again and skips what was handled). Alerts on, as
 * shipped. Returns the seconds of each and the invocations the second took.
 */
export async function continuationFigures(csvPath: string, samples: number, budgetMs: number): Promise<{ onePassSeconds: number; continuedSeconds: number; invocations: number }> {
  const body = await readAll(csvPath);
  const once = async (budget: number): Promise<{ seconds: number; invocations: number }> => {
    const dir = mkdtempSync(join(tmpdir(), 'bishui-bench-cont-'));
    const pipe = await LocalPipeline.start({
      dataDir: dir, s3Port: 0, dynamoPort: 0, leaseMs: Math.max(budget, 60_000), visibilityTimeoutMs: 3_600_000,
      invocationBudgetMs: budget, handoffReserveMs: Math.min(5_000, Math.floor(budget / 5)),
    });
    try {
      const t0 = process.hrtime.bigint();
      await pipe.upload(`${INCOMING_PREFIX}bench-continued.csv`, body);
      await pipe.idle();
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const last = pipe.handled.at(-1)?.outcome;
      if (!last || last.status !== 'done' || last.entry.accepted !== samples) throw new Error(`bench ingest did not complete: ${JSON.stringify(pipe.handled.at(-1))}`);
      return { seconds, invocations: pipe.handled.filter((h) => h.outcome?.status === 'continued' || h.outcome?.status === 'done').length };
    } finally {
      await pipe.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const one = await once(3_600_000);
  const continued = await once(budgetMs);
  return { onePassSeconds: one.seconds, continuedSeconds: continued.seconds, invocations: continued.invocations };
}

/** The ingest function's lazy module (the Excel engine) as the stack ships it beside the handler; returns its path. */
export function ingestLazyModulePath(): string {
  return join(process.cwd(), 'bench/.out/ingest', lazyModuleFile(XLSX_ENGINE));
}

/** The ingest function as the CDK stack bundles it, with its lazy module beside it; returns the handler bundle's path. */
export async function buildIngestBundle(): Promise<string> {
  // Inside the project, so @aws-sdk resolves from node_modules as it does from the Lambda runtime.
  mkdirSync('bench/.out/ingest', { recursive: true });
  const out = join(process.cwd(), 'bench/.out/ingest/index.mjs');
  const b = FUNCTION_BUNDLE;
  const l = LAZY_MODULE_BUNDLE;
  await Promise.all([
    build({
      entryPoints: ['functions/ingest/handler.ts'], bundle: true, platform: 'node', format: b.format, target: b.target,
      minify: b.minify, sourcemap: b.sourcemap, outfile: out, external: [...b.external], logLevel: 'warning', banner: { js: b.banner },
    }),
    build({
      entryPoints: [XLSX_ENGINE.entry], bundle: true, platform: 'node', format: l.format, target: l.target,
      minify: l.minify, sourcemap: l.sourcemap, outfile: ingestLazyModulePath(), external: [...l.external], logLevel: 'warning', banner: { js: l.banner },
    }),
  ]);
  return out;
}

export async function bundleFigures(): Promise<{ bytes: number; lazyBytes: number; coldInitMs: number[]; sdkOnlyInitMs: number[]; xlsxEngineLoadMs: number[] }> {
  const out = await buildIngestBundle();
  const bytes = statSync(out).size;
  const lazyBytes = statSync(ingestLazyModulePath()).size;
  // What the first workbook costs a warm function on top: loading the engine beside the handler.
  const engineProbe = `const t=performance.now(); await import(${JSON.stringify(pathToFileURL(ingestLazyModulePath()).href)}); process.stdout.write(String(performance.now()-t));`;
  const probe = `const t=performance.now(); await import(${JSON.stringify(out)}); process.stdout.write(String(performance.now()-t));`;
  const env = {
    ...process.env, TABLE_NAME: 'bishui', ALERTS_TOPIC_ARN: 'arn:aws:sns:cn-north-1:1:a', OPERATIONS_TOPIC_ARN: 'arn:aws:sns:cn-north-1:1:o',
    AWS_REGION: 'cn-north-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  // Baseline in the same run: a fresh process that loads only the two SDK clients the handler builds at init.
  const sdkProbe = "const t=performance.now(); await import('@aws-sdk/client-s3'); await import('@aws-sdk/client-dynamodb'); await import('@aws-sdk/lib-dynamodb'); process.stdout.write(String(performance.now()-t));";
  const coldInitMs: number[] = [];
  const sdkOnlyInitMs: number[] = [];
  const xlsxEngineLoadMs: number[] = [];
  const run = (code: string) => Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { env, cwd: process.cwd(), encoding: 'utf8' }));
  for (let i = 0; i < 5; i++) {
    coldInitMs.push(run(probe));
    sdkOnlyInitMs.push(run(sdkProbe));
    xlsxEngineLoadMs.push(run(engineProbe));
  }
  return { bytes, lazyBytes, coldInitMs, sdkOnlyInitMs, xlsxEngineLoadMs };
}

async function readAll(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of createReadStream(path)) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

/** Starts a stand-in service on a free local port. */
async function listening(server: Server): Promise<{ endpoint: string; close: () => Promise<void> }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * A DynamoDB that accepts every write at once and stores nothing but the alert state (a few small
 * items the rules read back): for the memory figure on files so large that dynalite (~2,000 items/s)
 * would take an hour. It counts the sample items it was sent.
 */
async function nullDynamo(): Promise<{ endpoint: string; sampleItems: () => number; close: () => Promise<void> }> {
  const kept = new Map<string, unknown>();
  let sampleItems = 0;
  const keyOf = (k: { PK?: { S?: string }; SK?: { S?: string } } | undefined) => `${k?.PK?.S}\u0000${k?.SK?.S}`;
  const server = createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '').split('.').pop();
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      let reply: unknown = {};
      if (target === 'UpdateItem') reply = { Attributes: { attempts: { N: '1' } } };
      else if (target === 'BatchWriteItem') {
        const input = JSON.parse(Buffer.concat(body).toString()) as { RequestItems: Record<string, { PutRequest?: { Item: { SK?: { S?: string } } } }[]> };
        for (const reqs of Object.values(input.RequestItems)) for (const r of reqs) if (r.PutRequest?.Item.SK?.S?.startsWith(SAMPLE_SK_PREFIX)) sampleItems++;
        reply = { UnprocessedItems: {} };
      } else if (target === 'PutItem' || target === 'GetItem') {
        const input = JSON.parse(Buffer.concat(body).toString()) as { Item?: Record<string, { S?: string }>; Key?: Record<string, { S?: string }> };
        const pk = (input.Item ?? input.Key)?.PK?.S ?? '';
        if (pk.startsWith(alertPk(''))) {
          if (target === 'PutItem') kept.set(keyOf(input.Item), input.Item);
          else reply = kept.has(keyOf(input.Key)) ? { Item: kept.get(keyOf(input.Key)) } : {};
        }
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(reply));
    });
  });
  return { ...(await listening(server)), sampleItems: () => sampleItems };
}

/** An SNS that takes every Publish (query protocol, XML answer) and counts them. */
export async function nullSns(): Promise<{ endpoint: string; published: () => number; close: () => Promise<void> }> {
  let published = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      published++;
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${published}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${published}</RequestId></ResponseMetadata></PublishResponse>`);
    });
  });
  return { ...(await listening(server)), published: () => published };
}

/**
 * The flags AWS Lambda's Node.js runtime starts node with for a function of `memoryMiB` (its
 * /var/runtime/bootstrap: a tenth of the memory for the young generation, half of that per
 * semi-space, the rest for the old generation).
 */
export function lambdaNodeFlags(memoryMiB: number): string[] {
  const newSpace = Math.floor(memoryMiB / 10);
  return [`--max-semi-space-size=${Math.floor(newSpace / 2)}`, `--max-old-space-size=${memoryMiB - newSpace}`];
}

/**
 * Parent side of the RSS figure: emulators here, the file uploaded (no event fires for it), then a
 * fresh node process — the function, bundled as CDK bundles it, started with the given flags —
 * gets the SQS message for it; the child's peak RSS is the figure.
 */
export async function handlerPeakRss(csvPath: string, self: string, sink: 'dynalite' | 'null', nodeFlags: readonly string[] = []): Promise<{ maxRssMB: number; samples: number; seconds: number; published: number }> {
  const bundle = await buildIngestBundle();
  const dir = mkdtempSync(join(tmpdir(), 'bishui-bench-rss-'));
  const emu = await startEmulators({ dataDir: dir });
  const nullDb = sink === 'null' ? await nullDynamo() : undefined;
  const sns = await nullSns();
  const key = `${INCOMING_PREFIX}rss.csv`;
  try {
    const dynamo = localDynamoClient(emu.dynamoEndpoint);
    await ensureTable(dynamo);
    const s3 = localS3Client(emu.s3Endpoint);
    // Uploaded through s3rver's API but with no queue listening: the child is sent the event itself.
    await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: createReadStream(csvPath), ContentLength: statSync(csvPath).size }));
    const { stdout: out, stderr } = await promisify(execFile)(process.execPath, [...nodeFlags, self, 'child', 'handler', bundle, key], {
      maxBuffer: 16 << 20, env: functionEnv(emu.s3Endpoint, nullDb?.endpoint ?? emu.dynamoEndpoint, sns.endpoint),
    });
    const child = JSON.parse(out.trim().split('\n').pop() as string) as { maxRssMB: number; seconds: number; failures: number };
    if (child.failures > 0) throw new Error(`the function reported the message as failed:\n${`${out}${stderr}`.trim().split('\n').slice(-4).join('\n')}`);
    const samples = nullDb
      ? nullDb.sampleItems()
      : (await new DynamoFileLedger(documentClient(dynamo), LOCAL_TABLE).get(`${LOCAL_BUCKET}/${key}`))?.accepted ?? -1;
    dynamo.destroy();
    return { maxRssMB: child.maxRssMB, seconds: child.seconds, samples, published: sns.published() };
  } finally {
    await sns.close();
    await nullDb?.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The function's environment as the stack sets it, with the SDK's endpoints pointed at the emulators. */
export function functionEnv(s3Endpoint: string, dynamoEndpoint: string, snsEndpoint: string): NodeJS.ProcessEnv {
  return {
    ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: LOCAL_TABLE, ALERTS_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:000000000000:bishui-alerts',
    OPERATIONS_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:000000000000:bishui-operations', AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', // s3rver's fixed key
    AWS_ENDPOINT_URL_S3: s3Endpoint, AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint, AWS_ENDPOINT_URL_SNS: snsEndpoint,
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
}

/** Child side: the bundled function handles one SQS message for the object; reports peak RSS. */
export async function handlerChild(bundle: string, key: string): Promise<void> {
  const tracePath = process.env.BISHUI_BENCH_TRACE;
  const t0 = process.hrtime.bigint();
  const trace = tracePath ? setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(tracePath, `${JSON.stringify({ s: Math.round(Number(process.hrtime.bigint() - t0) / 1e9), rss: m.rss >> 20, heapUsed: m.heapUsed >> 20, heapTotal: m.heapTotal >> 20, external: m.external >> 20 })}\n`);
  }, 5000) : undefined;
  const { handler } = await import(pathToFileURL(bundle).href) as { handler: (e: unknown) => Promise<{ batchItemFailures: unknown[] }> };
  const s3Event = { Records: [{ eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: LOCAL_BUCKET }, object: { key } } }] };
  const res = await handler({
    Records: [{
      messageId: 'bench-1', receiptHandle: 'bench', body: JSON.stringify(s3Event), attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws-cn:sqs:cn-north-1:000000000000:bishui-ingest', awsRegion: 'cn-north-1',
    }],
  });
  if (trace) clearInterval(trace);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(`${JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024, seconds, failures: res.batchItemFailures.length })}\n`);
}
