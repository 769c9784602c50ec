/**
 * Pagination for every AWS list call: NextToken, nextToken and NextPageToken styles, a loop
 * guard against a repeated token, and caps on pages and items.
 */
import type { Aws, OpInput, OpName, OpOutput, ServiceKey } from "./clients.ts";

const TOKEN_KEYS = ["NextToken", "nextToken", "NextPageToken"] as const;

/** Limits for one paginated listing. */
export interface PageOptions {
  readonly region: string;
  readonly signal?: AbortSignal;
  /** Stop after this many pages (default 10,000). */
  readonly maxPages?: number;
  /** Stop once this many items were collected (default unlimited). */
  readonly maxItems?: number;
}

/** Items of a listing plus whether it stopped early. */
export interface Collected<T> {
  items: T[];
  /** True when a cap stopped the listing before AWS ran out of pages. */
  truncated: boolean;
  pages: number;
  /** Set when AWS returned a token it had returned before (the loop guard stopped). */
  repeatedToken?: boolean;
}

function nextTokenOf(page: unknown): [string | undefined, string | undefined] {
  const p = page as Record<string, unknown>;
  for (const key of TOKEN_KEYS) {
    const v = p?.[key];
    if (typeof v === "string" && v.length > 0) return [key, v];
  }
  return [undefined, undefined];
}

/** Yields every page of an operation, following whichever token style it uses. */
export async function* pages<S extends ServiceKey, O extends OpName<S>>(
  aws: Aws,
  service: S,
  operation: O,
  input: OpInput<S, O>,
  opts: PageOptions,
): AsyncGenerator<OpOutput<S, O>, { truncated: boolean; repeatedToken: boolean }> {
  const seen = new Set<string>();
  const maxPages = opts.maxPages ?? 10_000;
  let request = { ...(input as object) } as OpInput<S, O>;
  for (let n = 0;; n++) {
    if (n >= maxPages) return { truncated: true, repeatedToken: false };
    opts.signal?.throwIfAborted();
    const page = await aws.call(service, operation, request, opts);
    yield page;
    const [key, token] = nextTokenOf(page);
    if (!key || !token) return { truncated: false, repeatedToken: false };
    if (seen.has(token)) return { truncated: true, repeatedToken: true };
    seen.add(token);
    request = { ...(request as object), [key]: token } as OpInput<S, O>;
  }
}

/** Collects the items under `itemKey` from every page, within the caps. */
export async function collect<S extends ServiceKey, O extends OpName<S>, K extends keyof OpOutput<S, O>>(
  aws: Aws,
  service: S,
  operation: O,
  input: OpInput<S, O>,
  itemKey: K,
  opts: PageOptions,
): Promise<Collected<NonNullable<OpOutput<S, O>[K]> extends readonly (infer T)[] ? T : never>> {
  type T = NonNullable<OpOutput<S, O>[K]> extends readonly (infer U)[] ? U : never;
  const items: T[] = [];
  const it = pages(aws, service, operation, input, opts);
  let count = 0;
  for (;;) {
    const r = await it.next();
    if (r.done) {
      return { items, truncated: r.value.truncated, pages: count, repeatedToken: r.value.repeatedToken || undefined };
    }
    count++;
    const list = (r.value as Record<PropertyKey, unknown>)[itemKey as PropertyKey];
    if (Array.isArray(list)) items.push(...(list as T[]));
    if (opts.maxItems !== undefined && items.length >= opts.maxItems) {
      const [, token] = nextTokenOf(r.value);
      const more = items.length > opts.maxItems || token !== undefined;
      return { items: items.slice(0, opts.maxItems), truncated: more, pages: count };
    }
  }
}

/** Splits a list into chunks of at most `size` (API limits such as 25 ids per call). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `fn` over items with at most `limit` in flight, keeping input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(workers);
  return out;
}
