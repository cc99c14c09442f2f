/**
 * The single DynamoDB table, designed from its access patterns (README, "Storage"):
 *
 * | pattern                              | key                                                        |
 * |--------------------------------------|------------------------------------------------------------|
 * | a site's samples in a time range     | PK = SITE#<site>, SK between S#<from> and S#<to>            |
 * | a site's latest sample               | PK = SITE#<site>, SK begins_with S#, newest first, limit 1  |
 * | the samples of one file              | GSI1: GSI1PK = FILE#<bucket>/<key>, GSI1SK = line           |
 * | daily / monthly means per site       | PK = SITE#<site>, SK between D#<day> … (parts per file)     |
 * |                                      |   SK = D#<day>#<hash of the file id>#<segment>              |
 * | a file's day parts (to replace them) | GSI1: GSI1PK = FILE#<bucket>/<key>, GSI1SK begins D#        |
 * | the sites that reported in a month   | PK = MONTH#<YYYY-MM>, SK = SITE#<site> (written with parts) |
 * | the file ledger                      | PK = FILE#<bucket>/<key>, SK = V#<version or ETag>          |
 * | the newest version of a key          | PK = FILE#<bucket>/<key>, SK = head (sequencer, writer)     |
 * | alert state                          | PK = ALERT#<site>, SK = state (one versioned item per site) |
 * | an owner's notification outbox pages | PK = OUTBOX#<owner>, SK = <created ms>#<batch>#<page>       |
 * | every unsent outbox page (the sweep) | GSI1: GSI1PK = OUTBOX, GSI1SK = <created ms> (sparse)       |
 *
 * The one home of the key shapes: shared by the adapters, the CDK stack and the local runtime so
 * that all three build and read the same table. Every key fits DynamoDB's limits whatever the S3 key
 * (up to 1,024 bytes): a file id appears whole only in partition keys (2,048 bytes allowed), and in a
 * sort key as a fixed-length hash. A site name is part of partition keys; every item is checked
 * against the limits before it is written (item-size.ts).
 */
import { createHash } from 'node:crypto';

export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;
export const FILE_INDEX = { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' } as const;
// No TTL: samples and the ledger are the bureau's record, and alert state prunes itself in place.

const SITE = 'SITE#';
const FILE = 'FILE#';
const ALERT = 'ALERT#';
const MONTH = 'MONTH#';
const OUTBOX = 'OUTBOX#';
/** The file index's partition for unsent outbox pages: a page leaves it once sent. */
export const OUTBOX_INDEX_PK = 'OUTBOX';
/** Sort-key prefixes under a site: samples, then day parts (S# < D# does not matter: never read together). */
export const SAMPLE_SK_PREFIX = 'S#';
export const DAY_PART_SK_PREFIX = 'D#';
/** Sort-key prefix of a file's ledger entries, one per version. */
export const VERSION_SK_PREFIX = 'V#';
/** The alert state's sort key. */
export const ALERT_STATE_SK = 'state';
/** Sort key of a file's head item: the newest version of the key seen so far and who is writing it. */
export const FILE_HEAD_SK = 'head';

export const sitePk = (site: string) => `${SITE}${site}`;
export const filePk = (fileId: string) => `${FILE}${fileId}`;
export const alertPk = (site: string) => `${ALERT}${site}`;
/** An outbox owner's partition (a long owner, such as a notice keyed by a long S3 key, arrives hashed). */
export const outboxPk = (owner: string) => `${OUTBOX}${owner}`;
/** Unsent pages on the index, oldest first. */
export const outboxIndexSk = (createdAt: number) => String(createdAt).padStart(15, '0');
/** The site of a `SITE#` partition key, the file of a `FILE#` one. */
export const siteOfPk = (pk: string) => pk.slice(SITE.length);
export const fileIdOfPk = (pk: string) => pk.slice(FILE.length);
/** A month's reporting sites: one small marker item per site, so the monthly bulletin finds unregistered stations without a scan. */
export const monthPk = (month: string) => `${MONTH}${month}`;

/** Sample sort key: UTC instant (sortable) and the data period, so hourly and real-time values never collide. */
export const sampleSk = (time: number, interval: string | undefined) => `${SAMPLE_SK_PREFIX}${new Date(time).toISOString()}#${interval ?? 'sample'}`;
export const sampleSkFrom = (time: number) => `${SAMPLE_SK_PREFIX}${new Date(time).toISOString()}`;
export const sampleSkTo = (time: number) => `${SAMPLE_SK_PREFIX}${new Date(time).toISOString()}#\uffff`;

/**
 * A file id in a sort key: 32 hex digits of its SHA-256 (128 bits: no two files meet), where the
 * id itself (up to ~1,090 bytes) would not fit the sort key's 1,024.
 */
export const fileHash = (fileId: string) => createHash('sha256').update(fileId, 'utf8').digest('hex').slice(0, 32);
/** Day part: the day first (range reads), then the file (hashed) and its segment (a file may store a day in pieces). */
export const dayPartSk = (day: string, fileId: string, segment: number) => `${DAY_PART_SK_PREFIX}${day}#${fileHash(fileId)}#${segment}`;
/** Bounds of a range read of day parts, from one local day through another (inclusive). */
export const dayPartSkFrom = (day: string) => `${DAY_PART_SK_PREFIX}${day}`;
export const dayPartSkTo = (day: string) => `${DAY_PART_SK_PREFIX}${day}#\uffff`;
/** The local day of a day part's sort key. */
export const dayOfDayPartSk = (sk: string) => sk.slice(DAY_PART_SK_PREFIX.length, DAY_PART_SK_PREFIX.length + 10);
/** On the file index, a day part sorts after every line number (digits sort before 'D'), so one file's
 *  samples and its day parts are told apart by the sort key alone. */
export const dayPartFileSk = (day: string, segment: number) => `${DAY_PART_SK_PREFIX}${day}#${segment}`;
export const DAY_PART_FILE_SK_PREFIX = DAY_PART_SK_PREFIX;
export const versionSk = (version: string) => `${VERSION_SK_PREFIX}${version}`;
export const lineSk = (line: number) => String(line).padStart(10, '0');
