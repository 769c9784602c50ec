/**
 * Live reads of write targets, one reader per family (desktops, pools, fleets): state, running
 * mode, capacity and the protected tag, all normalised to a Target. The only Describe* calls the
 * gates make.
 */
import { type Aws, AwsCallError } from "../aws/clients.ts";
import type { AwsErrorInfo } from "../aws/errors.ts";

/** The protection tag: key exact, value `true` in any case. */
export const PROTECTED_TAG = "euc-mcp:protected";

/** True when the tags carry the protection tag. */
export function isProtected(tags: Iterable<{ Key?: string; Value?: string }>): boolean {
  for (const t of tags) if (t.Key === PROTECTED_TAG && (t.Value ?? "").toLowerCase() === "true") return true;
  return false;
}

/** One target as read live. */
export interface Target {
  id: string;
  found: boolean;
  state: string | null;
  running_mode: string | null;
  protected: boolean;
  /** False when the tags could not be read (the target is then never mutated). */
  tags_read: boolean;
  desired?: number | null;
  active_sessions?: number | null;
  fleet_type?: string | null;
  max_sessions_per_instance?: number | null;
  compute_type?: string | null;
  rebuild_snapshot?: string | null;
  restore_snapshot?: string | null;
  /** False when the snapshots could not be read. */
  snapshots_read?: boolean;
}

/** Options of a read. */
export interface ReadOpts {
  tags: boolean;
  /** Read tags (and snapshots) only of targets this accepts: the ones the plan could change. */
  only?: (t: Target) => boolean;
  snapshots?: boolean;
  signal: AbortSignal;
}

/** What a reader returns. */
export interface ReadResult {
  targets: Map<string, Target>;
  errors: AwsErrorInfo[];
  /** False when the main Describe* failed: no target is known. */
  ok: boolean;
}

/** A family of targets and its reader. */
export interface Family {
  readonly kind: "desktop" | "pool" | "fleet";
  read(aws: Aws, region: string, ids: readonly string[], opts: ReadOpts): Promise<ReadResult>;
}

const info = (e: unknown): AwsErrorInfo | undefined => e instanceof AwsCallError ? e.info : undefined;

/** The classified AWS error of `e`; anything else (a bug, a cancellation) is rethrown. */
function awsError(e: unknown): AwsErrorInfo {
  const i = info(e);
  if (!i) throw e;
  return i;
}

/** Reads a WorkSpaces resource's tags into `t.protected`; a failed read leaves `tags_read` false (fail closed). */
async function readProtection(
  aws: Aws,
  t: Target,
  o: { region: string; signal?: AbortSignal },
  errors: AwsErrorInfo[],
): Promise<void> {
  try {
    const out = await aws.call("workspaces", "DescribeTags", { ResourceId: t.id }, o);
    t.protected = isProtected(out.TagList ?? []);
    t.tags_read = true;
  } catch (e) {
    errors.push(awsError(e));
  }
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const absent = (id: string): Target => ({
  id,
  found: false,
  state: null,
  running_mode: null,
  protected: false,
  tags_read: true,
});

const newest = (snaps: { SnapshotTime?: Date }[] | undefined): string | null => {
  const times = (snaps ?? []).map((s) => s.SnapshotTime?.getTime() ?? 0).filter((t) => t > 0);
  return times.length ? new Date(Math.max(...times)).toISOString() : null;
};

/** WorkSpaces Personal desktops: DescribeWorkspaces (25 ids a call), DescribeTags and DescribeWorkspaceSnapshots per id. */
export const DESKTOPS: Family = {
  kind: "desktop",
  async read(aws, region, ids, opts) {
    const targets = new Map<string, Target>();
    const errors: AwsErrorInfo[] = [];
    const o = { region, signal: opts.signal };
    try {
      for (const part of chunks(ids, 25)) {
        const out = await aws.call("workspaces", "DescribeWorkspaces", { WorkspaceIds: part }, o);
        for (const w of out.Workspaces ?? []) {
          targets.set(w.WorkspaceId!, {
            id: w.WorkspaceId!,
            found: true,
            state: w.State ?? null,
            running_mode: w.WorkspaceProperties?.RunningMode ?? null,
            compute_type: w.WorkspaceProperties?.ComputeTypeName ?? null,
            protected: false,
            tags_read: !opts.tags,
          });
        }
      }
    } catch (e) {
      errors.push(awsError(e));
      return { targets, errors, ok: false };
    }
    for (const id of ids) if (!targets.has(id)) targets.set(id, absent(id));
    const found = [...targets.values()].filter((t) => t.found);
    for (const t of found) if (opts.only && !opts.only(t)) t.tags_read = true;
    await pool(found.filter((t) => !opts.only || opts.only(t)), 5, async (t) => {
      if (opts.tags) await readProtection(aws, t, o, errors);
      if (opts.snapshots) {
        try {
          const out = await aws.call("workspaces", "DescribeWorkspaceSnapshots", { WorkspaceId: t.id }, o);
          t.rebuild_snapshot = newest(out.RebuildSnapshots);
          t.restore_snapshot = newest(out.RestoreSnapshots);
          t.snapshots_read = true;
        } catch (e) {
          t.snapshots_read = false;
          errors.push(awsError(e));
        }
      }
    });
    return { targets, errors, ok: true };
  },
};

/**
 * WorkSpaces Pools: DescribeWorkspacesPools and DescribeTags(PoolId). The CreateTags/DescribeTags
 * pages do not list pools among taggable resources, but pools carry tags from CreateWorkspacesPool;
 * a pool whose tags cannot be read is never mutated (fail closed).
 */
export const POOLS: Family = {
  kind: "pool",
  async read(aws, region, ids, opts) {
    const targets = new Map<string, Target>();
    const errors: AwsErrorInfo[] = [];
    const o = { region, signal: opts.signal };
    try {
      const out = await aws.call("workspaces", "DescribeWorkspacesPools", { PoolIds: [...ids] }, o);
      for (const p of out.WorkspacesPools ?? []) {
        targets.set(p.PoolId!, {
          id: p.PoolId!,
          found: true,
          state: p.State ?? null,
          running_mode: p.RunningMode ?? null,
          desired: p.CapacityStatus?.DesiredUserSessions ?? null,
          active_sessions: p.CapacityStatus?.ActiveUserSessions ?? null,
          protected: false,
          tags_read: !opts.tags,
        });
      }
    } catch (e) {
      const i = info(e);
      if (!i) throw e;
      if (i.code !== "NotFound") {
        errors.push(i);
        return { targets, errors, ok: false };
      }
    }
    for (const id of ids) if (!targets.has(id)) targets.set(id, absent(id));
    if (opts.tags) {
      for (const t of targets.values()) if (t.found) await readProtection(aws, t, o, errors);
    }
    return { targets, errors, ok: true };
  },
};

/** WorkSpaces Applications fleets: DescribeFleets(Names) (a missing name fails the call) and ListTagsForResource(Arn). */
export const FLEETS: Family = {
  kind: "fleet",
  async read(aws, region, ids, opts) {
    const targets = new Map<string, Target>();
    const errors: AwsErrorInfo[] = [];
    const o = { region, signal: opts.signal };
    const arns = new Map<string, string>();
    for (const name of ids) {
      try {
        const out = await aws.call("appstream", "DescribeFleets", { Names: [name] }, o);
        const f = out.Fleets?.[0];
        if (!f) continue;
        const c = f.ComputeCapacityStatus;
        const multi = (f.MaxSessionsPerInstance ?? 1) > 1;
        targets.set(name, {
          id: name,
          found: true,
          state: f.State ?? null,
          running_mode: null,
          fleet_type: f.FleetType ?? null,
          max_sessions_per_instance: f.MaxSessionsPerInstance ?? null,
          desired: multi ? c?.DesiredUserSessions ?? null : c?.Desired ?? null,
          active_sessions: multi ? c?.ActiveUserSessions ?? c?.InUse ?? null : c?.InUse ?? null,
          protected: false,
          tags_read: !opts.tags,
        });
        if (f.Arn) arns.set(name, f.Arn);
      } catch (e) {
        const i = info(e);
        if (!i) throw e;
        if (i.code !== "NotFound") {
          errors.push(i);
          return { targets, errors, ok: false };
        }
      }
    }
    for (const id of ids) if (!targets.has(id)) targets.set(id, absent(id));
    if (opts.tags) {
      for (const t of targets.values()) {
        const arn = arns.get(t.id);
        if (!t.found || !arn) continue;
        try {
          const out = await aws.call("appstream", "ListTagsForResource", { ResourceArn: arn }, o);
          t.protected = isProtected(Object.entries(out.Tags ?? {}).map(([Key, Value]) => ({ Key, Value })));
          t.tags_read = true;
        } catch (e) {
          errors.push(awsError(e));
        }
      }
    }
    return { targets, errors, ok: true };
  },
};

/** Splits `items` into API-sized chunks. */
export { chunks, pool as runPool };
