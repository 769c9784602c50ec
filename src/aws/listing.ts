/**
 * The one desktop lister every toolset shares. Desktops are listed per directory, concurrently
 * (and a large directory split by bundle, see streamWorkspaces):
 * AWS pages DescribeWorkspaces 25 at a time with a NextToken chain, so one listing of 10,000
 * desktops is 400 sequential round trips; split by directory the chains run side by side, for at
 * most one extra call per directory. WorkSpaces Pools directories hold no Personal desktops and
 * cost no call, for every caller.
 */
import type { Aws, OpOutput } from "./clients.ts";
import { AwsCallError } from "./clients.ts";
import { currentScope } from "./scope.ts";
import { collect, mapLimit, pages } from "./paginate.ts";

/** A WorkSpaces Personal desktop as DescribeWorkspaces returns it. */
export type Workspace = NonNullable<OpOutput<"workspaces", "DescribeWorkspaces">["Workspaces"]>[number];
/** A registered WorkSpaces directory. */
export type Directory = NonNullable<OpOutput<"workspaces", "DescribeWorkspaceDirectories">["Directories"]>[number];

/** Chains (directory or bundle) whose DescribeWorkspaces pages run at once (the API's rate limit is per account). */
const DIRECTORY_CONCURRENCY = 4;
/**
 * Pages a directory chain reads before the listing may split the region by bundle: a directory
 * still paging after this many (200 desktops) is large, and with fewer Personal directories than
 * chains allowed, parallel bundle chains finish sooner than its one NextToken chain.
 */
const SPLIT_AFTER_PAGES = 8;
const BUNDLES_ACTION = "workspaces:DescribeWorkspaceBundles";

/** Desktops of a region plus how they were listed. */
export interface WorkspaceListing {
  workspaces: Workspace[];
  /** The registered directories, when DescribeWorkspaceDirectories answered. */
  directories?: Directory[];
  /**
   * "by-directory" (parallel chains), "single" (one chain, when directories could not be listed or
   * there is one Personal directory) or "by-bundle" (a large directory: one region-wide BundleId
   * chain per bundle of the account and of AMAZON, side by side).
   */
  strategy: "by-directory" | "single" | "by-bundle";
}

/** Whether the running tool may enumerate bundles (it declares the action, or no tool scope is set). */
function mayListBundles(): boolean {
  const scope = currentScope();
  return !scope || scope.allowed.has(BUNDLES_ACTION);
}

/**
 * Every bundle id DescribeWorkspaces can filter on: the account's own bundles and AMAZON's public
 * ones; undefined when either listing fails (the caller then keeps its directory chains).
 */
async function bundleIds(aws: Aws, o: { region: string; signal?: AbortSignal }): Promise<string[] | undefined> {
  try {
    const [own, amazon] = await Promise.all([
      collect(aws, "workspaces", "DescribeWorkspaceBundles", {}, "Bundles", o),
      collect(aws, "workspaces", "DescribeWorkspaceBundles", { Owner: "AMAZON" }, "Bundles", o),
    ]);
    if (own.truncated || amazon.truncated) return undefined;
    return [...new Set([...own.items, ...amazon.items].map((b) => b.BundleId).filter((id): id is string => !!id))];
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
 * A large directory (still paging after SPLIT_AFTER_PAGES pages) in a region with fewer Personal
 * directories than DIRECTORY_CONCURRENCY is one long dependent chain; when the running tool may call
 * DescribeWorkspaceBundles, the listing then splits by bundle instead: the BundleId filter cannot be
 * combined with DirectoryId (the API model: "You cannot combine this parameter with any other
 * filter"), so it runs one region-wide chain per bundle, at most DIRECTORY_CONCURRENCY at once,
 * largest bundles (by the desktops already seen) first. Each desktop has one BundleId, so the
 * bundle chains are disjoint; desktops the directory chains already returned are delivered once.
 * Completeness: the bundle chains cover every bundle DescribeWorkspaceBundles lists — the
 * account's own (AWS refuses to delete a bundle while desktops use it) and AMAZON's public ones —
 * and every desktop the directory chains returned before the split must be on one of them, else
 * the directory chains (complete by the argument above) run to the end instead. What this cannot
 * prove: a desktop on a bundle neither listing returns (a retired public bundle) that the first
 * pages did not show — the API has no per-directory count to compare with.
 */
async function streamWorkspaces(
  aws: Aws,
  region: string,
  signal: AbortSignal | undefined,
  onPage: (workspaces: Workspace[], chain: number) => void,
): Promise<Omit<WorkspaceListing, "workspaces">> {
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
  const splittable = inputs.length < DIRECTORY_CONCURRENCY && mayListBundles();

  // Bundle ids of the desktops seen so far (to check the enumeration covers them, and to order chains).
  const seenBundles = new Map<string, number>();
  const note = (page: readonly Workspace[]) => {
    for (const w of page) seenBundles.set(w.BundleId ?? "", (seenBundles.get(w.BundleId ?? "") ?? 0) + 1);
  };
  // The split decision, taken once by the first chain that turns out large; the others wait on it.
  let split: Promise<string[] | undefined> | undefined;
  const decide = () => split ??= bundleIds(aws, o).then((bundles) => bundles && covers(bundles) ? bundles : undefined);
  const covers = (bundles: readonly string[]) => {
    const known = new Set(bundles);
    return [...seenBundles.keys()].every((b) => known.has(b));
  };
  const chain = async (input: { DirectoryId?: string }, index: number) => {
    const it = pages(aws, "workspaces", "DescribeWorkspaces", input, o);
    for (let n = 1;; n++) {
      const r = await it.next();
      if (r.done) return;
      const page = r.value.Workspaces ?? [];
      note(page);
      onPage(page, index);
      if (splittable && (n >= SPLIT_AFTER_PAGES || split) && r.value.NextToken && await decide()) return;
    }
  };
  await mapLimit(inputs, DIRECTORY_CONCURRENCY, chain);
  const bundles = split && await split;
  if (!bundles) return { directories, strategy };
  if (!covers(bundles)) {
    // A chain stopping at the split returned a desktop on a bundle no listing knows: the directory
    // chains are the authority, so run them again to the end (their desktops are delivered once).
    await mapLimit(inputs, DIRECTORY_CONCURRENCY, async (input, index) => {
      for await (const page of pages(aws, "workspaces", "DescribeWorkspaces", input, o)) {
        onPage(page.Workspaces ?? [], index);
      }
    });
    return { directories, strategy };
  }
  // Largest bundles first, so the longest chains start first; bundles no desktop showed yet last.
  const order = [...bundles].sort((a, b) => (seenBundles.get(b) ?? 0) - (seenBundles.get(a) ?? 0));
  await mapLimit(order, DIRECTORY_CONCURRENCY, async (BundleId, i) => {
    for await (const page of pages(aws, "workspaces", "DescribeWorkspaces", { BundleId }, o)) {
      onPage(page.Workspaces ?? [], inputs.length + i);
    }
  });
  return { directories, strategy: "by-bundle" };
}

/** Keeps the desktops not seen before (a desktop is delivered once, even if two chains return it). */
function firstSeen(seen: Set<string>, page: readonly Workspace[]): Workspace[] {
  const fresh = page.filter((w) => !w.WorkspaceId || !seen.has(w.WorkspaceId));
  for (const w of fresh) if (w.WorkspaceId) seen.add(w.WorkspaceId);
  return fresh;
}

/** Every desktop in a region, each once, grouped by directory in the directories' order. */
export async function listWorkspaces(aws: Aws, region: string, signal?: AbortSignal): Promise<WorkspaceListing> {
  const byChain: Workspace[][] = [];
  const { directories, strategy } = await streamWorkspaces(aws, region, signal, (page, i) => {
    (byChain[i] ??= []).push(...page);
  });
  const seen = new Set<string>();
  const workspaces = byChain.flatMap((list) => firstSeen(seen, list));
  if (strategy === "by-bundle" && directories) {
    // Bundle chains cross directories: regroup by directory, in the directories' order (stable).
    const rank = new Map(directories.map((d, i) => [d.DirectoryId, i]));
    const at = (w: Workspace) => rank.get(w.DirectoryId) ?? directories.length;
    workspaces.sort((a, b) => at(a) - at(b));
  }
  return { workspaces, directories, strategy };
}

/**
 * Every desktop in a region, delivered page by page as AWS returns them (so callers can start
 * per-desktop work — connection status, metric reads — while the listing is still running). Same
 * listing as listWorkspaces; a desktop is delivered once.
 */
export async function forEachWorkspacePage(
  aws: Aws,
  region: string,
  signal: AbortSignal | undefined,
  onPage: (workspaces: Workspace[]) => void,
): Promise<Omit<WorkspaceListing, "workspaces"> & { count: number }> {
  const seen = new Set<string>();
  const { directories, strategy } = await streamWorkspaces(aws, region, signal, (page) => {
    const fresh = firstSeen(seen, page);
    if (fresh.length) onPage(fresh);
  });
  return { directories, strategy, count: seen.size };
}
