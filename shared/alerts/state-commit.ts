/**
 * A site's alert state and the notifications its change causes, committed together without a
 * transaction (DynamoDB Local stand-ins have none): the notifications are written first as
 * tentative outbox pages that name the state version they were derived from; the state is then
 * saved under a version check, listing those pages; only then are they confirmed and sent.
 *
 * - A save that loses to another writer discards its pages and derives again from the new state,
 *   after a jittered, growing pause (twenty writers on one site all get through, none twice).
 * - Every writer confirms the pages listed in the state it loaded before saving over it, so a
 *   writer that crashed after its save still has its pages sent.
 * - A tentative page found later is judged by the state (resolvePage): listed in the version after
 *   its base → committed; the state moved on without it → lost; the state still at its base → its
 *   writer may yet save, so it is left alone.
 */
import { ALERT_STATE_MAX_ATTEMPTS } from '../limits.js';
import type { AlertStateStore, Notification, OutboxPage } from '../ports/index.js';
import type { Notifier, PageVerdict } from './notifier.js';
import type { SiteAlertState } from './site-state.js';

/** The stored document: the rules' state and the outbox pages written with this version. */
export type StoredState = SiteAlertState & {
  pages?: string[];
  /** Before the outbox: notifications queued in the state itself (sent on the next write). */
  outbox?: { readonly n: Notification }[];
};

export const siteOwner = (site: string) => `site:${site}`;
const SITE_OWNER = 'site:';

const BASE_DELAY_MS = 10;
const MAX_DELAY_MS = 800;

export interface Derived {
  readonly state: SiteAlertState;
  readonly notifications: readonly Notification[];
}

export class StateCommit {
  constructor(private readonly states: AlertStateStore, private readonly notifier: Notifier, private readonly sleep = defaultSleep) {}

  /**
   * Applies `derive` to the site's state under optimistic locking and sends what it announced.
   * Nothing is written when nothing changed. Throws after ALERT_STATE_MAX_ATTEMPTS lost writes.
   */
  async update(site: string, derive: (prior: SiteAlertState) => Derived): Promise<void> {
    const owner = siteOwner(site);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.states.load(site);
      const { pages = [], outbox: legacy = [], ...prior }: Partial<StoredState> = loaded ? (JSON.parse(loaded.data) as StoredState) : {};
      await this.notifier.confirm(pages.map((id) => ({ owner, id })));
      const { state, notifications } = derive(withDefaults(prior));
      const all = [...legacy.map((q) => q.n), ...notifications];
      if (all.length === 0 && JSON.stringify(state) === JSON.stringify(withDefaults(prior))) return;
      const staged = all.length > 0 ? await this.notifier.stage(owner, all, loaded?.version ?? 0) : [];
      const next: StoredState = staged.length > 0 ? { ...state, pages: staged.map((r) => r.id) } : state;
      if (await this.states.save(site, JSON.stringify(next), loaded?.version)) {
        // Ours, and what the previous writer committed (sent already, unless it crashed first).
        if (staged.length > 0 || pages.length > 0) await this.notifier.flushOwner(owner, staged);
        return;
      }
      await this.notifier.discard(staged);
      if (attempt >= ALERT_STATE_MAX_ATTEMPTS) throw new Error(`alert state of ${site} kept changing under us (${attempt} attempts)`);
      await this.sleep(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
    }
  }

  /** How a tentative page of a site turned out (see the module comment). */
  async resolvePage(page: Pick<OutboxPage, 'owner' | 'id' | 'base'>): Promise<PageVerdict> {
    if (!page.owner.startsWith(SITE_OWNER)) return 'unknown';
    const loaded = await this.states.load(page.owner.slice(SITE_OWNER.length));
    const version = loaded?.version ?? 0;
    const base = page.base ?? 0;
    if (!loaded || version <= base) return 'unknown';
    if (version > base + 1) return 'lost';
    const pages = (JSON.parse(loaded.data) as StoredState).pages ?? [];
    return pages.includes(page.id) ? 'committed' : 'lost';
  }
}

/** A stored document missing fields an older version did not write. */
function withDefaults(s: Partial<SiteAlertState>): SiteAlertState {
  return { series: {}, episodes: {}, trackers: {}, fluctuationDays: [], ...s };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
