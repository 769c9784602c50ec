/**
 * One desktop listing per region per tool call, and a short-lived per-process cache of them.
 *
 * A listing is a stream: pages are recorded as they arrive and handed to every follower, and a
 * follower that joins late replays the pages already delivered, then follows — so consumers still
 * start per-desktop work while the listing runs, however many of them share it (the health
 * report's collectors). Within one tool call (the registry runs each call in a ListingCall) the
 * first consumer of a region opens the listing and every later one shares it.
 *
 * Across calls, a completed listing is kept for LISTING_TTL_MS (60 s), keyed by the identity the calls are
 * signed with (endpoint + access key id) and the region, in a cache that belongs to one `Aws` handle
 * (one per server process; each test harness has its own, so simulators never share data). Any
 * write execution drops the whole cache (`invalidateListings`, called by the write gates), a call
 * with `refresh: true` lists afresh (and refreshes the cache), and only a listing that finished
 * without error is cached. Outside a tool call nothing is shared.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Aws, OpInput, OpName, OpOutput, ServiceKey } from "./clients.ts";
import { collect, type Collected, type PageOptions } from "./paginate.ts";

/** How long a completed listing may be reused, from when it started (see DESIGN.md, "Listing cache"). */
export const LISTING_TTL_MS = 60_000;
/** The knob tests turn (expiry without waiting a minute); production keeps LISTING_TTL_MS. */
export const LISTING_CACHE = { ttlMs: LISTING_TTL_MS };

/** How one region's listing was obtained in a call. */
export interface ListingUse {
  region: string;
  /** True when an earlier call's listing was reused. */
  cached: boolean;
  /** Milliseconds since the reused listing started; null when this call listed. */
  ageMs: number | null;
}

/** One tool call's listings: the regions it opened or reused, and whether it must list afresh. */
export class ListingCall {
  readonly memo = new Map<string, Promise<SharedStream<unknown, unknown>>>();
  /** Other listings of the call (collectOnce), by request. */
  readonly collected = new Map<string, Promise<unknown>>();
  readonly uses = new Map<string, ListingUse>();
  #closed = false;
  constructor(readonly refresh: boolean) {}

  /** The call ended: nothing may join its listings any more, and they are released (the cache keeps its own). */
  close(): void {
    this.#closed = true;
    this.memo.clear();
    this.collected.clear();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The regions whose listing came from the cache, and the oldest such listing's age in whole seconds. */
  reused(): { regions: string[]; ageSeconds: number | null } {
    const hits = [...this.uses.values()].filter((u) => u.cached);
    const oldest = hits.reduce((ms, u) => Math.max(ms, u.ageMs ?? 0), 0);
    return { regions: hits.map((u) => u.region).sort(), ageSeconds: hits.length ? Math.floor(oldest / 1000) : null };
  }
}

const calls = new AsyncLocalStorage<ListingCall>();

/**
 * The running tool call's listings, if any. A call's context can outlive it — continuations that
 * started inside the call carry it (seen under Deno's test runner: a later engine-level read saw the
 * previous harness call's memo) — so a call that has ended counts as none.
 */
function currentCall(): ListingCall | undefined {
  const call = calls.getStore();
  return call && !call.closed ? call : undefined;
}

/** Runs one tool call's handler with its listing memo (the registry does this for every call), then closes it. */
export async function withListingCall<T>(call: ListingCall, fn: () => Promise<T>): Promise<T> {
  try {
    return await calls.run(call, fn);
  } finally {
    call.close();
  }
}

/**
 * A listing that records its pages and replays them to late followers. `P` is a page's item type,
 * `M` what the listing returns at the end.
 */
export class SharedStream<P, M> {
  readonly startedAt = Date.now();
  readonly #pages: P[][] = [];
  readonly #followers = new Set<(page: P[]) => void>();
  /** Resolves with the listing's result once every page was delivered; rejects when the listing failed. */
  readonly done: Promise<M>;

  constructor(run: (deliver: (page: P[]) => void) => Promise<M>) {
    this.done = run((page) => {
      this.#pages.push(page);
      for (const f of [...this.#followers]) f(page);
    }).finally(() => this.#followers.clear());
    this.done.catch(() => {}); // followers see the failure; an unobserved one is not an unhandled rejection
  }

  /** Every page delivered so far (all of them once `done` resolved). */
  pages(): readonly P[][] {
    return this.#pages;
  }

  /**
   * Hands every page to `onPage` — those delivered so far at once, then each as it arrives — and
   * resolves with the result. A throwing `onPage` rejects this follower only (the listing goes on
   * for the others).
   */
  follow(onPage: (page: P[]) => void): Promise<M> {
    return new Promise<M>((resolve, reject) => {
      let failed = false;
      const safe = (page: P[]) => {
        if (failed) return;
        try {
          onPage(page);
        } catch (e) {
          failed = true;
          this.#followers.delete(safe);
          reject(e);
        }
      };
      for (const page of this.#pages) safe(page);
      if (failed) return;
      this.#followers.add(safe);
      this.done.then((m) => {
        this.#followers.delete(safe);
        if (!failed) resolve(m);
      }, (e) => {
        this.#followers.delete(safe);
        if (!failed) reject(e);
      });
    });
  }
}

/** One Aws handle's cache: completed listings by identity and region, and a generation bumped by writes. */
interface Cache {
  entries: Map<string, SharedStream<unknown, unknown>>;
  generation: number;
}

const caches = new WeakMap<Aws, Cache>();

function cacheOf(aws: Aws): Cache {
  let c = caches.get(aws);
  if (!c) caches.set(aws, c = { entries: new Map(), generation: 0 });
  return c;
}

/** Drops every cached listing of this handle (a write ran); listings in flight are not cached when they end. */
export function invalidateListings(aws: Aws): void {
  const c = caches.get(aws);
  if (!c) return;
  c.entries.clear();
  c.generation++;
}

/**
 * The region's listing for the running tool call: shared within the call, reused from the cache
 * when one at most LISTING_TTL_MS old exists for the same identity (unless the call asked for a
 * refresh), else opened with `run`. `kind` names what is listed (part of the cache key). Outside a
 * tool call a new, unshared listing is opened.
 */
export function sharedListing<P, M>(
  aws: Aws,
  kind: string,
  region: string,
  signal: AbortSignal | undefined,
  run: (deliver: (page: P[]) => void) => Promise<M>,
): Promise<SharedStream<P, M>> {
  const call = currentCall();
  if (!call) return Promise.resolve(new SharedStream(run));
  const memoKey = `${kind}\n${region}`;
  let open = call.memo.get(memoKey) as Promise<SharedStream<P, M>> | undefined;
  if (!open) {
    open = openListing(aws, call, kind, region, signal, run);
    call.memo.set(memoKey, open as Promise<SharedStream<unknown, unknown>>);
  }
  return open;
}

/** The listing of `kind` this tool call already opened for the region, if any (never opens one). */
export function openedListing<P, M>(kind: string, region: string): Promise<SharedStream<P, M>> | undefined {
  return currentCall()?.memo.get(`${kind}\n${region}`) as Promise<SharedStream<P, M>> | undefined;
}

async function openListing<P, M>(
  aws: Aws,
  call: ListingCall,
  kind: string,
  region: string,
  signal: AbortSignal | undefined,
  run: (deliver: (page: P[]) => void) => Promise<M>,
): Promise<SharedStream<P, M>> {
  const identity = await aws.identityKey();
  // Without an identity (credentials do not load) nothing is cached: the listing's own calls report why.
  const cache = identity === undefined ? undefined : cacheOf(aws);
  const key = `${identity}\n${kind}\n${region}`;
  if (cache) {
    const now = Date.now();
    for (const [k, s] of cache.entries) if (now - s.startedAt >= LISTING_CACHE.ttlMs) cache.entries.delete(k);
    const hit = cache.entries.get(key) as SharedStream<P, M> | undefined;
    if (hit && !call.refresh) {
      call.uses.set(region, { region, cached: true, ageMs: now - hit.startedAt });
      return hit;
    }
  }
  const stream = new SharedStream(run);
  call.uses.set(region, { region, cached: false, ageMs: null });
  if (cache) {
    const generation = cache.generation;
    stream.done.then(() => {
      // Not when a write ran meanwhile (the listing may predate it) or the call was cancelled.
      if (cache.generation === generation && !signal?.aborted) {
        cache.entries.set(key, stream as SharedStream<unknown, unknown>);
      }
    }, () => {});
  }
  return stream;
}

/**
 * `collect` shared within the tool call: collectors of one call asking for the same listing (the
 * same operation, input, item key, region and caps) get one set of requests. Not cached across
 * calls; outside a tool call it is plain `collect`. Only for listings, never for reads that poll.
 */
export function collectOnce<S extends ServiceKey, O extends OpName<S>, K extends keyof OpOutput<S, O>>(
  aws: Aws,
  service: S,
  operation: O,
  input: OpInput<S, O>,
  itemKey: K,
  opts: PageOptions,
): Promise<Collected<NonNullable<OpOutput<S, O>[K]> extends readonly (infer T)[] ? T : never>> {
  type R = Collected<NonNullable<OpOutput<S, O>[K]> extends readonly (infer T)[] ? T : never>;
  const call = currentCall();
  if (!call) return collect(aws, service, operation, input, itemKey, opts);
  const key = JSON.stringify([service, operation, input, itemKey, opts.region, opts.maxPages, opts.maxItems]);
  let p = call.collected.get(key) as Promise<R> | undefined;
  if (!p) {
    p = collect(aws, service, operation, input, itemKey, opts);
    call.collected.set(key, p);
  }
  return p;
}
