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
/** SQS: the longest a message may be delayed (DelaySeconds), in seconds. */
export const SQS_MAX_DELAY_SECONDS = 900;
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
/** The head of a file whose bytes decide its encoding, in bytes (a fixed size: the same for any chunking). */
export const ENCODING_HEAD_BYTES = 64 * 1024;
/**
 * A file whose head is (nearly) pure ASCII is buffered further, until its text shows which encoding
 * it is in, at most this far, in bytes; past it, UTF-8 is assumed.
 */
export const MAX_ENCODING_SNIFF_BYTES = 4 * 1024 * 1024;
/** Lines with bytes invalid in the file's encoding reported one by one; the rest are counted in one warning. */
export const MAX_ENCODING_WARNINGS = 20;
/** Long-layout samples (site and time) kept open for rows that arrive out of order, before the oldest is emitted. */
export const MAX_OPEN_LONG_GROUPS = 5_000;
/** Unregistered site names a file is checked for near misses (a file naming more is not a station report). */
export const MAX_UNREGISTERED_NAMES_NOTED = 1000;
/** A decompressed file (gzip, a workbook's sheets), in bytes. */
export const MAX_DECOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024;
/**
 * A workbook's shared-strings part (xl/sharedStrings.xml, inflated), in bytes: every reader holds
 * it in memory, since cells refer to its strings by number anywhere in the sheets.
 */
export const MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024;
/**
 * The head of a file looked at for an Office file's entry names (an .xlsx is a ZIP whose first
 * entries' names stand uncompressed at its start), in bytes.
 */
export const OFFICE_HEAD_BYTES = 64 * 1024;
/** Years before this are not monitoring data (configurable per deployment; 1970 by default). */
export const DEFAULT_MIN_PLAUSIBLE_YEAR = 1970;

// --- what bishui keeps about a file -------------------------------------------------------------
/** Rejected rows kept in a file's ledger entry (with line and reason); the rest are counted. */
export const LEDGER_REJECTED_ROWS_KEPT = 100;
/** Warnings kept in a file's ledger entry; the rest are counted. */
export const LEDGER_WARNINGS_KEPT = 100;
/** Unregistered site names close to a registered site ("did you mean…") kept in a file's ledger entry. */
export const LEDGER_NEAR_MISSES_KEPT = 20;
/** One reason or warning as kept and shown, in characters. */
export const MAX_REASON_CHARS = 300;
/** Distinct sites named in a file's ledger entry; a file naming more says so. */
export const LEDGER_SITES_KEPT = 100;
/**
 * Room a ledger entry leaves below DynamoDB's item limit: the entry is cut to fit
 * DYNAMO_MAX_ITEM_BYTES minus this, so the small updates that follow it (a recorded error, a
 * dead-letter mark) always fit too.
 */
export const LEDGER_HEADROOM_BYTES = 8 * 1024;
/**
 * A file's checkpoint in its ledger entry (a file read over several invocations), in bytes as
 * DynamoDB counts them. Its tally holds what the finished entry will (the kept rows, warnings,
 * sites and names above, each text within MAX_REASON_CHARS or MAX_SITE_NAME_CHARS): at most about
 * 270 KB (test/unit/ingest/checkpoint.test.ts); the rest of the entry (keys, ids, an error) stays under 16 KB, and the headroom above is kept.
 */
export const LEDGER_CHECKPOINT_MAX_BYTES = DYNAMO_MAX_ITEM_BYTES - LEDGER_HEADROOM_BYTES - 16 * 1024;

// --- the monthly documents (reports/YYYY-MM/) ---------------------------------------------------
/** Sections drawn in one chart of the bulletin, one colour each; the tables still list every site. */
export const MAX_CHART_SECTIONS = 12;
/** A town's name as part of a letter's file name, in characters (the name itself is printed whole inside). */
export const MAX_FILE_NAME_TOWN_CHARS = 40;
/** The supervision message: lines in one of its lists (ranking, sections over target, actions, files); the rest are counted. */
export const MAX_MESSAGE_LIST_ITEMS = 50;
/** The supervision message: names listed in one line (a town's sections, its recipients); the rest are counted. */
export const MAX_MESSAGE_NAMES_PER_LINE = 10;
/** The supervision message: one name from data (a site, a town, a person), in characters. */
export const MAX_MESSAGE_NAME_CHARS = 60;
// --- what a setting may ask for -----------------------------------------------------------------
/** Months a supervision setting may span (the ladder's look-back, a trend's window and lag): bounds what one bulletin reads. */
export const MAX_SUPERVISION_MONTHS = 240;

// --- what a notification may hold ---------------------------------------------------------------
/** SNS: message attributes on one publish (AWS allows 10). */
export const SNS_MAX_MESSAGE_ATTRIBUTES = 10;
/** One message attribute value, in characters (ours: filter policies match short ids and words). */
export const MAX_ATTRIBUTE_CHARS = 256;
/** A station's name as a message shows it: in an SMS, in a subject, in an email. */
export const MAX_NAME_CHARS_SMS = 16;
export const MAX_NAME_CHARS_SUBJECT = 40;
export const MAX_NAME_CHARS_EMAIL = 120;
/** The `default` text of a message (HTTPS and other non-email, non-SMS subscribers), in characters. */
export const MAX_DEFAULT_CHARS = 1000;
/** A notification's email body, in UTF-8 bytes: well under SNS's message size with the rest around it. */
export const MAX_EMAIL_BYTES = 200 * 1024;
/** One stored outbox page (its notifications as JSON), in UTF-8 bytes: under DynamoDB's item size with the keys around it. */
export const OUTBOX_PAGE_BYTES = 300 * 1024;

// --- what a site's alert state keeps (one DynamoDB item, with room to spare) --------------------
/** Series the suspect-data rules follow per site (the newest; old files' streams are finished). */
export const ALERT_MAX_SERIES = 40;
/** Intervals of online readings per site (the newest): years of a station with a few outages a week. */
export const ALERT_MAX_ONLINE_INTERVALS = 500;
/** Intervals of reported exceedance hours per indicator (the newest). */
export const ALERT_MAX_REPORTED_INTERVALS = 100;
/** Late exceedances listed per file and site in its digest; the rest are counted. */
export const ALERT_MAX_LATE_HITS = 100;
/** Files whose late exceedances wait for their digest, per site (the oldest unfinished one gives way). */
export const ALERT_MAX_LATE_FILES = 5;
/** Flood-season days remembered as announced, per site. */
export const ALERT_MAX_FLUCTUATION_DAYS = 400;
/** Attempts at a site's state write when other writers keep winning (with backoff between them). */
export const ALERT_STATE_MAX_ATTEMPTS = 60;
/** File content (a cell, a name, a line) quoted inside a reason or warning, in characters. */
export const MAX_QUOTED_CHARS = 80;
