/**
 * Rows under (or between) the data that carry no sample by design: statistics (`平均值`, `最大值`,
 * `有效数据个数`, `Average`…) and remarks (`备注：…`, `Note: …`, `制表人：…`). Station reports end with
 * them; they are skipped and counted, never rejected, stored or alerted.
 */

/** Statistics labels, compared after NFKC, lower case, no spaces and no trailing colon. */
const STATISTICS = new Set([
  '平均值', '均值', '平均', '日均值', '月均值', '年均值', '算术平均值', '平均浓度',
  '最大值', '最大', '最小值', '最小', '最高值', '最低值',
  '有效数据个数', '有效数据', '有效个数', '有效数据数', '数据个数', '样本数', '样品数', '监测次数',
  '合计', '总计', '小计', '统计', '达标率', '超标率', '超标次数', '标准值', '标准限值',
  'average', 'avg', 'mean', 'max', 'maximum', 'min', 'minimum', 'count', 'validcount', 'total', 'sum', 'subtotal',
]);

/** Remarks labels: the label alone, or followed by a colon and text (`备注：数据为小时均值`). */
const REMARKS = ['备注', '注', '说明', '附注', '制表人', '制表', '审核人', '审核', '填报人', '填表人', '负责人', '报告日期',
  'remarks', 'remark', 'notes', 'note'];
const REMARK = new RegExp(`^(${REMARKS.join('|')})\\s*(?:[:：].*)?$`, 'is');

export type FooterKind = 'statistics' | 'remarks';

const cache = new Map<string, FooterKind | null>();
const CACHE_SIZE = 1000;

/**
 * The first characters labels start with (ASCII letters in both cases). Printable ASCII characters
 * and CJK ideographs are their own NFKC form, so text starting with one not in this set is no
 * label; any other first character (white space, full-width letters, compatibility ideographs)
 * goes the long way.
 */
const FIRST = new Set([...STATISTICS, ...REMARKS].flatMap((l) => [l.charCodeAt(0), l.toUpperCase().charCodeAt(0)]));
const isCjkIdeograph = (c: number) => c >= 0x4e00 && c <= 0x9fff;

/**
 * What kind of non-sample row a cell's text labels, or undefined. Text starting with a character
 * no label starts with (a digit: a time, a value; most site names) is never a label: the common
 * case costs a character test, not a lookup of the whole text.
 */
export function footerKind(text: string | undefined): FooterKind | undefined {
  if (text === undefined || text.length === 0) return undefined;
  const c = text.charCodeAt(0);
  if (((c > 0x20 && c < 0x80) || isCjkIdeograph(c)) && !FIRST.has(c)) return undefined;
  let kind = cache.get(text);
  if (kind === undefined) {
    const t = text.normalize('NFKC').trim().toLowerCase();
    const squashed = t.replace(/\s+/g, '').replace(/[:：]$/, '');
    kind = STATISTICS.has(squashed) ? 'statistics' : REMARK.test(t) ? 'remarks' : null;
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(text, kind);
  }
  return kind ?? undefined;
}
