/**
 * Stores a file's day parts as the collector hands them out. The file's earlier parts (a previous
 * version's, or a crashed run's) are deleted before its first new part is stored, so a re-upload
 * that no longer covers a day takes that day out of the means; a file that turns out unreadable
 * before then leaves them as they were. `beforeWrite` runs before each write (see SampleWriter).
 *
 * A file read over several invocations clears the key's parts once, in the invocation that stores
 * its first part. A later invocation goes on from the checkpoint's segment: parts of that segment
 * and later were stored after the checkpoint by an invocation that died before the next one, so
 * they are deleted before this invocation stores anything (its own parts take those segments
 * again) and before the file's parts are read (`settle`).
 */
import type { DayPart } from '../domain/day-means.js';
import type { SampleStore } from '../ports/index.js';

export class DayPartWriter {
  private clearedAll: boolean;
  private uncommitted: boolean;

  /** `resume`: the checkpoint's word on the file's parts (it stored some already; from which segment none are committed). */
  constructor(
    private readonly store: Pick<SampleStore, 'clearDayParts' | 'putDayParts'>, private readonly fileId: string,
    private readonly beforeWrite: () => Promise<void> = async () => {},
    private readonly resume?: { readonly partsCleared: boolean; readonly segment: number },
  ) {
    this.clearedAll = resume?.partsCleared ?? false;
    this.uncommitted = resume?.partsCleared ?? false;
  }

  /** The file has stored parts of its own (the key's earlier parts are gone). */
  get cleared(): boolean {
    return this.clearedAll;
  }

  async write(parts: readonly DayPart[]): Promise<void> {
    if (parts.length === 0) return;
    await this.beforeWrite();
    await this.settle();
    if (!this.clearedAll) {
      await this.store.clearDayParts(this.fileId);
      this.clearedAll = true;
    }
    await this.store.putDayParts(parts);
  }

  /** Removes what a dead invocation stored after the checkpoint this one resumed from (once). */
  async settle(): Promise<void> {
    if (!this.uncommitted || !this.resume) return;
    await this.store.clearDayParts(this.fileId, this.resume.segment);
    this.uncommitted = false;
  }
}
