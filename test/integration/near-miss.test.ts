/**
 * A station named in a file that is not registered but close to a registered one (赵牛河自动站 for
 * 赵牛河断面): stored as written and unregistered, and both the ledger and operations say which
 * registered site it probably is and how to make it count (issue 12, near-miss names).
 */
import { describe, expect, it } from 'vitest';
import { LOCAL_BUCKET } from '../../local/runtime/emulators.js';
import type { Notification } from '../../shared/ports/index.js';
import { collect, usePipeline } from '../helpers/pipeline.js';

const published: Notification[] = [];
const p = usePipeline({ onEvent: (e) => { if (e.type === 'notification') published.push(e.notification); } });

describe('near-miss site names on the pipeline', () => {
  it('stores the samples under the name as written, and the ledger and one operations notice suggest the registered site', async () => {
    const pipe = p.get();
    const key = 'incoming/站点导出-0716.csv';
    await pipe.upload(key, '站点名称,监测时间,氨氮(mg/L)\n赵牛河自动站,2023-07-16 08:00,0.5\n赵牛河自动站,2023-07-16 09:00,0.6\n');
    await pipe.idle();
    const entry = await pipe.ledger.get(`${LOCAL_BUCKET}/${key}`);
    expect(entry).toMatchObject({ status: 'done', accepted: 2, sites: ['赵牛河自动站'], nearMisses: [{ name: '赵牛河自动站', site: 'zhaoniuhe' }] });
    expect(entry!.warnings!.some((w) => w.includes('赵牛河自动站') && w.includes('zhaoniuhe'))).toBe(true);
    const stored = await collect(pipe.store.querySite('赵牛河自动站'));
    expect(stored.map((s) => s.sample.registered)).toEqual([false, false]);
    expect(await collect(pipe.store.querySite('zhaoniuhe'))).toEqual([]);

    const notices = published.filter((n) => n.attributes.problem === 'near-miss');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ topic: 'operations', attributes: expect.objectContaining({ kind: 'ingest-failure', severity: 'info' }) });
    expect(notices[0]!.sms).toMatch(/赵牛河自动站.*未登记.*赵牛河断面/);
    expect(notices[0]!.email).toContain('config/sites.json');
  });

  it('a registered name raises no such notice', async () => {
    const pipe = p.get();
    const before = published.length;
    await pipe.upload('incoming/赵牛河-0717.csv', '站点名称,监测时间,氨氮(mg/L)\n赵牛河断面,2023-07-17 08:00,0.5\n');
    await pipe.idle();
    expect(published.slice(before).filter((n) => n.attributes.problem === 'near-miss')).toEqual([]);
  });
});
