/**
 * The simulator's usage-type names, shared by its Price List (`usagetype`) and its Cost Explorer
 * (USAGE_TYPE) so the two tell one story: the same region prefix, the same bundle codes, the same
 * markers. The shapes follow the public evidence listed in DESIGN.md ("AWS names the code depends
 * on", Price List and Cost Explorer tables); every name that has no evidence says so here.
 */

/**
 * Billing region prefixes (the part before the first dash of a usage type). From price datasets
 * and billing exports (`USE1-`, `EU-`, `APS1-`, `APS2-`, `APE1-`, `UGW1-` …); eu-west-1 is the
 * odd one out ("EU", not "EUW1").
 */
const REGION_PREFIX: Readonly<Record<string, string>> = {
  "us-east-1": "USE1",
  "us-east-2": "USE2",
  "us-west-1": "USW1",
  "us-west-2": "USW2",
  "ca-central-1": "CAN1",
  "sa-east-1": "SAE1",
  "eu-west-1": "EU",
  "eu-west-2": "EUW2",
  "eu-west-3": "EUW3",
  "eu-central-1": "EUC1",
  "eu-central-2": "EUC2",
  "eu-north-1": "EUN1",
  "eu-south-1": "EUS1",
  "eu-south-2": "EUS2",
  "ap-northeast-1": "APN1",
  "ap-northeast-2": "APN2",
  "ap-northeast-3": "APN3",
  "ap-southeast-1": "APS1",
  "ap-southeast-2": "APS2",
  "ap-south-1": "APS3",
  "ap-east-1": "APE1",
  "af-south-1": "AFS1",
  "il-central-1": "ILC1",
  "me-central-1": "MEC1",
  "us-gov-west-1": "UGW1",
};

/** The usage-type prefix of a region (a region outside the table gets its name upper-cased, never another's). */
export function regionPrefix(region: string): string {
  return REGION_PREFIX[region] ?? region.toUpperCase();
}

/**
 * The hardware code of a Personal bundle family in `AW-HW-<n>`. Value 1, Standard 2, Performance 3,
 * Power 8 and PowerPro 19 follow field evidence (Power priced as `AW-HW-8`); the g4dn codes are
 * invented (no evidence found) and chosen not to collide.
 */
export const BUNDLE_HARDWARE: Readonly<Record<string, number>> = {
  Value: 1,
  Standard: 2,
  Performance: 3,
  Power: 8,
  PowerPro: 19,
  "Graphics.g4dn": 20,
  "GraphicsPro.g4dn": 21,
};

/** The Price List bundle family of a WorkSpaces compute type. */
export const COMPUTE_FAMILY: Readonly<Record<string, string>> = {
  VALUE: "Value",
  STANDARD: "Standard",
  PERFORMANCE: "Performance",
  POWER: "Power",
  POWERPRO: "PowerPro",
  GRAPHICS_G4DN: "Graphics.g4dn",
  GRAPHICSPRO_G4DN: "GraphicsPro.g4dn",
};

/** How a Personal bundle is licensed, as far as its usage type shows it. */
export type UsageLicense = "included" | "byol" | "linux";

/** The licence marker of a usage type for a Price List operatingSystem × license pair. */
export function usageLicense(operatingSystem: string, license: string): UsageLicense {
  if (license === "Bring Your Own License") return "byol";
  return operatingSystem === "Windows" ? "included" : "linux";
}

/** The licence marker for a desktop's OperatingSystemName (Windows 10/11 desktops are always BYOL). */
export function desktopLicense(operatingSystemName: string): UsageLicense {
  if (/^WINDOWS_(10|11)/.test(operatingSystemName)) return "byol";
  return /^WINDOWS/.test(operatingSystemName) || operatingSystemName === "" ? "included" : "linux";
}

/** `AW-HW-2` (Windows licence included), `AW-HWB2` (BYOL), `AW-HWU-2` (Linux) for a family. */
function hardware(family: string, license: UsageLicense): string {
  const n = BUNDLE_HARDWARE[family] ?? BUNDLE_HARDWARE.Standard;
  // Field evidence shows `AW-HWB5-0` (no dash) and AWS's Free Tier page `AW-HWU-3`; the letters'
  // meaning (BYOL, Linux) is inferred, not documented.
  return license === "byol" ? `AW-HWB${n}` : license === "linux" ? `AW-HWU-${n}` : `AW-HW-${n}`;
}

/** The Personal charge a usage type names. */
export type PersonalCharge = "alwaysOn" | "autoStopMonthly" | "autoStopHourly";

/**
 * A Personal usage type: AlwaysOn monthly `USE1-AW-HW-2` (no running-mode suffix), AutoStop
 * monthly fee `…-AutoStop-User`, AutoStop hours `…-AutoStop-Usage` (published once per family,
 * without the storage variant). `variant` is the storage variant of the bundle (`-0` … `-3`) or "".
 */
export function personalUsageType(
  region: string,
  family: string,
  license: UsageLicense,
  variant: string,
  charge: PersonalCharge,
): string {
  const base = `${regionPrefix(region)}-${hardware(family, license)}`;
  if (charge === "autoStopHourly") return `${base}-AutoStop-Usage`;
  return charge === "alwaysOn" ? `${base}${variant}` : `${base}${variant}-AutoStop-User`;
}

/** The WorkSpaces Pools charge a usage type names. */
export type PoolCharge = "streaming" | "stopped" | "userFee";

/**
 * A Pools usage type. The stopped-instance hours `APS1-AW-HW-Pools-Stopped-Usage` are field
 * evidence; the streaming (`…-AW-HW-Pools-<n>-Usage`, BYOL `…-BYOL-Usage`) and user-fee
 * (`…-AW-HW-Pools-User`) names are invented in the same shape (all carry "Pools").
 */
export function poolUsageType(region: string, charge: PoolCharge, family = "Standard", byol = false): string {
  const p = `${regionPrefix(region)}-AW-HW-Pools`;
  if (charge === "stopped") return `${p}-Stopped-Usage`;
  if (charge === "userFee") return `${p}-User`;
  return `${p}-${BUNDLE_HARDWARE[family] ?? BUNDLE_HARDWARE.Standard}${byol ? "-BYOL" : ""}-Usage`;
}

/**
 * The WorkSpaces Core Managed Instances management fee: `APS1-WH-ManagedInstances-Usage` in Cost
 * Explorer and `APE1-WH-ManagedInstances-Usage` (AmazonWorkSpaces, resourceType "Service fee",
 * hours) in a price dataset: two independent sources.
 */
export function coreFeeUsageType(region: string): string {
  return `${regionPrefix(region)}-WH-ManagedInstances-Usage`;
}

/**
 * The per-instance-type Core SKUs of the AmazonWorkSpacesInstances service code: invented (no
 * evidence for that service code's usage types); they keep the "ManagedInstances" marker.
 */
export function coreSkuUsageType(region: string, instanceType: string, billing: string, tenancy: string): string {
  return `${regionPrefix(region)}-WH-ManagedInstances-${billing}-${tenancy}:${instanceType}`;
}

/**
 * The WorkSpaces Core bundle family of AmazonWorkSpaces ("WorkSpaces Core" product family, the
 * Personal bundle names at other prices): invented usage type.
 */
export function coreBundleUsageType(region: string, family: string): string {
  return `${regionPrefix(region)}-AW-CORE-${BUNDLE_HARDWARE[family] ?? BUNDLE_HARDWARE.Standard}`;
}

/** Suffixes of WorkSpaces Applications instance usage by instance function. */
const APP_FUNCTION_SUFFIX: Readonly<Record<string, string>> = {
  // Field evidence (price datasets, AWS's Free Tier page for `-ib`).
  Fleet: "fl",
  ImageBuilder: "ib",
  // Invented (no evidence found).
  MultiSessionFleet: "msfl",
  ElasticFleet: "efl",
  AppBlockBuilder: "abb",
};

/** WorkSpaces Applications instance hours: `USE1-stream.standard.medium-fl` (fleet), `…-ib` (image builder). */
export function applicationsUsageType(region: string, instanceType: string, instanceFunction: string): string {
  return `${regionPrefix(region)}-${instanceType}-${APP_FUNCTION_SUFFIX[instanceFunction] ?? "fl"}`;
}

/** The On-Demand stopped-instance fee (one per region, any instance type): invented name. */
export function applicationsStoppedUsageType(region: string): string {
  return `${regionPrefix(region)}-stream.StoppedInstance`;
}

/** WorkSpaces Applications Microsoft user fee kinds. */
export type AppUserFee = "Single-Session" | "Multi-Session" | "Multi-Session-Additional";

/**
 * Microsoft RDS SAL user fees: `APS1-Win-User`, `…-Win-User-Multi-Session`,
 * `…-Win-User-Multi-Session-Additional` (field evidence, one source).
 */
export function applicationsUserFeeUsageType(region: string, kind: AppUserFee): string {
  return `${regionPrefix(region)}-Win-User${kind === "Single-Session" ? "" : `-${kind}`}`;
}

/** Secure Browser monthly active users by portal instance type: `…-WEB-ST`, `-LARGE`, `-XLARGE` (field evidence). */
export function secureBrowserUsageType(region: string, instanceType: string | undefined): string {
  const tier = instanceType === "standard.xlarge" ? "-XLARGE" : instanceType === "standard.large" ? "-LARGE" : "";
  return `${regionPrefix(region)}-WEB-ST${tier}`;
}
