/**
 * How long a sign-in must wait after `failures` failed attempts on one key (an address, a client address or a
 * known browser): nothing below `threshold`, then 15 s doubling with each further failure, never more than `capSeconds`.
 * Slowing down, never a lock: the owner's own browser has its own key, so a stranger's guesses cannot keep it out.
 */
export function delaySeconds(failures: number, threshold: number, capSeconds: number): number {
  if (failures < threshold) return 0;
  return Math.min(capSeconds, 15 * 2 ** Math.min(20, failures - threshold));
}

/** Seconds still to wait before the next attempt, over every key (0: go ahead). */
export function waitFor(
  rows: { key: string; failures: number; seconds_since: number }[],
  threshold: (key: string) => number,
  capSeconds: number,
): number {
  let wait = 0;
  for (const r of rows) wait = Math.max(wait, delaySeconds(r.failures, threshold(r.key), capSeconds) - r.seconds_since);
  return Math.ceil(wait);
}
