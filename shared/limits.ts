/**
 * Every size bishui bounds, in one place. What comes from a file is untrusted: each bound below is
 * checked where the thing is read or stored, and hitting one is a clear rejection (of a cell, a row
 * or the file), never a crash, a dead-lettered message or a silently shortened value.
 * AWS's own limits are named as AWS documents them, so the local emulators (which do not enforce
 * them) fail exactly where AWS would.
 */

// --- AWS, as documented -------------------------------------------------------------------------
/** DynamoDB: an item, attribute names and values together, in UTF-8 bytes. */
export const DYNAMO_MAX_ITEM_BYTES = 400 * 1024;
/** DynamoDB: a partition key value, in UTF-8 bytes. */
export const DYNAMO_MAX_PARTITION_KEY_BYTES = 2048;
/** DynamoDB: a sort key value, in UTF-8 bytes. */
export const DYNAMO_MAX_SORT_KEY_BYTES = 1024;
/** S3: an object key, in UTF-8 bytes. */
export const S3_MAX_KEY_BYTES = 1024;
/** SNS: a subject is under 100 characters, printable ASCII and Unicode, no line breaks or control characters. */
export const SNS_MAX_SUBJECT_CHARS = 99;
/** SNS: a message, in UTF-8 bytes. */
export const SNS_MAX_MESSAGE_BYTES = 256 * 1024;
/** One SMS segment in UCS-2: 70 characters (Chinese text). */
export const SMS_MAX_CHARS = 70;

// --- what one file may hold ---------------------------------------------------------------------
/** One line of a text file, or one CSV record, in bytes. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** One cell (a CSV field, a JSON string, an Excel cell), in characters. */
export const MAX_CELL_CHARS = 4096;
/** Columns in one row of a table. */
export const MAX_COLUMNS = 2000;
/** A site name or station code as written, in characters (it becomes part of DynamoDB keys). */
export const MAX_SITE_NAME_CHARS = 200;
/** Nesting of a JSON sample (a sample is an object of values: a handful of levels). */
export const MAX_JSON_DEPTH = 64;
/** A decompressed file (gzip, a workbook's sheets), in bytes. */
export const MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024;
/**
 * A workbook's shared-strings part (xl/sharedStrings.xml, inflated), in bytes: every reader holds
 * it in memory, since cells refer to its strings by number anywhere in the sheets.
 */
export const MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024;
/** Years before this are not monitoring data (configurable per deployment; 1970 by default). */
export const DEFAULT_MIN_PLAUSIBLE_YEAR = 1970;

// --- what bishui keeps about a file -------------------------------------------------------------
/** Rejected rows kept in a file's ledger entry (with line and reason); the rest are counted. */
export const LEDGER_REJECTED_ROWS_KEPT = 100;
/** Warnings kept in a file's ledger entry; the rest are counted. */
export const LEDGER_WARNINGS_KEPT = 100;
/** One reason or warning as kept and shown, in characters. */
export const MAX_REASON_CHARS = 300;
