/** `bishui ingest FILE...`: files through the local S3 → queue → handler path, each file's ledger outcome. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { documentClient } from '../../shared/adapters/dynamo/document-client.js';
import { DynamoFileLedger } from '../../shared/adapters/dynamo/file-ledger.js';
import { INCOMING_PREFIX, type ObjectRef, fileIdOf } from '../../shared/layout.js';
import type { LedgerEntry } from '../../shared/ports/index.js';
import { LOCAL_BUCKET, LOCAL_TABLE, localDynamoClient, localS3Client } from '../runtime/emulators.js';
import { LocalPipeline } from '../runtime/pipeline.js';
import { type RuntimeInfo, runningRuntime } from '../runtime/runtime-file.js';
import { describeFileError } from './file-errors.js';
import { type CliIo, loadRegistryOption } from './io.js';
import { ledgerLine, notReadLine, notificationLine } from './lines.js';
import { waitForLedger } from './local-store.js';
import { type DataOptions, withData } from './options.js';
import { Progress } from './tally.js';

/** What became of one named file: its ledger entry (new: processed by this run), or why it was not read. */
export type IngestResult =
  | { readonly path: string; readonly entry: LedgerEntry; readonly new: boolean }
  | { readonly path: string; readonly status: 'not-read' | 'dead-lettered'; readonly error: string };

interface Upload { readonly path: string; readonly ref: ObjectRef; readonly uploadedAt: number }

export function registerIngest(program: Command, io: CliIo): void {
  withData(program.command('ingest'))
    .description('put files through the local S3 → queue → handler path and show each file\'s ledger outcome')
    .argument('<files...>', 'files to ingest')
    .option('--json', 'print the ledger entries as JSON')
    .action(async (files: string[], opts: DataOptions) => {
      const registry = loadRegistryOption(opts.sites);
      const running = runningRuntime(opts.dataDir);
      const say = (t: string) => { if (!opts.json) io.out(t); };
      const results = running ? await throughRunningStart(running, files) : await throughOwnPipeline(files, opts, registry, say);
      if (opts.json) io.out(JSON.stringify({ files: results.map(jsonOf) }, null, 2));
      else for (const r of results) io.out('error' in r ? notReadLine(r.path, r.status, r.error) : ledgerLine(r.entry, r.entry.key, r.new));
      io.setExit(results.some((r) => 'error' in r || r.entry.status !== 'done') ? 2 : 0);
    });
}

/** A ledger entry as stored, with `new: false` when the same content had been ingested before; or `{ file, status, error }`. */
function jsonOf(r: IngestResult): object {
  return 'error' in r ? { file: r.path, status: r.status, error: r.error } : { ...r.entry, new: r.new };
}

/** Each file's bytes, or why they could not be read; one missing file does not stop the others. */
type NotRead = { readonly path: string; readonly status: 'not-read'; readonly error: string };

function readEach(files: readonly string[]): ({ path: string; body: Buffer } | NotRead)[] {
  return files.map((path) => {
    try {
      return { path, body: readFileSync(path) };
    } catch (err) {
      return { path, status: 'not-read', error: describeFileError(err) };
    }
  });
}

/** The entry existed before this run uploaded the file: the same content, ingested earlier. */
const isNew = (entry: LedgerEntry, uploadedAt: number) => Date.parse(entry.receivedAt) >= uploadedAt;

/** A running `start` watches the bucket: upload and wait for its ledger entries. */
async function throughRunningStart(running: RuntimeInfo, files: readonly string[]): Promise<IngestResult[]> {
  const s3 = localS3Client(running.s3Endpoint);
  const doc = documentClient(localDynamoClient(running.dynamoEndpoint));
  const ledger = new DynamoFileLedger(doc, LOCAL_TABLE);
  try {
    const results: IngestResult[] = [];
    for (const f of readEach(files)) {
      if ('error' in f) { results.push(f); continue; }
      const key = `${INCOMING_PREFIX}${basename(f.path)}`;
      const uploadedAt = Date.now();
      const res = await s3.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET, Key: key, Body: f.body }));
      const entry = await waitForLedger(ledger, fileIdOf({ bucket: LOCAL_BUCKET, key }), (res.ETag ?? '').replace(/"/g, ''));
      results.push({ path: f.path, entry, new: isNew(entry, uploadedAt) });
    }
    return results;
  } finally {
    s3.destroy();
    doc.destroy();
  }
}

/** No `start` running: a pipeline of our own on the data dir, for as long as the files take. */
async function throughOwnPipeline(
  files: readonly string[], opts: DataOptions, registry: ReturnType<typeof loadRegistryOption>, say: (t: string) => void,
): Promise<IngestResult[]> {
  const read = readEach(files);
  if (read.every((f) => 'error' in f)) return read as IngestResult[]; // nothing to start the emulators for
  const pipe = await LocalPipeline.start({
    dataDir: opts.dataDir, registry, s3Port: 0, dynamoPort: 0, listeners: [new Progress(say)],
    onEvent: (e) => { if (e.type === 'notification') say(notificationLine(e.notification)); },
  });
  try {
    const uploads: (Upload | NotRead)[] = [];
    for (const f of read) {
      if ('error' in f) { uploads.push(f); continue; }
      const uploadedAt = Date.now();
      uploads.push({ path: f.path, ref: await pipe.upload(`${INCOMING_PREFIX}${basename(f.path)}`, f.body), uploadedAt });
    }
    await pipe.idle();
    const results: IngestResult[] = [];
    for (const u of uploads) {
      if ('error' in u) { results.push(u); continue; }
      const entry = await pipe.ledger.get(fileIdOf(u.ref), u.ref.etag);
      results.push(entry
        ? { path: u.path, entry, new: isNew(entry, u.uploadedAt) }
        : { path: u.path, status: 'dead-lettered', error: pipe.deadLetterReason(u.ref.key) ?? 'failed on every delivery' });
    }
    return results;
  } finally {
    await pipe.close();
  }
}
