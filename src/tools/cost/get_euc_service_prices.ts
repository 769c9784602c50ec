/**
 * get_euc_service_prices: live list prices (Price List API) of one EUC service in one or more
 * regions, with failures in `errors` instead of silent nulls.
 */
import { z } from "zod";
import { HOURS_PER_MONTH } from "../../aws/pricing.ts";
import { PRODUCT, SERVICE_IDS, serviceFromAlias } from "../../names.ts";
import { READ_ONLY, type ToolDef, ToolFailure } from "../registry.ts";
import { PriceFields, PriceResult, PricesInput } from "./_price_schemas.ts";
import { checkPriceArgs, priceOne } from "./_prices.ts";
import { usd } from "../_lib/format.ts";

const ASSUMPTIONS = [
  "LIST prices in USD from the AWS Price List API: private pricing, EDP/PPA discounts, Savings Plans and credits are not included.",
  `A month is ${HOURS_PER_MONTH} hours (monthly = hourly × ${HOURS_PER_MONTH}); a day is 24 hours.`,
  "Prices are looked up live and cached for the server's lifetime (6 hours); failed lookups are retried on the next call.",
];

const PricesOutput = z.object({
  ...PriceFields,
  assumptions: z.array(z.string()),
  regions: z.array(z.string()),
  by_region: z.record(z.string(), PriceResult).optional().describe("One answer per region when `regions` was given"),
});

/** What a bare call prices (the default service needs an instance type or a fleet). */
const EXAMPLE_INSTANCE_TYPE = "stream.standard.medium";
const EXAMPLE_NOTE =
  `No instance_type or fleet_name was given: ${EXAMPLE_INSTANCE_TYPE} is priced as an example. Pass instance_type ` +
  "or fleet_name for WorkSpaces Applications, compute_type for personal or pools, instance_type for core; " +
  "secure-browser needs nothing else.";

/** List prices of one EUC service in one or more regions, from the Price List API. */
export const getEucServicePrices: ToolDef<typeof PricesInput, typeof PricesOutput> = {
  name: "get_euc_service_prices",
  title: "EUC list prices",
  toolset: "cost",
  tier: 1,
  actions: ["appstream:DescribeFleets", "appstream:DescribeImages", "pricing:GetProducts"],
  annotations: READ_ONLY,
  description: "Live AWS list prices (Price List API) for one EUC service, in one region or several (`regions` → " +
    "by_region). personal: a bundle's AlwaysOn monthly, AutoStop base + hourly and the break-even hours per month " +
    "(licence-aware: Windows 10/11 = BYOL; needs compute_type, operating_system, root/user volume GiB). pools: " +
    "streaming, stopped and user-fee rates (compute_type). applications (AppStream 2.0): $/h by instance type, " +
    "function and OS, or price an existing fleet by fleet_name (ALWAYS_ON vs ON_DEMAND idle cost, user fees). " +
    "secure-browser: $ per monthly active user by tier. core: managed-instance SKUs (instance_type). Never quote " +
    "prices from memory: call this. Needs IAM tier 1 (pricing:GetProducts).",
  input: PricesInput,
  output: PricesOutput,
  async run(ctx, input) {
    let args = input;
    const id = serviceFromAlias(args.service);
    if (!id) {
      throw new ToolFailure(
        "InvalidInput",
        `Unknown service "${args.service}".`,
        `Use one of ${SERVICE_IDS.join(", ")} (legacy names such as "AppStream 2.0" and "WorkSpaces Web" work).`,
      );
    }
    // Called with nothing but defaults (as MCP inspectors do), the price tool answers with an example instead of an
    // error: the default service (applications) priced for a common instance type, saying how to ask for another.
    const example = id === "applications" && !args.instance_type && !args.fleet_name;
    if (example) args = { ...args, instance_type: EXAMPLE_INSTANCE_TYPE };
    checkPriceArgs(id, args);
    const multi = args.regions !== undefined;
    const regions = multi ? [...new Set(args.regions)] : await ctx.regions({ region: args.region });
    const results: PriceResult[] = [];
    for (const [i, region] of regions.entries()) {
      results.push(await priceOne(ctx, id, region, args));
      await ctx.progress(i + 1, regions.length, region);
    }
    const errors = results.flatMap((r) => r.errors);
    // Every region failed (e.g. AccessDenied on pricing:GetProducts): an isError answer naming the permission.
    if (errors.length > 0 && results.every((r) => r.errors.length > 0 && !hasAnyPrice(r))) {
      const e = errors[0];
      throw new ToolFailure(e.code, `No prices could be read: ${e.message}`, e.hint, errors);
    }
    if (example) {
      for (const r of results) r.notes.unshift(EXAMPLE_NOTE);
    }
    if (!multi) {
      const r = results[0];
      const summary = `${example ? "Example — " : ""}${priceSummary(r)}`;
      return { summary, data: { ...r, assumptions: ASSUMPTIONS, regions } };
    }
    const by_region = Object.fromEntries(results.map((r) => [r.region, r]));
    return {
      summary: `${PRODUCT[id]} list prices in ${regions.length} regions: ${
        results.map((r) => `${r.region} ${priceSummary(r).replace(/^[^:]*: /, "")}`).join("; ")
      }`.slice(0, 600),
      data: {
        service: id,
        service_name: PRODUCT[id],
        service_id: id,
        region: regions.join(","),
        pricing_location: null,
        assumptions: ASSUMPTIONS,
        regions,
        by_region,
        notes: [],
        errors,
      },
    };
  },
};

function hasAnyPrice(r: PriceResult): boolean {
  const values = [
    r.hourly_usd,
    r.alwayson_monthly_usd,
    r.autostop_monthly_base_usd,
    r.autostop_hourly_usd,
    ...Object.values(r.rates ?? {}),
    ...Object.values(r.monthly_active_user_usd_by_tier ?? {}),
    ...(r.skus ?? []).map((s) => s.usd),
  ];
  return values.some((v) => typeof v === "number");
}

/** A Price List figure in the one money format ("$35.00/month", "$0.0125/h"), "unpublished" when absent. */
function money(n: number | null | undefined, suffix = ""): string {
  return usd(n, suffix, "unpublished");
}

function priceSummary(r: PriceResult): string {
  const where = `${r.service_name} in ${r.region}`;
  switch (r.service_id) {
    case "applications":
      return `${where}: ${r.instance_type} ${r.instance_function} ${r.operating_system} ${money(r.hourly_usd, "/h")}` +
        (r.fleet ? ` (fleet ${r.fleet.name}, ${r.fleet.fleet_type})` : "");
    case "pools":
      return `${where}: ${r.compute_type} ${money(r.rates?.streaming_hourly_included_usd, "/h")} included, ` +
        `${money(r.rates?.streaming_hourly_byol_usd, "/h")} BYOL`;
    case "secure-browser":
      return `${where}: ${
        Object.entries(r.monthly_active_user_usd_by_tier ?? {}).map(([t, v]) => `${t} ${money(v)}`).join(", ")
      } per monthly active user`;
    case "core":
      return `${where}: ${r.skus?.length ?? 0} SKUs for ${r.instance_type}`;
    case "personal":
      return `${where}: ${r.compute_type} ${r.operating_system} (${r.license_model}) AlwaysOn ${
        money(r.alwayson_monthly_usd, "/month")
      }, AutoStop ${money(r.autostop_monthly_base_usd)} + ${money(r.autostop_hourly_usd, "/h")}, break-even ${
        r.autostop_breakeven_hours_per_month ?? "n/a"
      } h/month (${r.completeness})`;
  }
}
