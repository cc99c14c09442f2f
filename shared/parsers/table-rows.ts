/**
 * The contract between the readers of table-shaped files (CSV/TSV text, Excel sheets) and the
 * one place that turns rows into samples (header search, layouts, footers, cells): a reader yields
 * physical rows with where they came from, a batch at a time.
 */

/** One row of a table as written: its cells as text, and where it starts. */
export interface TableRow {
  /** 1-based line (CSV: the physical line the record starts on) or row number (Excel). */
  readonly line: number;
  /** Excel: the sheet's name; a row is then shown as `Sheet!row`. Absent for text files. */
  readonly sheet?: string;
  readonly cells: readonly string[];
  /**
   * Set when the reader could not make a row of what it read there — a quoted field followed by text
   * or never closed, a record over MAX_LINE_BYTES, a row over MAX_COLUMNS, a cell over MAX_CELL_CHARS:
   * why, in words fit for a rejection (file and line are added by the core). `cells` is then empty
   * and the core rejects the row; the reader goes on with the next one.
   */
  readonly error?: string;
}

export interface TableSource {
  /**
   * Rows in file order, in batches (a promise per batch, not per row). Readers leave out rows with
   * no text at all (a blank CSV line, an empty sheet row); the lines after them keep their numbers.
   */
  readonly rows: AsyncIterable<readonly TableRow[]>;
  /** Excel stores times as serial day numbers; a number in a time column is then a time. */
  readonly excelSerialTimes: boolean;
}
