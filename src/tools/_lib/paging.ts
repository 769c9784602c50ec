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

/** The tokens this server issues: base64url JSON of the tool and the offset. */
export function encodeToken(tool: string, offset: number): string {
  return btoa(JSON.stringify({ t: tool, o: offset })).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The offset a `next_token` stands for (0 without one); a token of another tool is refused. */
export function decodeToken(tool: string, token: string | undefined | null): number {
  if (!token) return 0;
  try {
    const { t, o } = JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/")));
    if (t === tool && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through to the error below
  }
  throw new ToolFailure(
    "InvalidInput",
    "next_token is not one this tool issued.",
    "Call again without next_token to start from the first page.",
  );
}

/** One page of an ordered list. */
export interface Page<T> {
  items: T[];
  total_count: number;
  truncated: boolean;
  next_token: string | null;
}

/** The page of `items` at `token`, at most `limit` long and within PAGE_BUDGET_BYTES. */
export function pageOf<T>(
  tool: string,
  items: readonly T[],
  limit: number,
  token: string | undefined | null,
  budget = PAGE_BUDGET_BYTES,
): Page<T> {
  const offset = decodeToken(tool, token);
  let end = Math.min(items.length, offset + limit);
  while (end - offset > 1 && JSON.stringify(items.slice(offset, end)).length > budget) {
    end = offset + Math.max(1, Math.floor((end - offset) * 0.8));
  }
  const more = end < items.length;
  return {
    items: items.slice(offset, end),
    total_count: items.length,
    truncated: more || offset > 0,
    next_token: more ? encodeToken(tool, end) : null,
  };
}
