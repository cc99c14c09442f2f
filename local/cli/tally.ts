/** What `start` and `ingest` count and show while files go through: grades per site, progress of long files. */
import type { EvaluatedSample } from '../../shared/domain/evaluate.js';
import type { Grade } from '../../shared/domain/gb3838.js';
import { GRADES } from '../../shared/domain/gb3838.js';
import type { SiteRegistry } from '../../shared/domain/sites.js';
import type { IngestListener } from '../../shared/ports/index.js';
import { renderTable } from './table.js';

/** Listens to stored samples only. */
abstract class SampleListener implements IngestListener {
  abstract stored(batch: readonly EvaluatedSample[]): Promise<void>;
  async fileDone(): Promise<void> {}
  async fileQuarantined(): Promise<void> {}
}

/** Grade counts per site over what this run stored. */
export class GradeTally extends SampleListener {
  private readonly bySite = new Map<string, { grades: Partial<Record<Grade | 'none', number>>; samples: number; compliant: number }>();

  async stored(batch: readonly EvaluatedSample[]): Promise<void> {
    for (const { sample, evaluation } of batch) {
      let t = this.bySite.get(sample.site);
      if (!t) { t = { grades: {}, samples: 0, compliant: 0 }; this.bySite.set(sample.site, t); }
      t.samples++;
      const g = evaluation.grade ?? 'none';
      t.grades[g] = (t.grades[g] ?? 0) + 1;
      if (evaluation.compliant) t.compliant++;
    }
  }

  get total(): number {
    return [...this.bySite.values()].reduce((n, t) => n + t.samples, 0);
  }

  render(registry: SiteRegistry): string {
    const rows = [...this.bySite.entries()].map(([site, t]) => [
      site, registry.find(site)?.name ?? '(unregistered)', String(t.samples),
      ...GRADES.map((g) => String(t.grades[g] ?? 0)), String(t.grades.none ?? 0),
      `${((100 * t.compliant) / Math.max(1, t.samples - (t.grades.none ?? 0))).toFixed(1)}%`,
    ]);
    return renderTable(['site', 'name', 'samples', ...GRADES, 'no valid data', 'compliant'], rows);
  }

  toJSON() {
    return Object.fromEntries(this.bySite);
  }
}

/** Long files show how far they have got, at most every two seconds. */
export class Progress extends SampleListener {
  private readonly files = new Map<string, { n: number; last: number }>();
  constructor(private readonly say: (s: string) => void) { super(); }

  async stored(batch: readonly EvaluatedSample[]): Promise<void> {
    const file = batch[0]?.sample.source.file;
    if (!file) return;
    const f = this.files.get(file) ?? { n: 0, last: Date.now() };
    f.n += batch.length;
    this.files.set(file, f);
    if (Date.now() - f.last > 2000) {
      f.last = Date.now();
      this.say(`  … ${file}: ${f.n.toLocaleString('en')} samples stored so far`);
    }
  }
}
