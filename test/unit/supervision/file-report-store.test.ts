/** The documents on disk: keys map to files under the root and nowhere else; list, replace, delete. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileReportStore } from '../../../shared/adapters/file-report-store.js';
import { tempDir } from '../../helpers/tmp.js';

describe('FileReportStore', () => {
  const tmp = tempDir('bishui-reports-');
  const store = new FileReportStore(join(tmp.dir, 'data'));

  it('puts, lists (recursively, in key order, only under the prefix) and overwrites whole files', async () => {
    await store.put('reports/2023-07/bulletin.html', '<p>一</p>', 'text/html');
    await store.put('reports/2023-07/letters/01-提醒函-甲镇.docx', new Uint8Array([80, 75, 3, 4]), 'application/octet-stream');
    await store.put('reports/2023-06/bulletin.html', 'June', 'text/html');
    await store.put('reports/2023-07/bulletin.html', '<p>二</p>', 'text/html');
    expect(await store.list('reports/2023-07/')).toEqual(['reports/2023-07/bulletin.html', 'reports/2023-07/letters/01-提醒函-甲镇.docx']);
    expect(await store.list('reports/2023-08/')).toEqual([]);
    expect(readFileSync(join(tmp.dir, 'data/reports/2023-07/bulletin.html'), 'utf8')).toBe('<p>二</p>');
    expect(store.locate('reports/2023-07/bulletin.html')).toBe(join(tmp.dir, 'data', 'reports', '2023-07', 'bulletin.html'));
  });

  it('deletes a file and the folder it leaves empty; deleting what is gone is no error', async () => {
    await store.delete('reports/2023-07/letters/01-提醒函-甲镇.docx');
    expect(existsSync(join(tmp.dir, 'data/reports/2023-07/letters'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'data/reports/2023-07/bulletin.html'))).toBe(true);
    await expect(store.delete('reports/2023-07/letters/01-提醒函-甲镇.docx')).resolves.toBeUndefined();
  });

  it('refuses a key that would reach outside its root', async () => {
    for (const key of ['../escape.html', 'reports/../../escape.html', '/etc/passwd', 'reports\\..\\x', 'reports/a\0b', 'reports//x', '', 'reports/./x']) {
      await expect(store.put(key, 'x', 'text/plain'), key).rejects.toThrow(/is not a plain relative key/);
      expect(() => store.locate(key)).toThrow(/is not a plain relative key/);
    }
    expect(existsSync(join(tmp.dir, 'escape.html'))).toBe(false);
  });
});
