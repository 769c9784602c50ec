/**
 * AWS Price List access (pricing:GetProducts, always us-east-1) and the EUC price rules: Personal
 * bundles (license-aware, storage variants, AutoStop break-even), Pools, WorkSpaces Applications,
 * Secure Browser and Core managed instances. The public entry of the Price List layer: the query
 * layer (pricing_query.ts), the rules without AWS calls (pricing_rules.ts) and the region table
 * (pricing_locations.ts) are re-exported from here.
 *
 * Improvements over the reference: every region where the EUC services run is mapped (not 9);
 * GetProducts follows NextToken past 100 products with no 5-page cap; identical lookups share one
 * in-flight request; successes are cached with a TTL; failures (AccessDenied, throttling) are
 * returned in `errors` and never cached, so the next call tries again. A missing price is null
 * with a reason in `notes`, never a guess and never $0.
 */
import type { AwsErrorInfo } from "./errors.ts";
import type { Aws } from "./clients.ts";
import { pricingLocation } from "./pricing_locations.ts";
import { type Filters, isHourly, isMonthly, type Product, ProductCache } from "./pricing_query.ts";
// The one money format (a leaf module: it imports nothing).
import { usd } from "../tools/_lib/format.ts";
import {
  type AppUserFees,
  breakEvenHours,
  bundleFamily,
  BYOL,
  type CoreSku,
  type PersonalBundleSpec,
  personalOsLicense,
  type PersonalPrice,
  type PoolRates,
  type Priced,
  storageAttribute,
  type StorageConfiguration,
} from "./pricing_rules.ts";

export { PRICING_LOCATIONS, pricingLocation } from "./pricing_locations.ts";
export {
  isHourly,
  isMonthly,
  parseProduct,
  type PriceDimension,
  PRICING_REGION,
  type Product,
  type ProductQuery,
} from "./pricing_query.ts";
export {
  APP_FUNCTIONS,
  appOperatingSystem,
  type AppUserFees,
  breakEvenHours,
  bundleFamily,
  type CoreSku,
  type OsLicense,
  type PersonalBundleSpec,
  personalOsLicense,
  type PersonalPrice,
  type PoolRates,
  type Priced,
  storageAttribute,
  type StorageConfiguration,
} from "./pricing_rules.ts";

/** Hours in the month every monthly figure assumes (AWS's own convention: 365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** The note for a region the map does not know. */
function unmappedNote(region: string): string {
  return `Region ${region} is not in the pricing location map, so no list price can be looked up ` +
    "(China regions are priced in CNY by a separate Price List).";
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

function sameStorage(a: string | undefined, b: string): boolean {
  return (a ?? "").replace(/\s+/g, "").toLowerCase() === b.replace(/\s+/g, "").toLowerCase();
}

/** Secure Browser usage-type suffix → portal instance type. */
const WEB_TIERS: readonly [RegExp, string][] = [
  [/WEB-ST-XLARGE$/i, "standard.xlarge"],
  [/WEB-ST-LARGE$/i, "standard.large"],
  [/WEB-ST$/i, "standard.regular"],
];

/** The EUC price rules over the Price List: one cache per server, failures in `errors`, nulls never $0. */
export class PriceList extends ProductCache {
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
    const found = await this.tryRegionalAll(
      "AmazonWorkSpaces",
      region,
      location,
      variants.map((bundle) => ({ productFamily: "Enterprise Applications", bundle })),
      errors,
      notes,
      signal,
    );
    const candidates = found.flatMap((p) => p ?? []).filter((p) =>
      p.productFamily === "Enterprise Applications" && p.attributes.license === os.license &&
      os.operatingSystems.includes(p.attributes.operatingSystem ?? "") && !/plus$/i.test(p.attributes.bundle ?? "")
    );
    // Where products carry resourceType, the bundle prices are the "Hardware" ones (not storage or add-ons).
    const typed = candidates.some((p) => p.attributes.resourceType !== undefined);
    const products = typed ? candidates.filter((p) => p.attributes.resourceType === "Hardware") : candidates;
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
        `RUNNING-MODE TIPPING POINT: AutoStop costs ${usd(price.autostop_monthly_base_usd)} + ` +
          `${usd(price.autostop_hourly_usd, "/h")}; above ${price.autostop_breakeven_hours_per_month} billed hours a ` +
          `month AlwaysOn (${usd(price.alwayson_monthly_usd, "/month")}) is cheaper, below it AutoStop is.`,
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
    const [streaming, stopped, fee] = await this.tryRegionalAll(
      "AmazonWorkSpaces",
      region,
      location,
      [
        ...(family ? [{ bundle: family, runningMode: "Pool" }] : []),
        { bundle: "Stopped Instance" },
        { bundle: "User Fee" },
      ] as Filters[],
      errors,
      notes,
      signal,
    ).then((r) => (family ? r : [undefined, ...r]));
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
    const products = await this.tryRegional(
      "AmazonAppStream",
      region,
      location,
      { instanceType, instanceFunction },
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
            `${distinct.map((d) => usd(d)).join(", ")}/h; the lowest is shown.`,
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
    const products = await this.tryRegional(
      "AmazonAppStream",
      region,
      location,
      { instanceFunction: "StoppedFleetInstance" },
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
    const products = await this.tryRegional(
      "AmazonAppStream",
      region,
      location,
      { productFamily: "User Fees" },
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
    const products = await this.tryRegional("AmazonWorkSpacesWeb", region, location, {}, errors, notes, signal);
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
    const products = await this.tryRegional(
      "AmazonWorkSpacesInstances",
      region,
      location,
      { instanceType },
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
