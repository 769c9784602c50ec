/**
 * The one desktop lister every toolset shares. Desktops are listed per directory, concurrently
 * (and a large directory split by bundle, see streamWorkspaces):
 * AWS pages DescribeWorkspaces 25 at a time with a NextToken chain, so one listing of 10,000
 * desktops is 400 sequential round trips; split by directory the chains run side by side, for at
 * most one extra call per directory. WorkSpaces Pools directories hold no Personal desktops and
 * cost no call, for every caller. Within a tool call a region is listed once and shared by every
 * consumer, and a completed listing is reused for a short while (listing_cache.ts).
 */
import type { Aws, OpOutput } from "./clients.ts";
import { AwsCallError } from "./clients.ts";
import { currentScope } from "./scope.ts";
import { collect, mapLimit, pages } from "./paginate.ts";
import { openedListing, sharedListing, type SharedStream } from "./listing_cache.ts";

/** A WorkSpaces Personal desktop as DescribeWorkspaces returns it. */
export type Workspace = NonNullable<OpOutput<"workspaces", "DescribeWorkspaces">["Workspaces"]>[number];
/** A registered WorkSpaces directory. */
export type Directory = NonNullable<OpOutput<"workspaces", "DescribeWorkspaceDirectories">["Directories"]>[number];
/** A WorkSpaces bundle as DescribeWorkspaceBundles returns it. */
export type Bundle = NonNullable<OpOutput<"workspaces", "DescribeWorkspaceBundles">["Bundles"]>[number];

/**
 * Chains (directory or bundle) whose DescribeWorkspaces pages run at once. WorkSpaces publishes no
 * rate for DescribeWorkspaces (its limit is per account and region). Every client is adaptive
 * (clients.ts): the first throttle slows the region's WorkSpaces client, which all its chains share,
 * and the throttled page is retried, so an account with a lower limit costs time, not desktops.
 * Twelve, so that an estate of up to twelve directories lists them all side by side: a directory
 * waiting for a free chain adds its whole chain to the listing (30,000 desktops in 12 directories
 * with 8 chains: the last 4 directories listed alone, 200 dependent pages instead of 100).
 */
export const LISTING_CHAINS = 12;
/**
 * Pages a directory chain reads before the listing may split the region by bundle: a directory
 * still paging after this many (150 desktops) may be large, and with at most half as many directory
 * chains left as chains allowed, parallel bundle chains finish sooner than its one NextToken chain. Every
 * page read before a split is read again by the bundle chains, so it is kept low; below it a split
 * would cost more calls than rounds it saves.
 */
const SPLIT_AFTER_PAGES = 6;
/**
 * Pages the other chains may have read before a split: bundle chains are region-wide, so they list
 * again every desktop already listed; past this, a split costs more calls than it is worth.
 */
const SPLIT_BUDGET_PAGES = SPLIT_AFTER_PAGES * LISTING_CHAINS;
/**
 * A split only pays when no one bundle dominates: bundle chains run no faster than the largest
 * bundle's. Split when the largest bundle holds at most this share of the desktops seen so far.
 */
const SPLIT_MAX_BUNDLE_SHARE = 0.5;
const BUNDLES_ACTION = "workspaces:DescribeWorkspaceBundles";

/** How a region's desktops were listed (besides the desktops themselves). */
export interface ListingMeta {
  /** The registered directories, when DescribeWorkspaceDirectories answered. */
  directories?: Directory[];
  /**
   * "by-directory" (parallel chains), "single" (one chain, when directories could not be listed or
   * there is one Personal directory) or "by-bundle" (a large directory: one region-wide BundleId
   * chain per bundle of the account and of AMAZON, side by side).
   */
  strategy: "by-directory" | "single" | "by-bundle";
  /** The account's and AMAZON's bundles, when the listing enumerated them (to split by bundle). */
  bundles?: Bundle[];
  /** Desktops listed (each once). */
  count: number;
}

/** Desktops of a region plus how they were listed. */
export interface WorkspaceListing extends Omit<ListingMeta, "count"> {
  workspaces: Workspace[];
}

/** Whether the running tool may enumerate bundles (it declares the action, or no tool scope is set). */
function mayListBundles(): boolean {
  const scope = currentScope();
  return !scope || scope.allowed.has(BUNDLES_ACTION);
}

/**
 * Every bundle DescribeWorkspaces can filter on: the account's own bundles and AMAZON's public
 * ones; undefined when either listing fails (the caller then keeps its directory chains).
 */
async function listBundles(aws: Aws, o: { region: string; signal?: AbortSignal }): Promise<Bundle[] | undefined> {
  try {
    const [own, amazon] = await Promise.all([
      collect(aws, "workspaces", "DescribeWorkspaceBundles", {}, "Bundles", o),
      collect(aws, "workspaces", "DescribeWorkspaceBundles", { Owner: "AMAZON" }, "Bundles", o),
    ]);
    if (own.truncated || amazon.truncated) return undefined;
    const byId = new Map<string, Bundle>();
    for (const b of [...own.items, ...amazon.items]) if (b.BundleId) byId.set(b.BundleId, b);
    return [...byId.values()];
  } catch (e) {
    if (e instanceof AwsCallError && e.info.code !== "ExpiredCredentials" && e.info.code !== "NoCredentials") {
      return undefined;
    }
    throw e;
  }
}

/**
 * Streams every desktop of a region: lists the registered directories, then runs one
 * DescribeWorkspaces chain per Personal directory side by side (one chain without a directory when
 * the directories cannot be listed, e.g. no workspaces:DescribeWorkspaceDirectories, or there is at
 * most one Personal directory). Every desktop belongs to a registered directory (a directory cannot
 * be deregistered while it has desktops), so the union is complete. `onPage` gets each page with
 * the index of its chain.
 *
 * A directory chain still paging after SPLIT_AFTER_PAGES pages, when at most half as many directory
 * chains are left (running or waiting) as LISTING_CHAINS, is a long dependent tail — one large
 * directory, or one large beside small ones. When the running tool may call
 * DescribeWorkspaceBundles, the listing then enumerates the bundles once and splits by bundle as
 * soon as the chain has read at least half as many pages as there are bundles (a bundle chain
 * costs at least one call, and AWS publishes dozens of public bundles in a region) and not twice
 * that, provided the other chains read at most SPLIT_BUDGET_PAGES pages and no bundle holds more than
 * SPLIT_MAX_BUNDLE_SHARE of the desktops seen (bundle chains run no faster than the largest
 * bundle's). The BundleId filter cannot be combined with DirectoryId (the API model: "You cannot
 * combine this parameter with any other filter"; Limit is at most 25), so it runs one region-wide
 * chain per bundle, at most LISTING_CHAINS at once, largest bundles (by the desktops seen)
 * first. Each desktop has one BundleId, so the bundle chains are disjoint; desktops the directory
 * chains already returned are delivered once. Completeness: the bundle chains cover every bundle
 * DescribeWorkspaceBundles lists — the account's own (AWS refuses to delete a bundle while desktops
 * use it) and AMAZON's public ones — and every desktop the directory chains returned before the
 * split must be on one of them, else the directory chains (complete by the argument above) run to
 * the end instead. What this cannot prove: a desktop on a bundle neither listing returns (a
 * retired public bundle) that the first pages did not show — the API has no per-directory count to
 * compare with. The split's price: the pages read before it, one partly filled last page per bundle
 * and one call per enumerated bundle no desktop uses.
 */
async function streamWorkspaces(
  aws: Aws,
  region: string,
  signal: AbortSignal | undefined,
  onPage: (workspaces: Workspace[], chain: number) => void,
): Promise<Omit<ListingMeta, "count">> {
  const o = { region, signal };
  let directories: Directory[] | undefined;
  try {
    directories = (await collect(aws, "workspaces", "DescribeWorkspaceDirectories", {}, "Directories", o)).items;
  } catch (e) {
    if (!(e instanceof AwsCallError) || e.info.code === "ExpiredCredentials" || e.info.code === "NoCredentials") {
      throw e;
    }
  }
  // Pools directories (WorkspaceType POOLS) hold no Personal desktops: no call for them.
  const personal = directories?.filter((d) => d.WorkspaceType !== "POOLS");
  const ids = [...new Set((personal ?? []).map((d) => d.DirectoryId).filter((id): id is string => !!id))];
  const inputs: { DirectoryId?: string }[] = !personal || personal.length <= 1 ? [{}] : ids.map((DirectoryId) => ({
    DirectoryId,
  }));
  const strategy = inputs.length === 1 ? "single" as const : "by-directory" as const;
  const splittable = mayListBundles();

  // Bundle ids of the desktops seen so far (to check the enumeration covers them, and to order chains).
  const seenBundles = new Map<string, number>();
  let seen = 0;
  let pagesRead = 0;
  let finished = 0;
  const note = (page: readonly Workspace[]) => {
    pagesRead++;
    seen += page.length;
    for (const w of page) seenBundles.set(w.BundleId ?? "", (seenBundles.get(w.BundleId ?? "") ?? 0) + 1);
  };
  const covers = (bundles: readonly Bundle[]) => {
    const known = new Set(bundles.map((b) => b.BundleId));
    return [...seenBundles.keys()].every((b) => known.has(b));
  };
  // The bundles, enumerated once (when the first chain reads its SPLIT_AFTER_PAGES-th page), and the split, once taken.
  let enumerated: Promise<Bundle[] | undefined> | undefined;
  let split: Bundle[] | undefined;
  /** Whether a chain that read `n` pages and goes on should hand over to bundle chains (see above). */
  const shouldSplit = async (n: number): Promise<boolean> => {
    if (split) return true;
    if (n < SPLIT_AFTER_PAGES || !tail(n)) return false;
    const bundles = await (enumerated ??= listBundles(aws, o));
    if (split) return true;
    // One chain per bundle: worth it once the chain read half as many pages as there are bundle chains to run;
    // much later, the pages it would read again cost more than the split saves.
    const threshold = Math.max(SPLIT_AFTER_PAGES, Math.ceil((bundles?.length ?? Infinity) / 2));
    if (!bundles || n < threshold || n > 2 * threshold || !tail(n) || !covers(bundles)) return false;
    split = bundles;
    return true;
  };
  /**
   * A long tail: at most half as many directory chains left as may run (bundle chains at least
   * double the parallelism, else the pages they read again cost more than they save), few pages
   * read by the others, no bundle dominating.
   */
  const tail = (n: number) =>
    2 * (inputs.length - finished) <= LISTING_CHAINS && pagesRead - n <= SPLIT_BUDGET_PAGES &&
    Math.max(...seenBundles.values()) <= seen * SPLIT_MAX_BUNDLE_SHARE;
  const chain = async (input: { DirectoryId?: string }, index: number) => {
    const it = pages(aws, "workspaces", "DescribeWorkspaces", input, o);
    const handOver = laterInOrder((page: Workspace[]) => onPage(page, index));
    try {
      for (let n = 1;; n++) {
        const r = await it.next();
        if (r.done) break;
        const page = r.value.Workspaces ?? [];
        note(page);
        if (splittable && r.value.NextToken && await shouldSplit(n)) {
          handOver(page);
          return;
        }
        // The page reaches the consumers after this chain's next request is on its way (see laterInOrder).
        handOver(page);
      }
      finished++;
    } finally {
      await handOver.flushed();
    }
  };
  await mapLimit(inputs, LISTING_CHAINS, chain);
  const bundles = split;
  if (!bundles) return { directories, strategy, ...(enumerated ? { bundles: await enumerated } : {}) };
  if (!covers(bundles)) {
    // A chain stopping at the split returned a desktop on a bundle no listing knows: the directory
    // chains are the authority, so run them again to the end (their desktops are delivered once).
    await mapLimit(inputs, LISTING_CHAINS, async (input, index) => {
      for await (const page of pages(aws, "workspaces", "DescribeWorkspaces", input, o)) {
        onPage(page.Workspaces ?? [], index);
      }
    });
    return { directories, strategy, bundles };
  }
  // Largest bundles first, so the longest chains start first; bundles no desktop showed yet last.
  const count = (b: Bundle) => seenBundles.get(b.BundleId ?? "") ?? 0;
  const order = [...bundles].sort((a, b) => count(b) - count(a));
  await mapLimit(order, LISTING_CHAINS, async (bundle, i) => {
    const handOver = laterInOrder((page: Workspace[]) => onPage(page, inputs.length + i));
    try {
      for await (const page of pages(aws, "workspaces", "DescribeWorkspaces", { BundleId: bundle.BundleId }, o)) {
        handOver(page.Workspaces ?? []);
      }
    } finally {
      await handOver.flushed();
    }
  });
  return { directories, strategy: "by-bundle", bundles };
}

/**
 * `fn` for each value, in order, but in a later task: a listing chain hands its page over this way
 * so that its next DescribeWorkspaces request (a chain of promise steps through the SDK) is sent
 * before the consumers' work on the page (connection-status calls, metric batches) runs. The chain
 * is the critical path of every desktop tool; the consumers' work is not. `flushed()` resolves
 * when every value was handed over; once `fn` threw, nothing more is handed over, the next hand-over
 * throws (the chain stops) and `flushed()` rejects with that error.
 */
function laterInOrder<T>(fn: (value: T) => void): ((value: T) => void) & { flushed(): Promise<void> } {
  let last: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  const hand = (value: T) => {
    if (failure) throw failure.error;
    last = last.then(() =>
      new Promise<void>((resolve) => {
        setTimeout(() => {
          try {
            if (!failure) fn(value);
          } catch (error) {
            failure = { error };
          }
          resolve();
        }, 0);
      })
    );
  };
  const flushed = async () => {
    await last;
    if (failure) throw failure.error;
  };
  return Object.assign(hand, { flushed });
}

/** The region's listing: shared within the tool call and reused from the listing cache (listing_cache.ts). */
function regionListing(aws: Aws, region: string, signal: AbortSignal | undefined) {
  return sharedListing<Workspace, ListingMeta>(aws, "workspaces", region, signal, async (deliver) => {
    // A desktop is delivered once, even if two chains return it.
    const seen = new Set<string>();
    const meta = await streamWorkspaces(aws, region, signal, (page) => {
      const fresh = page.filter((w) => !w.WorkspaceId || !seen.has(w.WorkspaceId));
      for (const w of fresh) if (w.WorkspaceId) seen.add(w.WorkspaceId);
      if (fresh.length) deliver(fresh);
    });
    return { ...meta, count: seen.size };
  });
}

/** Every desktop of a delivered listing, grouped by directory in the directories' order (stable). */
function grouped(stream: SharedStream<Workspace, ListingMeta>, meta: ListingMeta): Workspace[] {
  const workspaces = stream.pages().flat();
  const directories = meta.directories;
  if (meta.strategy === "single" || !directories) return workspaces;
  // Chains run side by side (and bundle chains cross directories): regroup by directory.
  const rank = new Map(directories.map((d, i) => [d.DirectoryId, i]));
  const at = (w: Workspace) => rank.get(w.DirectoryId) ?? directories.length;
  return workspaces.sort((a, b) => at(a) - at(b));
}

/** Every desktop in a region, each once, grouped by directory in the directories' order. */
export async function listWorkspaces(aws: Aws, region: string, signal?: AbortSignal): Promise<WorkspaceListing> {
  const stream = await regionListing(aws, region, signal);
  const meta = await stream.follow(() => {});
  const { count: _count, ...rest } = meta;
  return { ...rest, workspaces: grouped(stream, meta) };
}

/**
 * Every desktop in a region, delivered page by page as AWS returns them (so callers can start
 * per-desktop work — connection status, metric reads — while the listing is still running). Same
 * listing as listWorkspaces; a desktop is delivered once. A consumer joining a listing another
 * consumer of the same tool call opened gets the pages delivered so far at once, then the rest.
 */
export async function forEachWorkspacePage(
  aws: Aws,
  region: string,
  signal: AbortSignal | undefined,
  onPage: (workspaces: Workspace[]) => void,
): Promise<ListingMeta> {
  const stream = await regionListing(aws, region, signal);
  return await stream.follow(onPage);
}

/**
 * The account's and AMAZON's bundles of a region, when this tool call's desktop listing of the
 * region enumerated them (to split by bundle); undefined otherwise (no listing is opened for it).
 * Lets a consumer skip its own bundle lookups.
 */
export async function listedBundles(region: string): Promise<Bundle[] | undefined> {
  const open = openedListing<Workspace, ListingMeta>("workspaces", region);
  try {
    return open && (await (await open).done).bundles;
  } catch {
    return undefined;
  }
}
