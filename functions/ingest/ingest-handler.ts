/**
 * The ingest function: SQS messages carrying S3 ObjectCreated notifications (or the continuations
 * it sends itself) → ingestObject, with partial batch responses so one bad message never holds back
 * the others. The Lambda context's remaining time is the invocation's clock: a file it cannot
 * finish goes on in a fresh invocation (shared/ingest/ingest-object.ts), and a message the batch
 * has no time left for is put back on the queue for one — so a long file never holds back the
 * messages that came with it until their visibility timeout. A message for a file another
 * invocation is reading on is put back until that one's lease runs out.
 */
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { IngestDeps, IngestOutcome, Invocation } from '../../shared/ingest/ingest-object.js';
import { DEFAULT_HANDOFF_RESERVE_MS, ingestObject } from '../../shared/ingest/ingest-object.js';
import { SQS_MAX_DELAY_SECONDS } from '../../shared/limits.js';
import type { ObjectRef } from '../../shared/ports/index.js';
import { parseS3Message } from '../commons/s3-events.js';

export interface HandledObject {
  readonly messageId: string;
  readonly ref: ObjectRef;
  readonly outcome?: IngestOutcome;
  readonly error?: string;
}

/** What the handler uses of the Lambda context: the invocation's remaining time. */
export type InvocationContext = Pick<Context, 'getRemainingTimeInMillis'>;

export type IngestHandler = (event: SQSEvent, context?: InvocationContext) => Promise<SQSBatchResponse>;

export function createIngestHandler(deps: IngestDeps, onHandled?: (h: HandledObject) => void): IngestHandler {
  const reserve = deps.handoffReserveMs ?? DEFAULT_HANDOFF_RESERVE_MS;
  return async (event, context) => {
    const batchItemFailures: SQSBatchItemFailure[] = [];
    const remainingMs = context ? () => context.getRemainingTimeInMillis() : () => Number.POSITIVE_INFINITY;
    let begun = false;
    for (const record of event.Records) {
      // The first message is always begun (each invocation moves on); a later one is put back when the time is nearly up.
      if (begun && deps.queue && remainingMs() <= reserve) {
        try {
          await deps.queue.send(record.body);
          deps.log.info('no time left in this invocation: message put back on the queue for a fresh one', { messageId: record.messageId });
        } catch (err) {
          deps.log.warn('could not put a message back on the queue; it will be retried', { messageId: record.messageId, error: (err as Error).message });
          batchItemFailures.push({ itemIdentifier: record.messageId });
        }
        continue;
      }
      begun = true;
      try {
        const message = parseS3Message(record.body);
        if (message.kind === 'test') {
          deps.log.info('s3:TestEvent ignored', { messageId: record.messageId });
          continue;
        }
        const invocation: Invocation = { remainingMs, ...(message.handoff !== undefined ? { handoff: message.handoff } : {}) };
        let busyUntil: number | undefined;
        for (const ref of message.refs) {
          try {
            const outcome = await ingestObject(ref, deps, invocation);
            onHandled?.({ messageId: record.messageId, ref, outcome });
            if (outcome.status === 'busy') busyUntil = Math.max(busyUntil ?? 0, outcome.leaseUntil);
          } catch (err) {
            onHandled?.({ messageId: record.messageId, ref, error: (err as Error).message });
            throw err;
          }
        }
        if (busyUntil !== undefined && deps.queue) {
          const delaySeconds = Math.min(SQS_MAX_DELAY_SECONDS, Math.max(1, Math.ceil((busyUntil - deps.now()) / 1000) + 1));
          await deps.queue.send(record.body, delaySeconds);
          deps.log.info('file held by another invocation: message put back until its lease runs out', { messageId: record.messageId, delaySeconds });
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
