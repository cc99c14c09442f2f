/** Alert state in DynamoDB: one item per site (key shape in table-design.ts), versioned for conditional writes. */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertStateStore } from '../../ports/index.js';
import { ALERT_STATE_SK as SK, alertPk } from './table-design.js';

export class DynamoAlertStateStore implements AlertStateStore {
  constructor(private readonly doc: DynamoDBDocumentClient, private readonly table: string) {}

  async load(site: string): Promise<{ data: string; version: number } | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.table, Key: { PK: alertPk(site), SK }, ConsistentRead: true }));
    return res.Item ? { data: String(res.Item.d), version: Number(res.Item.v) } : undefined;
  }

  async save(site: string, data: string, expectedVersion: number | undefined): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({
        TableName: this.table,
        Item: { PK: alertPk(site), SK, d: data, v: (expectedVersion ?? 0) + 1 },
        ...(expectedVersion === undefined
          ? { ConditionExpression: 'attribute_not_exists(PK)' }
          : { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
      }));
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
