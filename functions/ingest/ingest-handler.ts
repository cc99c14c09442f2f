/**
 * The ingest function: SQS messages carrying S3 ObjectCreated notifications → ingestObject, with
 * partial batch responses so one bad message never holds back the others.
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { IngestDeps, IngestOutcome } from '../../shared/ingest/ingest-object.js';
import { ingestObject } from '../../shared/ingest/ingest-object.js';
import type { ObjectRef } from '../../shared/ports/index.js';
import { parseS3Message } from '../commons/s3-events.js';

export interface HandledObject {
  readonly messageId: string;
  readonly ref: ObjectRef;
  readonly outcome?: IngestOutcome;
  readonly error?: string;
}

export type IngestHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export function createIngestHandler(deps: IngestDeps, onHandled?: (h: HandledObject) => void): IngestHandler {
  return async (event) => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      try {
        const message = parseS3Message(record.body);
        if (message.kind === 'test') {
          deps.log.info('s3:TestEvent ignored', { messageId: record.messageId });
          continue;
        }
        for (const ref of message.refs) {
          try {
            const outcome = await ingestObject(ref, deps);
            onHandled?.({ messageId: record.messageId, ref, outcome });
          } catch (err) {
            onHandled?.({ messageId: record.messageId, ref, error: (err as Error).message });
            throw err;
          }
        }
      } catch (err) {
        deps.log.error('message failed; it will be retried', {
          messageId: record.messageId, receiveCount: record.attributes?.ApproximateReceiveCount, error: (err as Error).message,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
