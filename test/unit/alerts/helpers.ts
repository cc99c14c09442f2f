/** Evaluated samples for alert scenarios, and an alert engine on in-memory ports. */
import { silentLog } from '../../../shared/adapters/silent-log.js';
import type { AlertConfig } from '../../../shared/alerts/config.js';
import { AlertEngine } from '../../../shared/alerts/engine.js';
import { Notifier } from '../../../shared/alerts/notifier.js';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { evaluateSample } from '../../../shared/domain/evaluate.js';
import type { Sample } from '../../../shared/domain/sample.js';
import type { EvaluatedSample } from '../../../shared/domain/evaluate.js';
import { FailingPublisher, MemoryDays, MemoryOutbox, MemoryStateStore } from '../../helpers/memory-stores.js';

export const registry = defaultRegistry();
export const HOUR = 3_600_000;
export const T0 = Date.parse('2023-07-01T00:00:00+08:00');

export function at(site: string, hour: number, values: Sample['values'], flags: Sample['flags'] = {}, extra: Partial<Sample> = {}): EvaluatedSample {
  const sample: Sample = { site, registered: true, time: T0 + hour * HOUR, values, flags, source: { file: 'hourly.csv', line: hour + 2 }, ...extra };
  return { sample, evaluation: evaluateSample(sample, registry.resolve(site)) };
}

/** `n` hourly readings from `from`, values by hour. */
export function hours(site: string, from: number, n: number, values: (h: number) => Sample['values'], extra: Partial<Sample> = {}): EvaluatedSample[] {
  return Array.from({ length: n }, (_, i) => at(site, from + i, values(from + i), {}, extra));
}

/** An alert engine on in-memory ports: its state store, outbox, notifier and a publisher that fails on chosen calls. */
export function alertRig(options: { failOn?: Iterable<number>; config?: AlertConfig; states?: MemoryStateStore; outbox?: MemoryOutbox; publisher?: FailingPublisher } = {}) {
  const publisher = options.publisher ?? new FailingPublisher(new Set(options.failOn ?? []));
  const states = options.states ?? new MemoryStateStore();
  const outbox = options.outbox ?? new MemoryOutbox();
  const days = new MemoryDays();
  const notifier: Notifier = new Notifier({ outbox, publisher, log: silentLog, resolve: (p) => engine.resolvePage(p) });
  const engine: AlertEngine = new AlertEngine({ states, notifier, registry, samples: days, sleep: async () => {}, ...(options.config ? { config: options.config } : {}) });
  return { publisher, states, outbox, notifier, engine, days };
}
