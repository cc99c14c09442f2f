/**
 * A file's records → events, with what is counted over the whole file: one per file, shared by
 * every format, so a sample, its dropped cells, a rejection and the missing count come out alike.
 */
import type { Sample } from '../domain/sample.js';
import type { Site } from '../domain/sites.js';
import { MAX_QUOTED_CHARS, MAX_UNREGISTERED_NAMES_NOTED } from '../limits.js';
import { safeText } from '../safe-text.js';
import type { ParamId } from '../domain/parameters.js';
import type { RawRecord, RecordContext } from './record.js';
import { SampleBuilder } from './record.js';
import type { CellFault, ParseEvent } from './types.js';

export function rejectedEvent(line: number, sheet: string | undefined, reason: string): ParseEvent {
  return sheet === undefined ? { type: 'rejected', line, reason } : { type: 'rejected', line, sheet, reason };
}

export function skippedEvent(line: number, sheet: string | undefined, reason: string): ParseEvent {
  return sheet === undefined ? { type: 'skipped', line, reason } : { type: 'skipped', line, sheet, reason };
}

export function cellEvent(f: CellFault): ParseEvent {
  return { type: 'cell', ...f };
}

/** The near-miss notice, in Chinese: it reaches operations as written. */
export function nearMissMessage(name: string, site: Site): string {
  return `站点「${safeText(name, { max: MAX_QUOTED_CHARS })}」未登记，是否为 ${site.name} (${site.id})？如是请加入 config/sites.json 的 aliases`;
}

/** A sample's event, made with `new` for the reason record.ts gives. */
class SampleEvent {
  readonly type = 'sample';
  constructor(readonly sample: Sample) {}
}

export class RecordEvents {
  /** Cells without a value (blank or a missing marker) so far. */
  missing = 0;
  /** Unregistered names already looked at (each is told about once per file). */
  private readonly unregistered = new Set<string>();
  /** The record being built: tabular.ts feeds a wide row's columns to it straight. */
  readonly builder: SampleBuilder;

  constructor(readonly ctx: RecordContext) {
    this.builder = new SampleBuilder(ctx);
  }

  /** Builds the record and pushes its events: the sample and its dropped cells, or the rejection. */
  push(rec: RawRecord, out: ParseEvent[]): void {
    const b = this.builder;
    b.begin(rec.line, rec.sheet, rec.faults);
    for (const c of rec.cells) b.cell(c.param, c.factor, c.raw, c.label, c.line);
    if (rec.flags) for (const p in rec.flags) b.flag(p as ParamId, rec.flags[p as ParamId] as string);
    this.end(rec.site, rec.time, rec.unknown, out);
  }

  /** Ends the record the builder holds (see SampleBuilder.end) and pushes its events. */
  end(site: string | undefined, time: string | number | undefined, unknown: Record<string, string | number> | undefined, out: ParseEvent[]): void {
    const b = this.builder;
    const r = b.end(site, time, unknown);
    this.missing += b.missing;
    if (typeof r === 'string') {
      out.push(rejectedEvent(b.line, b.sheet, r));
      return;
    }
    out.push(new SampleEvent(r));
    if (b.faults) for (const f of b.faults) out.push(cellEvent(f));
    if (!r.registered) this.noteSite(r.site, out);
  }

  /** An unregistered name close to a registered site gets a warning asking whether it is that site. */
  noteSite(name: string, out: ParseEvent[]): void {
    if (this.unregistered.has(name) || this.unregistered.size >= MAX_UNREGISTERED_NAMES_NOTED) return;
    this.unregistered.add(name);
    const site = this.ctx.registry.suggest(name);
    if (site) out.push({ type: 'warning', message: nearMissMessage(name, site), nearMiss: { name, site: site.id } });
  }

  /** The file's counts, once it has been read to the end. */
  finish(out: ParseEvent[]): void {
    if (this.missing > 0) out.push({ type: 'missing', count: this.missing });
  }
}
