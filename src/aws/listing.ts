/**
 * Listings that several toolsets share. Desktops are listed per directory, concurrently: AWS
 * pages DescribeWorkspaces 25 at a time with a NextToken chain, so one listing of 10,000
 * desktops is 400 sequential round trips; split by directory the chains run side by side, for
 * at most one extra call per directory.
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
 * Every desktop in a region. Lists the registered directories first and pages each directory's
 * desktops concurrently; every desktop belongs to a registered directory (a directory cannot be
 * deregistered while it has desktops), so the union is complete. Falls back to one chain when
 * the directories cannot be listed (e.g. no workspaces:DescribeWorkspaceDirectories).
 */
export async function listWorkspaces(aws: Aws, region: string, signal?: AbortSignal): Promise<WorkspaceListing> {
  const o = { region, signal };
  let directories: Directory[] | undefined;
  try {
    directories = (await collect(aws, "workspaces", "DescribeWorkspaceDirectories", {}, "Directories", o)).items;
  } catch (e) {
    if (!(e instanceof AwsCallError) || e.info.code === "ExpiredCredentials" || e.info.code === "NoCredentials") {
      throw e;
    }
  }
  if (!directories || directories.length <= 1) {
    const all = await collect(aws, "workspaces", "DescribeWorkspaces", {}, "Workspaces", o);
    return { workspaces: all.items, directories, strategy: "single" };
  }
  const ids = [...new Set(directories.map((d) => d.DirectoryId).filter((id): id is string => !!id))];
  const perDirectory = await mapLimit(
    ids,
    DIRECTORY_CONCURRENCY,
    async (DirectoryId) =>
      (await collect(aws, "workspaces", "DescribeWorkspaces", { DirectoryId }, "Workspaces", o)).items,
  );
  const seen = new Set<string>();
  const workspaces: Workspace[] = [];
  for (const list of perDirectory) {
    for (const w of list) {
      if (w.WorkspaceId && seen.has(w.WorkspaceId)) continue;
      if (w.WorkspaceId) seen.add(w.WorkspaceId);
      workspaces.push(w);
    }
  }
  return { workspaces, directories, strategy: "by-directory" };
}

/**
 * Every desktop in a region, delivered page by page as AWS returns them (so callers can start
 * per-desktop work — connection status, metric reads — while the listing is still running). Same
 * strategy as listWorkspaces: per directory side by side, one chain when the directories cannot be
 * listed; a desktop is delivered once.
 */
export async function forEachWorkspacePage(
  aws: Aws,
  region: string,
  signal: AbortSignal | undefined,
  onPage: (workspaces: Workspace[]) => void,
): Promise<Omit<WorkspaceListing, "workspaces"> & { count: number }> {
  const o = { region, signal };
  let directories: Directory[] | undefined;
  try {
    directories = (await collect(aws, "workspaces", "DescribeWorkspaceDirectories", {}, "Directories", o)).items;
  } catch (e) {
    if (!(e instanceof AwsCallError) || e.info.code === "ExpiredCredentials" || e.info.code === "NoCredentials") {
      throw e;
    }
  }
  const seen = new Set<string>();
  const deliver = (page: Workspace[]) => {
    const fresh = page.filter((w) => !w.WorkspaceId || !seen.has(w.WorkspaceId));
    for (const w of fresh) if (w.WorkspaceId) seen.add(w.WorkspaceId);
    if (fresh.length) onPage(fresh);
  };
  const chain = async (input: { DirectoryId?: string }) => {
    for await (const page of pages(aws, "workspaces", "DescribeWorkspaces", input, o)) deliver(page.Workspaces ?? []);
  };
  // Pools directories (WorkspaceType POOLS) hold no Personal desktops: no call for them.
  const personal = directories?.filter((d) => d.WorkspaceType !== "POOLS");
  if (!personal || personal.length <= 1) {
    await chain({});
    return { directories, strategy: "single", count: seen.size };
  }
  const ids = [...new Set(personal.map((d) => d.DirectoryId).filter((id): id is string => !!id))];
  await mapLimit(ids, DIRECTORY_CONCURRENCY, (DirectoryId) => chain({ DirectoryId }));
  return { directories, strategy: "by-directory", count: seen.size };
}
