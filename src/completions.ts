/**
 * Completion values for prompt arguments and resource-template variables (`completion/complete`).
 * Resource names come from the live estate through the server's AWS client — only tier-0 list
 * actions, run under one declared scope so the simulator's least-privilege check holds — bounded
 * (a few pages, a short timeout) and cached briefly per region, so a client typing in a prompt
 * form does not send one AWS listing per keystroke. Failures answer "no suggestions", never an error.
 */
import type { Aws } from "./aws/clients.ts";
import { IAM_TIERS } from "./aws/errors.ts";
import { collect } from "./aws/paginate.ts";
import { PRICING_LOCATIONS } from "./aws/pricing_locations.ts";
import { withActions } from "./aws/scope.ts";
import type { Config } from "./config.ts";
import type { Logger } from "./log.ts";
import { REGION_PATTERN } from "./tools/_lib/patterns.ts";
import { TOOLSET_IDS } from "./tools/catalogue.ts";

/** The AWS actions completions may send: all tier-0 list calls (iam/tier0-diagnostics.json grants them). */
export const COMPLETION_ACTIONS = [
  "workspaces:DescribeWorkspaces",
  "workspaces:DescribeWorkspacesPools",
  "appstream:DescribeFleets",
  "appstream:DescribeStacks",
  "workspaces-web:ListPortals",
] as const;

/** How long a region's listing is reused, and the bounds of one listing. */
export const COMPLETION_LIMITS = { ttlMs: 60_000, maxPages: 4, maxItems: 500, timeoutMs: 4_000, maxValues: 100 };

/** A kind of live resource a completion can list. */
export type EstateKind = "workspace" | "pool" | "fleet" | "stack" | "portal";

/** One completable resource: the value to insert and extra words it also matches (a user name). */
interface Candidate {
  value: string;
  also?: string;
}

/** The context a client sends with a completion: the arguments already filled in. */
export interface CompletionContext {
  arguments?: Record<string, string>;
}

/** Live-estate completions with a short per-region cache. */
export class Completions {
  readonly #cache = new Map<string, { at: number; values: Promise<Candidate[]> }>();

  constructor(
    readonly deps: { aws: Aws; config: Config; log: Logger; now?: () => number },
  ) {}

  /** Ids or names of one kind of resource that match what the user typed, in the context's region. */
  async estate(kind: EstateKind, typed: string, context?: CompletionContext): Promise<string[]> {
    const region = await this.#region(context);
    if (!region) return [];
    const candidates = await this.#list(kind, region);
    const t = typed.toLowerCase();
    // A WorkSpace matches by id or by its user's name ("ali" → alice's desktop).
    const hits = candidates.filter((c) =>
      c.value.toLowerCase().startsWith(t) || (c.also !== undefined && c.also.toLowerCase().includes(t)) ||
      (kind === "portal" && c.value.toLowerCase().includes(t))
    );
    return hits.map((c) => c.value).slice(0, COMPLETION_LIMITS.maxValues);
  }

  /** Region names: the configured ones first, then every region AWS publishes prices for. */
  regions(typed: string): string[] {
    const known = [
      ...(this.deps.config.region ? [this.deps.config.region] : []),
      ...this.deps.config.regions,
      ...Object.keys(PRICING_LOCATIONS),
    ];
    return prefixed([...new Set(known)], typed);
  }

  /** Toolset ids. */
  toolsets(typed: string): string[] {
    return prefixed(TOOLSET_IDS, typed);
  }

  /** IAM tier names as the `euc://iam/{tier}` template takes them. */
  tiers(typed: string): string[] {
    return prefixed(IAM_TIERS.map((t) => `tier${t.tier}`), typed);
  }

  async #region(context?: CompletionContext): Promise<string | undefined> {
    const given = context?.arguments?.region?.trim();
    if (given && REGION_PATTERN.test(given)) return given;
    return await this.deps.aws.defaultRegion();
  }

  #list(kind: EstateKind, region: string): Promise<Candidate[]> {
    const now = (this.deps.now ?? Date.now)();
    const key = `${kind}@${region}`;
    const hit = this.#cache.get(key);
    if (hit && now - hit.at < COMPLETION_LIMITS.ttlMs) return hit.values;
    const values = withActions("completion/complete", COMPLETION_ACTIONS, () => listEstate(this.deps.aws, kind, region))
      .catch((e) => {
        // A failed listing is not cached: the next keystroke tries again.
        this.#cache.delete(key);
        this.deps.log.debug("completion listing failed", { kind, region, error: String((e as Error)?.message ?? e) });
        return [] as Candidate[];
      });
    this.#cache.set(key, { at: now, values });
    return values;
  }
}

function prefixed(values: readonly string[], typed: string): string[] {
  const t = typed.toLowerCase();
  return values.filter((v) => v.toLowerCase().startsWith(t)).slice(0, COMPLETION_LIMITS.maxValues);
}

async function listEstate(aws: Aws, kind: EstateKind, region: string): Promise<Candidate[]> {
  const opts = {
    region,
    maxPages: COMPLETION_LIMITS.maxPages,
    maxItems: COMPLETION_LIMITS.maxItems,
    signal: AbortSignal.timeout(COMPLETION_LIMITS.timeoutMs),
  };
  switch (kind) {
    case "workspace": {
      const { items } = await collect(aws, "workspaces", "DescribeWorkspaces", {}, "Workspaces", opts);
      return items.filter((w) => w.WorkspaceId).map((w) => ({ value: w.WorkspaceId!, also: w.UserName }));
    }
    case "pool": {
      const { items } = await collect(aws, "workspaces", "DescribeWorkspacesPools", {}, "WorkspacesPools", opts);
      return items.filter((p) => p.PoolId).map((p) => ({ value: p.PoolId!, also: p.PoolName }));
    }
    case "fleet": {
      const { items } = await collect(aws, "appstream", "DescribeFleets", {}, "Fleets", opts);
      return items.filter((f) => f.Name).map((f) => ({ value: f.Name! }));
    }
    case "stack": {
      const { items } = await collect(aws, "appstream", "DescribeStacks", {}, "Stacks", opts);
      return items.filter((s) => s.Name).map((s) => ({ value: s.Name! }));
    }
    case "portal": {
      const { items } = await collect(aws, "workspaces-web", "ListPortals", {}, "portals", opts);
      return items.filter((p) => p.portalArn).map((p) => ({ value: p.portalArn!, also: p.displayName }));
    }
  }
}
