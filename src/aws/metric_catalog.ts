/**
 * Which CloudWatch metrics exist, read with ListMetrics instead of assumed. Where AWS's naming is
 * uncertain (the Pools dimension is `WorkSpaces pool ID` on some AWS pages and `Pool` on others;
 * Secure Browser's metric names rest on one source) a tool asks the catalogue first and reads what
 * exists. ListMetrics returns metrics with data in the last two weeks, 500 per page behind NextToken;
 * one listing per region and filter is made per tool call and cached in the catalogue.
 */
import { type Aws, AwsCallError } from "./clients.ts";
import { type AwsErrorInfo, classifyError } from "./errors.ts";
import { pages } from "./paginate.ts";

/** One listed metric: its name and dimensions. */
export interface ListedMetric {
  readonly metric: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What one listing asks for. */
export interface CatalogFilter {
  readonly namespace: string;
  readonly metricName?: string;
  /** Only metrics carrying this dimension (any value). */
  readonly dimensionName?: string;
}

/** The Pools dimension names AWS's pages use, the documented one first. */
export const POOL_DIMENSIONS = ["WorkSpaces pool ID", "Pool"] as const;

/** The Secure Browser namespace and the dimension its portal metrics are keyed by. */
export const SECURE_BROWSER = { namespace: "AWS/WorkSpacesWeb", dimension: "PortalId" } as const;

/** A pool metric published by every running pool, used to find the pool's dimension name in one listing. */
const POOL_PROBE_METRIC = "ActiveUserSessionCapacity";

/** ListMetrics results for one tool call: each (region, filter) is listed once, every page followed. */
export class MetricCatalog {
  readonly #aws: Aws;
  readonly #signal?: AbortSignal;
  readonly #cache = new Map<string, Promise<ListedMetric[]>>();
  /** Listings that failed (AccessDenied on an old policy, throttling): callers fall back to defaults. */
  readonly errors: AwsErrorInfo[] = [];
  /** ListMetrics requests made (pages included). */
  requests = 0;

  constructor(aws: Aws, signal?: AbortSignal) {
    this.#aws = aws;
    this.#signal = signal;
  }

  /** The metrics matching the filter in the region; null when ListMetrics could not be read. */
  async list(region: string, filter: CatalogFilter): Promise<ListedMetric[] | null> {
    const key = `${region}|${filter.namespace}|${filter.metricName ?? ""}|${filter.dimensionName ?? ""}`;
    let p = this.#cache.get(key);
    if (!p) {
      p = this.#read(region, filter);
      this.#cache.set(key, p);
    }
    try {
      return await p;
    } catch {
      return null;
    }
  }

  async #read(region: string, filter: CatalogFilter): Promise<ListedMetric[]> {
    const out: ListedMetric[] = [];
    try {
      const input = {
        Namespace: filter.namespace,
        MetricName: filter.metricName,
        Dimensions: filter.dimensionName ? [{ Name: filter.dimensionName }] : undefined,
      };
      for await (const page of pages(this.#aws, "cloudwatch", "ListMetrics", input, { region, signal: this.#signal })) {
        this.requests++;
        for (const m of page.Metrics ?? []) {
          const dimensions: Record<string, string> = {};
          for (const d of m.Dimensions ?? []) if (d.Name) dimensions[d.Name] = d.Value ?? "";
          if (m.MetricName) out.push({ metric: m.MetricName, dimensions });
        }
      }
    } catch (e) {
      if ((e as Error)?.name === "AbortError") throw e;
      this.errors.push(
        e instanceof AwsCallError
          ? e.info
          : classifyError(e, { service: "cloudwatch", operation: "ListMetrics", region }),
      );
      throw e;
    }
    return out;
  }
}

/**
 * The dimension name each pool's metrics are published under, from one listing per region; a pool
 * with no listed metrics (stopped, new, or ListMetrics unreadable) gets the documented name.
 */
export async function poolDimensions(
  catalog: MetricCatalog,
  region: string,
  poolIds: readonly string[],
): Promise<Map<string, string>> {
  const listed = await catalog.list(region, { namespace: "AWS/WorkSpaces", metricName: POOL_PROBE_METRIC });
  const found = new Map<string, string>();
  for (const m of listed ?? []) {
    for (const name of POOL_DIMENSIONS) {
      const id = m.dimensions[name];
      if (id !== undefined && Object.keys(m.dimensions).length === 1 && !found.has(id)) found.set(id, name);
    }
  }
  return new Map(poolIds.map((id) => [id, found.get(id) ?? POOL_DIMENSIONS[0]]));
}

/** What a Secure Browser portal publishes: metric names and the dimension sets each comes with. */
export interface PortalMetrics {
  /** False when ListMetrics could not be read (then nothing is known, not "nothing published"). */
  readonly known: boolean;
  /** Metric names listed for the portal (any dimension set that includes PortalId = the portal). */
  readonly metrics: readonly string[];
  /** Each listed metric with its full dimensions (e.g. DisplayLatency by PortalId and UserName). */
  readonly series: readonly ListedMetric[];
}

/** The AWS/WorkSpacesWeb metrics that exist for each portal id, from one listing of the namespace per region. */
export async function portalMetrics(
  catalog: MetricCatalog,
  region: string,
  portalIds: readonly string[],
): Promise<Map<string, PortalMetrics>> {
  const listed = await catalog.list(region, { namespace: SECURE_BROWSER.namespace });
  const out = new Map<string, PortalMetrics>();
  for (const id of portalIds) {
    const series = (listed ?? []).filter((m) => m.dimensions[SECURE_BROWSER.dimension] === id);
    out.set(id, { known: listed !== null, metrics: [...new Set(series.map((s) => s.metric))].sort(), series });
  }
  return out;
}
