/**
 * Stores a file's day parts as the collector hands them out. The file's earlier parts (a previous
 * version's, or a crashed run's) are deleted before its first new part is stored, so a re-upload
 * that no longer covers a day takes that day out of the means; a file that turns out unreadable
 * before then leaves them as they were. `beforeWrite` runs before each write (see SampleWriter).
 */
import type { DayPart } from '../domain/day-means.js';
import type { SampleStore } from '../ports/index.js';

export class DayPartWriter {
  private cleared = false;

  constructor(
    private readonly store: Pick<SampleStore, 'clearDayParts' | 'putDayParts'>, private readonly fileId: string,
    private readonly beforeWrite: () => Promise<void> = async () => {},
  ) {}

  async write(parts: readonly DayPart[]): Promise<void> {
    if (parts.length === 0) return;
    await this.beforeWrite();
    if (!this.cleared) {
      await this.store.clearDayParts(this.fileId);
      this.cleared = true;
    }
    await this.store.putDayParts(parts);
  }
}
