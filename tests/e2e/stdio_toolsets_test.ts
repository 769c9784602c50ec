/**
 * Every read toolset as a client runs it: `deno run <production flags> main.ts` over stdio, AWS calls sent with
 * --endpoint-url to the demo estate served on loopback. Proves that CloudWatch, Cost Explorer, the Price List,
 * Directory Service, Application Auto Scaling, Service Quotas and Secure Browser all work under the narrow permission
 * set (no NotCapable), and that stdout stays JSON-RPC.
 */
import assert from "node:assert/strict";
import { DEMO, demoEstate, Simulator } from "../../src/sim/mod.ts";
import { spawnServer } from "./rpc.ts";

const CALLS: [string, Record<string, unknown>][] = [
  ["diagnose_workspace_connectivity", { workspace_id: DEMO.connectionFailures }],
  ["diagnose_application_fleet", { fleet_name: DEMO.fleetCapacityError }],
  ["check_directory_health", {}],
  ["analyze_workspace_utilization", {}],
  ["get_euc_service_prices", { service: "personal", compute_type: "POWER", operating_system: "WINDOWS_11" }],
  ["get_secure_browser_portal_usage", { portal: DEMO.portalSecure }],
  ["review_application_access", {}],
  ["get_euc_service_quotas", {}],
  ["generate_euc_health_report", {}],
];

Deno.test("stdio under the production flags: one tool of every read toolset answers from the demo estate", async () => {
  const sim = new Simulator(demoEstate());
  const served = await sim.serve();
  const rpc = spawnServer(["--region", "us-east-1", "--endpoint-url", served.url]);
  try {
    await rpc.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "e2e", version: "0" },
    });
    for (const [name, args] of CALLS) {
      const res = await rpc.request("tools/call", { name, arguments: args });
      const result = res.result as { isError?: boolean; content: { text: string }[]; structuredContent?: unknown };
      assert.equal(result.isError, undefined, `${name}: ${result.content?.[0]?.text.slice(0, 300)}`);
      assert.ok(result.structuredContent, `${name} returns structuredContent`);
    }
    const services = new Set(sim.calls.map((c) => c.service));
    for (const s of ["workspaces", "monitoring", "ce", "pricing", "ds", "application-autoscaling", "servicequotas"]) {
      assert.ok(services.has(s), `${s} was reached through the loopback endpoint`);
    }
    assert.equal(await rpc.close(), 0);
    for (const line of rpc.stdoutLines.filter((l) => l.trim())) {
      assert.equal(JSON.parse(line).jsonrpc, "2.0", `stdout line is not JSON-RPC: ${line.slice(0, 80)}`);
    }
    const stderr = await rpc.stderr();
    assert.ok(!/NotCapable|Requires \w+ access/.test(stderr), `no permission errors: ${stderr.slice(0, 300)}`);
  } finally {
    await served.close();
  }
});
