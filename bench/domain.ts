/**
 * Grading plus CWQI of one million in-memory samples (issue 2 goal: under 1 s on this machine).
 * Samples carry the eight indicators a typical online station reports.
 */
import { defaultRegistry } from '../shared/config/registry.js';
import { evaluateSample } from '../shared/domain/evaluate.js';
import type { Sample } from '../shared/domain/sample.js';
import { mulberry32 } from '../local/sample-data/rng.js';

export interface DomainBench { samples: number; seconds: number; samplesPerSecond: number; checksum: number }

export function makeSamples(n: number, seed = 42): Sample[] {
  const rnd = mulberry32(seed);
  const sites = ['zhaoniuhe', 'xiaomeihe', 'sixinhe', 'hanhai-stp'];
  const out: Sample[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      site: sites[i % 4]!, registered: true, time: 1_688_169_600_000 + i * 3_600_000,
      values: {
        pH: 6.5 + rnd() * 2.5, DO: 2 + rnd() * 8, CODMn: 2 + rnd() * 10, COD: 10 + rnd() * 30,
        NH3N: rnd() * 2.2, TP: rnd() * 0.45, TN: 0.5 + rnd() * 4, temp: 5 + rnd() * 25,
      },
      flags: i % 50 === 0 ? { COD: 'D' } : {},
      source: { file: 'bench', line: i + 2 },
    };
  }
  return out;
}

export function benchDomain(n = 1_000_000): DomainBench {
  const registry = defaultRegistry();
  const samples = makeSamples(n);
  const sites = new Map(registry.sites.map((s) => [s.id, s]));
  // warm-up, so the figure is the steady state the pipeline runs at
  for (let i = 0; i < 20_000; i++) evaluateSample(samples[i]!, sites.get(samples[i]!.site)!);
  let checksum = 0;
  const t0 = process.hrtime.bigint();
  for (const s of samples) {
    const e = evaluateSample(s, sites.get(s.site)!);
    checksum += e.cwqi ?? 0;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { samples: n, seconds, samplesPerSecond: n / seconds, checksum };
}
