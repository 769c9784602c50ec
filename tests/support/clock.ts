/** Wall-clock guards for tests that compare two answers computed seconds apart. */

const HOUR = 3_600_000;

/**
 * The usage reads align their window to the hour, so two compared calls on either side of an hour
 * boundary analyse windows an hour apart (a session on the first day counts in one, not the
 * other). Comparisons that take under a minute start clear of the next boundary: when fewer than
 * 90 s are left, wait until 5 s past it.
 */
export async function clearOfHourBoundary(): Promise<void> {
  const left = HOUR - (Date.now() % HOUR);
  if (left < 90_000) await new Promise((resolve) => setTimeout(resolve, left + 5_000));
}
