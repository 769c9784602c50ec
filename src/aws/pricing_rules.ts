/**
 * The EUC price rules that need no AWS call: WorkSpaces compute type → Price List bundle family,
 * desktop and Applications OS → Price List operatingSystem and licence, the storage attribute,
 * the AutoStop break-even, and the shapes of every price answer.
 */
import type { AwsErrorInfo } from "./errors.ts";

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

/** The Price List licence of Bring Your Own License bundles. */
export const BYOL = "Bring Your Own License";

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
