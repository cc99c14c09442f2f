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
  /**
   * The cells as written (a CSV reader trims them as csv-parse's `trim` does). A cell over
   * MAX_CELL_CHARS or a row over MAX_COLUMNS is handed over as it is: the core drops the cell or
   * rejects the row, and a header that wide rejects the table.
   */
  readonly cells: readonly string[];
  /**
   * Set when the reader could not make a row of what it read there (a record over MAX_LINE_BYTES, a
   * quoted field followed by text or never closed): why, in words fit for a rejection (file and line
   * are added by the core). `cells` is then empty; the core rejects the row and the reader goes on
   * with the next one.
   */
  readonly error?: string;
  /**
   * The error is a line over MAX_LINE_BYTES. Before any header the file cannot be a table and is
   * refused at once — so a reader should hand such a row over as soon as the line passes the bound
   * (a 1 GB header of commas), not when it ends.
   */
  readonly tooLong?: boolean;
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

/** `Sheet!row` for Excel, the line number for text files. */
export function rowLabel(line: number, sheet?: string): string {
  return sheet === undefined ? String(line) : `${sheet}!${line}`;
}
