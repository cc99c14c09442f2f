/**
 * The one durable path every notification takes: recorded in the outbox (DynamoDB) before the work
 * that caused it is acknowledged, then published until SNS accepts it, and taken out of the outbox
 * once it has — so none is lost, and none is sent twice unless a worker crashes between SNS's
 * acceptance and the record's update (at-least-once only across that crash).
 *
 * - Keyed notices (`notify`: quarantined or rejected files, dead letters, …): one record per key,
 *   so a retried piece of work records nothing again, even after the notice was sent.
 * - The alert rules' notifications (`stage` → the state write → `flushOwner`): written as tentative
 *   pages before the site's state write and confirmed by it (engine.ts), so a lost or crashed
 *   write announces nothing and a committed one can announce nothing but what it committed.
 * - A burst spills over as many pages as it needs (each under DynamoDB's item size).
 * - Sending claims a page with a conditional write (two senders never send one page), records its
 *   progress every few publishes on a long page (extending the claim), and on a failed publish
 *   gives the page back with its progress for the next try: the owner's next flush, or `sweep`,
 *   which every ingest run and the scheduled watchdog call.
 */
import { OUTBOX_PAGE_BYTES } from '../limits.js';
import type { Log, Notification, NotificationOutbox, OutboxPage, PageRef, Publisher } from '../ports/index.js';
import { bounded } from './messages/bounds.js';

/** How a tentative page's state write turned out: committed, lost to another write, or not yet known. */
export type PageVerdict = 'committed' | 'lost' | 'unknown';

export interface NotifierDeps {
  readonly outbox: NotificationOutbox;
  readonly publisher: Publisher;
  readonly log: Log;
  readonly now?: () => number;
  readonly newId?: () => string;
  /** How long a sender holds a page: longer than sending one page takes (a crashed sender's page waits this long). */
  readonly claimMs?: number;
  /** Judges a tentative page left behind (the alert engine, for `site:` owners). */
  readonly resolve?: (page: OutboxPage) => Promise<PageVerdict>;
}

export interface SweepReport {
  readonly pages: number;
  readonly published: number;
  /** A publish failed: the rest waits for the next sweep. */
  readonly failed: boolean;
}

const CLAIM_MS = 5 * 60_000;
/** Publishes between progress records (and claim extensions) on a long page. */
const HEARTBEAT_EVERY = 25;
const SWEEP_LIMIT = 500;
const encoder = new TextEncoder();

export const noticeOwner = (key: string) => `notice:${key}`;

export class Notifier {
  private readonly now: () => number;
  private readonly newId: () => string;

  constructor(private readonly deps: NotifierDeps) {
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
  }

  /**
   * Records `notifications` under `key` unless that key was recorded before (a retry of the same
   * work), then publishes what is pending for it. Resolves once they are recorded; a publish that
   * fails is logged and left to the next flush or sweep. Throws only when recording fails.
   */
  async notify(key: string, notifications: readonly Notification[]): Promise<void> {
    if (notifications.length === 0) return;
    const owner = noticeOwner(key);
    const chunks = pack(notifications);
    const createdAt = this.now();
    // The first page last: once it exists, every page of the key does.
    for (let i = chunks.length - 1; i >= 0; i--) {
      await this.deps.outbox.add({ owner, id: `n#${pad(i, 4)}`, createdAt, status: 'ready', notifications: chunks[i] as Notification[], mark: true });
    }
    await this.flushOwner(owner);
  }

  /** Writes tentative pages for a state write against version `base` (confirmed once it commits). */
  async stage(owner: string, notifications: readonly Notification[], base: number): Promise<PageRef[]> {
    const createdAt = this.now();
    const batch = this.newId();
    const refs: PageRef[] = [];
    for (const [i, chunk] of pack(notifications).entries()) {
      const id = `${pad(createdAt, 15)}#${batch}#${pad(i, 4)}`;
      await this.deps.outbox.add({ owner, id, createdAt, status: 'tentative', notifications: chunk, base });
      refs.push({ owner, id });
    }
    return refs;
  }

  /** Pages of a loaded state: committed, so ready to send (idempotent). */
  async confirm(refs: readonly PageRef[]): Promise<void> {
    for (const ref of refs) await this.deps.outbox.confirm(ref);
  }

  /** Pages of a state write that lost to another: never to be sent. */
  async discard(refs: readonly PageRef[]): Promise<void> {
    for (const ref of refs) await this.deps.outbox.discard(ref);
  }

  /**
   * Publishes an owner's pending pages in order — `ours` are tentative pages our own committed
   * state write confirms. Stops at a failed publish (later pages must not overtake it). Whether
   * everything due went out.
   */
  async flushOwner(owner: string, ours: readonly PageRef[] = []): Promise<boolean> {
    const mine = new Set(ours.map((r) => r.id));
    for (const page of await this.deps.outbox.pagesOf(owner)) {
      if (page.status === 'tentative' && !mine.has(page.id)) continue; // another writer's, not (yet) committed
      if ((await this.send(page, mine.has(page.id))) === 'failed') return false;
    }
    return true;
  }

  /**
   * Publishes whatever earlier runs left: pages whose publish failed, pages of crashed senders once
   * their claim runs out, and tentative pages a crashed writer left (confirmed when its state write
   * committed, discarded when it did not). Stops at the first failed publish.
   */
  async sweep(): Promise<SweepReport> {
    let published = 0;
    let pages = 0;
    const now = this.now();
    const blocked = new Set<string>();
    for (const page of await this.deps.outbox.pending(SWEEP_LIMIT)) {
      if (blocked.has(page.owner)) continue;
      if (page.status === 'tentative' && !(await this.settle(page))) { blocked.add(page.owner); continue; }
      if (page.claimUntil !== undefined && page.claimUntil >= now) { blocked.add(page.owner); continue; }
      pages++;
      const outcome = await this.send(page, false);
      if (outcome === 'failed') return { pages, published, failed: true };
      if (typeof outcome === 'number') published += outcome;
    }
    return { pages, published, failed: false };
  }

  /** A tentative page left behind: true when it is now ready to send. */
  private async settle(page: OutboxPage): Promise<boolean> {
    const verdict = this.deps.resolve ? await this.deps.resolve(page) : 'unknown';
    if (verdict === 'committed') {
      await this.deps.outbox.confirm(page); // false only when someone confirmed it first: ready either way
      return true;
    }
    if (verdict === 'lost') await this.deps.outbox.discard(page);
    return false;
  }

  /**
   * Claims a page and publishes what is left of it. The number published; 'busy' when another
   * sender holds it (or it is gone); 'failed' when a publish failed (the page is given back with
   * its progress, so nothing it sent is sent again).
   */
  private async send(ref: PageRef, confirm: boolean): Promise<number | 'busy' | 'failed'> {
    const claimer = this.newId();
    const now = this.now();
    const page = await this.deps.outbox.claim(ref, claimer, now, now + (this.deps.claimMs ?? CLAIM_MS), confirm);
    if (!page) return 'busy';
    const { notifications } = page;
    for (let i = page.sent; i < notifications.length; i++) {
      try {
        await this.deps.publisher.publish(notifications[i] as Notification);
      } catch (err) {
        this.deps.log.error('publishing failed; the notification stays in the outbox and is retried', {
          owner: ref.owner, page: ref.id, index: i, error: (err as Error).message,
        });
        await this.deps.outbox.release(ref, claimer, i);
        return 'failed';
      }
      // A long page: record how far it got and hold the claim longer; stop if another sender took it over.
      const sent = i + 1;
      if (sent < notifications.length && (sent - page.sent) % HEARTBEAT_EVERY === 0) {
        const nowAgain = this.now();
        if (!(await this.deps.outbox.progress(ref, claimer, sent, nowAgain + (this.deps.claimMs ?? CLAIM_MS)))) return sent - page.sent;
      }
    }
    await this.deps.outbox.finish(ref, claimer);
    return notifications.length - page.sent;
  }
}

/**
 * Notifications bounded (what is recorded is exactly what is published: bounds.ts) and packed in
 * order into pages of at most OUTBOX_PAGE_BYTES of JSON each.
 */
export function pack(notifications: readonly Notification[]): Notification[][] {
  const pages: Notification[][] = [];
  let current: Notification[] = [];
  let bytes = 2;
  for (const n of notifications.map(bounded)) {
    const size = encoder.encode(JSON.stringify(n)).length + 1;
    if (current.length > 0 && bytes + size > OUTBOX_PAGE_BYTES) {
      pages.push(current);
      current = [];
      bytes = 2;
    }
    current.push(n);
    bytes += size;
  }
  if (current.length > 0) pages.push(current);
  return pages;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
