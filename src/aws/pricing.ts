/**
 * AWS Price List access (pricing:GetProducts, always us-east-1) and the EUC price rules: Personal
 * bundles (license-aware, storage variants, AutoStop break-even), Pools, WorkSpaces Applications,
 * Secure Browser and Core managed instances.
 *
 * Improvements over the reference: every region where the EUC services run is mapped (not 9);
 * GetProducts follows NextToken past 100 products with no 5-page cap; identical lookups share one
 * in-flight request; successes are cached with a TTL; failures (AccessDenied, throttling) are
 * returned in `errors` and never cached, so the next call tries again. A missing price is null
 * with a reason in `notes`, never a guess and never $0.
 */
import { type Aws, AwsCallError } from "./clients.ts";
import { type AwsErrorInfo, classifyError } from "./errors.ts";
import { pages } from "./paginate.ts";

/** Hours in the month every monthly figure assumes (AWS's own convention: 365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** The Price List endpoint region (the API also answers in eu-central-1 and ap-south-1, with the same data). */
export const PRICING_REGION = "us-east-1";

/** GetProducts returns at most 100 products per page. */
const PAGE_SIZE = 100;
/** A generous cap (10,000 products per query); hitting it adds a note instead of silently truncating. */
const MAX_PAGES = 100;
/** Default cache lifetime: the Price List changes a few times a month at most. */
const DEFAULT_TTL_MS = 6 * 60 * 60 * 1000;

/**
 * AWS region → Price List `location` value, for every commercial and GovCloud region (a region
 * where a service is not offered simply has no products, which is reported as "not published").
 * The Price List keeps the older "EU (…)" spelling for European regions, not the console's
 * "Europe (…)" long names. China regions are priced in CNY by a separate Price List partition.
 */
export const PRICING_LOCATIONS: Readonly<Record<string, string>> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
  "ca-central-1": "Canada (Central)",
  "ca-west-1": "Canada West (Calgary)",
  "mx-central-1": "Mexico (Central)",
  "sa-east-1": "South America (Sao Paulo)",
  "eu-west-1": "EU (Ireland)",
  "eu-west-2": "EU (London)",
  "eu-west-3": "EU (Paris)",
  "eu-central-1": "EU (Frankfurt)",
  "eu-central-2": "EU (Zurich)",
  "eu-north-1": "EU (Stockholm)",
  "eu-south-1": "EU (Milan)",
  "eu-south-2": "EU (Spain)",
  "af-south-1": "Africa (Cape Town)",
  "il-central-1": "Israel (Tel Aviv)",
  "me-south-1": "Middle East (Bahrain)",
  "me-central-1": "Middle East (UAE)",
  "ap-south-1": "Asia Pacific (Mumbai)",
  "ap-south-2": "Asia Pacific (Hyderabad)",
  "ap-east-1": "Asia Pacific (Hong Kong)",
  "ap-east-2": "Asia Pacific (Taipei)",
  "ap-northeast-1": "Asia Pacific (Tokyo)",
  "ap-northeast-2": "Asia Pacific (Seoul)",
  "ap-northeast-3": "Asia Pacific (Osaka)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-southeast-2": "Asia Pacific (Sydney)",
  "ap-southeast-3": "Asia Pacific (Jakarta)",
  "ap-southeast-4": "Asia Pacific (Melbourne)",
  "ap-southeast-5": "Asia Pacific (Malaysia)",
  "ap-southeast-7": "Asia Pacific (Thailand)",
  "us-gov-west-1": "AWS GovCloud (US-West)",
  "us-gov-east-1": "AWS GovCloud (US-East)",
};

/** The Price List location of a region, or undefined when it is not mapped. */
export function pricingLocation(region: string): string | undefined {
  return PRICING_LOCATIONS[region];
}

/** The note for a region the map does not know. */
function unmappedNote(region: string): string {
  return `Region ${region} is not in the pricing location map, so no list price can be looked up ` +
    "(China regions are priced in CNY by a separate Price List).";
}

// ---------------------------------------------------------------- products

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

/** The first price of a product with an hourly (or monthly) unit. */
function priceOf(p: Product, which: "hourly" | "monthly"): number | undefined {
  return p.prices.find((d) => which === "hourly" ? isHourly(d.unit) : isMonthly(d.unit))?.usd;
}

/** Rounds to cents (monthly figures) or to 4 decimals (hourly rates). */
function money(n: number, decimals = 2): number {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
}

// ---------------------------------------------------------------- break-even

/**
 * Monthly hours above which AlwaysOn is cheaper than AutoStop: (alwaysOn − base) / hourly,
 * rounded to 0.1 h. Null when a rate is missing, the hourly rate is not positive, or AlwaysOn is
 * not dearer than the AutoStop base.
 */
export function breakEvenHours(
  alwaysOnMonthly: number | null,
  autoStopBase: number | null,
  autoStopHourly: number | null,
): number | null {
  if (alwaysOnMonthly === null || autoStopBase === null || autoStopHourly === null) return null;
  if (!(autoStopHourly > 0)) return null;
  const hours = (alwaysOnMonthly - autoStopBase) / autoStopHourly;
  if (!Number.isFinite(hours) || hours <= 0) return null;
  return Math.round(hours * 10) / 10;
}

// ---------------------------------------------------------------- Personal rules

/** A WorkSpaces Personal desktop's bundle, as the WorkSpaces API describes it. */
export interface PersonalBundleSpec {
  /** WorkSpaces Compute name, e.g. "POWER". */
  computeType: string;
  /** WorkSpaces OperatingSystemName, e.g. "WINDOWS_11", "WINDOWS_SERVER_2022", "AMAZON_LINUX_2". */
  operatingSystem?: string;
  rootGib: number;
  userGib: number;
}

/** The list prices of one Personal bundle × OS × storage in one region. */
export interface PersonalPrice {
  pricing_location: string | null;
  license_model: string | null;
  alwayson_monthly_usd: number | null;
  autostop_monthly_base_usd: number | null;
  autostop_hourly_usd: number | null;
  autostop_breakeven_hours_per_month: number | null;
  completeness: "complete" | "partial" | "none";
  notes: string[];
}

/** The rates of one published storage pairing (offered when the requested one is not complete). */
export interface StorageConfiguration {
  storage: string;
  alwayson_monthly_usd: number | null;
  autostop_monthly_base_usd: number | null;
  autostop_hourly_usd: number | null;
}

const FIXED_FAMILIES: Readonly<Record<string, string>> = {
  VALUE: "Value",
  STANDARD: "Standard",
  PERFORMANCE: "Performance",
  POWER: "Power",
  POWERPRO: "PowerPro",
  GRAPHICS: "Graphics",
  GRAPHICSPRO: "GraphicsPro",
  GRAPHICS_G4DN: "Graphics.g4dn",
  GRAPHICSPRO_G4DN: "GraphicsPro.g4dn",
  GENERALPURPOSE_4XLARGE: "GeneralPurpose.4xlarge",
  GENERALPURPOSE_8XLARGE: "GeneralPurpose.8xlarge",
};

/**
 * The Price List bundle family of a WorkSpaces compute type, or undefined. The g6 families
 * (GRAPHICS_G6_XLARGE → "Graphics.g6.xlarge", GRAPHICS_GR6F_4XLARGE → "Graphics.gr6f.4xlarge")
 * follow the g4dn naming pattern.
 */
export function bundleFamily(computeType: string): string | undefined {
  const key = computeType.trim().toUpperCase();
  const fixed = FIXED_FAMILIES[key];
  if (fixed) return fixed;
  const g6 = /^GRAPHICS_(G6F?|GR6F?)_(\w+)$/.exec(key);
  if (g6) return `Graphics.${g6[1].toLowerCase()}.${g6[2].toLowerCase()}`;
  return undefined;
}

/** Price List OS values (in preference order) and license of a WorkSpaces OperatingSystemName. */
export interface OsLicense {
  operatingSystems: string[];
  license: string;
  label: string;
}

const BYOL = "Bring Your Own License";

/** The Price List operatingSystem/license a desktop OS is billed under (REFERENCE §5 table). */
export function personalOsLicense(os: string | undefined): OsLicense | undefined {
  const v = (os ?? "").toUpperCase().replace(/[\s-]+/g, "_");
  if (!v || v === "UNKNOWN") return undefined;
  // Windows 10/11 desktops run on dedicated hardware with the customer's own licence.
  if (/WINDOWS_(10|11)|WIN_?(10|11)|BYOL|WINDOWS_7/.test(v)) {
    return { operatingSystems: ["Windows", "Any"], license: BYOL, label: "Windows 10/11 (BYOL)" };
  }
  if (v.startsWith("WINDOWS")) return { operatingSystems: ["Windows"], license: "Included", label: "Windows Server" };
  if (v.includes("AMAZON")) return { operatingSystems: ["Amazon Linux"], license: "None", label: "Amazon Linux" };
  if (v.includes("UBUNTU")) return { operatingSystems: ["Ubuntu Linux"], license: "None", label: "Ubuntu" };
  if (v.includes("RHEL") || v.includes("RED_HAT")) {
    return { operatingSystems: ["Red Hat Enterprise Linux"], license: "Included", label: "Red Hat Enterprise Linux" };
  }
  if (v.includes("ROCKY")) return { operatingSystems: ["Rocky Linux"], license: "Included", label: "Rocky Linux" };
  return undefined;
}

/** The Price List `storage` attribute of a root/user pairing. */
export function storageAttribute(rootGib: number, userGib: number): string {
  return `Root:${rootGib} GB,User:${userGib} GB`;
}

function sameStorage(a: string | undefined, b: string): boolean {
  return (a ?? "").replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();
}

// ---------------------------------------------------------------- other services' results

/** WorkSpaces Pools rates in one region for one bundle family. */
export interface PoolRates {
  streaming_hourly_included_usd: number | null;
  streaming_hourly_byol_usd: number | null;
  stopped_instance_hourly_usd: number | null;
  user_fee_monthly_usd: number | null;
}

/** Microsoft user fees for included-licence WorkSpaces Applications Windows fleets. */
export interface AppUserFees {
  single_session_user_monthly_usd: number | null;
  multi_session_user_monthly_usd: number | null;
  multi_session_additional_user_monthly_usd: number | null;
}

/** One WorkSpaces Core managed-instance SKU. */
export interface CoreSku {
  unit: string;
  usd: number;
  billing_option: string | null;
  tenancy: string | null;
  description: string;
}

/** A lookup result: the value (nulls where unpublished), the location, notes and errors. */
export interface Priced<T> {
  value: T;
  pricing_location: string | null;
  notes: string[];
  errors: AwsErrorInfo[];
}

/** WorkSpaces Applications instance functions the Price List distinguishes. */
export const APP_FUNCTIONS = ["Fleet", "ImageBuilder", "AppBlockBuilder", "ElasticFleet", "MultiSessionFleet"] as const;

/**
 * The Price List operatingSystem of a WorkSpaces Applications platform or image platform
 * (REFERENCE §5: WIN10/11/BYOL → Windows BYOL, UBUNTU → Ubuntu Pro, AMAZON → Amazon Linux,
 * RHEL, ROCKY, anything else → Windows).
 */
export function appOperatingSystem(platform: string | undefined): string {
  const v = (platform ?? "").toUpperCase();
  if (/WIN(DOWS)?_?(10|11)|BYOL/.test(v)) return "Windows BYOL";
  if (v.includes("UBUNTU")) return "Ubuntu Pro";
  if (v.includes("AMAZON")) return "Amazon Linux";
  if (v.includes("RHEL") || v.includes("RED_HAT")) return "Red Hat Enterprise Linux";
  if (v.includes("ROCKY")) return "Rocky Linux";
  return "Windows";
}

/** Secure Browser usage-type suffix → portal instance type. */
const WEB_TIERS: readonly [RegExp, string][] = [
  [/WEB-ST-XLARGE$/i, "standard.xlarge"],
  [/WEB-ST-LARGE$/i, "standard.large"],
  [/WEB-ST$/i, "standard.regular"],
];

// ---------------------------------------------------------------- the cache

interface Entry {
  value: ProductQuery;
  expires: number;
}

type Filters = Readonly<Record<string, string>>;

/** A process-lifetime Price List cache; failures are returned in errors and never cached. */
export class PriceList {
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
    // A plain local name: the IAM test reads `pages(aws, "pricing", "GetProducts"` from the source.
    const aws = this.#aws;
    const it = pages(
      aws,
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
      for (const entry of (r.value.PriceList ?? []) as unknown[]) {
        const p = parseProduct(entry);
        if (p) products.push(p);
      }
    }
  }

  /** Runs one query, turning a failure into an error entry (and an empty result) instead of a throw. */
  async #tryProducts(
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

  /**
   * List prices of a WorkSpaces Personal bundle (REFERENCE §5): productFamily "Enterprise
   * Applications", the family and its -0…-3 storage variants, the storage pairing, the licence
   * by OS, AutoStop hourly from the family's base bundle, and the break-even hours.
   */
  async personal(
    region: string,
    spec: PersonalBundleSpec,
    signal?: AbortSignal,
  ): Promise<
    { price: PersonalPrice; errors: AwsErrorInfo[]; available_storage_configurations: StorageConfiguration[] }
  > {
    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    const location = pricingLocation(region) ?? null;
    const os = personalOsLicense(spec.operatingSystem);
    const family = bundleFamily(spec.computeType);
    const empty = (license: string | null): PersonalPrice => ({
      pricing_location: location,
      license_model: license,
      alwayson_monthly_usd: null,
      autostop_monthly_base_usd: null,
      autostop_hourly_usd: null,
      autostop_breakeven_hours_per_month: null,
      completeness: "none",
      notes,
    });
    if (!os) {
      notes.push(
        `Operating system ${spec.operatingSystem ?? "(not given)"} is not one the Price List rules know, ` +
          "so the licence model (Included, Bring Your Own License, None) cannot be chosen; no price is given.",
      );
    }
    if (!family) {
      notes.push(`Compute type ${spec.computeType} has no known Price List bundle family; no price is given.`);
    }
    if (!location) notes.push(unmappedNote(region));
    if (!os || !family || !location) {
      return { price: empty(os?.license ?? null), errors, available_storage_configurations: [] };
    }

    const variants = [family, `${family}-0`, `${family}-1`, `${family}-2`, `${family}-3`];
    const found = await Promise.all(variants.map((bundle) =>
      this.#tryProducts(
        "AmazonWorkSpaces",
        { location, productFamily: "Enterprise Applications", bundle },
        errors,
        notes,
        signal,
      )
    ));
    const products = found.flatMap((p) => p ?? []).filter((p) =>
      p.productFamily === "Enterprise Applications" && p.attributes.license === os.license &&
      os.operatingSystems.includes(p.attributes.operatingSystem ?? "") && !/plus$/i.test(p.attributes.bundle ?? "")
    );
    // Prefer the first OS spelling (e.g. "Windows" over "Any" for BYOL) when both are published.
    const rank = (p: Product) => os.operatingSystems.indexOf(p.attributes.operatingSystem ?? "");
    products.sort((a, b) => rank(a) - rank(b));

    const mode = (p: Product) => (p.attributes.runningMode ?? "").replace(/[\s_-]/g, "").toLowerCase();
    const hourly = products.find((p) =>
      p.attributes.bundle === family && mode(p) === "autostop" && priceOf(p, "hourly") !== undefined
    );
    const hourlyUsd = hourly ? priceOf(hourly, "hourly")! : undefined;

    const configs = new Map<string, StorageConfiguration>();
    for (const p of products) {
      const storage = p.attributes.storage;
      if (!storage) continue;
      const c = configs.get(storage) ?? {
        storage,
        alwayson_monthly_usd: null,
        autostop_monthly_base_usd: null,
        autostop_hourly_usd: null,
      };
      const monthly = priceOf(p, "monthly");
      if (monthly !== undefined) {
        if (mode(p) === "alwayson" && c.alwayson_monthly_usd === null) c.alwayson_monthly_usd = money(monthly);
        if (mode(p) === "autostop" && c.autostop_monthly_base_usd === null) {
          c.autostop_monthly_base_usd = money(monthly);
        }
      }
      configs.set(storage, c);
    }
    // The hourly rate is published once per family × OS × licence; a pairing inherits it only when it exists.
    for (const c of configs.values()) {
      if (hourlyUsd !== undefined && (c.alwayson_monthly_usd !== null || c.autostop_monthly_base_usd !== null)) {
        c.autostop_hourly_usd = money(hourlyUsd, 4);
      }
    }

    const wanted = storageAttribute(spec.rootGib, spec.userGib);
    const match = [...configs.values()].find((c) => sameStorage(c.storage, wanted));
    const price = empty(os.license);
    const what = `${family} ${os.label} (${os.license}) ${wanted} in ${location}`;
    if (match) {
      price.alwayson_monthly_usd = match.alwayson_monthly_usd;
      price.autostop_monthly_base_usd = match.autostop_monthly_base_usd;
      price.autostop_hourly_usd = match.autostop_hourly_usd;
    }
    const rates = [price.alwayson_monthly_usd, price.autostop_monthly_base_usd, price.autostop_hourly_usd];
    const have = rates.filter((r) => r !== null).length;
    price.completeness = have === 3 ? "complete" : have > 0 ? "partial" : "none";
    price.autostop_breakeven_hours_per_month = breakEvenHours(
      price.alwayson_monthly_usd,
      price.autostop_monthly_base_usd,
      price.autostop_hourly_usd,
    );

    notes.push(
      `LICENSE MODEL: ${os.label} desktops are priced with license "${os.license}"` +
        (os.license === BYOL
          ? ": you bring the Microsoft licence; it is not in these prices."
          : os.license === "None"
          ? " (no operating-system licence fee)."
          : " (the Windows/OS licence is included in these prices)."),
    );
    if (price.autostop_breakeven_hours_per_month !== null) {
      notes.push(
        `RUNNING-MODE TIPPING POINT: AutoStop costs $${price.autostop_monthly_base_usd} + ` +
          `$${price.autostop_hourly_usd}/h; above ${price.autostop_breakeven_hours_per_month} billed hours a month ` +
          `AlwaysOn ($${price.alwayson_monthly_usd}/month) is cheaper, below it AutoStop is.`,
      );
    }
    if (errors.length > 0) {
      notes.push("Some Price List lookups failed (see errors); the missing rates are unknown, not $0.");
    }
    if (!match && errors.length === 0) {
      notes.push(
        configs.size > 0
          ? `No clean bundle match: the Price List publishes ${family} for ${os.label} (${os.license}) in ${location}, ` +
            `but not with storage ${wanted}; see available_storage_configurations.`
          : `No clean bundle match: no ${family} ${os.label} (${os.license}) prices are published in ${location}.`,
      );
    }
    if (match && price.completeness === "partial") {
      const missing = [
        price.alwayson_monthly_usd === null ? "AlwaysOn monthly" : undefined,
        price.autostop_monthly_base_usd === null ? "AutoStop monthly base" : undefined,
        price.autostop_hourly_usd === null ? "AutoStop hourly" : undefined,
      ].filter(Boolean);
      notes.push(
        `PARTIAL PRICE LIST DATA (null = unpublished, not $0): no ${missing.join(", ")} rate is published for ${what}.`,
      );
    }
    if (price.autostop_breakeven_hours_per_month === null && price.completeness !== "none") {
      notes.push("The break-even hours cannot be computed without all three rates (or when AlwaysOn is not dearer).");
    }
    const available = price.completeness === "complete"
      ? []
      : [...configs.values()].sort((a, b) => a.storage.localeCompare(b.storage));
    return { price, errors, available_storage_configurations: available };
  }

  /** WorkSpaces Pools rates for a compute type: streaming (Included, BYOL), stopped instance and user fee. */
  async pools(region: string, computeType: string, signal?: AbortSignal): Promise<Priced<PoolRates>> {
    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    const location = pricingLocation(region) ?? null;
    const value: PoolRates = {
      streaming_hourly_included_usd: null,
      streaming_hourly_byol_usd: null,
      stopped_instance_hourly_usd: null,
      user_fee_monthly_usd: null,
    };
    const family = bundleFamily(computeType);
    if (!family) notes.push(`Compute type ${computeType} has no known Price List bundle family.`);
    if (!location) notes.push(unmappedNote(region));
    if (!location) return { value, pricing_location: null, notes, errors };
    const q = (filters: Filters) =>
      this.#tryProducts("AmazonWorkSpaces", { location, ...filters }, errors, notes, signal);
    const [streaming, stopped, fee] = await Promise.all([
      family ? q({ bundle: family, runningMode: "Pool" }) : Promise.resolve(undefined),
      q({ bundle: "Stopped Instance" }),
      q({ bundle: "User Fee" }),
    ]);
    for (const p of streaming ?? []) {
      const h = priceOf(p, "hourly");
      if (h === undefined) continue;
      if (p.attributes.license === "Included") value.streaming_hourly_included_usd ??= money(h, 4);
      if (p.attributes.license === BYOL) value.streaming_hourly_byol_usd ??= money(h, 4);
    }
    value.stopped_instance_hourly_usd = firstPrice(stopped, "hourly", 4);
    value.user_fee_monthly_usd = firstPrice(fee, "monthly", 2);
    nullNotes(notes, value, errors, `WorkSpaces Pools ${family ?? computeType} in ${location}`);
    return { value, pricing_location: location, notes, errors };
  }

  /** WorkSpaces Applications hourly rate of an instance type × function × Price List OS; null when unpublished. */
  async applicationsHourly(
    region: string,
    instanceType: string,
    instanceFunction: string,
    operatingSystem: string,
    signal?: AbortSignal,
  ): Promise<Priced<{ hourly_usd: number | null; available_operating_systems: Record<string, number> }>> {
    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    const location = pricingLocation(region) ?? null;
    const value = { hourly_usd: null as number | null, available_operating_systems: {} as Record<string, number> };
    if (!location) {
      notes.push(unmappedNote(region));
      return { value, pricing_location: null, notes, errors };
    }
    const products = await this.#tryProducts(
      "AmazonAppStream",
      { location, instanceType, instanceFunction },
      errors,
      notes,
      signal,
    );
    const hourly = (products ?? []).filter((p) => priceOf(p, "hourly") !== undefined);
    const matching = hourly.filter((p) => p.attributes.operatingSystem === operatingSystem);
    const distinct = [...new Set(matching.map((p) => priceOf(p, "hourly")!))].sort((a, b) => a - b);
    if (distinct.length > 0) {
      value.hourly_usd = money(distinct[0], 4);
      if (distinct.length > 1) {
        notes.push(
          `${matching.length} Price List SKUs match ${instanceType} ${instanceFunction} ${operatingSystem}, at ` +
            `${distinct.map((d) => `$${d}`).join(", ")}/h; the lowest is shown.`,
        );
      }
    } else {
      for (const p of hourly) {
        const o = p.attributes.operatingSystem;
        if (o && value.available_operating_systems[o] === undefined) {
          value.available_operating_systems[o] = money(priceOf(p, "hourly")!, 4);
        }
      }
      if (errors.length === 0) {
        notes.push(
          `No ${operatingSystem} price is published for ${instanceType} (${instanceFunction}) in ${location}` +
            (hourly.length ? "; available_operating_systems lists what is." : "."),
        );
      }
    }
    return { value, pricing_location: location, notes, errors };
  }

  /** The flat hourly fee of a stopped On-Demand WorkSpaces Applications fleet instance. */
  async applicationsStoppedFee(region: string, signal?: AbortSignal): Promise<Priced<number | null>> {
    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    const location = pricingLocation(region) ?? null;
    if (!location) return { value: null, pricing_location: null, notes: [unmappedNote(region)], errors };
    const products = await this.#tryProducts(
      "AmazonAppStream",
      { location, instanceFunction: "StoppedFleetInstance" },
      errors,
      notes,
      signal,
    );
    return { value: firstPrice(products, "hourly", 4), pricing_location: location, notes, errors };
  }

  /** Microsoft RDS SAL user fees of included-licence Windows WorkSpaces Applications. */
  async applicationsUserFees(region: string, signal?: AbortSignal): Promise<Priced<AppUserFees>> {
    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    const location = pricingLocation(region) ?? null;
    const value: AppUserFees = {
      single_session_user_monthly_usd: null,
      multi_session_user_monthly_usd: null,
      multi_session_additional_user_monthly_usd: null,
    };
    if (!location) return { value, pricing_location: null, notes: [unmappedNote(region)], errors };
    const products = await this.#tryProducts(
      "AmazonAppStream",
      { location, productFamily: "User Fees" },
      errors,
      notes,
      signal,
    );
    for (const p of products ?? []) {
      const usd = p.prices[0]?.usd;
      if (usd === undefined) continue;
      const kind = `${p.attributes.usagetype ?? ""} ${p.attributes.userFeeType ?? ""} ${p.prices[0].description}`
        .toLowerCase();
      if (/additional/.test(kind)) value.multi_session_additional_user_monthly_usd ??= money(usd);
      else if (/multi/.test(kind)) value.multi_session_user_monthly_usd ??= money(usd);
      else value.single_session_user_monthly_usd ??= money(usd);
    }
    return { value, pricing_location: location, notes, errors };
  }

  /** Secure Browser monthly active-user price per portal instance type. */
  async secureBrowser(region: string, signal?: AbortSignal): Promise<Priced<Record<string, number | null>>> {
    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    const location = pricingLocation(region) ?? null;
    const value: Record<string, number | null> = {
      "standard.regular": null,
      "standard.large": null,
      "standard.xlarge": null,
    };
    if (!location) return { value, pricing_location: null, notes: [unmappedNote(region)], errors };
    const products = await this.#tryProducts("AmazonWorkSpacesWeb", { location }, errors, notes, signal);
    for (const p of products ?? []) {
      const usage = p.attributes.usagetype ?? "";
      const tier = WEB_TIERS.find(([re]) => re.test(usage))?.[1];
      const usd = p.prices[0]?.usd;
      if (tier && usd !== undefined && value[tier] === null) value[tier] = money(usd);
    }
    nullNotes(notes, value, errors, `WorkSpaces Secure Browser in ${location}`);
    return { value, pricing_location: location, notes, errors };
  }

  /** WorkSpaces Core managed-instance SKUs of an EC2 instance type (one per billing option and tenancy). */
  async core(region: string, instanceType: string, signal?: AbortSignal): Promise<Priced<CoreSku[]>> {
    const errors: AwsErrorInfo[] = [];
    const notes: string[] = [];
    const location = pricingLocation(region) ?? null;
    if (!location) return { value: [], pricing_location: null, notes: [unmappedNote(region)], errors };
    const products = await this.#tryProducts(
      "AmazonWorkSpacesInstances",
      { location, instanceType },
      errors,
      notes,
      signal,
    );
    const value: CoreSku[] = [];
    for (const p of products ?? []) {
      for (const d of p.prices) {
        value.push({
          unit: d.unit,
          usd: money(d.usd, 4),
          billing_option: p.attributes.billingoption ?? p.attributes.billingOption ?? null,
          tenancy: p.attributes.tenancy ?? null,
          description: d.description.slice(0, 120),
        });
      }
    }
    value.sort((a, b) => `${a.billing_option}${a.tenancy}`.localeCompare(`${b.billing_option}${b.tenancy}`));
    if (products && value.length === 0) {
      notes.push(`No WorkSpaces Core price is published for ${instanceType} in ${location}.`);
    }
    return { value, pricing_location: location, notes, errors };
  }
}

function firstPrice(products: Product[] | undefined, which: "hourly" | "monthly", decimals: number): number | null {
  for (const p of products ?? []) {
    const v = priceOf(p, which);
    if (v !== undefined) return money(v, decimals);
  }
  return null;
}

function nullNotes(notes: string[], value: object, errors: AwsErrorInfo[], what: string): void {
  const missing = Object.entries(value).filter(([, v]) => v === null).map(([k]) => k);
  if (missing.length === 0) return;
  notes.push(
    errors.length > 0
      ? `Some Price List lookups failed (see errors): ${missing.join(", ")} unknown, not $0.`
      : `Not published for ${what} (null = unpublished, not $0): ${missing.join(", ")}.`,
  );
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

const SHARED = new WeakMap<Aws, PriceList>();

/** The process-wide PriceList of an Aws instance (one cache per server, shared by every tool). */
export function priceListFor(aws: Aws): PriceList {
  let list = SHARED.get(aws);
  if (!list) {
    list = new PriceList(aws);
    SHARED.set(aws, list);
  }
  return list;
}
