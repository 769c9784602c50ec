/**
 * get_secure_browser_portal_details: everything attached to one Secure Browser portal, with findings.
 * Settings objects are read side by side with per-object errors; the browser policy summary is bounded.
 */
import { z } from "zod";
import type { Aws, OpOutput } from "../../aws/clients.ts";
import { AwsCallError } from "../../aws/clients.ts";
import { collect } from "../../aws/paginate.ts";
import {
  allowListFindings,
  portalIpFindings,
  portalLoggingFindings,
  portalTransferFindings,
} from "../_lib/access_rules.ts";
import { Collection } from "../_lib/collection.ts";
import { Finding, overallStatus, rankFindings, Status } from "../_lib/findings.ts";
import { plural } from "../_lib/format.ts";
import { Errors, Notes, RegionInput } from "../_lib/schemas.ts";
import { READ_ONLY, type ToolDef } from "../registry.ts";
import { BrowserPolicy, summarizeBrowserPolicy } from "./_browser_policy.ts";
import { notFound, parsePortalRef, PortalRefInput, portalRegion, resolvePortalArn } from "./_portal.ts";

type Portal = NonNullable<OpOutput<"workspaces-web", "GetPortal">["portal"]>;

const DetailsInput = z.object({
  portal_arn: PortalRefInput.describe(
    "The portal's ARN (arn:aws:workspaces-web:<region>:<account>:portal/<id>) or its id (the UUID at the end of the ARN)",
  ),
  region: RegionInput.describe("Region of a portal given by id; an ARN names its own region"),
});

const Enabled = z.string().nullable().describe("Enabled or Disabled");

const DetailsOutput = z.object({
  portal_arn: z.string(),
  region: z.string(),
  display_name: z.string().nullable(),
  authentication_type: z.string().nullable().describe("Standard (your SAML IdP) or IAM_Identity_Center"),
  status: z.string().nullable().describe("Active, Incomplete or Pending"),
  status_reason: z.string().nullable(),
  portal_endpoint: z.string().nullable(),
  browser_type: z.string().nullable(),
  instance_type: z.string().nullable(),
  max_concurrent_sessions: z.number().int().nullable(),
  created: z.string().nullable(),
  user_settings: z.object({
    copyAllowed: Enabled,
    pasteAllowed: Enabled,
    downloadAllowed: Enabled,
    uploadAllowed: Enabled,
    printAllowed: Enabled,
    deepLinkAllowed: Enabled,
    webAuthnAllowed: Enabled,
    disconnectTimeoutInMinutes: z.number().nullable(),
    idleDisconnectTimeoutInMinutes: z.number().nullable(),
  }).nullable().describe("null when none is attached or it could not be read (see errors)"),
  network: z.object({
    vpcId: z.string().nullable(),
    subnetIds: z.array(z.string()),
    securityGroupIds: z.array(z.string()),
  }).nullable(),
  has_browser_policy: z.boolean(),
  browser_policy: BrowserPolicy.nullable(),
  ip_access: z.object({
    allowed_ranges: z.array(z.string()),
    display_name: z.string().nullable(),
  }).nullable().describe("null when the portal has no IP access settings: any address can sign in"),
  has_session_logging: z.boolean().describe("User access logging or a session logger is attached"),
  user_access_logging: z.boolean(),
  session_logger: z.boolean(),
  identity_providers: z.array(z.object({ name: z.string().nullable(), type: z.string().nullable() })),
  has_data_protection: z.boolean(),
  data_protection: z.object({
    builtin_pattern_ids: z.array(z.string()),
    custom_patterns: z.array(z.object({
      name: z.string().nullable(),
      description: z.string().nullable(),
      keyword_regex: z.string().nullable(),
    })),
    pattern_count: z.number().int(),
    global_confidence_level: z.number().nullable(),
    enforced_urls: z.array(z.string()),
    exempt_urls: z.array(z.string()),
  }).nullable(),
  status_assessment: Status.describe("The worst finding: critical → unhealthy, warning → degraded, else healthy"),
  findings: z.array(Finding),
  errors: Errors,
  notes: Notes,
});
type Details = z.infer<typeof DetailsOutput>;

async function getPortal(aws: Aws, arn: string, id: string, region: string, signal: AbortSignal): Promise<Portal> {
  try {
    const out = await aws.call("workspaces-web", "GetPortal", { portalArn: arn }, { region, signal });
    if (!out.portal) throw notFound(id, region);
    return out.portal;
  } catch (e) {
    if (e instanceof AwsCallError && e.info.code === "NotFound") throw notFound(id, region);
    throw e;
  }
}

/** Everything attached to one Secure Browser portal, with findings. */
export const getSecureBrowserPortalDetails: ToolDef<typeof DetailsInput, typeof DetailsOutput> = {
  name: "get_secure_browser_portal_details",
  title: "Secure Browser portal details",
  toolset: "secure-browser",
  tier: 0,
  actions: [
    "workspaces-web:GetBrowserSettings",
    "workspaces-web:GetDataProtectionSettings",
    "workspaces-web:GetIpAccessSettings",
    "workspaces-web:GetNetworkSettings",
    "workspaces-web:GetPortal",
    "workspaces-web:GetUserSettings",
    "workspaces-web:ListIdentityProviders",
    "workspaces-web:ListPortals",
  ],
  annotations: READ_ONLY,
  description: "Everything about one Amazon WorkSpaces Secure Browser (formerly WorkSpaces Web) portal: status, " +
    "authentication, what users may copy, paste, download, upload and print, network (VPC, subnets, security " +
    "groups), the Chrome browser policy (URL allow/block lists and each policy), allowed IP ranges, logging, " +
    "identity providers and data protection (redaction patterns), with findings for open access, data egress and " +
    "missing logging. Accepts the portal ARN or its id.",
  input: DetailsInput,
  output: DetailsOutput,
  async run(ctx, args) {
    const notes: string[] = [];
    const ref = parsePortalRef(args.portal_arn);
    const region = await portalRegion(ctx, ref, args.region, notes);
    const aws = ctx.aws;
    const o = { region, signal: ctx.signal };
    const arn = ref.arn ?? await resolvePortalArn(aws, ref.id, region, ctx.signal);
    const portal = await getPortal(aws, arn, ref.id, region, ctx.signal);
    await ctx.progress(1, 2, "portal read");
    const col = new Collection();
    const at = (operation: string) => ({ service: "workspaces-web", operation, region });
    const [user, network, browser, ip, idps, dp] = await Promise.all([
      portal.userSettingsArn
        ? col.attempt(
          at("GetUserSettings"),
          async () =>
            (await aws.call("workspaces-web", "GetUserSettings", { userSettingsArn: portal.userSettingsArn }, o))
              .userSettings,
        )
        : undefined,
      portal.networkSettingsArn
        ? col.attempt(
          at("GetNetworkSettings"),
          async () =>
            (await aws.call(
              "workspaces-web",
              "GetNetworkSettings",
              { networkSettingsArn: portal.networkSettingsArn },
              o,
            ))
              .networkSettings,
        )
        : undefined,
      portal.browserSettingsArn
        ? col.attempt(
          at("GetBrowserSettings"),
          async () =>
            (await aws.call(
              "workspaces-web",
              "GetBrowserSettings",
              { browserSettingsArn: portal.browserSettingsArn },
              o,
            ))
              .browserSettings,
        )
        : undefined,
      portal.ipAccessSettingsArn
        ? col.attempt(at("GetIpAccessSettings"), async () =>
          (await aws.call("workspaces-web", "GetIpAccessSettings", {
            ipAccessSettingsArn: portal.ipAccessSettingsArn,
          }, o)).ipAccessSettings)
        : undefined,
      col.attempt(
        at("ListIdentityProviders"),
        async () =>
          (await collect(aws, "workspaces-web", "ListIdentityProviders", { portalArn: arn }, "identityProviders", o))
            .items,
      ),
      portal.dataProtectionSettingsArn
        ? col.attempt(
          at("GetDataProtectionSettings"),
          async () =>
            (await aws.call("workspaces-web", "GetDataProtectionSettings", {
              dataProtectionSettingsArn: portal.dataProtectionSettingsArn,
            }, o)).dataProtectionSettings,
        )
        : undefined,
    ]);
    await ctx.progress(2, 2, "settings read");

    const browser_policy = browser?.browserPolicy ? summarizeBrowserPolicy(browser.browserPolicy) : null;
    if (browser_policy?.parse_error) {
      notes.push(`The browser policy JSON could not be parsed: ${browser_policy.parse_error}`);
    }
    const ranges = (ip?.ipRules ?? []).map((r) => r.ipRange ?? "").filter(Boolean);
    const redaction = dp?.inlineRedactionConfiguration;
    const patterns = redaction?.inlineRedactionPatterns ?? [];

    const findings: Finding[] = [...portalIpFindings(portal)];
    if (ip) {
      findings.push(
        ...allowListFindings(
          ranges,
          "Portal IP access settings",
          arn,
          "",
          "Update the portal's IP access settings (UpdateIpAccessSettings).",
        ),
      );
    }
    findings.push(...portalLoggingFindings(portal));
    if (user) findings.push(...portalTransferFindings(portal, user));
    if (portal.portalStatus && portal.portalStatus !== "Active") {
      findings.push({
        severity: "warning",
        title: `Portal is ${portal.portalStatus}`,
        detail: portal.statusReason ?? "The portal is not serving sessions yet.",
        recommendation: portal.portalStatus === "Incomplete"
          ? "Attach the missing settings (network, user, browser) and an identity provider to finish the portal."
          : "Wait for the portal to become Active, then check again.",
        resource_id: arn,
      });
    }
    const ranked = rankFindings(findings);
    const status_assessment = ranked.length ? overallStatus(ranked) : "healthy";
    const name = portal.displayName ?? ref.id;
    const data: Details = {
      portal_arn: arn,
      region,
      display_name: portal.displayName ?? null,
      authentication_type: portal.authenticationType ?? null,
      status: portal.portalStatus ?? null,
      status_reason: portal.statusReason ?? null,
      portal_endpoint: portal.portalEndpoint ?? null,
      browser_type: portal.browserType ?? null,
      instance_type: portal.instanceType ?? null,
      max_concurrent_sessions: portal.maxConcurrentSessions ?? null,
      created: portal.creationDate?.toISOString() ?? null,
      user_settings: user
        ? {
          copyAllowed: user.copyAllowed ?? null,
          pasteAllowed: user.pasteAllowed ?? null,
          downloadAllowed: user.downloadAllowed ?? null,
          uploadAllowed: user.uploadAllowed ?? null,
          printAllowed: user.printAllowed ?? null,
          deepLinkAllowed: user.deepLinkAllowed ?? null,
          webAuthnAllowed: user.webAuthnAllowed ?? null,
          disconnectTimeoutInMinutes: user.disconnectTimeoutInMinutes ?? null,
          idleDisconnectTimeoutInMinutes: user.idleDisconnectTimeoutInMinutes ?? null,
        }
        : null,
      network: network
        ? {
          vpcId: network.vpcId ?? null,
          subnetIds: network.subnetIds ?? [],
          securityGroupIds: network.securityGroupIds ?? [],
        }
        : null,
      has_browser_policy: !!browser?.browserPolicy,
      browser_policy,
      ip_access: ip ? { allowed_ranges: ranges, display_name: ip.displayName ?? null } : null,
      has_session_logging: !!(portal.userAccessLoggingSettingsArn || portal.sessionLoggerArn),
      user_access_logging: !!portal.userAccessLoggingSettingsArn,
      session_logger: !!portal.sessionLoggerArn,
      identity_providers: (idps ?? []).map((p) => ({
        name: p.identityProviderName ?? null,
        type: p.identityProviderType ?? null,
      })),
      has_data_protection: !!portal.dataProtectionSettingsArn,
      data_protection: dp
        ? {
          builtin_pattern_ids: patterns.map((p) => p.builtInPatternId).filter((x): x is string => !!x),
          custom_patterns: patterns.filter((p) => p.customPattern).map((p) => ({
            name: p.customPattern?.patternName ?? null,
            description: p.customPattern?.patternDescription ?? null,
            keyword_regex: p.customPattern?.keywordRegex ?? null,
          })),
          pattern_count: patterns.length,
          global_confidence_level: redaction?.globalConfidenceLevel ?? null,
          enforced_urls: redaction?.globalEnforcedUrls ?? [],
          exempt_urls: redaction?.globalExemptUrls ?? [],
        }
        : null,
      status_assessment,
      findings: ranked,
      errors: col.errors,
      notes,
    };
    if (portal.authenticationType === "IAM_Identity_Center" && data.identity_providers.length === 0) {
      notes.push(
        "Users sign in through IAM Identity Center, which holds the identity source; no portal IdP is listed.",
      );
    }
    if (col.errors.length) {
      notes.push("Settings listed in errors could not be read; their sections are null, not absent.");
    }
    const worst = ranked.filter((f) => f.severity !== "info").length;
    return {
      summary: `Portal ${name} (${portal.portalStatus ?? "status unknown"}, ${region}): ${
        worst ? `${plural(worst, "issue")}, worst: ${ranked[0].title}` : "no issues found"
      }${col.errors.length ? ` (${col.errors.length} settings could not be read)` : ""}.`,
      data,
    };
  },
};
