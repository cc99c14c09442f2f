/**
 * Everything a file left behind in a local pipeline — its stored samples, the means of the sites
 * and months it touched, its ledger entry, the notifications published — in a form two pipelines'
 * can be compared by: one that read the file in one invocation, one that took several.
 */
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import type { LocalPipeline } from '../../local/runtime/pipeline.js';
import type { LedgerEntry, PeriodMeans, StoredSample } from '../../shared/ports/index.js';
import { collect } from './pipeline.js';

export interface FileOutcome {
  readonly samples: StoredSample[];
  readonly daily: PeriodMeans[];
  readonly monthly: PeriodMeans[];
  /** The ledger entry without what differs by run: times, attempts, the S3 event's sequencer, continuations. */
  readonly entry: Partial<LedgerEntry>;
  readonly continuations: number | undefined;
  /** Every notification published, as SNS got it, in order. */
  readonly published: { readonly TopicArn: string; readonly Subject: string; readonly Message: string; readonly MessageAttributes: unknown }[];
}

const bySiteTime = (a: StoredSample, b: StoredSample) =>
  (a.sample.site < b.sample.site ? -1 : a.sample.site > b.sample.site ? 1 : a.sample.time - b.sample.time || String(a.sample.interval).localeCompare(String(b.sample.interval)));

export async function fileOutcome(pipe: LocalPipeline, key: string, months: readonly string[]): Promise<FileOutcome> {
  const fileId = `${LOCAL_BUCKET}/${key}`;
  const samples = (await collect(pipe.store.fileSamples(fileId))).sort(bySiteTime);
  const sites = [...new Set(samples.map((s) => s.sample.site))].sort();
  const [first, last] = [months[0] as string, months.at(-1) as string];
  const daily = (await Promise.all(sites.map((s) => pipe.store.dailyMeans(s, `${first}-01`, `${last}-31`)))).flat();
  const monthly = (await Promise.all(sites.map((s) => pipe.store.monthlyMeans(s, first, last)))).flat();
  const stored = await pipe.ledger.get(fileId);
  if (!stored) throw new Error(`no ledger entry for ${key}`);
  const { receivedAt: _r, finishedAt: _f, attempts: _a, continuations, leaseUntil: _l, sequencer: _s, ...entry } = stored;
  const published = existsSync(pipe.outboxPath)
    ? readFileSync(pipe.outboxPath, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FileOutcome['published'][number])
    : [];
  return { samples, daily, monthly, entry, continuations, published };
}

/** Means as sums of the same values added in other groupings: equal to the last bits of a double. */
function expectSameMeans(actual: readonly PeriodMeans[], expected: readonly PeriodMeans[]): void {
  expect(actual.map(({ means: _m, ...rest }) => rest)).toEqual(expected.map(({ means: _m, ...rest }) => rest));
  actual.forEach((a, i) => {
    const e = expected[i] as PeriodMeans;
    expect(Object.keys(a.means).sort()).toEqual(Object.keys(e.means).sort());
    for (const [p, v] of Object.entries(a.means)) {
      const want = e.means[p as keyof typeof e.means] as number;
      expect(Math.abs(v - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-12);
    }
  });
}

/** The file came out as the one-pass run left it: the same samples, means, ledger counts and lists, notifications. */
export function expectSameOutcome(actual: FileOutcome, onePass: FileOutcome): void {
  expect(actual.samples.length).toBe(onePass.samples.length);
  expect(actual.samples).toEqual(onePass.samples);
  expectSameMeans(actual.daily, onePass.daily);
  expectSameMeans(actual.monthly, onePass.monthly);
  expect(actual.entry).toEqual(onePass.entry);
  expect(actual.published.map((n) => n.Subject)).toEqual(onePass.published.map((n) => n.Subject));
  expect(actual.published).toEqual(onePass.published);
}
