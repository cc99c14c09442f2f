/**
 * The single DynamoDB table, designed from its access patterns (README, "Storage"):
 *
 * | pattern                              | key                                                      |
 * |--------------------------------------|----------------------------------------------------------|
 * | a site's samples in a time range     | PK = SITE#<site>, SK between S#<from> and S#<to>          |
 * | a site's latest sample               | PK = SITE#<site>, SK begins_with S#, newest first, limit 1 |
 * | the samples of one file              | GSI1: GSI1PK = FILE#<bucket>/<key>, GSI1SK = line         |
 * | daily / monthly means per site       | PK = SITE#<site>, SK between D#<day> … (parts per file)   |
 * | a file's day parts (to replace them) | GSI1: GSI1PK = FILE#<bucket>/<key>, GSI1SK begins D#      |
 * | the sites that reported in a month   | PK = MONTH#<YYYY-MM>, SK = SITE#<site> (written with parts) |
 * | the file ledger                      | PK = FILE#<bucket>/<key>, SK = V#<version or ETag>        |
 * | alert state                          | PK = ALERT#<site>, SK = <kind>#<param>                    |
 *
 * Shared by the adapters, the CDK stack and the local runtime so that all three build the same table.
 */
export const TABLE_KEYS = { partitionKey: 'PK', sortKey: 'SK' } as const;
export const FILE_INDEX = { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' } as const;
// No TTL: samples and the ledger are the bureau's record, and alert state prunes itself in place.

export const sitePk = (site: string) => `SITE#${site}`;
export const filePk = (fileId: string) => `FILE#${fileId}`;
export const alertPk = (site: string) => `ALERT#${site}`;
/** A month's reporting sites: one small marker item per site, so the monthly bulletin finds unregistered stations without a scan. */
export const monthPk = (month: string) => `MONTH#${month}`;

/** Sample sort key: UTC instant (sortable) and the data period, so hourly and real-time values never collide. */
export const sampleSk = (time: number, interval: string | undefined) => `S#${new Date(time).toISOString()}#${interval ?? 'sample'}`;
export const sampleSkFrom = (time: number) => `S#${new Date(time).toISOString()}`;
export const sampleSkTo = (time: number) => `S#${new Date(time).toISOString()}#\uffff`;

/** Day part: the day first (range reads), then the file and its segment (a file may store a day in pieces). */
export const dayPartSk = (day: string, fileId: string, segment: number) => `D#${day}#${fileId}#${segment}`;
/** On the file index, a day part sorts after every line number (digits sort before 'D'), so one file's
 *  samples and its day parts are told apart by the sort key alone. */
export const dayPartFileSk = (day: string, segment: number) => `D#${day}#${segment}`;
export const DAY_PART_FILE_SK_PREFIX = 'D#';
export const versionSk = (version: string) => `V#${version}`;
export const lineSk = (line: number) => String(line).padStart(10, '0');
