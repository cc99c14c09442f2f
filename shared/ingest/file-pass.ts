/**
 * One invocation's pass over a file: the parse events, in order, into samples, day parts and the
 * tally — until the file ends or the invocation's time does.
 *
 * A file read over several invocations is read from its start by each (gzip, workbooks, long-layout
 * groups and header state are rebuilt exactly, since the parsers yield the same events in the same
 * order however the bytes arrive); the events earlier invocations handled are counted off and
 * skipped, neither evaluated nor stored, and the pass goes on with the tally, the day-part segment
 * and the state of the key's parts its checkpoint carries. It hands on only where everything before
 * is stored: after a full write chunk (or between events that add no sample), so the alert rules
 * judge the very chunks a single pass would.
 */
import { bySiteAndDay } from '../domain/day-means.js';
import { evaluateSample } from '../domain/evaluate.js';
import type { SiteRegistry } from '../domain/sites.js';
import type { OpenedFile } from '../parsers/read.js';
import type { ParseEvent } from '../parsers/types.js';
import type { IngestCheckpoint, IngestListener, SampleStore, SiteDay } from '../ports/index.js';
import { DayPartCollector } from './day-parts.js';
import { DayPartWriter } from './day-part-writer.js';
import { FileTally } from './file-tally.js';
import { SampleWriter, WRITE_CHUNK } from './sample-writer.js';
import { toStored } from './stored-sample.js';

/**
 * Events an invocation handles at the least before it may hand the rest on, however little time it
 * has: every invocation moves the file forward (a full write chunk, when the file is samples).
 */
export const MIN_EVENTS_PER_INVOCATION = WRITE_CHUNK;

export interface FilePassDeps {
  readonly samples: SampleStore;
  readonly registry: SiteRegistry;
  readonly zone: string;
  readonly listener?: IngestListener;
}

/** How the pass ended: the file is read to its end, or the time is up after `events` events. */
export type PassEnd = { readonly end: 'file' } | { readonly end: 'time'; readonly events: number };

export class FilePass {
  readonly tally: FileTally;
  private readonly parts: DayPartCollector;
  private readonly partWriter: DayPartWriter;
  private readonly writer: SampleWriter;
  /** Events of the stream seen so far (skipped ones included). */
  private position = 0;

  constructor(
    private readonly fileId: string, private readonly version: string, private readonly deps: FilePassDeps,
    beforeWrite: () => Promise<void>, private readonly resume?: IngestCheckpoint,
  ) {
    this.tally = resume ? FileTally.from(resume.tally) : new FileTally();
    this.parts = new DayPartCollector(fileId, deps.zone, undefined, undefined, resume?.segment ?? 0);
    this.partWriter = new DayPartWriter(deps.samples, fileId, beforeWrite, resume);
    this.writer = new SampleWriter(deps.samples, deps.listener, beforeWrite);
  }

  private get skip(): number {
    return this.resume?.events ?? 0;
  }

  /**
   * Streams the file's events into storage. `timeUp` is asked where the pass could hand on, once
   * it has handled MIN_EVENTS_PER_INVOCATION events; `reader` wraps each call into the parser.
   */
  async run(opened: OpenedFile, reader: <T>(call: () => Promise<T>) => Promise<T>, timeUp: () => boolean): Promise<PassEnd> {
    const batches = opened.batches[Symbol.asyncIterator]();
    for (;;) {
      const next: IteratorResult<ParseEvent[]> = await reader(() => batches.next());
      if (next.done) break;
      for (const ev of next.value) {
        if (this.position++ < this.skip) continue; // handled by an earlier invocation
        this.handle(ev);
        if (this.writer.full) await this.writer.flush();
        if (this.writer.empty && this.position - this.skip >= MIN_EVENTS_PER_INVOCATION && timeUp()) {
          await batches.return(undefined).catch(() => undefined); // the object's stream is closed; the rest is the next invocation's
          return { end: 'time', events: this.position };
        }
      }
      if (this.position > this.skip) await this.partWriter.write(this.parts.takeOverflow()); // memory stays flat however many days the file spans
    }
    if (this.position < this.skip) {
      // The object read differently than when the checkpoint was recorded (a reader changed between
      // deployments?): nothing after it can be trusted to line up. Its error reaches the dead-letter
      // notice; a redrive reads the file from its start.
      throw new Error(`the file ended after ${this.position} events, before its checkpoint at ${this.skip}: it does not read as it did`);
    }
    await this.keepWhatWasRead();
    return { end: 'file' };
  }

  private handle(ev: ParseEvent): void {
    if (ev.type !== 'sample') { this.tally.note(ev); return; }
    const evaluation = evaluateSample(ev.sample, this.deps.registry.resolve(ev.sample.site));
    const stored = toStored(ev.sample, evaluation, this.fileId, this.version);
    const refusal = this.deps.samples.refusalOf(stored);
    if (refusal !== undefined) { this.tally.reject(ev.sample.source.line, refusal); return; }
    this.writer.add(stored, { sample: ev.sample, evaluation });
    this.parts.add(ev.sample);
    this.tally.sample(ev.sample.site);
  }

  /**
   * Everything read so far is stored and judged, its day parts included: at the end of the file,
   * before a checkpoint, and when the file turns out unreadable part-way (what was read before the
   * fault is kept, the same however many invocations the file took).
   */
  async keepWhatWasRead(): Promise<void> {
    await this.writer.drain();
    await this.partWriter.write(this.parts.takeAll());
  }

  /** Where the next invocation goes on from, once everything handled is stored (after `run` ended for time). */
  async checkpoint(events: number, startedAt: number): Promise<IngestCheckpoint> {
    await this.keepWhatWasRead();
    return {
      events, continuations: (this.resume?.continuations ?? 0) + 1, startedAt,
      segment: this.parts.nextSegment, partsCleared: this.partWriter.cleared, tally: this.tally.state(),
    };
  }

  /**
   * The site-days the file touched, sorted by site and day. In one pass they are known in memory;
   * over several, from the file's stored parts (the earlier invocations' are in none's memory).
   */
  async days(): Promise<SiteDay[]> {
    if (!this.resume) return [...this.parts.days()].sort(bySiteAndDay);
    await this.partWriter.settle();
    return this.partWriter.cleared ? this.deps.samples.fileDays(this.fileId) : [];
  }
}

/** The sites among site-days, each once. */
export const sitesOf = (days: readonly SiteDay[]): string[] => [...new Set(days.map((d) => d.site))];
