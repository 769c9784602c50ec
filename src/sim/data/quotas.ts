/**
 * The simulated Service Quotas: a catalogue of EUC quotas every region answers with (changed per
 * scenario through overrides), and the AWS/Usage ResourceCount metrics that report their usage.
 * Reads the region through QuotaRegion (the counts it needs), never the region store itself.
 */
import type { ServiceQuota } from "@aws-sdk/client-service-quotas";
import { stripUndefined } from "../seed.ts";
import type { RegionResources, Sampler } from "../types.ts";
import type { GovernanceData } from "./governance.ts";

/** What the quota catalogue reads of one region (the region store satisfies it). */
export interface QuotaRegion extends RegionResources {
  readonly governance: Pick<
    GovernanceData,
    "workspaceImages" | "imageBuilders" | "appImages" | "appUsers" | "quotaOverrides" | "quotaServicesUnavailable"
  >;
}

interface CatalogueQuota {
  code: string;
  name: string;
  value: number;
  adjustable: boolean;
  /** The AWS/Usage ResourceCount dimensions (Service, Resource) and how the estate counts it. */
  usage?: { service: string; resource: string; count: (r: QuotaRegion) => number };
}

// Tools read whatever ListServiceQuotas returns and never hard-code a code. Evidence (DESIGN.md,
// Service Quotas table): the appstream2 codes are AWS's (the WorkSpaces Applications quotas page
// links each one); the workspaces and workspaces-web names follow AWS's quota pages but their
// codes are invented; workspaces-instances has no evidence at all. Values are this simulated
// account's applied values, not AWS defaults.
const QUOTA_SERVICES: Readonly<Record<string, { name: string; quotas: readonly CatalogueQuota[] }>> = {
  workspaces: {
    name: "Amazon WorkSpaces",
    quotas: [
      {
        code: "L-34278094",
        name: "WorkSpaces",
        value: 50,
        adjustable: true,
        usage: { service: "WorkSpaces", resource: "WorkSpaces", count: (r) => r.workspaces.size },
      },
      {
        code: "L-5F1C2C8B",
        name: "WorkSpaces Pools",
        value: 5,
        adjustable: true,
        usage: { service: "WorkSpaces", resource: "WorkSpacesPools", count: (r) => r.pools.size },
      },
      {
        code: "L-F8C8F1D3",
        name: "GraphicsPro.g4dn WorkSpaces",
        value: 0,
        adjustable: true,
        usage: {
          service: "WorkSpaces",
          resource: "GraphicsProG4dnWorkSpaces",
          count: (r) =>
            [...r.workspaces.values()].filter((w) => w.WorkspaceProperties?.ComputeTypeName === "GRAPHICSPRO_G4DN")
              .length,
        },
      },
      {
        code: "L-D1B2E3F4",
        name: "Images",
        value: 40,
        adjustable: true,
        usage: {
          service: "WorkSpaces",
          resource: "Images",
          count: (r) => [...r.governance.workspaceImages.values()].filter((i) => i.OwnerAccountId === r.account).length,
        },
      },
      { code: "L-9C7B6A5D", name: "IP access control groups", value: 100, adjustable: false },
      { code: "L-2E4D6F8A", name: "Rules per IP access control group", value: 10, adjustable: false },
    ],
  },
  appstream2: {
    name: "Amazon AppStream 2.0",
    quotas: [
      {
        code: "L-3FEADC0C",
        name: "Fleets",
        value: 50,
        adjustable: true,
        usage: { service: "AppStream", resource: "Fleets", count: (r) => r.fleets.size },
      },
      {
        code: "L-A8B8B901",
        name: "Stacks",
        value: 50,
        adjustable: true,
        usage: { service: "AppStream", resource: "Stacks", count: (r) => r.stacks.size },
      },
      {
        code: "L-DE32F884",
        name: "Image builders",
        value: 50,
        adjustable: true,
        usage: { service: "AppStream", resource: "ImageBuilders", count: (r) => r.governance.imageBuilders.size },
      },
      {
        code: "L-E1182CCA",
        name: "Images",
        value: 50,
        adjustable: true,
        usage: {
          service: "AppStream",
          resource: "Images",
          count: (r) => [...r.governance.appImages.values()].filter((i) => i.Visibility === "PRIVATE").length,
        },
      },
      {
        code: "L-6A8C9986",
        name: "Users in the user pool",
        value: 50,
        adjustable: true,
        usage: { service: "AppStream", resource: "UserPoolUsers", count: (r) => r.governance.appUsers.size },
      },
      // Name and code invented: AWS's page lists the per-instance-type quotas without codes.
      { code: "L-0A9B8C7D", name: "stream.graphics.g4dn.xlarge instances", value: 0, adjustable: true },
    ],
  },
  "workspaces-web": {
    name: "Amazon WorkSpaces Web",
    quotas: [
      {
        code: "L-4C2E8A6F",
        name: "Number of Web Portals",
        value: 5,
        adjustable: true,
        usage: { service: "WorkSpacesWeb", resource: "Portals", count: (r) => r.portals.size },
      },
      // AWS's page: "Maximum concurrent sessions" per instance type, defaults 25 / 10 / 5.
      { code: "L-6E8A2C4B", name: "Maximum concurrent sessions - standard.regular", value: 25, adjustable: true },
      { code: "L-6E8A2C4C", name: "Maximum concurrent sessions - standard.large", value: 10, adjustable: true },
      { code: "L-6E8A2C4D", name: "Maximum concurrent sessions - standard.xlarge", value: 5, adjustable: true },
      // Invented (AWS says other Number quotas exist for a portal's sub-resources, without names).
      { code: "L-9B1D3F5A", name: "Identity providers per portal", value: 1, adjustable: false },
    ],
  },
  "workspaces-instances": {
    name: "Amazon WorkSpaces Instances",
    quotas: [
      {
        code: "L-2A4C6E8B",
        name: "WorkSpace instances",
        value: 100,
        adjustable: true,
        usage: {
          service: "WorkSpacesInstances",
          resource: "WorkspaceInstances",
          count: (r) => r.workspaceInstances.size,
        },
      },
    ],
  },
};

/** The catalogue entry named by code or name, for the scenario builder. */
export function quotaKey(serviceCode: string, codeOrName: string): string {
  const svc = QUOTA_SERVICES[serviceCode];
  const q = svc?.quotas.find((x) => x.code === codeOrName || x.name.toLowerCase() === codeOrName.toLowerCase());
  if (!q) throw new Error(`no simulated quota "${codeOrName}" for service code ${serviceCode}`);
  return `${serviceCode}/${q.code}`;
}

/** The quotas ListServiceQuotas returns for a service code in a region; undefined when it knows none. */
export function serviceQuotas(r: QuotaRegion, serviceCode: string): ServiceQuota[] | undefined {
  const svc = QUOTA_SERVICES[serviceCode];
  if (!svc || r.governance.quotaServicesUnavailable.has(serviceCode)) return undefined;
  return svc.quotas.map((q) => {
    const o = r.governance.quotaOverrides.get(`${serviceCode}/${q.code}`);
    return stripUndefined<ServiceQuota>({
      ServiceCode: serviceCode,
      ServiceName: svc.name,
      QuotaArn: `arn:aws:servicequotas:${r.name}:${r.account}:${serviceCode}/${q.code}`,
      QuotaCode: q.code,
      QuotaName: q.name,
      Value: o?.value ?? q.value,
      Unit: "None",
      Adjustable: o?.adjustable ?? q.adjustable,
      GlobalQuota: false,
      UsageMetric: q.usage
        ? {
          MetricNamespace: "AWS/Usage",
          MetricName: "ResourceCount",
          MetricDimensions: { Class: "None", Resource: q.usage.resource, Service: q.usage.service, Type: "Resource" },
          MetricStatisticRecommendation: "Maximum",
        }
        : undefined,
      QuotaAppliedAtLevel: "ACCOUNT",
    });
  });
}

/**
 * AWS/Usage ResourceCount for the catalogue's quotas: the override's usage, else the live count of
 * the resources in the estate. Nothing is published for a count of zero (AWS publishes usage only
 * for resources that exist).
 */
export const quotaUsageMetrics = (
  region: QuotaRegion,
  namespace: string,
  metric: string,
  dims: Readonly<Record<string, string>>,
): Sampler | undefined => {
  if (namespace !== "AWS/Usage" || metric !== "ResourceCount" || dims.Type !== "Resource" || dims.Class !== "None") {
    return undefined;
  }
  for (const [code, svc] of Object.entries(QUOTA_SERVICES)) {
    for (const q of svc.quotas) {
      if (!q.usage || q.usage.service !== dims.Service || q.usage.resource !== dims.Resource) continue;
      if (Object.keys(dims).length !== 4) return undefined;
      const o = region.governance.quotaOverrides.get(`${code}/${q.code}`);
      const n = o?.usage !== undefined ? o.usage : q.usage.count(region);
      if (n === null || n <= 0) return undefined;
      return () => n;
    }
  }
  return undefined;
};
