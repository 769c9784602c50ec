/**
 * The one desktop lister every toolset shares. Desktops are listed per directory, concurrently:
 * AWS pages DescribeWorkspaces 25 at a time with a NextToken chain, so one listing of 10,000
 * desktops is 400 sequential round trips; split by directory the chains run side by side, for at
 * most one extra call per directory. WorkSpaces Pools directories hold no Personal desktops and
 * cost no call, for every caller.
 */
import type { Aws, OpOutput } from "./clients.ts";
import { AwsCallError } from "./clients.ts";
import { collect, mapLimit, pages } from "./paginate.ts";

/** A WorkSpaces Personal desktop as DescribeWorkspaces returns it. */
export type Workspace = NonNullable<OpOutput<"workspaces", "DescribeWorkspaces">["Workspaces"]>[number];
/** A registered WorkSpaces directory. */
export type Directory = NonNullable<OpOutput<"workspaces", "DescribeWorkspaceDirectories">["Directories"]>[number];

/** Directories whose DescribeWorkspaces chains run at once (the API's rate limit is per account). */
const DIRECTORY_CONCURRENCY = 4;

/** Desktops of a region plus how they were listed. */
export interface WorkspaceListing {
  workspaces: Workspace[];
  /** The registered directories, when DescribeWorkspaceDirectories answered. */
  directories?: Directory[];
  /** "by-directory" (parallel chains) or "single" (one chain, when directories could not be listed). */
  strategy: "by-directory" | "single";
}

/**
 * Streams every desktop of a region: lists the registered directories, then runs one
 * DescribeWorkspaces chain per Personal directory side by side (one chain without a directory when
 * the directories cannot be listed, e.g. no workspaces:DescribeWorkspaceDirectories, or there is at
 * most one Personal directory). Every desktop belongs to a registered directory (a directory cannot
 * be deregistered while it has desktops), so the union is complete. `onPage` gets each page with
 * the index of its chain.
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
  const chain = async (input: { DirectoryId?: string }, index: number) => {
    for await (const page of pages(aws, "workspaces", "DescribeWorkspaces", input, o)) {
      onPage(page.Workspaces ?? [], index);
    }
  };
  // Pools directories (WorkspaceType POOLS) hold no Personal desktops: no call for them.
  const personal = directories?.filter((d) => d.WorkspaceType !== "POOLS");
  if (!personal || personal.length <= 1) {
    await chain({}, 0);
    return { directories, strategy: "single" };
  }
  const ids = [...new Set(personal.map((d) => d.DirectoryId).filter((id): id is string => !!id))];
  await mapLimit(ids, DIRECTORY_CONCURRENCY, (DirectoryId, i) => chain({ DirectoryId }, i));
  return { directories, strategy: "by-directory" };
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
