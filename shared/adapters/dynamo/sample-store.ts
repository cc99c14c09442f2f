/** DynamoDB behind the SampleStore port: samples, day parts and the means read from them (table-design.ts). */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type DayPart, type SiteDay, bySiteAndDay } from '../../domain/day-means.js';
import { type MonthMeans, type PeriodMeans, dailyMeans, monthlyMeans } from '../../domain/period-means.js';
import type { SampleStore, StoredSample } from '../../ports/index.js';
import { type BatchWriteOptions, batchDeleteAll, batchPutAll } from './batch-writer.js';
import { pages } from './document-client.js';
import { DYNAMO_MAX_PARTITION_KEY_BYTES } from '../../limits.js';
import { refusalOf, utf8Bytes } from './item-size.js';
import { dayPartItem, fromDayPartItem, fromItem, toItem } from './sample-items.js';
import {
  DAY_PART_FILE_SK_PREFIX, FILE_INDEX, dayOfDayPartSk, SAMPLE_SK_PREFIX, dayPartSkFrom, dayPartSkTo, filePk, monthPk, sampleSkFrom, sampleSkTo, siteOfPk, sitePk,
} from './table-design.js';

/** The end of year 9999: ISO strings past it gain a sign and no longer sort. */
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export class DynamoSampleStore implements SampleStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string, private readonly writeOptions: BatchWriteOptions = {}) {}

  refusalOf(sample: StoredSample): string | undefined {
    const { site } = sample.sample;
    if (utf8Bytes(sitePk(site)) > DYNAMO_MAX_PARTITION_KEY_BYTES) {
      const shown = site.length > 40 ? `${site.slice(0, 39)}…` : site;
      return `site name '${shown}' is ${utf8Bytes(site).toLocaleString('en-US')} bytes: too long to be stored `
        + `(a DynamoDB partition key holds at most ${DYNAMO_MAX_PARTITION_KEY_BYTES.toLocaleString('en-US')} bytes)`;
    }
    const why = refusalOf(toItem(sample));
    return why === undefined ? undefined : `row cannot be stored: ${why}`;
  }

  async putSamples(samples: readonly StoredSample[]): Promise<void> {
    if (samples.length > 0) await batchPutAll(this.doc, this.table, samples.map(toItem) as never[], this.writeOptions);
  }

  /** Stores day parts and marks each of their sites as reporting in the parts' months. */
  async putDayParts(parts: readonly DayPart[]): Promise<void> {
    if (parts.length === 0) return;
    const markers = new Map<string, { PK: string; SK: string }>();
    for (const p of parts) {
      const PK = monthPk(p.day.slice(0, 7));
      const SK = sitePk(p.site);
      markers.set(`${PK}|${SK}`, { PK, SK });
    }
    await batchPutAll(this.doc, this.table, [...parts.map(dayPartItem), ...markers.values()] as never[], this.writeOptions);
  }

  async clearDayParts(fileId: string, fromSegment?: number): Promise<void> {
    let keys: { PK: string; SK: string }[] = [];
    for await (const item of pages(this.doc, {
      TableName: this.table, IndexName: FILE_INDEX.name, ProjectionExpression: 'PK, SK',
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :d)',
      ExpressionAttributeNames: { '#pk': FILE_INDEX.partitionKey, '#sk': FILE_INDEX.sortKey, ...(fromSegment !== undefined ? { '#q': 'q' } : {}) },
      ExpressionAttributeValues: { ':pk': filePk(fileId), ':d': DAY_PART_FILE_SK_PREFIX, ...(fromSegment !== undefined ? { ':q': fromSegment } : {}) },
      ...(fromSegment !== undefined ? { FilterExpression: '#q >= :q' } : {}),
    })) {
      keys.push(item as { PK: string; SK: string });
      if (keys.length >= 1000) { await batchDeleteAll(this.doc, this.table, keys, this.writeOptions); keys = []; }
    }
    if (keys.length > 0) await batchDeleteAll(this.doc, this.table, keys, this.writeOptions);
  }

  async fileDays(fileId: string): Promise<SiteDay[]> {
    const days = new Map<string, SiteDay>();
    for await (const item of pages(this.doc, {
      TableName: this.table, IndexName: FILE_INDEX.name, ProjectionExpression: 'PK, SK',
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :d)',
      ExpressionAttributeNames: { '#pk': FILE_INDEX.partitionKey, '#sk': FILE_INDEX.sortKey },
      ExpressionAttributeValues: { ':pk': filePk(fileId), ':d': DAY_PART_FILE_SK_PREFIX },
    })) {
      const site = siteOfPk(String(item.PK));
      const day = dayOfDayPartSk(String(item.SK));
      days.set(`${site}\u0000${day}`, { site, day });
    }
    return [...days.values()].sort(bySiteAndDay);
  }

  async *querySite(site: string, from = 0, to = LAST_INSTANT): AsyncIterable<StoredSample> {
    for await (const item of pages(this.doc, {
      TableName: this.table,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': sitePk(site), ':from': sampleSkFrom(from), ':to': sampleSkTo(to) },
    })) yield fromItem(item);
  }

  async latest(site: string): Promise<StoredSample | undefined> {
    const res = await this.doc.send(new QueryCommand({
      TableName: this.table, KeyConditionExpression: 'PK = :pk AND begins_with(SK, :s)',
      ExpressionAttributeValues: { ':pk': sitePk(site), ':s': SAMPLE_SK_PREFIX }, ScanIndexForward: false, Limit: 1,
    }));
    const item = res.Items?.[0];
    return item ? fromItem(item) : undefined;
  }

  async *fileSamples(fileId: string): AsyncIterable<StoredSample> {
    for await (const item of pages(this.doc, {
      TableName: this.table, IndexName: FILE_INDEX.name,
      // Line numbers only: the file's day parts share the index under D# keys, which sort after digits.
      KeyConditionExpression: '#pk = :pk AND #sk < :d',
      ExpressionAttributeNames: { '#pk': FILE_INDEX.partitionKey, '#sk': FILE_INDEX.sortKey },
      ExpressionAttributeValues: { ':pk': filePk(fileId), ':d': DAY_PART_FILE_SK_PREFIX },
    })) yield fromItem(item);
  }

  private async dayParts(site: string, fromDay: string, toDayInclusive: string): Promise<DayPart[]> {
    const parts: DayPart[] = [];
    for await (const item of pages(this.doc, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': sitePk(site), ':from': dayPartSkFrom(fromDay), ':to': dayPartSkTo(toDayInclusive) },
    })) parts.push(fromDayPartItem(item));
    return parts;
  }

  async dailyMeans(site: string, fromDay: string, toDay: string): Promise<PeriodMeans[]> {
    return dailyMeans(await this.dayParts(site, fromDay, toDay));
  }

  async monthlyMeans(site: string, fromMonth: string, toMonth: string): Promise<MonthMeans[]> {
    return monthlyMeans(dailyMeans(await this.dayParts(site, `${fromMonth}-01`, `${toMonth}-31`)));
  }

  /**
   * The month's markers. A marker outlives parts a re-uploaded file no longer has, so a site listed
   * here may have no data left in the month: callers read its parts before reporting it.
   */
  async sitesReporting(month: string): Promise<string[]> {
    const sites: string[] = [];
    for await (const item of pages(this.doc, {
      TableName: this.table, KeyConditionExpression: 'PK = :pk', ProjectionExpression: 'SK',
      ExpressionAttributeValues: { ':pk': monthPk(month) },
    })) sites.push(siteOfPk(String(item.SK)));
    return sites;
  }
}
