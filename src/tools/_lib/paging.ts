/**
 * One paging codec and one result budget for every tool that pages: `limit` caps a page,
 * `next_token` is an opaque, tool-bound position; a page that would not fit the budget is
 * shortened here, so `next_token` stays exact (the registry's last-resort trimming would silently
 * drop items between pages).
 */
import { ToolFailure } from "./failure.ts";

/** Largest JSON result a tool may return (~20k tokens); larger ones are trimmed with a note. */
export const RESULT_BUDGET_BYTES = 80_000;
/** Room for one page's items, leaving the rest of the budget to totals, errors and notes. */
export const PAGE_BUDGET_BYTES = 55_000;

/**
 * A position in a paged list's total order: compared element by element (numbers numerically,
 * strings by code unit, a shorter key before its extensions). Finite numbers and strings only, so
 * it survives the JSON of a token.
 */
export type SortKey = readonly (string | number)[];

/** Orders two sort keys (negative: `a` first). */
export function compareKeys(a: SortKey, b: SortKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x < y ? -1 : 1;
    if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** The sort-key part for "largest first, null last" (e.g. savings that could not be priced). */
export function descNullsLast(value: number | null | undefined): SortKey {
  return value === null || value === undefined || !Number.isFinite(value) ? [1, 0] : [0, value === 0 ? 0 : -value];
}

function isSortKey(k: unknown): k is SortKey {
  return Array.isArray(k) && k.length <= 8 &&
    k.every((x) => typeof x === "string" || (typeof x === "number" && Number.isFinite(x)));
}

/**
 * The tokens this server issues: base64url JSON of the tool and the position — an offset, or the
 * sort key of the last item listed (the next page starts after it, whatever order AWS answered in).
 */
export function encodeToken(tool: string, position: number | SortKey): string {
  const body = typeof position === "number" ? { t: tool, o: position } : { t: tool, k: position };
  return btoa(JSON.stringify(body)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function refused(): ToolFailure {
  return new ToolFailure(
    "InvalidInput",
    "next_token is not one this tool issued.",
    "Call again without next_token to start from the first page.",
  );
}

/** The position a `next_token` stands for (undefined without one); a token of another tool is refused. */
export function decodePosition(tool: string, token: string | undefined | null): number | SortKey | undefined {
  if (!token) return undefined;
  try {
    const { t, o, k } = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
    if (t === tool && Number.isInteger(o) && o >= 0) return o;
    if (t === tool && o === undefined && isSortKey(k)) return k;
  } catch {
    // fall through to the error below
  }
  throw refused();
}

/** The offset a `next_token` stands for (0 without one); a token of another tool, or a key token, is refused. */
export function decodeToken(tool: string, token: string | undefined | null): number {
  const p = decodePosition(tool, token);
  if (p === undefined) return 0;
  if (typeof p === "number") return p;
  throw refused();
}

/** Checks a `next_token` before any work (keyed or offset); a token of another tool is refused. */
export function checkToken(tool: string, token: string | undefined | null): void {
  decodePosition(tool, token);
}

/** One page of an ordered list. */
export interface Page<T> {
  items: T[];
  total_count: number;
  truncated: boolean;
  next_token: string | null;
}

/**
 * The page of `items` at `token`, at most `limit` long and within PAGE_BUDGET_BYTES. With `key`
 * (a total order: no two items may share a key) the items are sorted by it and the token holds the
 * last listed item's key, so the next page is exact whatever order the list was built in; without
 * it the token is an offset into `items` as given.
 */
export function pageOf<T>(
  tool: string,
  items: readonly T[],
  limit: number,
  token: string | undefined | null,
  budget = PAGE_BUDGET_BYTES,
  key?: (item: T) => SortKey,
): Page<T> {
  const position = decodePosition(tool, token);
  let list = items;
  let offset = 0;
  if (key) {
    if (typeof position === "number") throw refused();
    const keyed = items.map((item) => ({ item, k: key(item) })).sort((a, b) => compareKeys(a.k, b.k));
    list = keyed.map((e) => e.item);
    if (position !== undefined) {
      // The first item after the last one listed (binary search over the sorted keys).
      let lo = 0, hi = keyed.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (compareKeys(keyed[mid].k, position) <= 0) lo = mid + 1;
        else hi = mid;
      }
      offset = lo;
    }
  } else {
    if (position !== undefined && typeof position !== "number") throw refused();
    offset = position ?? 0;
  }
  let end = Math.min(list.length, offset + limit);
  while (end - offset > 1 && JSON.stringify(list.slice(offset, end)).length > budget) {
    end = offset + Math.max(1, Math.floor((end - offset) * 0.8));
  }
  const more = end < list.length;
  const page = list.slice(offset, end);
  return {
    items: page,
    total_count: list.length,
    truncated: more || offset > 0,
    next_token: more ? encodeToken(tool, key ? key(list[end - 1]) : end) : null,
  };
}
