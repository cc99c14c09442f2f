/** HJ 212-2017 packet logs — docs/domain.md#hj-212-2017. Packets are built here with the standard's framing. */
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../../shared/config/registry.js';
import { checkFrame, crc16, frame, hex4 } from '../../../shared/parsers/hj212.js';
import { parseBytes, shanghai } from '../../helpers/parse.js';

const MN = defaultRegistry().get('zhaoniuhe')!.mn[0]!;

describe('HJ 212 frame', () => {
  it("matches the standard's own CRC example (1C80)", () => {
    const packet = '##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80';
    const data = packet.slice(6, -4);
    expect(data).toHaveLength(101);
    expect(hex4(crc16(data))).toBe('1C80');
    expect(checkFrame(packet, 0)).toMatchObject({ ok: true, data });
  });

  it('accepts a lower-case CRC and rejects a wrong one with both values', () => {
    const f = frame('QN=20230715080000000;ST=21;CN=2061;PW=123456;MN=X;Flag=4;CP=&&DataTime=20230715080000;w21003-Avg=0.5,w21003-Flag=N&&').trimEnd();
    expect(checkFrame(f.slice(0, -4) + f.slice(-4).toLowerCase(), 0).ok).toBe(true);
    const bad = f.slice(0, -4) + (f.slice(-4) === '0000' ? '0001' : '0000');
    const r = checkFrame(bad, 0);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^CRC mismatch: packet says [0-9A-F]{4}, data segment gives [0-9A-F]{4}$/);
  });
});

const seg = (cn: string, cp: string, mn = MN) => `QN=20230715080000123;ST=21;CN=${cn};PW=123456;MN=${mn};Flag=4;CP=&&${cp}&&`;

describe('HJ 212 log', () => {
  it('reads hourly, real-time, minute and daily data with per-value flags and µg/L conversion', async () => {
    const log = [
      frame(seg('2061', 'DataTime=20230715080000;w01001-Avg=7.6,w01001-Flag=N;w21003-Min=0.40,w21003-Avg=0.52,w21003-Max=0.61,w21003-Flag=N;w21011-Avg=0.31,w21011-Flag=D;w20142-Avg=0.05,w20142-Flag=N')),
      frame(seg('2011', 'DataTime=20230715081500;w21003-Rtd=0.55,w21003-Flag=N;w01018-Rtd=25.1,w01018-Flag=N;')),
      frame(seg('2051', 'DataTime=20230715082000;w21003-Avg=0.56,w21003-Flag=N')),
      frame(seg('2031', 'DataTime=20230715000000;w21003-Avg=0.50,w21003-Flag=N')),
    ].join('');
    const p = await parseBytes(log, 'station.log', { chunk: 13 });
    expect(p.format).toBe('hj212');
    expect(p.rejected).toEqual([]);
    expect(p.samples).toHaveLength(4);
    const [h, r, m, d] = p.samples;
    expect(h).toMatchObject({
      site: 'zhaoniuhe', registered: true, time: shanghai('2023-07-15 08:00'), interval: 'hour',
      values: { pH: 7.6, NH3N: 0.52, TP: 0.31 }, flags: { pH: 'N', NH3N: 'N', TP: 'D' },
      min: { NH3N: 0.4 }, max: { NH3N: 0.61 }, source: { file: 'station.log', line: 1 },
    });
    expect(h!.values.Hg).toBeCloseTo(0.00005, 12);
    expect(r).toMatchObject({ interval: 'rtd', time: shanghai('2023-07-15 08:15'), values: { NH3N: 0.55, COD: 25.1 }, source: { line: 2 } });
    expect(m).toMatchObject({ interval: 'minute', values: { NH3N: 0.56 } });
    expect(d).toMatchObject({ interval: 'day', time: shanghai('2023-07-15 00:00') });
  });

  it('reads 2005 pollutant codes', async () => {
    const p = await parseBytes(frame(seg('2061', 'DataTime=20230715080000;011-Avg=30.5,011-Flag=N;060-Avg=1.2,060-Flag=N;101-Avg=0.2,101-Flag=N')), 'old.log');
    expect(p.samples[0]!.values).toEqual({ COD: 30.5, NH3N: 1.2, TP: 0.2 });
  });

  it('skips and counts packets that carry no samples; rejects bad frames; the rest still counts', async () => {
    const good = frame(seg('2061', 'DataTime=20230715090000;w21003-Avg=0.5,w21003-Flag=N'));
    const crcBad = good.replace(/[0-9A-F]{4}\r\n$/, (c) => (c.startsWith('0000') ? '1111' : '0000') + '\r\n');
    const lenBad = good.replace(/^##\d{4}/, '##0999');
    const log = [
      frame(seg('9015', '')),
      frame(seg('2021', 'DataTime=20230715090000;i12001-Info=1')),
      crcBad, lenBad, 'garbage line\r\n', good,
    ].join('');
    const p = await parseBytes(log, 'mixed.log');
    expect(p.samples).toHaveLength(1);
    expect(p.samples[0]!.source.line).toBe(6);
    expect(p.skipped.map((s) => s.reason)).toEqual([
      'CN=9015 (heartbeat) carries no samples', 'CN=2021 (equipment status) carries no samples', "log line, not a packet: 'garbage line'",
    ]);
    expect(p.rejected.map((r) => r.line)).toEqual([3, 4]);
    expect(p.rejected[0]!.reason).toMatch(/^CRC mismatch/);
    expect(p.rejected[1]!.reason).toMatch(/^length field says 999 bytes but the data segment has \d+/);
  });

  it('keeps unknown pollutant codes as raw values and reports them', async () => {
    const p = await parseBytes(frame(seg('2061', 'DataTime=20230715080000;w21003-Avg=0.5,w21003-Flag=N;w99999-Avg=3.3,w99999-Flag=N')), 'u.log');
    expect(p.samples[0]!.unknown).toEqual({ 'w99999-Avg': 3.3, 'w99999-Flag': 'N' });
    expect(p.warnings).toEqual(["pollutant code 'w99999' is not in the catalogue; its values are kept as written"]);
  });

  it('keeps a station that is not registered under its MN', async () => {
    const p = await parseBytes(frame(seg('2061', 'DataTime=20230715080000;w21003-Avg=0.5,w21003-Flag=N', '010000A8900016F000169DC0')), 'x.log');
    expect(p.samples[0]).toMatchObject({ site: '010000A8900016F000169DC0', registered: false });
  });

  it('reads frames behind a log prefix and several frames on one line', async () => {
    const a = frame(seg('2061', 'DataTime=20230715080000;w21003-Avg=0.5,w21003-Flag=N')).trimEnd();
    const b = frame(seg('2061', 'DataTime=20230715090000;w21003-Avg=0.6,w21003-Flag=N')).trimEnd();
    const p = await parseBytes(`2023-07-15 08:00:03.120 [recv 10.0.0.5] ${a}\n${a}${b}\n`, 'prefixed.log');
    expect(p.rejected).toEqual([]);
    expect(p.samples.map((s) => [s.source.line, s.values.NH3N])).toEqual([[1, 0.5], [2, 0.5], [2, 0.6]]);
  });

  it('rejects a packet without DataTime or without any valid value, naming it', async () => {
    const p = await parseBytes(
      frame(seg('2061', 'w21003-Avg=0.5')) + frame(seg('2061', 'DataTime=20230715080000;w21003-Avg=abc,w21003-Flag=N')), 'e.log');
    expect(p.rejected).toEqual([
      { line: 1, reason: 'CN=2061 packet has no DataTime in CP' },
      { line: 2, reason: "CN=2061 packet carries no valid pollutant value; w21003-Avg: not a number, got 'abc'" },
    ]);
  });

  it('drops a pollutant whose value is not a number or implausible and keeps the packet\'s others', async () => {
    const p = await parseBytes(frame(seg('2061',
      'DataTime=20230715080000;w21003-Avg=abc,w21003-Flag=N;w01001-Avg=15.2,w01001-Flag=N;w21011-Avg=0.2,w21011-Flag=N')), 'c.log');
    expect(p.rejected).toEqual([]);
    expect(p.samples[0]).toMatchObject({ values: { TP: 0.2 }, flags: { TP: 'N' } });
    expect(p.samples[0]!.flags.NH3N).toBeUndefined();
    expect(p.cells).toEqual([
      { line: 1, param: 'NH3N', value: 'abc', reason: 'w21003-Avg: not a number' },
      { line: 1, param: 'pH', value: '15.2', reason: 'w01001: pH must be between 0 and 14, got 15.2' },
    ]);
  });
});

describe('CRC16 table', () => {
  it('agrees with the bit-by-bit definition on random inputs', async () => {
    const { crc16Bitwise } = await import('../../../shared/parsers/hj212.js');
    const fc = (await import('fast-check')).default;
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => crc16(bytes) === crc16Bitwise(bytes)));
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => crc16(s) === crc16Bitwise(Buffer.from(s, 'utf8'))));
  });
});

describe('HJ 212 missing values', () => {
  it('counts an empty or marked pollutant value as missing, not as a fault', async () => {
    const p = await parseBytes(frame(seg('2061', 'DataTime=20230715080000;w21003-Avg=,w21003-Flag=N;w21011-Avg=--;w01018-Avg=25,w01018-Flag=N')), 'm.log');
    expect(p.samples[0]).toMatchObject({ values: { COD: 25 }, flags: { COD: 'N' } });
    expect(p.cells).toEqual([]);
    expect(p.missing).toBe(2);
  });
});

describe('HJ 212 packets with nothing left', () => {
  it('rejects a packet whose only value is missing', async () => {
    const p = await parseBytes(frame(seg('2061', 'DataTime=20230715080000;w21003-Avg=,w21003-Flag=N')), 'e.log');
    expect(p.samples).toEqual([]);
    expect(p.rejected).toEqual([{ line: 1, reason: 'CN=2061 packet carries no pollutant values' }]);
    expect(p.missing).toBe(1);
  });
});
