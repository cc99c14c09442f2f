/** The ledger line `start` and `ingest` print for each outcome a file can end with. */
import { describe, expect, it } from 'vitest';
import { ledgerLine } from '../../../local/cli/lines.js';
import type { LedgerEntry } from '../../../shared/ports/index.js';

const base = { fileId: 'b/incoming/a.csv', bucket: 'b', key: 'incoming/a.csv', version: 'v1', attempts: 1, receivedAt: '2023-07-15T00:00:00.000Z' };

describe('ledgerLine', () => {
  it('a superseded version says a newer upload of the key replaced it and nothing was stored', () => {
    expect(ledgerLine({ ...base, status: 'superseded', supersededBy: 'v2' } as LedgerEntry, 'a.csv'))
      .toBe('  ↷ a.csv: superseded by a newer upload of the same key (v2); not stored');
  });

  it('a dead-lettered file says so with its last error; a quarantined one names its copy', () => {
    expect(ledgerLine({ ...base, status: 'failed', error: 'ThrottlingException: slow down', deadLetteredAt: '2023-07-15T00:10:00.000Z' } as LedgerEntry, 'a.csv'))
      .toBe('  ✗ a.csv: failed on every delivery (dead-lettered) — ThrottlingException: slow down');
    expect(ledgerLine({ ...base, status: 'failed', error: 'is a PDF document', quarantineKey: 'quarantine/incoming/a.csv' } as LedgerEntry, 'a.csv'))
      .toBe('  ✗ a.csv: quarantined — is a PDF document (copy at quarantine/incoming/a.csv)');
  });
});
