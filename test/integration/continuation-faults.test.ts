/**
 * A file read over several invocations, when one of them dies: its message comes back once the
 * visibility timeout has passed, the retry waits out the dead invocation's lease and goes on from
 * the last checkpoint — not from the start — and what the dead one stored after that checkpoint
 * (samples rewritten under the same keys, day parts deleted and stored again, readings judged
 * again without a second notice) leaves no trace: the file comes out as in one pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPipeline, type LocalPipelineOptions } from '../../local/runtime/pipeline.js';
import type { IngestDeps } from '../../shared/ingest/ingest-object.js';
import type { FileLedger, SampleStore } from '../../shared/ports/index.js';
import { type FileOutcome, expectSameOutcome, fileOutcome } from '../helpers/file-outcome.js';
import { type LongFile, longFiles } from '../helpers/long-file.js';
import { tempDir } from '../helpers/tmp.js';

const MONTHS = ['2023-07'];
const FILE = longFiles(6)[0] as LongFile;
const tmp = tempDir('bishui-continue-faults-');

/** What the workers did, seen through their ports. */
interface Trace {
  /** Where each run that took the file resumed from (events of its checkpoint; 0: the start). */
  readonly resumedFrom: number[];
  /** Samples sent to the store, in all. */
  samplesWritten: number;
}

/** The worker dies: nothing it does afterwards happens, its failure is not recorded, its lease stays until it runs out. */
const death = () => Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Sandbox.Timedout' });

async function run(name: string, options: Partial<LocalPipelineOptions>, wrap?: (deps: IngestDeps, trace: Trace) => Partial<IngestDeps>): Promise<{ pipe: LocalPipeline; outcome: FileOutcome; trace: Trace }> {
  const trace: Trace = { resumedFrom: [], samplesWritten: 0 };
  const pipe = await LocalPipeline.start({
    outboxPath: `${tmp.dir}/${name}.jsonl`, ...options,
    wrapDeps: (deps) => {
      const ledger: FileLedger = Object.create(deps.ledger);
      ledger.acquire = async (...args) => {
        const lease = await deps.ledger.acquire(...args);
        if (lease.outcome === 'acquired') trace.resumedFrom.push(lease.checkpoint?.events ?? 0);
        return lease;
      };
      const samples: SampleStore = Object.create(deps.samples);
      samples.putSamples = async (batch) => { trace.samplesWritten += batch.length; return deps.samples.putSamples(batch); };
      const traced = { ...deps, ledger, samples };
      return { ...traced, ...wrap?.(traced, trace) };
    },
  });
  await pipe.upload(FILE.key, await FILE.body());
  await pipe.idle();
  const outcome = await fileOutcome(pipe, FILE.key, MONTHS);
  return { pipe, outcome, trace };
}

let onePass: FileOutcome;
const open: LocalPipeline[] = [];
beforeAll(async () => {
  const r = await run('one-pass', {});
  open.push(r.pipe);
  onePass = r.outcome;
});
afterAll(async () => { for (const p of open) await p.close(); });

/** Short leases and visibility, so a dead invocation's message comes back within the test. */
const CRASHY: Partial<LocalPipelineOptions> = { invocationBudgetMs: 0, leaseMs: 400, visibilityTimeoutMs: 600, maxReceiveCount: 5 };

describe('an invocation dies after storing the day parts of its stretch, before recording its checkpoint', () => {
  it('the retry resumes from the checkpoint before, clears what the dead one stored after it, and the file comes out as in one pass', async () => {
    let checkpoints = 0;
    let died = false;
    const { pipe, outcome, trace } = await run('dies-before-checkpoint', CRASHY, (deps) => {
      const ledger: FileLedger = Object.create(deps.ledger);
      ledger.checkpoint = async (...args) => {
        if (++checkpoints === 3 && !died) { died = true; throw death(); }
        return deps.ledger.checkpoint(...args);
      };
      ledger.recordFailure = async (...args) => { if (died && args[3].includes('timed out')) return; return deps.ledger.recordFailure(...args); };
      return { ledger };
    });
    open.push(pipe);
    expect(died).toBe(true);
    // Runs resumed from the start, then from checkpoints 1 and 2; the third died; its retry from checkpoint 2 again.
    const [, second, third, retry] = trace.resumedFrom;
    expect(trace.resumedFrom[0]).toBe(0);
    expect(second).toBeGreaterThan(0);
    expect(third).toBeGreaterThan(second as number);
    expect(retry).toBe(third);
    expect(trace.resumedFrom.length).toBeGreaterThanOrEqual(5);
    // Only the dead invocation's stretch was stored twice, not the file.
    expect(trace.samplesWritten - onePass.samples.length).toBeGreaterThan(0);
    expect(trace.samplesWritten - onePass.samples.length).toBeLessThanOrEqual(2 * 500);
    expect(pipe.queue.deadLetters).toEqual([]);
    expectSameOutcome(outcome, onePass);
  });
});

describe('an invocation dies after recording its checkpoint, before sending the continuation', () => {
  it('its own message comes back and goes on from that checkpoint; nothing is stored twice', async () => {
    let died = false;
    // Its message comes back (visibility) before the lease reserved for the continuation runs out.
    const { pipe, outcome, trace } = await run('dies-before-message', { ...CRASHY, leaseMs: 1000, visibilityTimeoutMs: 300 }, (deps) => {
      const queue = deps.queue!;
      let sent = 0;
      const ledger: FileLedger = Object.create(deps.ledger);
      ledger.recordFailure = async (...args) => { if (died && args[3].includes('timed out')) return; return deps.ledger.recordFailure(...args); };
      return {
        ledger,
        queue: { send: async (body, delay) => { if (++sent === 2 && !died) { died = true; throw death(); } return queue.send(body, delay); } },
      };
    });
    open.push(pipe);
    expect(died).toBe(true);
    const [, , third, retry] = trace.resumedFrom;
    expect(retry).toBeGreaterThan(third as number); // the checkpoint it recorded before it died
    // Its message came back while the lease was still reserved for the continuation it never sent: put back until the lease ran out, not dropped.
    const statuses = pipe.handled.map((h) => h.outcome?.status ?? 'error');
    expect(statuses.slice(0, 3)).toEqual(['continued', 'error', 'busy']);
    expect(statuses.at(-1)).toBe('done');
    expect(trace.samplesWritten).toBe(onePass.samples.length);
    expect(pipe.queue.deadLetters).toEqual([]);
    expectSameOutcome(outcome, onePass);
  });
});
