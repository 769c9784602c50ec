/**
 * The one-shot commands. `tools` lists the enabled tools; `call <tool> '<json>'` runs one tool
 * through the same server and registry over an in-memory MCP connection and prints its result;
 * `tour` walks through the main tools and prints readable answers (with --demo: no AWS needed).
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type Config, PROGRAM, VERSION } from "./config.ts";
import { enabledToolsets, TOOLSETS } from "./tools/catalogue.ts";
import type { ServerDeps } from "./server.ts";
import { createServer } from "./server.ts";

const encoder = new TextEncoder();

function out(text: string): void {
  Deno.stdout.writeSync(encoder.encode(text.endsWith("\n") ? text : text + "\n"));
}

function err(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text.endsWith("\n") ? text : text + "\n"));
}

/** Prints the toolsets and whether the current flags enable each. */
export function listToolsets(config: Config): number {
  const enabled = new Set(enabledToolsets(config));
  for (const t of TOOLSETS) {
    out(`${t.id.padEnd(15)} ${enabled.has(t.id) ? "enabled " : "disabled"}  ${t.description}`);
  }
  return 0;
}

/** The JSON body of a tool result: structuredContent, or the error JSON after the summary line. */
export function resultBody(result: CallToolResult): Record<string, unknown> {
  if (!result.isError && result.structuredContent) return result.structuredContent;
  const first = (result.content as { type: string; text?: string }[] | undefined)?.find((c) => c.type === "text");
  const text = first?.text ?? "";
  if (text.startsWith("{")) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all: fall through
    }
  }
  const at = text.indexOf("\n\n{");
  if (at >= 0) {
    try {
      return JSON.parse(text.slice(at + 2));
    } catch {
      // not JSON after all: fall through
    }
  }
  return { error: { message: text || "tool failed" } };
}

/** Runs `tools`, `call` or `tour`; returns the process exit code. */
export async function runOnce(deps: ServerDeps): Promise<number> {
  const { config } = deps;
  const { server, tools } = createServer(deps);
  if (config.command.kind === "tools") {
    for (const t of tools) out(t.name);
    return 0;
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: `${PROGRAM}-cli`, version: VERSION });
  await server.connect(serverSide);
  await client.connect(clientSide);
  try {
    if (config.command.kind === "tour") return await tour(client, config);
    if (config.command.kind !== "call") return 2;
    const { tool, args } = config.command;
    if (!tools.some((t) => t.name === tool)) {
      err(`${PROGRAM}: no enabled tool "${tool}" (enabled: ${tools.map((t) => t.name).join(", ")})`);
      return 2;
    }
    const result = await client.callTool({ name: tool, arguments: args }) as CallToolResult;
    out(JSON.stringify(resultBody(result), null, 2));
    return result.isError ? 1 : 0;
  } finally {
    await client.close();
    await server.close();
  }
}

function summaryLine(result: CallToolResult): string {
  const summary = resultBody(result).summary;
  return typeof summary === "string" ? summary : "";
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => "  " + r.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/** A readable walk through the main tools: what an administrator sees first. */
async function tour(client: Client, config: Config): Promise<number> {
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args }) as CallToolResult;
    out(`\n▶ ${name} ${JSON.stringify(args)}`);
    out(`  ${summaryLine(result)}`);
    return { result, body: resultBody(result) };
  };
  out(`${PROGRAM} ${VERSION} — tour${config.demo ? " of the built-in simulated estate (no AWS account used)" : ""}`);
  const available = new Set((await client.listTools()).tools.map((t: { name: string }) => t.name));
  let failures = 0;

  if (available.has("get_euc_inventory_summary")) {
    const { result, body } = await call("get_euc_inventory_summary", {});
    if (result.isError) failures++;
    const services = (body.services as {
      service: string;
      resource_type: string;
      region: string;
      count: number;
      by_state: Record<string, number>;
    }[]) ?? [];
    if (services.length) {
      out(table([
        ["Service", "Type", "Region", "Count", "By state"],
        ...services.map((s) => [
          s.service,
          s.resource_type,
          s.region,
          String(s.count),
          Object.entries(s.by_state).map(([k, v]) => `${k}=${v}`).join(" "),
        ]),
      ]));
    }
  }
  if (available.has("generate_inventory_report")) {
    const { result, body } = await call("generate_inventory_report", {
      services: "personal",
      max_resources_per_service: 8,
    });
    if (result.isError) failures++;
    const sections = (body.sections as {
      resources: { id: string; name: string | null; state: string | null; attributes: Record<string, unknown> }[];
    }[]) ?? [];
    const rows = sections.flatMap((s) => s.resources).map((r) => [
      r.id,
      r.name ?? "",
      r.state ?? "",
      String(r.attributes.running_mode ?? ""),
      String(r.attributes.bundle_name ?? ""),
      r.attributes.root_volume_encrypted && r.attributes.user_volume_encrypted ? "yes" : "NO",
    ]);
    if (rows.length) out(table([["WorkSpace", "User", "State", "Running mode", "Bundle", "Encrypted"], ...rows]));
  }
  if (available.has("export_inventory_report_csv")) {
    const { result, body } = await call("export_inventory_report_csv", {});
    if (result.isError) failures++;
    const embedded = (result.content as { type: string; resource?: { text?: string } }[]).find((c) =>
      c.type === "resource"
    );
    const lines = embedded?.resource?.text?.split("\r\n").slice(0, 4) ?? [];
    for (const line of lines) out(`  ${line.length > 110 ? line.slice(0, 107) + "..." : line}`);
    if (body.resource_uri) out(`  (full CSV: ${body.resource_uri}, ${body.rows} rows)`);
  }
  // Diagnoses need a target: the demo knows its failing desktop and its full pool.
  if (config.demo) {
    const { DEMO } = await import("./sim/demo.ts");
    const diagnoses: [string, Record<string, unknown>][] = [
      ["diagnose_workspace_connectivity", { workspace_id: DEMO.connectionFailures }],
      ["diagnose_pool", { pool_id: DEMO.poolAtCapacity }],
    ];
    for (const [name, args] of diagnoses) {
      if (!available.has(name)) continue;
      const { result, body } = await call(name, args);
      if (result.isError) failures++;
      const findings = (body.findings as { severity: string; title: string; recommendation: string }[]) ?? [];
      for (const f of findings.filter((f) => f.severity !== "info").slice(0, 3)) {
        const line = `[${f.severity}] ${f.title} → ${f.recommendation}`;
        out(`  ${line.length > 150 ? line.slice(0, 147) + "..." : line}`);
      }
    }
  }
  // With writes on, one dry run: the live plan and its token; nothing is executed.
  if (config.demo && available.has("stop_workspaces")) {
    const { DEMO } = await import("./sim/demo.ts");
    const { result, body } = await call("stop_workspaces", {
      workspace_ids: [DEMO.available, DEMO.alwaysOn, DEMO.protected],
    });
    if (result.isError) failures++;
    for (const r of (body.results as { target_id: string; verdict: string; message: string }[]) ?? []) {
      out(`  ${r.target_id}: ${r.verdict} — ${r.message.replace(/^dry run: /, "")}`);
    }
    if (typeof body.plan_token === "string") {
      out(
        `  plan_token (valid until ${body.plan_expires_at}): ${body.plan_token.slice(0, 24)}… — nothing was executed`,
      );
    }
  } else if (config.demo) {
    out("\n(writes are off: start with --enable-writes to see a dry-run plan with its plan_token)");
  }
  // The tour ends with the one-call health report, printed as the markdown an administrator would share.
  if (available.has("generate_euc_health_report")) {
    const { result, body } = await call("generate_euc_health_report", {});
    if (result.isError) failures++;
    if (typeof body.markdown === "string") out(`\n${body.markdown}`);
  }
  out(
    `\nTools available with these flags: ${available.size}. Connect an MCP client (see README) to ask in plain language.`,
  );
  return failures ? 1 : 0;
}
