/**
 * What a checkpoint carries from one invocation to the next: the tally goes on as if it had never
 * stopped, wherever the file is cut; a checkpoint read back from the table is checked before it is
 * trusted; and the largest checkpoint the tally's bounds allow fits the ledger item with its
 * headroom, so it is never cut.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { itemBytes } from '../../../shared/adapters/dynamo/item-size.js';
import { readCheckpoint } from '../../../shared/ingest/checkpoint.js';
import { FileTally } from '../../../shared/ingest/file-tally.js';
import {
  DYNAMO_MAX_ITEM_BYTES, LEDGER_CHECKPOINT_MAX_BYTES, LEDGER_HEADROOM_BYTES, LEDGER_NEAR_MISSES_KEPT, LEDGER_REJECTED_ROWS_KEPT,
  LEDGER_SITES_KEPT, LEDGER_WARNINGS_KEPT, MAX_REASON_CHARS, MAX_SITE_NAME_CHARS, S3_MAX_KEY_BYTES,
} from '../../../shared/limits.js';
import type { ParseEvent } from '../../../shared/parsers/types.js';
import type { IngestCheckpoint } from '../../../shared/ports/index.js';

/** Events of every kind a tally notes, with long texts and many sites, so the kept lists fill up. */
const event: fc.Arbitrary<ParseEvent | { type: 'sample'; site: string }> = fc.oneof(
  fc.record({ type: fc.constant('rejected' as const), line: fc.nat(), reason: fc.string({ maxLength: 400 }) }),
  fc.record({ type: fc.constant('skipped' as const), line: fc.nat(), reason: fc.constant('平均值') }),
  fc.record({ type: fc.constant('cell' as const), line: fc.nat(), param: fc.constantFrom('COD', 'TP'), value: fc.string({ maxLength: 20 }), reason: fc.constant('not a number') }),
  fc.record({ type: fc.constant('missing' as const), count: fc.nat({ max: 5 }) }),
  fc.record({ type: fc.constant('warning' as const), message: fc.string({ maxLength: 50 }), nearMiss: fc.option(fc.record({ name: fc.string({ maxLength: 10 }), site: fc.constant('zhaoniuhe') }), { nil: undefined }) }),
  fc.record({ type: fc.constant('sample' as const), site: fc.integer({ min: 0, max: 150 }).map((n) => `站${n}`) }),
);

function apply(tally: FileTally, events: readonly (ParseEvent | { type: 'sample'; site: string })[]): FileTally {
  for (const ev of events) {
    if (ev.type === 'sample') tally.sample((ev as { site: string }).site);
    else tally.note(ev as Exclude<ParseEvent, { type: 'sample' }>);
  }
  return tally;
}

describe('the tally across invocations', () => {
  it('cut anywhere and carried in a checkpoint, it ends as one tally would', () => {
    fc.assert(fc.property(fc.array(event, { maxLength: 600 }), fc.array(fc.nat(), { maxLength: 5 }), (events, cuts) => {
      const whole = apply(new FileTally(), events).fields();
      let tally = new FileTally();
      let at = 0;
      for (const cut of [...cuts.map((c) => (events.length === 0 ? 0 : c % events.length))].sort((a, b) => a - b)) {
        tally = FileTally.from(JSON.parse(JSON.stringify(apply(tally, events.slice(at, cut)).state()))); // as the table keeps it
        at = cut;
      }
      expect(apply(tally, events.slice(at)).fields()).toEqual(whole);
    }), { numRuns: 200 });
  });
});

const checkpoint = (over: Partial<IngestCheckpoint> = {}): IngestCheckpoint => ({
  events: 1500, continuations: 3, startedAt: 1_700_000_000_000, segment: 7, partsCleared: true,
  tally: new FileTally().state(), ...over,
});

describe('a checkpoint read back from the table', () => {
  it('is resumed from when it has the shape this code writes', () => {
    expect(readCheckpoint(checkpoint())).toEqual({ checkpoint: checkpoint() });
    expect(readCheckpoint(undefined)).toEqual({});
  });

  it('is not, with what is wrong said, when it has another shape (an older or newer bishui wrote it)', () => {
    expect(readCheckpoint({ ...checkpoint(), events: -1 }).problem).toMatch(/^events: /);
    expect(readCheckpoint({ ...checkpoint(), tally: { accepted: 3 } }).problem).toMatch(/^tally\.rejected: /);
    expect(readCheckpoint('{"events":1}').checkpoint).toBeUndefined();
  });
});

describe('the largest checkpoint', () => {
  /** Every kept list full, every text at its longest in characters of three UTF-8 bytes (a lone surrogate counts three as well). */
  function largest(): IngestCheckpoint {
    const text = (n: number) => '氨'.repeat(n);
    const t = new FileTally();
    for (let i = 0; i < LEDGER_REJECTED_ROWS_KEPT; i++) t.reject(1_000_000_000 + i, text(MAX_REASON_CHARS * 2), text(31));
    for (let i = 0; i < LEDGER_WARNINGS_KEPT; i++) t.note({ type: 'warning', message: text(MAX_REASON_CHARS * 2), line: 1_000_000_000 + i });
    for (let i = 0; i < LEDGER_NEAR_MISSES_KEPT; i++) t.note({ type: 'warning', message: 'x', nearMiss: { name: text(MAX_SITE_NAME_CHARS), site: text(MAX_SITE_NAME_CHARS) } });
    for (let i = 0; i < LEDGER_SITES_KEPT + 10; i++) t.sample(`${i}${text(MAX_SITE_NAME_CHARS - 4)}`);
    return checkpoint({ events: Number.MAX_SAFE_INTEGER, startedAt: Date.now(), segment: 1_000_000, tally: t.state() });
  }

  it('stays within its bound, and with the rest of a ledger entry at its largest within the item limit and its headroom', () => {
    const cp = largest();
    expect(cp.tally.rejectedRows).toHaveLength(LEDGER_REJECTED_ROWS_KEPT);
    expect(cp.tally.moreSites).toBe(true);
    expect(itemBytes({ checkpoint: cp })).toBeLessThanOrEqual(LEDGER_CHECKPOINT_MAX_BYTES);
    const longKey = `incoming/${'键'.repeat((S3_MAX_KEY_BYTES - 9) / 3)}`;
    const fileId = `bishui-raw-${'b'.repeat(52)}/${longKey}`;
    const entry = {
      PK: `FILE#${fileId}`, SK: `V#${'v'.repeat(1020)}`, fileId, bucket: 'b'.repeat(63), key: longKey, version: 'v'.repeat(1020),
      status: 'processing', attempts: 99, receivedAt: new Date().toISOString(), leaseUntil: Date.now(), holder: crypto.randomUUID(),
      handoff: crypto.randomUUID(), sequencer: 'F'.repeat(64), lastError: '氨'.repeat(MAX_REASON_CHARS), checkpoint: cp,
    };
    expect(itemBytes(entry)).toBeLessThanOrEqual(DYNAMO_MAX_ITEM_BYTES - LEDGER_HEADROOM_BYTES);
  });
});
