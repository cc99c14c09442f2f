/** Listeners of ingest, composed. */
import type { IngestListener } from '../ports/index.js';

/** Several listeners as one, each told in turn (the CLI's tallies beside the alert rules). */
export function allOf(...listeners: readonly IngestListener[]): IngestListener {
  return {
    async stored(batch) { for (const l of listeners) await l.stored(batch); },
    async fileDone(entry, days) { for (const l of listeners) await l.fileDone(entry, days); },
    async fileQuarantined(entry, sites) { for (const l of listeners) await l.fileQuarantined(entry, sites); },
  };
}
