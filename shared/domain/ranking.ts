/**
 * Ranking (定期通报排名, docs/domain.md#ranking): smaller is better; equal values share the better rank
 * and the next rank skips ("1, 2, 2, 4"); an item without a value gets no rank. Values are compared
 * as the bulletin prints them (`decimals`), so two sections shown with the same index share a place.
 */
export function rankAscending<K>(items: readonly { readonly key: K; readonly value: number | null }[], decimals?: number): Map<K, number> {
  const round = (v: number) => (decimals === undefined ? v : Number(v.toFixed(decimals)));
  const valued = items.flatMap((i) => (i.value === null || !Number.isFinite(i.value) ? [] : [{ key: i.key, v: round(i.value) }]));
  valued.sort((a, b) => a.v - b.v);
  const ranks = new Map<K, number>();
  valued.forEach((item, i) => {
    const prev = valued[i - 1];
    ranks.set(item.key, prev && prev.v === item.v ? (ranks.get(prev.key) as number) : i + 1);
  });
  return ranks;
}

/** The arithmetic mean, or null for none (the zone's index and a town's are means of their sections', by default). */
export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}
