/**
 * The Price List query layer: GetProducts (always us-east-1) over every page, products parsed to
 * what the rules need, identical lookups sharing one in-flight request, successes cached with a
 * TTL, and failures returned in `errors` (never cached, so the next call tries again).
 */
import { type Aws, AwsCallError } from "./clients.ts";
import { type AwsErrorInfo, classifyError } from "./errors.ts";
import { MalformedResponseError } from "./http.ts";
import { pages } from "./paginate.ts";

/** The Price List endpoint region (the API also answers in eu-central-1 and ap-south-1, with the same data). */
export const PRICING_REGION = "us-east-1";

/** GetProducts returns at most 100 products per page. */
const PAGE_SIZE = 100;
/** A generous cap (10,000 products per query); hitting it adds a note instead of silently truncating. */
const MAX_PAGES = 100;
/** Default cache lifetime: the Price List changes a few times a month at most. */
const DEFAULT_TTL_MS = 6 * 60 * 60 * 1000;

/** One on-demand price dimension of a product (USD list price). */
export interface PriceDimension {
  unit: string;
  usd: number;
  description: string;
}

/** A Price List product reduced to what the rules need. */
export interface Product {
  sku: string;
  productFamily: string;
  attributes: Record<string, string>;
  /** Non-zero USD on-demand dimensions (zero-priced dimensions are skipped, as AWS uses them as placeholders). */
  prices: PriceDimension[];
}

/** The products one GetProducts query returned, over every page. */
export interface ProductQuery {
  products: Product[];
  /** True when MAX_PAGES stopped the listing. */
  truncated: boolean;
  pages: number;
}

/** Parses one PriceList entry (a JSON string in the API, sometimes a LazyJsonString or an object). */
export function parseProduct(entry: unknown): Product | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = (typeof entry === "string" || entry instanceof String)
      ? JSON.parse(String(entry))
      : entry as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const product = doc?.product as Record<string, unknown> | undefined;
  if (!product) return undefined;
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries((product.attributes ?? {}) as Record<string, unknown>)) {
    if (typeof v === "string") attributes[k] = v;
  }
  const prices: PriceDimension[] = [];
  const onDemand = ((doc.terms as Record<string, unknown> | undefined)?.OnDemand ?? {}) as Record<string, unknown>;
  for (const term of Object.values(onDemand)) {
    const dims = ((term as Record<string, unknown>)?.priceDimensions ?? {}) as Record<string, unknown>;
    for (const dim of Object.values(dims)) {
      const d = dim as { unit?: string; description?: string; pricePerUnit?: { USD?: string } };
      const usd = Number(d.pricePerUnit?.USD);
      if (!Number.isFinite(usd) || usd <= 0) continue;
      prices.push({ unit: d.unit ?? "", usd, description: d.description ?? "" });
    }
  }
  return {
    sku: String(product.sku ?? ""),
    productFamily: String(product.productFamily ?? ""),
    attributes,
    prices,
  };
}

/** True for an hourly unit ("Hrs", "Hour", "hours"). */
export function isHourly(unit: string): boolean {
  return /^(hrs?|hours?)$/i.test(unit.trim());
}

/** True for a monthly unit ("Month", "Mo", "User-Month"). */
export function isMonthly(unit: string): boolean {
  return /(^|-)(mo|month|months)$/i.test(unit.trim());
}

// ---------------------------------------------------------------- the cache

interface Entry {
  value: ProductQuery;
  expires: number;
}

/** TERM_MATCH filters of one query: Price List field → value. */
export type Filters = Readonly<Record<string, string>>;

/** A process-lifetime Price List product cache; failures are returned in errors and never cached. */
export class ProductCache {
  readonly #aws: Aws;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, Entry>();
  readonly #inflight = new Map<string, Promise<ProductQuery>>();
  /** GetProducts requests sent (pages, not lookups): lets tools say what a lookup cost. */
  requests = 0;

  constructor(aws: Aws, opts: { ttlMs?: number } = {}) {
    this.#aws = aws;
    this.#ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  }

  /**
   * Every product of `serviceCode` matching the TERM_MATCH `filters`, over all pages. Throws
   * AwsCallError on failure (nothing is cached then). Concurrent identical queries share one
   * request; a caller's cancellation only stops its own wait.
   */
  async products(serviceCode: string, filters: Filters, signal?: AbortSignal): Promise<ProductQuery> {
    const key = JSON.stringify([serviceCode, Object.entries(filters).sort(([a], [b]) => a.localeCompare(b))]);
    const hit = this.#cache.get(key);
    if (hit && hit.expires > Date.now()) return hit.value;
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#fetch(serviceCode, filters).then(
        (value) => {
          this.#cache.set(key, { value, expires: Date.now() + this.#ttlMs });
          this.#inflight.delete(key);
          return value;
        },
        (e) => {
          this.#inflight.delete(key);
          throw e;
        },
      );
      this.#inflight.set(key, pending);
    }
    return await untilAborted(pending, signal);
  }

  async #fetch(serviceCode: string, filters: Filters): Promise<ProductQuery> {
    const Filters = Object.entries(filters).map(([Field, Value]) => ({ Type: "TERM_MATCH" as const, Field, Value }));
    const it = pages(
      this.#aws,
      "pricing",
      "GetProducts",
      { ServiceCode: serviceCode, Filters, FormatVersion: "aws_v1", MaxResults: PAGE_SIZE },
      { region: PRICING_REGION, maxPages: MAX_PAGES },
    );
    const products: Product[] = [];
    let count = 0;
    for (;;) {
      const r = await it.next();
      if (r.done) return { products, truncated: r.value.truncated, pages: count };
      count++;
      this.requests++;
      let unreadable = 0;
      for (const entry of (r.value.PriceList ?? []) as unknown[]) {
        const p = parseProduct(entry);
        if (p) products.push(p);
        else unreadable++;
      }
      // A product that cannot be read could be the one that matches: the query fails with a listed error
      // rather than pricing from what is left.
      if (unreadable) {
        const e = new MalformedResponseError(
          `${unreadable} PriceList ${unreadable === 1 ? "entry" : "entries"} of ${serviceCode} null or not a product`,
        );
        throw new AwsCallError(
          classifyError(e, { service: "pricing", operation: "GetProducts", region: PRICING_REGION }),
          e,
        );
      }
    }
  }

  /**
   * The products of one region for each filter set: filtered on `regionCode` (what AWS's own pricing
   * MCP server filters on; the `location` names of newer regions disagree between sources, e.g.
   * "EU (Zurich)" and "Europe (Zurich)"), falling back to `location` only when none of the sets
   * found a product by regionCode (a catalogue whose products lack the attribute). Undefined where
   * a query failed (the error is in `errors`).
   */
  protected async tryRegionalAll(
    serviceCode: string,
    region: string,
    location: string | null,
    filterSets: readonly Filters[],
    errors: AwsErrorInfo[],
    notes: string[],
    signal?: AbortSignal,
  ): Promise<(Product[] | undefined)[]> {
    const run = (where: Filters) =>
      Promise.all(filterSets.map((f) => this.tryProducts(serviceCode, { ...where, ...f }, errors, notes, signal)));
    const byCode = await run({ regionCode: region });
    if (!location || byCode.some((r) => r === undefined || r.length > 0)) return byCode;
    const byLocation = await run({ location });
    // A product found by location that names another regionCode is not this region's.
    return byLocation.map((r) => r?.filter((p) => !p.attributes.regionCode || p.attributes.regionCode === region));
  }

  /** tryRegionalAll for one filter set. */
  protected async tryRegional(
    serviceCode: string,
    region: string,
    location: string | null,
    filters: Filters,
    errors: AwsErrorInfo[],
    notes: string[],
    signal?: AbortSignal,
  ): Promise<Product[] | undefined> {
    return (await this.tryRegionalAll(serviceCode, region, location, [filters], errors, notes, signal))[0];
  }

  /** Runs one query, turning a failure into an error entry (and an empty result) instead of a throw. */
  protected async tryProducts(
    serviceCode: string,
    filters: Filters,
    errors: AwsErrorInfo[],
    notes: string[],
    signal?: AbortSignal,
  ): Promise<Product[] | undefined> {
    try {
      const q = await this.products(serviceCode, filters, signal);
      if (q.truncated) {
        notes.push(
          `The Price List returned more than ${MAX_PAGES * PAGE_SIZE} ${serviceCode} products for one query; ` +
            "only the first ones were read.",
        );
      }
      return q.products;
    } catch (e) {
      if ((e as Error)?.name === "AbortError") throw e;
      const info = e instanceof AwsCallError
        ? e.info
        : classifyError(e, { service: "pricing", operation: "GetProducts", region: PRICING_REGION });
      if (!errors.some((x) => x.code === info.code && x.message === info.message)) errors.push(info);
      return undefined;
    }
  }
}

/** Waits for a shared promise, but stops waiting (AbortError) when this caller's signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function abortError(): Error {
  return Object.assign(new Error("The operation was aborted"), { name: "AbortError" });
}
