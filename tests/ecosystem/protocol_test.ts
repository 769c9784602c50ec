/**
 * Protocol conformance, as any MCP client sees the server: a real SDK Client lists and calls every
 * tool that has no required argument (the client validates each structured result against the listed
 * output schema), reads every resource, gets every prompt with values it completed, completes each
 * template variable, sets the log level and receives log records and resource-list changes.
 */
import assert from "node:assert/strict";
import {
  type CallToolResult,
  LoggingMessageNotificationSchema,
  ResourceListChangedNotificationSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { DEMO, demoEstate } from "../../src/sim/mod.ts";
import { typeArrays } from "../../src/tools/_lib/json_schema.ts";
import { connect } from "../support/harness.ts";

const ALL = ["--region", "us-east-1", "--enable-writes", "--enable-destructive"];

/** Tools that still answer isError when called bare (tracked: the "answers usefully" item). */
const KNOWN_BARE_ERRORS = new Set<string>([]);

/** CloudTrail's pacing (2 LookupEvents a second) makes a bare 7-day trail take seconds; one day proves the same. */
const QUICKER: Readonly<Record<string, Record<string, unknown>>> = { get_euc_audit_trail: { lookback_days: 1 } };

/** Read tools' share of the lean tools/list: 30 read tools today, 43 with the write tools. */
const LIST_BUDGET = 60_000;

Deno.test("a client gets logging, completions, listChanged, and a lean portable tools/list", async () => {
  const h = await connect(demoEstate(), ALL);
  try {
    const caps = h.client.getServerCapabilities()!;
    assert.ok(caps.logging, "logging capability");
    assert.ok(caps.completions, "completions capability");
    assert.equal(caps.resources?.listChanged, true);
    const { tools } = await h.client.listTools();
    // Measured as strict clients serialise it: non-ASCII characters as \uXXXX escapes (Python's json.dumps default).
    const bytes = JSON.stringify(tools).replace(/[\u0080-\uffff]/g, "\\u0000").length;
    assert.ok(bytes < LIST_BUDGET, `tools/list is ${bytes} bytes for ${tools.length} tools, want < ${LIST_BUDGET}`);
    assert.deepEqual(typeArrays(tools), [], 'no type arrays such as ["string","null"] (strict clients reject them)');
    for (const t of tools) {
      assert.equal(t.outputSchema?.type, "object", `${t.name} lists an output schema`);
      assert.ok(!("$schema" in t.inputSchema), `${t.name}: no $schema per tool`);
    }
  } finally {
    await h.close();
  }
});

Deno.test("every tool without a required argument answers a bare call with a result the client validates", async () => {
  const h = await connect(demoEstate(), ALL);
  try {
    const { tools } = await h.client.listTools();
    const bare = tools.filter((t: Tool) => !(t.inputSchema.required?.length) && t.annotations?.readOnlyHint);
    assert.ok(bare.length >= 15, `only ${bare.length} tools take no required argument`);
    const failed: string[] = [];
    for (const t of bare) {
      // The SDK client validates structuredContent against the listed output schema and throws if it does not match.
      const { body, result } = await h.call(t.name, QUICKER[t.name]);
      if (result.isError && !KNOWN_BARE_ERRORS.has(t.name)) failed.push(`${t.name}: ${String(body.summary)}`);
      assert.equal(typeof body.summary, "string", `${t.name} has a summary`);
    }
    assert.deepEqual(failed, []);
  } finally {
    await h.close();
  }
});

Deno.test("every resource reads; every template variable and prompt argument completes; every prompt gets", async () => {
  const h = await connect(demoEstate(), ALL);
  try {
    const { resources } = await h.client.listResources();
    assert.ok(resources.length >= 5);
    for (const r of resources) {
      const { contents } = await h.client.readResource({ uri: r.uri });
      assert.ok(contents.length > 0 && "text" in contents[0], r.uri);
    }
    const { resourceTemplates } = await h.client.listResourceTemplates();
    const typed: Record<string, string> = { tier: "tier", toolset: "in", tool: "diag", id: "" };
    for (const t of resourceTemplates) {
      const variable = /\{(\w+)\}/.exec(t.uriTemplate)![1];
      const { completion } = await h.client.complete({
        ref: { type: "ref/resource", uri: t.uriTemplate },
        argument: { name: variable, value: typed[variable] ?? "" },
      });
      if (variable !== "id") assert.ok(completion.values.length > 0, `${t.uriTemplate} completes ${variable}`);
    }
    const schema = await h.client.readResource({ uri: "euc://schemas/diagnose_pool" });
    const full = JSON.parse(String((schema.contents[0] as { text: string }).text));
    assert.ok(full.outputSchema.properties.findings, "the full output schema is a resource");
    assert.deepEqual(typeArrays(full), []);

    const { prompts } = await h.client.listPrompts();
    assert.ok(prompts.length >= 6);
    for (const p of prompts) {
      const args: Record<string, string> = {};
      for (const a of p.arguments ?? []) {
        const { completion } = await h.client.complete({
          ref: { type: "ref/prompt", name: p.name },
          argument: { name: a.name, value: a.name === "region" ? "us-" : "" },
          context: { arguments: args },
        });
        assert.ok(completion.values.length > 0, `${p.name}.${a.name} completes`);
        if (a.required || a.name === "region") args[a.name] = completion.values[0];
      }
      const got = await h.client.getPrompt({ name: p.name, arguments: args });
      assert.ok(got.messages.length > 0, p.name);
    }
  } finally {
    await h.close();
  }
});

Deno.test("WorkSpace ids complete from the live estate, by id or user name; bad prompt arguments are refused", async () => {
  const h = await connect(demoEstate(), ALL);
  try {
    const byId = await h.client.complete({
      ref: { type: "ref/prompt", name: "triage_user_connection" },
      argument: { name: "workspace_id", value: "ws-" },
    });
    assert.ok(byId.completion.values.includes(DEMO.available));
    const byUser = await h.client.complete({
      ref: { type: "ref/prompt", name: "triage_user_connection" },
      argument: { name: "workspace_id", value: "jane" },
    });
    assert.deepEqual(byUser.completion.values, [DEMO.available]);
    const calls = h.sim.calls.length;
    await h.client.complete({
      ref: { type: "ref/prompt", name: "triage_user_connection" },
      argument: { name: "workspace_id", value: "ws-9" },
    });
    assert.equal(h.sim.calls.length, calls, "a second keystroke is answered from the short cache");
    const pools = await h.client.complete({
      ref: { type: "ref/prompt", name: "pool_capacity_review" },
      argument: { name: "pool_id", value: "wspool-" },
    });
    assert.ok(pools.completion.values.includes(DEMO.poolAtCapacity));

    await assert.rejects(
      h.client.getPrompt({ name: "triage_user_connection", arguments: { workspace_id: "bogus" } }),
      /workspace_id|WorkSpace id/,
    );
    await assert.rejects(
      h.client.getPrompt({ name: "monthly_cost_review", arguments: { region: "mars-1" } }),
      /region/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("after logging/setLevel the client receives log records at or above the level; reports announce themselves", async () => {
  const h = await connect(demoEstate(), ALL);
  try {
    const logs: { level: string; data: unknown }[] = [];
    const changes: unknown[] = [];
    h.client.setNotificationHandler(
      LoggingMessageNotificationSchema,
      (n: { params: { level: string; data: unknown } }) => void logs.push(n.params),
    );
    h.client.setNotificationHandler(ResourceListChangedNotificationSchema, (n: unknown) => void changes.push(n));
    await h.call("get_euc_inventory_summary");
    assert.equal(logs.length, 0, "nothing before the client asks");
    await h.client.setLoggingLevel("debug");
    await h.call("get_euc_inventory_summary");
    await h.call("diagnose_pool", { pool_id: "wspool-000000000" });
    await new Promise((r) => setTimeout(r, 10));
    assert.ok(logs.some((l) => l.level === "debug" && (l.data as { msg: string }).msg === "tool done"));
    await h.client.setLoggingLevel("error");
    const before = logs.length;
    await h.call("get_euc_inventory_summary");
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(logs.length, before, "debug and info records stop at level error");
    assert.ok(!JSON.stringify(logs).includes("secretAccessKey"));

    await h.call("export_inventory_report_csv");
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(changes.length, 1, "notifications/resources/list_changed after an export");
    const { resources } = await h.client.listResources();
    assert.ok(resources.some((r: { uri: string }) => r.uri.startsWith("euc://reports/")));
  } finally {
    await h.close();
  }
});

Deno.test("a wrong tool argument is one line naming the parameter, the problem and an example", async () => {
  const h = await connect(demoEstate(), ALL);
  try {
    const { result, body } = await h.call("diagnose_pool", { pool_id: "bogus" });
    assert.equal(result.isError, true);
    const text = (result.content as { text: string }[])[0].text;
    assert.ok(!text.includes("MCP error"), text);
    const error = body.error as { message: string };
    assert.match(error.message, /parameter "pool_id" is invalid: .*\(got "bogus"\); for example "pool_id": "wspool-/);
    assert.ok(!error.message.includes("\n"));
    const missing = await h.call("diagnose_pool", {});
    assert.match((missing.body.error as { message: string }).message, /parameter "pool_id" is required/);
  } finally {
    await h.close();
  }
});

Deno.test("--demo: every summary starts [simulated], and a region the demo estate lacks is called out", async () => {
  const h = await connect(demoEstate(), ["--demo", "--region", "us-east-9"]);
  try {
    const { body } = await h.call("get_euc_inventory_summary");
    assert.match(String(body.summary), /^\[simulated\] Warning: the demo estate has no resources in us-east-9/);
    const bad = await h.call("diagnose_pool", { pool_id: "bogus" });
    assert.match(String(bad.body.summary), /^\[simulated\] InvalidInput/);
    const ok = await h.call("get_euc_inventory_summary", { region: "us-east-1" });
    assert.match(String(ok.body.summary), /^\[simulated\] (?!Warning)/);
    const result = ok.result as CallToolResult;
    assert.equal((result.structuredContent as { simulated: boolean }).simulated, true);
  } finally {
    await h.close();
  }
});
