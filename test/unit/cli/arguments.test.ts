/** Every bad argument is one line saying what was expected, exit 2, no stack trace; and the good ones. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monthsArg, rangeEndArg, rangeStartArg } from '../../../local/cli/arguments.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('bishui-args-');

/** One line on stderr, nothing on stdout, exit 2. */
async function usageError(...args: string[]): Promise<string> {
  const r = await runCli(...args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\s at |Error:|undefined/);
  return r.stderr;
}

describe('a bad argument is one line saying what was expected, exit 2', () => {
  it('samples --year abc asks for a four-digit year', async () => {
    expect(await usageError('samples', '--year', 'abc', '--out', join(tmp.dir, 'y'))).toMatch(/--year <year>' argument 'abc' is invalid\. Expected a four-digit year from 1970, e\.g\. 2023\./);
    expect(existsSync(join(tmp.dir, 'y'))).toBe(false);
  });

  it('samples --months 13 asks for months 1–12 and writes nothing', async () => {
    expect(await usageError('samples', '--months', '6,13', '--out', join(tmp.dir, 'm'))).toMatch(/Expected months from 1 to 12, e\.g\. 7 or 6,7,8 \(got '13'\)/);
    expect(existsSync(join(tmp.dir, 'm'))).toBe(false);
  });

  it.each([['--s3-port', 'abc'], ['--dynamo-port', '70000'], ['--s3-port', '-1'], ['--s3-port', '1.5']])('start %s %s asks for a port number', async (flag, value) => {
    expect(await usageError('start', flag, value, '--data-dir', join(tmp.dir, 'never'))).toMatch(/Expected a port number from 0 to 65535/);
    expect(existsSync(join(tmp.dir, 'never'))).toBe(false);
  });

  it('query --from x asks for a date or time', async () => {
    expect(await usageError('query', '--site', 'sixinhe', '--from', 'x')).toMatch(/--from <time>' argument 'x' is invalid\. Expected a date or time, e\.g\. 2023-07-15/);
  });

  it('query --from after --to is refused before any data is read', async () => {
    expect(await usageError('query', '--site', 'sixinhe', '--from', '2023-07-15', '--to', '2023-07-14', '--data-dir', join(tmp.dir, 'none')))
      .toBe('bishui: --from (2023-07-15T00:00:00+08:00) is after --to (2023-07-14T23:59:59.999+08:00): expected --from at or before --to');
  });

  it('evaluate --zone asks for an IANA time zone', async () => {
    expect(await usageError('evaluate', 'x.csv', '--zone', 'Mars/Olympus')).toMatch(/Expected an IANA time zone such as Asia\/Shanghai/);
  });

  it('--sites with no such file names the option and what it expects', async () => {
    expect(await usageError('evaluate', 'x.csv', '--sites', join(tmp.dir, 'nosites.json'))).toMatch(/^bishui: --sites: cannot read site registry .*nosites\.json.*expected a site registry JSON file/);
  });

  it('start --samples with no such folder says so', async () => {
    expect(await usageError('start', '--samples', join(tmp.dir, 'nofolder'), '--data-dir', join(tmp.dir, 'd'), '--s3-port', '0', '--dynamo-port', '0'))
      .toMatch(/--samples .*nofolder: no such folder/);
  });

  it.each([
    [['evaluate', 'x.csv', '--nope'], /unknown option '--nope'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['evaluate'], /missing required argument 'files'/],
    [['query'], /required option '--site <id>' not specified/],
    [['ingest', 'a.csv', '--data-dir'], /option '--data-dir <dir>' argument missing/],
  ])('%j → commander\'s own one line', async (args, message) => {
    expect(await usageError(...args)).toMatch(message);
  });
});

describe('what a bad argument echoes back', () => {
  it('shows control characters in the value escaped', async () => {
    const line = await usageError('samples', '--year', '\u001b[2J20x');
    expect(line).toContain("argument '\\u001b[2J20x' is invalid");
    expect(line).not.toContain('\u001b');
  });
});

describe('--version', () => {
  it('prints the package version', async () => {
    const r = await runCli('--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')).version);
  });
});

describe('time range bounds', () => {
  it('a date-only --to covers the whole day (to its last millisecond, in Asia/Shanghai)', () => {
    expect(rangeEndArg('2023-08-01')).toBe(Date.parse('2023-08-01T23:59:59.999+08:00'));
    expect(rangeEndArg('2023/8/1')).toBe(Date.parse('2023-08-01T23:59:59.999+08:00'));
    expect(rangeEndArg('2023年8月1日')).toBe(Date.parse('2023-08-01T23:59:59.999+08:00'));
    expect(rangeEndArg('2023-12-31')).toBe(Date.parse('2023-12-31T23:59:59.999+08:00'));
  });
  it('a --to with a time is that instant; a date-only --from is the start of its day', () => {
    expect(rangeEndArg('2023-08-01 08:00')).toBe(Date.parse('2023-08-01T08:00:00+08:00'));
    expect(rangeEndArg('2023-08-01T00:00:00Z')).toBe(Date.parse('2023-08-01T00:00:00Z'));
    expect(rangeStartArg('2023-08-01')).toBe(Date.parse('2023-08-01T00:00:00+08:00'));
  });
  it('months are listed once each, in order', () => {
    expect(monthsArg('8, 6,7,6')).toEqual([6, 7, 8]);
  });
});
