/**
 * Files of any size: a file an invocation has no time to finish is handed to fresh invocations
 * (a checkpoint in its ledger entry, a continuation message on the ingest queue) until it is done —
 * and comes out exactly as if it had been read in one go: the same samples, daily and monthly
 * means, ledger entry and notifications, none doubled and none lost. Each format resumes: lines,
 * JSON arrays element by element, HJ 212 packets, gzip, workbooks across their sheets (each
 * invocation unzips the workbook again and counts off what was handled). The local pipeline runs
 * the handler as Lambda would, each delivery an invocation with a time budget; a budget of 0 makes
 * every invocation hand on as early as it may (after one write chunk), a short one where the time
 * says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LocalPipeline, type LocalPipelineOptions } from '../../local/runtime/pipeline.js';
import { MIN_EVENTS_PER_INVOCATION } from '../../shared/ingest/file-pass.js';
import { type FileOutcome, expectSameOutcome, fileOutcome } from '../helpers/file-outcome.js';
import { type LongFile, longFiles } from '../helpers/long-file.js';
import { tempDir } from '../helpers/tmp.js';

const MONTHS = ['2023-07', '2023-08'];
/** Six days of three stations: about 2,600 readings, enough for five invocations of one write chunk each. */
const FILES = longFiles(6);

const tmp = tempDir('bishui-continue-');
const open: LocalPipeline[] = [];
afterEach(async () => { for (const p of open.splice(0)) await p.close(); });

async function ingest(file: LongFile, options: Partial<LocalPipelineOptions>, name: string): Promise<{ pipe: LocalPipeline; outcome: FileOutcome }> {
  const pipe = await LocalPipeline.start({ outboxPath: `${tmp.dir}/${name}-${file.format}.jsonl`, ...options });
  open.push(pipe);
  await pipe.upload(file.key, await file.body());
  await pipe.idle();
  return { pipe, outcome: await fileOutcome(pipe, file.key, MONTHS) };
}

const statuses = (pipe: LocalPipeline, key: string) => pipe.handled.filter((h) => h.ref.key === key).map((h) => h.outcome?.status ?? h.error);

describe.each(FILES)('a $format file over many invocations', (file) => {
  it('comes out as in one pass: the same samples, means, ledger entry and notifications, none doubled', async () => {
    const one = await ingest(file, {}, 'one-pass');
    expect(statuses(one.pipe, file.key)).toEqual(['done']);
    expect(one.outcome.samples.length).toBeGreaterThan(5 * MIN_EVENTS_PER_INVOCATION * 0.9);
    expect(one.outcome.published.length).toBeGreaterThan(0);
    // A workbook is read across its sheets (its rejected rows name each), so handing on falls inside and between them.
    expect([...new Set(one.outcome.entry.rejectedRows?.map((r) => r.sheet))]).toEqual(file.sheets ?? [undefined]);

    const many = await ingest(file, { invocationBudgetMs: 0 }, 'many');
    const handled = statuses(many.pipe, file.key);
    expect(handled.at(-1)).toBe('done');
    expect(handled.slice(0, -1).every((s) => s === 'continued')).toBe(true);
    expect(handled.length).toBeGreaterThanOrEqual(5);
    expect(many.outcome.continuations).toBe(handled.length - 1);
    expect(many.pipe.queue.deadLetters).toEqual([]);
    expectSameOutcome(many.outcome, one.outcome);
  });
});

describe('handing on where the time says, not at the first chance', () => {
  it('a short budget: several invocations, each stopping when its time is nearly up; the same outcome', async () => {
    const file = FILES[0] as LongFile;
    const one = await ingest(file, {}, 'one-pass-timed');
    const timed = await ingest(file, { invocationBudgetMs: 400, handoffReserveMs: 100 }, 'timed');
    const handled = statuses(timed.pipe, file.key);
    expect(handled.at(-1)).toBe('done');
    expect(handled.length).toBeGreaterThanOrEqual(2);
    expectSameOutcome(timed.outcome, one.outcome);
  });
});
