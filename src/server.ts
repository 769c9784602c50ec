/**
 * Builds the MCP server: instructions, the tools the flags enable, resources and prompts.
 */
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { Aws } from "./aws/clients.ts";
import { IAM_TIERS } from "./aws/errors.ts";
import { type Config, PROGRAM, VERSION } from "./config.ts";
import type { Logger } from "./log.ts";
import { PRODUCT } from "./names.ts";
import { ALL_TOOLS, enabledTools, enabledToolsets } from "./tools/mod.ts";
import { registerTools, type ToolDef } from "./tools/registry.ts";
import { ReportStore } from "./tools/_lib/reports.ts";

/** What the server needs from the outside world. */
export interface ServerDeps {
  readonly config: Config;
  readonly aws: Aws;
  readonly log: Logger;
  readonly tools?: readonly ToolDef[];
}

/** Instructions sent to the model at initialize: names, tiers, how to approach large estates. */
export function instructions(config: Config): string {
  return [
    `${PROGRAM} ${VERSION}: AI-assisted inventory, troubleshooting, cost and guarded lifecycle actions for ` +
    `${PRODUCT.personal}, ${PRODUCT.pools}, ${PRODUCT.applications}, ${PRODUCT["secure-browser"]} and ${PRODUCT.core}.`,
    "NAMES: always use the current product names in answers. Users may say legacy names: 'AppStream 2.0' / " +
    "'AppStream' = WorkSpaces Applications (API appstream); 'WorkSpaces Web' = WorkSpaces Secure Browser; " +
    "'WorkSpaces Core' partner desktops are counted under WorkSpaces Personal. Any `services` parameter accepts these aliases.",
    "POWER STATE IS NOT USAGE: by_state AVAILABLE means a desktop is powered on, STOPPED means an AutoStop desktop is " +
    "off — neither says whether anyone uses it. Use the utilization tools (connections, billable hours) for usage.",
    "TROUBLESHOOTING: for 'why can't X connect / why is this fleet or pool failing' use the diagnose_* tools and " +
    "check_directory_health; they return a status and findings ranked critical first, each with a next step — lead " +
    "with the first critical finding. AppStream fleet questions go to diagnose_application_fleet.",
    "USAGE AND COST: utilization, running mode and unused resources use billable hours from CloudWatch UserConnected " +
    "(sessions plus the AutoStop timeout, rounded up), not power state. recommend_running_mode compares projected " +
    "hours with the bundle's break-even from the live Price List, both directions, in $/month; desktops tagged " +
    "Skip_Convert are left alone. Prices are LIST prices (no private pricing or credits). Cost Explorer bills " +
    "$0.01 per request: prefer one get_euc_cost_summary over repeated calls. For a one-call overview use " +
    "generate_euc_health_report.",
    "LARGE ESTATES: start with get_euc_inventory_summary (counts only), then generate_inventory_report with " +
    "`services` and a small max_resources_per_service (follow next_token), or export_inventory_report_csv for everything. " +
    "Results are capped to about 80 KB; totals are always complete.",
    "REGIONS: tools take `region`, and fan-out tools also take `regions` (a list); every item says its region. " +
    (config.regions.length ? `Default fan-out regions: ${config.regions.join(", ")}. ` : "") +
    (config.region ? `Default region: ${config.region}.` : "Default region: from the AWS profile."),
    "ERRORS: a failing service or region appears in `errors` with a code and a hint (e.g. the missing IAM action and " +
    "its tier, or `aws sso login --profile X`); the rest of the result is still valid — report both.",
    "IAM TIERS: tier 0 diagnostics (read-only), tier 1 cost (Cost Explorer, Price List), tier 2 lifecycle writes, " +
    "tier 3 destructive. Writes are registered only with --enable-writes; destructive tools also need " +
    "--enable-destructive, a dry-run plan_token and an exact acknowledge phrase.",
    ...(config.demo
      ? ["DEMO MODE: every result comes from a built-in simulated estate (simulated: true); say so."]
      : []),
  ].join("\n\n");
}

/** Creates the MCP server with everything the configuration enables. */
export function createServer(deps: ServerDeps): { server: McpServer; tools: ToolDef[]; reports: ReportStore } {
  const { config, aws, log } = deps;
  const server = new McpServer(
    { name: PROGRAM, version: VERSION, title: "Amazon WorkSpaces EUC" },
    { instructions: instructions(config) },
  );
  const reports = new ReportStore();
  const all = deps.tools ?? ALL_TOOLS;
  const tools = registerTools(server, enabledTools(config, all), { aws, config, log, reports, all });

  server.registerResource(
    "server-settings",
    "euc://server/settings",
    {
      title: "Server settings",
      description: "Version, regions, enabled toolsets and safety gates (no secrets)",
      mimeType: "application/json",
    },
    (uri: URL) => ({
      contents: [{
        uri: uri.href,
        mimeType: "application/json",
        text: JSON.stringify(settings(config, tools), null, 2),
      }],
    }),
  );

  server.registerResource(
    "iam-policy",
    new ResourceTemplate("euc://iam/{tier}", {
      list: () => ({
        resources: IAM_TIERS.map((t) => ({
          uri: `euc://iam/tier${t.tier}`,
          name: `IAM tier ${t.tier} (${t.name})`,
          mimeType: "application/json",
        })),
      }),
    }),
    {
      title: "IAM tier policies",
      description: "The IAM policy of each tier (additive: attach tier 0, add higher tiers as needed)",
      mimeType: "application/json",
    },
    (uri: URL, vars: Record<string, string | string[]>) => {
      const n = Number(String(vars.tier).replace(/^tier/, ""));
      const tier = IAM_TIERS.find((t) => t.tier === n);
      if (!tier) throw new Error(`No IAM tier "${vars.tier}"; use tier0..tier3`);
      return {
        contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(tier.policy, null, 2) }],
      };
    },
  );

  server.registerResource(
    "report",
    new ResourceTemplate("euc://reports/{id}", {
      list: () => ({ resources: reports.list().map((r) => ({ uri: r.uri, name: r.id, mimeType: r.mimeType })) }),
    }),
    { title: "Reports of this session", description: "Exports made by tools in this session (e.g. inventory CSV)" },
    (uri: URL, vars: Record<string, string | string[]>) => {
      const report = reports.get(String(vars.id));
      if (!report) throw new Error(`No report "${vars.id}" in this session; run export_inventory_report_csv first`);
      return { contents: [{ uri: uri.href, mimeType: report.mimeType, text: report.text }] };
    },
  );

  registerPrompts(server);
  log.debug("server created", { tools: tools.length, toolsets: enabledToolsets(config) });
  return { server, tools, reports };
}

/** The settings resource: what an administrator needs to know about this server, no secrets. */
export function settings(config: Config, tools: readonly ToolDef[]) {
  return {
    name: PROGRAM,
    version: VERSION,
    region: config.region ?? null,
    regions: config.regions,
    profile_configured: config.profile !== undefined,
    assume_role: config.assumeRoleArn !== undefined,
    endpoint_override: config.endpointUrl !== undefined,
    demo: config.demo,
    toolsets: enabledToolsets(config),
    tools: tools.map((t) => ({
      name: t.name,
      toolset: t.toolset,
      tier: t.tier,
      actions: t.actions,
      ...(t.enrichment ? { enrichment_actions: t.enrichment } : {}),
    })),
    gates: {
      writes_enabled: config.enableWrites,
      destructive_enabled: config.enableDestructive,
      max_bulk_targets: config.maxBulkTargets,
      require_plan_token: config.requirePlanToken,
    },
  };
}

/** The prompts: each turns an administrator's recurring question into instructions for the model. */
const PROMPTS: readonly {
  name: string;
  title: string;
  description: string;
  args: Record<string, z.ZodType<string | undefined>>;
  text(args: Record<string, string | undefined>): string;
}[] = [
  {
    name: "triage_user_connection",
    title: "Triage a user's connection problem",
    description: "Why can't a user connect to a WorkSpace?",
    args: { workspace_id: z.string().describe("ws-…") },
    text: (a) =>
      `A user cannot connect to WorkSpace ${a.workspace_id}. Run diagnose_workspace_connectivity on it; if the ` +
      "directory looks involved, check_directory_health; for the last days' pattern, " +
      "get_workspace_connection_history. Rank the likely causes, give the next step for each, and say which facts " +
      "came from which tool.",
  },
  {
    name: "monthly_cost_review",
    title: "Monthly EUC cost review",
    description: "Where can WorkSpaces cost be cut?",
    args: { region: z.string().optional().describe("AWS region (default: the server's)") },
    text: (a) =>
      `Review EUC spend${a.region ? ` in ${a.region}` : ""}: get_euc_cost_summary and compare_euc_costs for what ` +
      "changed and why, get_euc_cost_forecast for where it is heading, then recommend_running_mode, " +
      "list_unused_resources and recommend_bundle_rightsizing for savings. List savings in $/month, largest first, " +
      "with what each change risks (running-mode switches take effect best at month end).",
  },
  {
    name: "application_fleet_capacity_review",
    title: "WorkSpaces Applications fleet capacity review",
    description: "Is a fleet out of capacity?",
    args: { fleet_name: z.string().describe("Fleet name") },
    text: (a) =>
      `Is the WorkSpaces Applications (AppStream 2.0) fleet ${a.fleet_name} out of capacity? Run ` +
      "diagnose_application_fleet (state, capacity, fleet errors, failed scaling, insufficient-capacity errors) and " +
      "get_application_fleet_usage (live sessions, capacity over the last days), then recommend capacity or scaling " +
      "changes with their cost (get_euc_service_prices).",
  },
  {
    name: "security_posture_review",
    title: "EUC security posture review",
    description: "Encryption, IP access, egress and logging findings",
    args: { region: z.string().optional().describe("AWS region (default: the server's)") },
    text: (a) =>
      `Review the EUC security posture${a.region ? ` in ${a.region}` : ""}: run audit_security_posture (volume ` +
      "encryption, IP access groups, Secure Browser restrictions and logging, stack and portal egress, usage reports) " +
      "and get_euc_account_posture; for recent changes, get_euc_audit_trail. Rank findings critical first with a fix " +
      "for each.",
  },
];

function registerPrompts(server: McpServer): void {
  for (const p of PROMPTS) {
    server.registerPrompt(
      p.name,
      { title: p.title, description: p.description, argsSchema: p.args },
      (args: Record<string, string | undefined>) => ({
        messages: [{ role: "user" as const, content: { type: "text" as const, text: p.text(args) } }],
      }),
    );
  }
}
