/**
 * The dead-letter function: the ingest queue's dead-letter queue is its event source. Every file a
 * dead letter names ends failed in the ledger with its last error, and operations is told
 * (shared/ingest/dead-letter.ts); partial batch failures keep a message whose ledger or notice
 * failed in the queue, to be tried again.
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { type DeadLetterDeps, recordDeadLetter, recordUnreadableDeadLetter } from '../../shared/ingest/dead-letter.js';
import { type S3Message, parseS3Message } from '../commons/s3-events.js';

export type DeadLetterHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export function createDeadLetterHandler(deps: DeadLetterDeps): DeadLetterHandler {
  return async (event) => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    for (const record of event.Records) {
      try {
        let message: S3Message;
        try {
          message = parseS3Message(record.body);
        } catch (err) {
          await recordUnreadableDeadLetter(record.body, (err as Error).message, deps);
          continue;
        }
        if (message.kind === 'test') continue;
        for (const ref of message.refs) await recordDeadLetter(ref, deps);
      } catch (err) {
        deps.log.error('dead letter not recorded; it will be retried', { messageId: record.messageId, error: (err as Error).message });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}
