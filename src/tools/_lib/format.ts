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

// Built once, on first use: toLocaleString with options builds a formatter per call (1.3 s of a 10,000-desktop
// running-mode call).
const formatters: Partial<Record<2 | 4, Intl.NumberFormat>> = {};
const money = (places: 2 | 4) =>
  formatters[places] ??= new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: places });

/** Options of {@link usd}. */
export interface MoneyOptions {
  /** The currency code (Cost Explorer's Unit). USD, or none, prints "$"; any other code prints before the amount. */
  currency?: string | null;
}

/**
 * Money as text, one format everywhere: "$8,073.48", "$0.0125/h" (sub-dollar prices keep up to four
 * places), "-$12.00" for a negative amount, "EUR 1,234.50" for a currency other than USD, `unknown`
 * when there is no figure; `suffix` follows the amount.
 */
export function usd(n: number | null | undefined, suffix = "", unknown = "n/a", options: MoneyOptions = {}): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return unknown;
  const abs = Math.abs(n);
  const digits = money(abs > 0 && abs < 1 ? 4 : 2).format(abs);
  const code = (options.currency ?? "").trim().toUpperCase();
  const amount = code === "" || code === "USD" ? `$${digits}` : `${code} ${digits}`;
  // A negative amount that rounds to zero prints without a sign.
  const negative = n < 0 && /[1-9]/.test(digits);
  return `${negative ? "-" : ""}${amount}${suffix}`;
}

/** A signed money difference: "+$12.50", "-$3.00" (zero prints "+$0.00"). */
export function usdDelta(
  n: number | null | undefined,
  suffix = "",
  unknown = "n/a",
  options: MoneyOptions = {},
): string {
  const text = usd(n, suffix, unknown, options);
  return n === null || n === undefined || !Number.isFinite(n) || text.startsWith("-") ? text : `+${text}`;
}
