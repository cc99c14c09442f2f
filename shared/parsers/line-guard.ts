/**
 * Bounds the physical lines of a byte stream before a parser that would hold a line whole (csv-parse
 * builds a record of any size): each line is held back until it ends; a line that passes the bound
 * is dropped — never held past it — and stands as an empty line, so the lines after it keep their
 * numbers. The numbers of the dropped lines are kept for the reader to report.
 */

const NEWLINE = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

export class LineGuard {
  /** Lines completed so far (the number of the last one). */
  private line = 0;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** Inside a dropped line, skipping to its end. */
  private skipping = false;
  /** Numbers of the lines dropped for their length, oldest first; the reader takes them out. */
  readonly dropped: number[] = [];
  /** The most bytes ever held back at once (a test's window on memory). */
  peakHeldBytes = 0;
  /** Told when a line is dropped (the reader may report it before the parser gets there). */
  onDrop: (() => void) | undefined;

  constructor(private readonly maxLineBytes: number) {}

  async *guard(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) yield* this.feed(chunk);
    if (this.heldBytes > 0) this.line++; // a last line without a line break
    for (const h of this.held) yield h;
    this.held = [];
  }

  /** Lines seen so far (all of them once the source has ended). */
  get lines(): number {
    return this.line;
  }

  private *feed(chunk: Uint8Array): Generator<Uint8Array> {
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.skipping) {
      const end = c.indexOf(10);
      // Nothing to pass on, but control goes back to the consumer, which may have stopped reading.
      if (end < 0) { yield EMPTY; return; }
      this.skipping = false;
      pos = end + 1;
    }
    let lineStart = pos;
    let emitFrom = pos;
    for (let i = c.indexOf(10, pos); i >= 0; i = c.indexOf(10, i + 1)) {
      this.line++;
      if (this.heldBytes + (i - lineStart) > this.maxLineBytes) {
        if (lineStart > emitFrom) yield c.subarray(emitFrom, lineStart);
        this.drop();
        yield NEWLINE;
        emitFrom = i + 1;
      } else if (this.heldBytes > 0) {
        for (const h of this.held) yield h;
        this.held = [];
        this.heldBytes = 0;
      }
      lineStart = i + 1;
    }
    if (lineStart > emitFrom) yield c.subarray(emitFrom, lineStart);
    const rest = c.length - lineStart;
    if (rest === 0) return;
    if (this.heldBytes + rest > this.maxLineBytes) {
      // Over the bound before its end: dropped now, so a line of any length costs no more memory.
      this.line++;
      this.drop();
      this.skipping = true;
      yield NEWLINE;
      return;
    }
    this.held.push(c.subarray(lineStart));
    this.heldBytes += rest;
    if (this.heldBytes > this.peakHeldBytes) this.peakHeldBytes = this.heldBytes;
  }

  private drop(): void {
    this.dropped.push(this.line);
    this.held = [];
    this.heldBytes = 0;
    this.onDrop?.();
  }
}
