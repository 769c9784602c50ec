/** Formatting shared by every tool: durations, dates, rounding, money and plurals — one copy each. */

/** One minute in milliseconds. */
export const MINUTE = 60_000;
/** One hour in milliseconds. */
export const HOUR = 3_600_000;
/** One day in milliseconds. */
export const DAY = 86_400_000;

/** ISO-8601 text of an AWS date, or null when AWS gave none. */
export function iso(d: Date | undefined | null): string | null {
  return d instanceof Date && !isNaN(d.getTime()) ? d.toISOString() : null;
}

/** Rounds to `decimals` places (default 1). */
export function round(n: number, decimals = 1): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}

/** A dollar amount rounded to cents (the number, for structured output). */
export function cents(n: number): number {
  return Math.round(n * 100) / 100;
}

/** "1 desktop", "3 desktops". */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * Money as text, one format everywhere: "$8,073.48", "$0.0125/h" (sub-dollar prices keep four
 * places), `unknown` when there is no figure; `suffix` follows the amount.
 */
export function usd(n: number | null | undefined, suffix = "", unknown = "n/a"): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return unknown;
  const places = Math.abs(n) > 0 && Math.abs(n) < 1 ? 4 : 2;
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: places })}${suffix}`;
}
