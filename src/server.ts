/**
 * Builds the MCP server: instructions, the tools the flags enable, resources, prompts, completions and
 * client logging.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { SetLevelRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Aws } from "./aws/clients.ts";
import { Completions } from "./completions.ts";
import { type Config, PROGRAM, VERSION } from "./config.ts";
import { type Logger, type McpLevel, teeToClient } from "./log.ts";
import { PRODUCT } from "./names.ts";
import { registerPrompts } from "./prompts.ts";
import { registerResources } from "./resources.ts";
import { CATALOGUE_SOURCE, enabledTools, enabledToolsets } from "./tools/catalogue.ts";
import { recordSource, registerTools } from "./tools/loading.ts";
import type { ToolDef, ToolMeta } from "./tools/registry.ts";
import { ReportStore } from "./tools/_lib/reports.ts";

/** What the server needs from the outside world. */
export interface ServerDeps {
  readonly config: Config;
  readonly aws: Aws;
  readonly log: Logger;
  /** Tool records to serve instead of the catalogue's (tests). */
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
export function createServer(deps: ServerDeps): { server: McpServer; tools: ToolMeta[]; reports: ReportStore } {
  const { config, aws } = deps;
  const server = new McpServer(
    { name: PROGRAM, version: VERSION, title: "Amazon WorkSpaces EUC" },
    { instructions: instructions(config), capabilities: { logging: {} } },
  );
  const log = clientLogging(server, deps.log);
  const reports = new ReportStore();
  // An export adds a euc://reports/… resource: tell the client its resource list changed.
  reports.onAdd(() => server.sendResourceListChanged());
  const source = deps.tools ? recordSource(deps.tools) : CATALOGUE_SOURCE;
  const tools = registerTools(server, enabledTools(config, source.all), {
    aws,
    config,
    log,
    reports,
    source,
    ...(config.demo ? { coveredRegions: demoRegions() } : {}),
  });
  const completions = new Completions({ aws, config, log });
  registerResources(server, { config, tools, reports, completions });
  registerPrompts(server, completions);
  log.debug("server created", { tools: tools.length, toolsets: enabledToolsets(config) });
  return { server, tools, reports };
}

/**
 * The logger the server's parts use: stderr as configured, plus `notifications/message` to the client
 * at or above the level it set with `logging/setLevel` (nothing before it asks).
 */
function clientLogging(server: McpServer, base: Logger): Logger {
  let level: McpLevel | undefined;
  // Replaces the SDK's own setLevel handler (which would send every level until a client sets one).
  server.server.setRequestHandler(SetLevelRequestSchema, (request: { params: { level: McpLevel } }) => {
    level = request.params.level;
    return {};
  });
  return teeToClient(
    base,
    () => level,
    (message) => server.isConnected() ? server.server.sendLoggingMessage(message) : Promise.resolve(),
    PROGRAM,
  );
}

/** The regions the built-in demo estate has resources in (built once, on first need). */
function demoRegions(): () => Promise<readonly string[]> {
  let regions: Promise<readonly string[]> | undefined;
  return () => regions ??= import("./sim/mod.ts").then((m) => m.demoEstate().regions());
}

export { settings } from "./resources.ts";
