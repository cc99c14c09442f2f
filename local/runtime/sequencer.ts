/**
 * Sequencers for the local S3's events, as S3 gives them: hex strings that increase with every
 * event, so versions of one key are ordered as AWS orders them. s3rver's own is the millisecond
 * clock in hex, the same for two uploads within a millisecond; this one is the clock with a
 * counter below it, strictly increasing within a process and across restarts (the clock moves on).
 */
const COUNTER_BITS = 20n;

export function sequencerClock(now: () => number = Date.now): () => string {
  let last = 0n;
  return () => {
    const fromClock = BigInt(now()) << COUNTER_BITS;
    last = fromClock > last ? fromClock : last + 1n;
    return last.toString(16).toUpperCase();
  };
}
