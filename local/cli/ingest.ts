/** `bishui ingest FILE...`: files through the local S3 → queue → handler path, each file's ledger outcome. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { documentClient } from '../../shared/adapters/dynamo/document-client.js';
import { DynamoFileLedger } from '../../shared/adapters/dynamo/file-ledger.js';
import { INCOMING_PREFIX, fileIdOf } from '../../shared/layout.js';
import type { LedgerEntry } from '../../shared/ports/index.js';
import { LOCAL_BUCKET, LOCAL_TABLE, localDynamoClient, localS3Client } from '../runtime/emulators.js';
import { LocalPipeline } from '../runtime/pipeline.js';
import { type RuntimeInfo, runningRuntime } from '../runtime/runtime-file.js';
import { type CliIo, loadRegistryOption } from './io.js';
import { ledgerLine, notificationLine } from './lines.js';
import { waitForLedger } from './local-store.js';
import { type DataOptions, withData } from './options.js';
import { Progress } from './tally.js';

export function registerIngest(program: Command, io: CliIo): void {
  withData(program.command('ingest'))
    .description('put files through the local S3 → queue → handler path and show each file\'s ledger outcome')
    .argument('<files...>', 'files to ingest')
    .option('--json', 'print the ledger entries as JSON')
    .action(async (files: string[], opts: DataOptions) => {
      const registry = loadRegistryOption(opts.sites);
      for (const f of files) if (!existsSync(f) || !statSync(f).isFile()) throw new Error(`no such file: ${f}`);
      const running = runningRuntime(opts.dataDir);
      const say = (t: string) => { if (!opts.json) io.out(t); };
      const entries = running ? await throughRunningStart(running, files) : await throughOwnPipeline(files, opts, registry, say);
      if (opts.json) io.out(JSON.stringify({ files: entries }, null, 2));
      else for (const e of entries) io.out(ledgerLine(e, e.key));
      io.setExit(entries.some((e) => e.status !== 'done') ? 2 : 0);
    });
}

/** A running `start` watches the bucket: upload and wait for its ledger entries. */
async function throughRunningStart(running: RuntimeInfo, files: readonly string[]): Promise<LedgerEntry[]> {
  const s3 = localS3Client(running.s3Endpoint);
  const ledger = new DynamoFileLedger(documentClient(localDynamoClient(running.dynamoEndpoint)), LOCAL_TABLE);
  const entries: LedgerEntry[] = [];
  for (const f of files) {
    const key = `${INCOMING_PREFIX}${basename(f)}`;
    const res = await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: readFileSync(f) }));
    entries.push(await waitForLedger(ledger, fileIdOf({ bucket: LOCAL_BUCKET, key }), (res.ETag ?? '').replace(/"/g, '')));
  }
  return entries;
}

/** No `start` running: a pipeline of our own on the data dir, for as long as the files take. */
async function throughOwnPipeline(
  files: readonly string[], opts: DataOptions, registry: ReturnType<typeof loadRegistryOption>, say: (t: string) => void,
): Promise<LedgerEntry[]> {
  const pipe = await LocalPipeline.start({
    dataDir: opts.dataDir, registry, s3Port: 0, dynamoPort: 0, listeners: [new Progress(say)],
    onEvent: (e) => { if (e.type === 'notification') say(notificationLine(e.notification)); },
  });
  try {
    const refs = [];
    for (const f of files) refs.push(await pipe.upload(`${INCOMING_PREFIX}${basename(f)}`, readFileSync(f)));
    await pipe.idle();
    const entries: LedgerEntry[] = [];
    for (const r of refs) {
      const e = await pipe.ledger.get(fileIdOf(r), r.etag);
      if (e) entries.push(e);
    }
    return entries;
  } finally {
    await pipe.close();
  }
}
