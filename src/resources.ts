/**
 * The resources: server settings, the IAM policy of each tier, each toolset's tools, each tool's full
 * JSON Schemas (tools/list carries a lean form) and this session's reports. Every template variable
 * completes (`completion/complete`).
 */
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { IAM_TIERS } from "./aws/errors.ts";
import type { Completions } from "./completions.ts";
import { type Config, PROGRAM, VERSION } from "./config.ts";
import { enabledToolsets, TOOLSETS } from "./tools/catalogue.ts";
import { fullToolSchemas } from "./tools/loading.ts";
import type { ToolMeta } from "./tools/registry.ts";
import type { ReportStore } from "./tools/_lib/reports.ts";

const JSON_TYPE = "application/json";

function json(uri: URL, value: unknown) {
  return { contents: [{ uri: uri.href, mimeType: JSON_TYPE, text: JSON.stringify(value, null, 2) }] };
}

function prefixed(values: readonly string[], typed: string): string[] {
  const t = typed.toLowerCase();
  return values.filter((v) => v.toLowerCase().startsWith(t)).slice(0, 100);
}

/** Registers every resource and resource template. */
export function registerResources(
  server: McpServer,
  deps: { config: Config; tools: readonly ToolMeta[]; reports: ReportStore; completions: Completions },
): void {
  const { config, tools, reports, completions } = deps;
  server.registerResource(
    "server-settings",
    "euc://server/settings",
    {
      title: "Server settings",
      description: "Version, regions, enabled toolsets and safety gates (no secrets)",
      mimeType: JSON_TYPE,
    },
    (uri: URL) => json(uri, settings(config, tools)),
  );

  server.registerResource(
    "iam-policy",
    new ResourceTemplate("euc://iam/{tier}", {
      list: () => ({
        resources: IAM_TIERS.map((t) => ({
          uri: `euc://iam/tier${t.tier}`,
          name: `IAM tier ${t.tier} (${t.name})`,
          mimeType: JSON_TYPE,
        })),
      }),
      complete: { tier: (value: string) => completions.tiers(value) },
    }),
    {
      title: "IAM tier policies",
      description: "The IAM policy of each tier (additive: attach tier 0, add higher tiers as needed)",
      mimeType: JSON_TYPE,
    },
    (uri: URL, vars: Record<string, string | string[]>) => {
      const n = Number(String(vars.tier).replace(/^tier/, ""));
      const tier = IAM_TIERS.find((t) => t.tier === n);
      if (!tier) throw new Error(`No IAM tier "${String(vars.tier).slice(0, 40)}"; use tier0..tier3`);
      return json(uri, tier.policy);
    },
  );

  const enabled = new Set(enabledToolsets(config));
  server.registerResource(
    "toolset",
    new ResourceTemplate("euc://toolsets/{toolset}", {
      list: () => ({
        resources: TOOLSETS.map((t) => ({
          uri: `euc://toolsets/${t.id}`,
          name: `Toolset ${t.id}`,
          description: t.description,
          mimeType: JSON_TYPE,
        })),
      }),
      complete: { toolset: (value: string) => completions.toolsets(value) },
    }),
    {
      title: "Toolsets",
      description: "Each toolset's tools, IAM tier and actions, and whether the launch flags enable it",
      mimeType: JSON_TYPE,
    },
    (uri: URL, vars: Record<string, string | string[]>) => {
      const t = TOOLSETS.find((s) => s.id === String(vars.toolset));
      if (!t) {
        throw new Error(
          `No toolset "${String(vars.toolset).slice(0, 40)}"; known: ${TOOLSETS.map((s) => s.id).join(", ")}`,
        );
      }
      return json(uri, {
        id: t.id,
        description: t.description,
        tier: t.tier,
        enabled: enabled.has(t.id),
        tools: t.tools.map((tool) => ({ name: tool.name, title: tool.title, tier: tool.tier, actions: tool.actions })),
      });
    },
  );

  server.registerResource(
    "tool-schema",
    new ResourceTemplate("euc://schemas/{tool}", {
      // Not listed one by one (tools/list already names them); completion offers the names.
      list: undefined,
      complete: { tool: (value: string) => prefixed(tools.map((t) => t.name), value) },
    }),
    {
      title: "Full tool schemas",
      description: "A tool's complete input and output JSON Schemas (tools/list carries a lean output schema)",
      mimeType: JSON_TYPE,
    },
    async (uri: URL, vars: Record<string, string | string[]>) => {
      const schemas = await fullToolSchemas(server, String(vars.tool));
      if (!schemas) throw new Error(`No enabled tool "${String(vars.tool).slice(0, 64)}"`);
      return json(uri, { name: String(vars.tool), ...schemas });
    },
  );

  server.registerResource(
    "report",
    new ResourceTemplate("euc://reports/{id}", {
      list: () => ({ resources: reports.list().map((r) => ({ uri: r.uri, name: r.id, mimeType: r.mimeType })) }),
      complete: { id: (value: string) => prefixed(reports.list().map((r) => r.id), value) },
    }),
    { title: "Reports of this session", description: "Exports made by tools in this session (e.g. inventory CSV)" },
    (uri: URL, vars: Record<string, string | string[]>) => {
      const report = reports.get(String(vars.id));
      if (!report) {
        throw new Error(
          `No report "${String(vars.id).slice(0, 64)}" in this session; run export_inventory_report_csv first`,
        );
      }
      return { contents: [{ uri: uri.href, mimeType: report.mimeType, text: report.text }] };
    },
  );
}

/** The settings resource: what an administrator needs to know about this server, no secrets. */
export function settings(config: Config, tools: readonly ToolMeta[]) {
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
