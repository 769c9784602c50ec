/**
 * Simulated Cost Explorer data: six months of daily cost lines (service × usage type) derived
 * from the estate, plus background spend every account has (EC2, S3, WorkSpaces Thin Client),
 * plus lines a test or the demo seeds. Monthly fees (AlwaysOn desktops, AutoStop base fees, user
 * fees) post on the 1st of each month, as in a real bill, so a DAILY series spikes on day 1.
 */
import { hash32 } from "../seed.ts";
import { storageVariant } from "../pricing_catalogue.ts";
import {
  applicationsStoppedUsageType,
  applicationsUsageType,
  applicationsUserFeeUsageType,
  COMPUTE_FAMILY,
  coreFeeUsageType,
  desktopLicense,
  personalUsageType,
  poolUsageType,
  secureBrowserUsageType,
} from "../usage_types.ts";
import type { RegionResources } from "../types.ts";

/** What cost derivation reads of an estate (the Estate satisfies it). */
export interface CostEstate {
  /** Regions that hold at least one resource. */
  regions(): string[];
  region(name: string): RegionResources;
}

/** Days of history the simulated Cost Explorer holds (about six months). */
export const HISTORY_DAYS = 183;

/** One cost line: a daily amount and/or a monthly amount posted on the 1st, within [from, to). */
export interface CostLine {
  /** Cost Explorer SERVICE dimension value, e.g. "Amazon WorkSpaces". */
  service: string;
  /** Cost Explorer USAGE_TYPE value, e.g. "USE1-AW-HW-2" (a Standard AlwaysOn desktop's month). */
  usageType: string;
  /** Amount every day (or every weekday with weekdaysOnly). */
  daily?: number;
  /** Amount posted on the 1st of each month. */
  monthly?: number;
  weekdaysOnly?: boolean;
  /** First day (YYYY-MM-DD, inclusive); default: the start of the history. */
  from?: string;
  /** Last day (YYYY-MM-DD, exclusive); default: open. */
  to?: string;
}

/** How an estate's cost data is made. */
export interface CostOptions {
  /** Derive EUC spend from the estate's resources (default true). */
  deriveFromEstate?: boolean;
  /** Add the background lines (EC2, S3, Thin Client) every simulated account has (default true). */
  background?: boolean;
}

interface Seeded {
  lines: CostLine[];
  opts: CostOptions;
}

const SEEDED = new WeakMap<CostEstate, Seeded>();

/** Adds cost lines to an estate's Cost Explorer data (and sets how the rest is made). */
export function seedCosts(estate: CostEstate, lines: CostLine[], opts: CostOptions = {}): void {
  const prev = SEEDED.get(estate) ?? { lines: [], opts: {} };
  SEEDED.set(estate, { lines: [...prev.lines, ...lines], opts: { ...prev.opts, ...opts } });
}

/** An ISO day (YYYY-MM-DD) `days` after `day`. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Today's UTC date (YYYY-MM-DD). */
export function todayUtc(now = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** The amount a line posts on `day`. */
export function amountOn(line: CostLine, day: string): number {
  if (line.from && day < line.from) return 0;
  if (line.to && day >= line.to) return 0;
  let amount = 0;
  if (line.monthly && day.endsWith("-01")) amount += line.monthly;
  if (line.daily) {
    const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (!line.weekdaysOnly || (dow !== 0 && dow !== 6)) amount += line.daily;
  }
  return amount;
}

/** Every cost line of the estate (derived, background and seeded), merged by service × usage type. */
export function costLines(estate: CostEstate): CostLine[] {
  const seeded = SEEDED.get(estate) ?? { lines: [], opts: {} };
  const lines: CostLine[] = [];
  if (seeded.opts.deriveFromEstate !== false) {
    for (const name of estate.regions()) lines.push(...deriveRegion(estate.region(name)));
  }
  if (seeded.opts.background !== false) lines.push(...BACKGROUND);
  lines.push(...seeded.lines);
  return lines;
}

/** Background spend of every simulated account: not EUC, or (Thin Client) EUC hardware the tools leave out. */
const BACKGROUND: readonly CostLine[] = [
  { service: "Amazon Elastic Compute Cloud - Compute", usageType: "USE1-BoxUsage:m5.large", daily: 2.304 },
  { service: "Amazon Simple Storage Service", usageType: "USE1-TimedStorage-ByteHrs", daily: 0.85 },
  { service: "Amazon WorkSpaces Thin Client", usageType: "USE1-ThinClient-DeviceFee", monthly: 36 },
];

/** Simulated list rates by compute type (AlwaysOn month, AutoStop base, AutoStop hour, Pools hour). */
const RATES: Readonly<Record<string, { alwaysOn: number; base: number; hourly: number; pool: number }>> = {
  VALUE: { alwaysOn: 25, base: 7.25, hourly: 0.22, pool: 0.09 },
  STANDARD: { alwaysOn: 35, base: 9.75, hourly: 0.3, pool: 0.18 },
  PERFORMANCE: { alwaysOn: 60, base: 13, hourly: 0.57, pool: 0.29 },
  POWER: { alwaysOn: 99.2, base: 20.8, hourly: 0.792, pool: 0.384 },
  POWERPRO: { alwaysOn: 124, base: 19, hourly: 1.53, pool: 0.77 },
  GRAPHICS_G4DN: { alwaysOn: 502, base: 66, hourly: 1.75, pool: 1.48 },
  GRAPHICSPRO_G4DN: { alwaysOn: 1424, base: 66, hourly: 5.17, pool: 4.6 },
};

/**
 * EUC spend of one region's resources, aggregated by usage type. The usage types are the ones the
 * simulated Price List publishes (usage_types.ts), so a bill line can be looked up as a product.
 */
function deriveRegion(r: RegionResources): CostLine[] {
  const region = r.name;
  const acc = new Map<string, CostLine>();
  const add = (service: string, usageType: string, part: Omit<CostLine, "service" | "usageType">) => {
    const key = `${service}|${usageType}`;
    const line = acc.get(key) ?? { service, usageType, weekdaysOnly: part.weekdaysOnly };
    if (part.daily) line.daily = (line.daily ?? 0) + part.daily;
    if (part.monthly) line.monthly = (line.monthly ?? 0) + part.monthly;
    acc.set(key, line);
  };
  const WS = "Amazon WorkSpaces";
  for (const w of r.workspaces.values()) {
    const p = w.WorkspaceProperties ?? {};
    const compute = RATES[p.ComputeTypeName ?? ""] ? p.ComputeTypeName! : "STANDARD";
    const rate = RATES[compute];
    const family = COMPUTE_FAMILY[compute];
    const license = desktopLicense(p.OperatingSystemName ?? "");
    const variant = storageVariant(family, p.RootVolumeSizeGib ?? 0, p.UserVolumeSizeGib ?? 0);
    if (p.RunningMode === "ALWAYS_ON") {
      add(WS, personalUsageType(region, family, license, variant, "alwaysOn"), { monthly: rate.alwaysOn });
    } else {
      add(WS, personalUsageType(region, family, license, variant, "autoStopMonthly"), { monthly: rate.base });
      const hours = 1 + (hash32(w.WorkspaceId ?? "") % 7);
      add(WS, personalUsageType(region, family, license, "", "autoStopHourly"), {
        daily: hours * rate.hourly,
        weekdaysOnly: true,
      });
    }
  }
  for (const pool of r.pools.values()) {
    const bundle = r.bundles.get(pool.BundleId ?? "");
    const compute = RATES[bundle?.ComputeType?.Name ?? ""] ? bundle!.ComputeType!.Name! : "STANDARD";
    const desired = pool.CapacityStatus?.DesiredUserSessions ?? 0;
    add(WS, poolUsageType(region, "streaming", COMPUTE_FAMILY[compute]), {
      daily: desired * 8 * RATES[compute].pool,
      weekdaysOnly: true,
    });
    // Provisioned sessions nobody streams on bill the stopped-instance rate the rest of the day.
    add(WS, poolUsageType(region, "stopped"), { daily: desired * 16 * 0.025 });
    add(WS, poolUsageType(region, "userFee"), { monthly: desired * 4.19 });
  }
  for (const _mi of r.workspaceInstances.values()) {
    // The management fee bills per instance hour on the Amazon WorkSpaces line; the instance
    // itself bills on EC2 (left out: not EUC spend).
    add(WS, coreFeeUsageType(region), { daily: 24 * 0.02 });
  }
  for (const f of r.fleets.values()) {
    const desired = f.ComputeCapacityStatus?.Desired ?? 0;
    const type = f.InstanceType ?? "stream.standard.medium";
    const rate = type.includes("large") ? 0.19 : type.includes("graphics") ? 0.94 : 0.12;
    const always = f.FleetType === "ALWAYS_ON";
    const fn = f.FleetType === "ELASTIC"
      ? "ElasticFleet"
      : (f.MaxSessionsPerInstance ?? 1) > 1
      ? "MultiSessionFleet"
      : "Fleet";
    // AWS still labels WorkSpaces Applications instance usage "Amazon AppStream" in Cost Explorer.
    add("Amazon AppStream", applicationsUsageType(region, type, fn), {
      daily: desired * (always ? 24 : f.FleetType === "ELASTIC" ? 4 : 10) * rate,
      weekdaysOnly: !always,
    });
    if (f.FleetType === "ON_DEMAND") {
      add("Amazon AppStream", applicationsStoppedUsageType(region), { daily: desired * 14 * 0.025 });
    }
    const multi = fn === "MultiSessionFleet";
    add(
      "Amazon WorkSpaces Applications",
      applicationsUserFeeUsageType(region, multi ? "Multi-Session" : "Single-Session"),
      {
        monthly: desired * 3 * (multi ? 6.42 : 4.19),
      },
    );
  }
  for (const portal of r.portals.values()) {
    const usageType = secureBrowserUsageType(region, portal.instanceType);
    const mau = Math.max(1, Math.round((portal.maxConcurrentSessions ?? 10) / 2));
    const rate = usageType.endsWith("-XLARGE") ? 40 : usageType.endsWith("-LARGE") ? 23 : 8;
    add("Amazon WorkSpaces Secure Browser", usageType, { monthly: mau * rate });
  }
  return [...acc.values()];
}
