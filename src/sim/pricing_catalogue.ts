/**
 * The simulated AWS Price List: products in the real GetProducts format for AmazonWorkSpaces
 * (Personal bundles with storage variants, Pools, a "WorkSpaces Core" family repeating bundle
 * names), AmazonAppStream, AmazonWorkSpacesWeb and AmazonWorkSpacesInstances in several regions.
 *
 * Prices are list-price-like, deterministic, and include REFERENCE §5's examples (Singapore Power
 * 175/100: $124 AlwaysOn, $26 + $0.99/h Included; BYOL $120, $26, $0.95; Pools $0.48 / $0.417;
 * AppStream stream.standard.large $0.24 vs $0.217 BYOL). A few rates are deliberately unpublished
 * (Value Rocky Linux has no AutoStop hourly rate) so tools show how they report gaps. Usage types
 * come from usage_types.ts, the same names the simulated Cost Explorer bills.
 */

import {
  applicationsStoppedUsageType,
  applicationsUsageType,
  applicationsUserFeeUsageType,
  coreBundleUsageType,
  coreFeeUsageType,
  coreSkuUsageType,
  personalUsageType,
  poolUsageType,
  secureBrowserUsageType,
  usageLicense,
} from "./usage_types.ts";

/** One product: the `product` part of a Price List entry plus its on-demand dimensions. */
export interface CatalogueProduct {
  serviceCode: string;
  productFamily: string;
  sku: string;
  attributes: Record<string, string>;
  dims: { unit: string; usd: number; description: string }[];
}

/**
 * The priced regions: region, Price List location, price factor (usage-type prefixes come from
 * `regionPrefix` in usage_types.ts, shared with Cost Explorer). Zurich carries
 * the "Europe (…)" spelling some sources give (our location table says "EU (Zurich)"), so only a
 * regionCode lookup finds it; Tokyo's products lack regionCode, so only the location fallback does.
 */
export const PRICED_REGIONS: readonly {
  region: string;
  location: string;
  factor: number;
  noRegionCode?: boolean;
}[] = [
  { region: "us-east-1", location: "US East (N. Virginia)", factor: 1 },
  { region: "us-west-2", location: "US West (Oregon)", factor: 1 },
  { region: "eu-west-1", location: "EU (Ireland)", factor: 1.08 },
  { region: "eu-central-1", location: "EU (Frankfurt)", factor: 1.12 },
  { region: "ap-southeast-1", location: "Asia Pacific (Singapore)", factor: 1.25 },
  { region: "ap-southeast-2", location: "Asia Pacific (Sydney)", factor: 1.2 },
  { region: "eu-central-2", location: "Europe (Zurich)", factor: 1.15 },
  { region: "ap-northeast-1", location: "Asia Pacific (Tokyo)", factor: 1.22, noRegionCode: true },
];

interface FamilyDef {
  family: string;
  vcpu: string;
  memory: string;
  /** Base bundle storage, then the -0…-3 variants (null = that variant is not published). */
  storage: ([number, number] | null)[];
  /** us-east-1 Windows Included base-storage rates. */
  alwaysOn: number;
  base: number;
  hourly: number;
  graphics?: boolean;
}

const FAMILIES: readonly FamilyDef[] = [
  {
    family: "Value",
    vcpu: "1",
    memory: "2 GB",
    storage: [[80, 10], [80, 50], [80, 100], [175, 100], null],
    alwaysOn: 25,
    base: 7.25,
    hourly: 0.22,
  },
  {
    family: "Standard",
    vcpu: "2",
    memory: "4 GB",
    storage: [[80, 50], [80, 10], [80, 100], [175, 100], [175, 50]],
    alwaysOn: 35,
    base: 9.75,
    hourly: 0.3,
  },
  {
    family: "Performance",
    vcpu: "2",
    memory: "8 GB",
    storage: [[80, 100], [80, 10], [80, 50], [175, 100], null],
    alwaysOn: 60,
    base: 13,
    hourly: 0.57,
  },
  {
    family: "Power",
    vcpu: "4",
    memory: "16 GB",
    storage: [[175, 100], [80, 10], [80, 50], [80, 100], null],
    alwaysOn: 99.2,
    base: 20.8,
    hourly: 0.792,
  },
  {
    family: "PowerPro",
    vcpu: "8",
    memory: "32 GB",
    storage: [[175, 100], [80, 10], [80, 50], [80, 100], null],
    alwaysOn: 124,
    base: 19,
    hourly: 1.53,
  },
  {
    family: "Graphics.g4dn",
    vcpu: "4",
    memory: "16 GB",
    storage: [[100, 100], [175, 100], null, null, null],
    alwaysOn: 502,
    base: 66,
    hourly: 1.75,
    graphics: true,
  },
  {
    family: "GraphicsPro.g4dn",
    vcpu: "16",
    memory: "64 GB",
    storage: [[100, 100], [175, 100], null, null, null],
    alwaysOn: 1424,
    base: 66,
    hourly: 5.17,
    graphics: true,
  },
];

/**
 * The storage variant suffix ("", "-0" … "-3") of a family's root/user volume pair, as its
 * Price List bundle names it; "" (the base bundle) when the pair is not a published variant.
 */
export function storageVariant(family: string, rootGib: number, userGib: number): string {
  const f = FAMILIES.find((x) => x.family === family);
  const i = f?.storage.findIndex((st) => st !== null && st[0] === rootGib && st[1] === userGib) ?? -1;
  return i <= 0 ? "" : `-${i - 1}`;
}

/** OS × licence combinations, with the price shift from Windows Included. */
const OS_LICENSES: readonly { os: string; license: string; alwaysOn: number; hourly: number; linux: boolean }[] = [
  { os: "Windows", license: "Included", alwaysOn: 0, hourly: 0, linux: false },
  { os: "Windows", license: "Bring Your Own License", alwaysOn: -4, hourly: -0.04, linux: false },
  { os: "Amazon Linux", license: "None", alwaysOn: -4, hourly: -0.04, linux: true },
  { os: "Ubuntu Linux", license: "None", alwaysOn: -4, hourly: -0.04, linux: true },
  { os: "Red Hat Enterprise Linux", license: "Included", alwaysOn: 6, hourly: 0.05, linux: true },
  { os: "Rocky Linux", license: "Included", alwaysOn: -3, hourly: -0.03, linux: true },
];

/** Published exceptions to the generated rates (REFERENCE §5 examples), by region and family. */
const OVERRIDES: Readonly<
  Record<string, Readonly<Record<string, { alwaysOn: number; base: number; hourly: number }>>>
> = {
  "ap-southeast-1": { Power: { alwaysOn: 124, base: 26, hourly: 0.99 } },
};

/** Pools streaming rates in us-east-1 (Included, BYOL) per family. */
const POOL_RATES: Readonly<Record<string, [number, number]>> = {
  Value: [0.09, 0.075],
  Standard: [0.18, 0.15],
  Performance: [0.29, 0.25],
  Power: [0.384, 0.3336],
  PowerPro: [0.77, 0.68],
  "Graphics.g4dn": [1.48, 1.38],
  "GraphicsPro.g4dn": [4.6, 4.4],
};

const APP_TYPES: readonly { type: string; hourly: number; linux: boolean; builder: boolean; elastic: boolean }[] = [
  { type: "stream.standard.small", hourly: 0.08, linux: true, builder: true, elastic: true },
  { type: "stream.standard.medium", hourly: 0.12, linux: true, builder: true, elastic: true },
  { type: "stream.standard.large", hourly: 0.192, linux: true, builder: true, elastic: true },
  { type: "stream.compute.large", hourly: 0.24, linux: true, builder: false, elastic: false },
  { type: "stream.memory.large", hourly: 0.3, linux: true, builder: false, elastic: false },
  { type: "stream.graphics.g4dn.xlarge", hourly: 0.94, linux: false, builder: false, elastic: false },
];

/** Price List OS of WorkSpaces Applications, its price shift and `operation` ("Streaming:001" is evidence; the rest invented). */
const APP_OS: readonly { os: string; shift: number; linux: boolean; operation: string }[] = [
  { os: "Windows", shift: 1, linux: false, operation: "Streaming:001" },
  { os: "Windows BYOL", shift: 0.904, linux: false, operation: "Streaming:002" },
  { os: "Amazon Linux", shift: 0.75, linux: true, operation: "Streaming:003" },
  { os: "Ubuntu Pro", shift: 0.8, linux: true, operation: "Streaming:004" },
  { os: "Red Hat Enterprise Linux", shift: 0.95, linux: true, operation: "Streaming:005" },
  { os: "Rocky Linux", shift: 0.78, linux: true, operation: "Streaming:006" },
];

const CORE_TYPES: readonly { type: string; hourly: number }[] = [
  { type: "t3.medium", hourly: 0.02 },
  { type: "m5.large", hourly: 0.04 },
  { type: "m5.xlarge", hourly: 0.06 },
  { type: "m6i.large", hourly: 0.04 },
  { type: "g4dn.xlarge", hourly: 0.12 },
];

function round(n: number, d = 4): number {
  const f = 10 ** d;
  return Math.round(n * f) / f;
}

function skuOf(seed: string): string {
  let h = 0x811c9dc5;
  let out = "";
  for (let round = 0; out.length < 16; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    out += (h >>> 0).toString(36).toUpperCase().padStart(7, "0").slice(0, 8);
  }
  return out.slice(0, 16);
}

function build(): CatalogueProduct[] {
  const out: CatalogueProduct[] = [];
  const add = (
    serviceCode: string,
    productFamily: string,
    attributes: Record<string, string>,
    dims: CatalogueProduct["dims"],
  ) => {
    const sku = skuOf(`${serviceCode}|${productFamily}|${JSON.stringify(attributes)}`);
    out.push({ serviceCode, productFamily, sku, attributes: { servicecode: serviceCode, ...attributes }, dims });
  };
  for (const r of PRICED_REGIONS) {
    const loc: Record<string, string> = r.noRegionCode
      ? { location: r.location, locationType: "AWS Region" }
      : { location: r.location, locationType: "AWS Region", regionCode: r.region };
    // ---- WorkSpaces Personal
    for (const f of FAMILIES) {
      const override = OVERRIDES[r.region]?.[f.family];
      const [baseRoot, baseUser] = f.storage[0]!;
      for (const ol of OS_LICENSES) {
        if (f.graphics && ol.linux) continue;
        const alwaysOnBase = override ? override.alwaysOn : f.alwaysOn * r.factor;
        const hourly = (override ? override.hourly : f.hourly * r.factor) + ol.hourly;
        const base = override ? override.base : f.base * r.factor;
        f.storage.forEach((storage, i) => {
          if (!storage) return;
          const bundle = i === 0 ? f.family : `${f.family}-${i - 1}`;
          const [root, user] = storage;
          const extra = ((root - baseRoot) + (user - baseUser)) * 0.1 * r.factor;
          const common = {
            ...loc,
            bundle,
            vcpu: f.vcpu,
            memory: f.memory,
            storage: `Root:${root} GB,User:${user} GB`,
            operatingSystem: ol.os,
            license: ol.license,
            resourceType: "Hardware",
            servicename: "Amazon WorkSpaces",
          };
          const lic = usageLicense(ol.os, ol.license);
          const variant = i === 0 ? "" : `-${i - 1}`;
          add("AmazonWorkSpaces", "Enterprise Applications", {
            ...common,
            runningMode: "AlwaysOn",
            usagetype: personalUsageType(r.region, f.family, lic, variant, "alwaysOn"),
            group: "User",
            groupDescription: "Billed by the month",
          }, [{
            unit: "Month",
            usd: round(alwaysOnBase + ol.alwaysOn + extra, 2),
            description: `${f.family} bundle ${root}/${user} GB, ${ol.os} (${ol.license}), AlwaysOn per month`,
          }]);
          add("AmazonWorkSpaces", "Enterprise Applications", {
            ...common,
            runningMode: "AutoStop",
            usagetype: personalUsageType(r.region, f.family, lic, variant, "autoStopMonthly"),
            group: "User",
            groupDescription: "Monthly infrastructure fee",
          }, [{
            unit: "Month",
            usd: round(base + extra, 2),
            description: `${f.family} bundle ${root}/${user} GB, ${ol.os} (${ol.license}), AutoStop monthly fee`,
          }]);
          // The hourly rate is published once per family × OS × licence, on the base bundle.
          const unpublishedHourly = f.family === "Value" && ol.os === "Rocky Linux";
          if (i === 0 && !unpublishedHourly) {
            add("AmazonWorkSpaces", "Enterprise Applications", {
              ...common,
              runningMode: "AutoStop",
              usagetype: personalUsageType(r.region, f.family, lic, "", "autoStopHourly"),
              group: "Usage",
              groupDescription: "Billed by the hour",
            }, [{
              unit: "Hrs",
              usd: round(hourly, 4),
              description: `${f.family} bundle, ${ol.os} (${ol.license}), AutoStop per hour`,
            }]);
          }
        });
        // The "WorkSpaces Core" family repeats the bundle names at other prices: the reason to pin productFamily.
        if (!ol.linux && ol.license === "Bring Your Own License") {
          add("AmazonWorkSpaces", "WorkSpaces Core", {
            ...loc,
            bundle: f.family,
            storage: `Root:${baseRoot} GB,User:${baseUser} GB`,
            operatingSystem: ol.os,
            license: ol.license,
            runningMode: "AlwaysOn",
            usagetype: coreBundleUsageType(r.region, f.family),
          }, [{ unit: "Month", usd: round(f.alwaysOn * r.factor * 0.6, 2), description: "WorkSpaces Core" }]);
        }
      }
      // ---- WorkSpaces Pools
      const pool = POOL_RATES[f.family];
      if (pool) {
        const [included, byol] = r.region === "ap-southeast-1" && f.family === "Power"
          ? [0.48, 0.417]
          : [round(pool[0] * r.factor), round(pool[1] * r.factor)];
        for (const [license, usd] of [["Included", included], ["Bring Your Own License", byol]] as const) {
          add("AmazonWorkSpaces", "Enterprise Applications", {
            ...loc,
            bundle: f.family,
            storage: "Root:200 GB,User:0 GB",
            operatingSystem: "Windows",
            license,
            runningMode: "Pool",
            usagetype: poolUsageType(r.region, "streaming", f.family, license !== "Included"),
          }, [{ unit: "Hrs", usd, description: `WorkSpaces Pools ${f.family} (${license}) per hour` }]);
        }
      }
    }
    add("AmazonWorkSpaces", "Enterprise Applications", {
      ...loc,
      bundle: "Stopped Instance",
      runningMode: "Not Applicable Pools",
      usagetype: poolUsageType(r.region, "stopped"),
    }, [{ unit: "Hrs", usd: 0.025, description: "WorkSpaces Pools stopped instance per hour" }]);
    add("AmazonWorkSpaces", "Enterprise Applications", {
      ...loc,
      bundle: "User Fee",
      runningMode: "Not Applicable Pools",
      usagetype: poolUsageType(r.region, "userFee"),
    }, [{ unit: "User-Month", usd: 4.19, description: "WorkSpaces Pools Microsoft RDS SAL per user per month" }]);

    // ---- WorkSpaces Applications (AppStream)
    for (const t of APP_TYPES) {
      const functions = ["Fleet", "ImageBuilder", "MultiSessionFleet"];
      if (t.builder) functions.push("AppBlockBuilder");
      if (t.elastic) functions.push("ElasticFleet");
      for (const fn of functions) {
        for (const o of APP_OS) {
          if (o.linux && !t.linux) continue;
          if (fn === "AppBlockBuilder" && o.os === "Windows BYOL") continue;
          const usd = r.region === "ap-southeast-1" && t.type === "stream.standard.large" && fn === "Fleet" &&
              (o.os === "Windows" || o.os === "Windows BYOL")
            ? (o.os === "Windows" ? 0.24 : 0.217)
            : round(t.hourly * r.factor * o.shift);
          add("AmazonAppStream", "Streaming Instance", {
            ...loc,
            instanceType: t.type,
            instanceFunction: fn,
            operatingSystem: o.os,
            usagetype: applicationsUsageType(r.region, t.type, fn),
            operation: o.operation,
          }, [{ unit: "Hrs", usd, description: `${t.type} ${fn} ${o.os} per hour` }]);
        }
      }
    }
    add("AmazonAppStream", "Stopped Instance", {
      ...loc,
      instanceFunction: "StoppedFleetInstance",
      operatingSystem: "Any",
      usagetype: applicationsStoppedUsageType(r.region),
      operation: "StoppedInstance",
    }, [{ unit: "Hrs", usd: 0.025, description: "Stopped On-Demand fleet instance per hour" }]);
    for (
      const [kind, usd] of [["Single-Session", 4.19], ["Multi-Session", 6.42], [
        "Multi-Session-Additional",
        2.23,
      ]] as const
    ) {
      add("AmazonAppStream", "User Fees", {
        ...loc,
        userFeeType: kind,
        usagetype: applicationsUserFeeUsageType(r.region, kind),
        operation: "RDS CAL",
      }, [{ unit: "Users", usd, description: `Microsoft RDS SAL, ${kind.replace(/-/g, " ").toLowerCase()} user` }]);
    }

    // ---- WorkSpaces Secure Browser
    for (
      const [type, size, usd] of [
        ["standard.regular", "Regular", 8],
        ["standard.large", "Large", 23],
        ["standard.xlarge", "XLarge", 40],
      ] as const
    ) {
      const usagetype = secureBrowserUsageType(r.region, type);
      add("AmazonWorkSpacesWeb", "Enterprise Applications", {
        ...loc,
        bundle: "Standard",
        size,
        usagetype,
        operation: "MonthlyActiveUser",
      }, [{ unit: "MAU", usd, description: `Secure Browser ${size} per monthly active user` }]);
    }

    // ---- WorkSpaces Core managed instances: the hourly management fee as price datasets show it
    // (AmazonWorkSpaces, resourceType "Service fee"; the usage type Cost Explorer bills), then the
    // per-instance-type SKUs of AmazonWorkSpacesInstances that get_euc_service_prices reads.
    add("AmazonWorkSpaces", "WorkSpaces Core", {
      ...loc,
      resourceType: "Service fee",
      group: "Usage",
      usagetype: coreFeeUsageType(r.region),
    }, [{
      unit: "Hrs",
      usd: round(0.02 * r.factor),
      description: "WorkSpaces Core Managed Instances management fee per instance hour",
    }]);
    for (const t of CORE_TYPES) {
      for (const tenancy of ["Shared", "Dedicated"]) {
        const extra = tenancy === "Dedicated" ? 1.1 : 1;
        add("AmazonWorkSpacesInstances", "Managed Instance", {
          ...loc,
          instanceType: t.type,
          billingoption: "Hourly",
          tenancy,
          usagetype: coreSkuUsageType(r.region, t.type, "Hourly", tenancy),
        }, [{
          unit: "Hrs",
          usd: round(t.hourly * r.factor * extra),
          description: `WorkSpaces Core management fee for ${t.type} (${tenancy}), per hour`,
        }]);
        add("AmazonWorkSpacesInstances", "Managed Instance", {
          ...loc,
          instanceType: t.type,
          billingoption: "Monthly",
          tenancy,
          usagetype: coreSkuUsageType(r.region, t.type, "Monthly", tenancy),
        }, [{
          unit: "Month",
          usd: round(t.hourly * r.factor * extra * 400, 2),
          description: `WorkSpaces Core management fee for ${t.type} (${tenancy}), per month`,
        }]);
      }
    }
  }
  return out;
}

let catalogue: CatalogueProduct[] | undefined;

/** Every simulated Price List product (built once, on first use). */
export function priceCatalogue(): readonly CatalogueProduct[] {
  catalogue ??= build();
  return catalogue;
}

/** The Price List JSON document of a product, as GetProducts returns it (one JSON string per product). */
export function priceListEntry(p: CatalogueProduct): string {
  const term = `${p.sku}.JRTCKXETXF`;
  const priceDimensions: Record<string, unknown> = {};
  p.dims.forEach((d, i) => {
    const rateCode = `${term}.${["6YS6EN2CT7", "8EEUB22XNJ", "Q7UJUT2CE6"][i % 3]}`;
    priceDimensions[rateCode] = {
      rateCode,
      description: d.description,
      beginRange: "0",
      endRange: "Inf",
      unit: d.unit,
      pricePerUnit: { USD: d.usd.toFixed(10) },
      appliesTo: [],
    };
  });
  return JSON.stringify({
    product: { productFamily: p.productFamily, attributes: p.attributes, sku: p.sku },
    serviceCode: p.serviceCode,
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions,
          sku: p.sku,
          effectiveDate: "2025-01-01T00:00:00Z",
          offerTermCode: "JRTCKXETXF",
          termAttributes: {},
        },
      },
    },
    version: "20250101000000",
    publicationDate: "2025-01-01T00:00:00Z",
  });
}
