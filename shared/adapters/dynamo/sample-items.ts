/** A stored sample ↔ its DynamoDB item: one item per sample, all its indicators together. */
import type { Grade } from '../../domain/gb3838.js';
import type { ParamId } from '../../domain/parameters.js';
import type { Sample } from '../../domain/sample.js';
import type { DayPart } from '../../domain/day-means.js';
import type { StoredSample } from '../../ports/index.js';
import {
  FILE_INDEX, dayOfDayPartSk, dayPartFileSk, dayPartSk, fileIdOfPk, filePk, lineSk, sampleSk, siteOfPk, sitePk,
} from './table-design.js';

type Num = Partial<Record<ParamId, number>>;

export interface SampleItem {
  PK: string;
  SK: string;
  GSI1PK: string;
  GSI1SK: string;
  /** epoch ms */
  t: number;
  reg: boolean;
  v: Num;
  f?: Partial<Record<ParamId, string>>;
  bdl?: ParamId[];
  mn?: Num;
  mx?: Num;
  u?: Record<string, number | string>;
  iv?: string;
  g?: Grade;
  c?: number;
  ok?: boolean;
  /** source version and line; the file is GSI1PK */
  fv: string;
  fl: number;
}

const nonEmpty = (o: object | undefined) => o !== undefined && Object.keys(o).length > 0;

export function toItem(s: StoredSample): SampleItem {
  const { sample } = s;
  const item: SampleItem = {
    PK: sitePk(sample.site), SK: sampleSk(sample.time, sample.interval),
    [FILE_INDEX.partitionKey]: filePk(s.fileId), [FILE_INDEX.sortKey]: lineSk(sample.source.line),
    t: sample.time, reg: sample.registered, v: sample.values, fv: s.fileVersion, fl: sample.source.line,
  } as SampleItem;
  if (nonEmpty(sample.flags)) item.f = sample.flags;
  if (sample.belowDetection && nonEmpty(sample.belowDetection)) item.bdl = Object.keys(sample.belowDetection) as ParamId[];
  if (nonEmpty(sample.min)) item.mn = sample.min;
  if (nonEmpty(sample.max)) item.mx = sample.max;
  if (nonEmpty(sample.unknown)) item.u = sample.unknown as Record<string, number | string>;
  if (sample.interval) item.iv = sample.interval;
  if (s.grade !== null) item.g = s.grade;
  if (s.cwqi !== null) item.c = s.cwqi;
  if (s.compliant !== null) item.ok = s.compliant;
  return item;
}

export function fromItem(item: Record<string, unknown>): StoredSample {
  const i = item as unknown as SampleItem;
  const fileId = fileIdOfPk(i.GSI1PK);
  const sample: { -readonly [K in keyof Sample]: Sample[K] } = {
    site: siteOfPk(i.PK), registered: i.reg, time: i.t, values: i.v ?? {}, flags: i.f ?? {},
    source: { file: fileId.split('/').pop() ?? fileId, line: i.fl },
  };
  if (i.bdl) sample.belowDetection = Object.fromEntries(i.bdl.map((p) => [p, true]));
  if (i.mn) sample.min = i.mn;
  if (i.mx) sample.max = i.mx;
  if (i.u) sample.unknown = i.u;
  if (i.iv) sample.interval = i.iv as Sample['interval'];
  return { sample, fileId, fileVersion: i.fv, grade: i.g ?? null, cwqi: i.c ?? null, compliant: i.ok ?? null };
}

export interface DayPartItem {
  PK: string;
  SK: string;
  GSI1PK: string;
  GSI1SK: string;
  /** segment */
  q: number;
  s: Num;
  n: Num;
  k: number;
}

export function dayPartItem(p: DayPart): DayPartItem {
  return {
    PK: sitePk(p.site), SK: dayPartSk(p.day, p.fileId, p.segment), GSI1PK: filePk(p.fileId), GSI1SK: dayPartFileSk(p.day, p.segment),
    q: p.segment, s: p.sums, n: p.counts, k: p.samples,
  };
}

export function fromDayPartItem(item: Record<string, unknown>): DayPart {
  const i = item as unknown as DayPartItem;
  return {
    site: siteOfPk(i.PK), day: dayOfDayPartSk(i.SK), fileId: fileIdOfPk(i.GSI1PK), segment: i.q,
    sums: i.s ?? {}, counts: i.n ?? {}, samples: i.k ?? 0,
  };
}
