/**
 * The fault suite (issue 14): every read tool (the 30 registered without write flags) runs on the demo
 * estate once clean and then under 20 % throttling + 5 % 5xx on every operation, for three seeds, and the
 * faulty answer must equal the clean one. One server per seed; the harness scales retry backoff down.
 *
 * Fields normalised before comparing (each is a function of the wall clock or a random id, never of AWS data;
 * the value is replaced by a placeholder wherever it appears, including inside summary or markdown text):
 * - generate_euc_health_report `generated_at` (the minute the report was made; also in `markdown`),
 * - export_inventory_report_csv `report_id` (minute + random suffix; also in `path`, `resource_uri`, `summary`),
 * - get_euc_audit_trail `window_start`, `window_end`, `scanned_back_to`, `coverage[].scanned_back_to` (the scan
 *   window is "now − lookback" at call time, so it moves by the seconds between the two runs).
 * Nothing else: errors, counts, items, request counters and notes must match exactly.
 *
 * `FAULT_SUITE_MAX_ATTEMPTS=3 FAULT_SUITE_REPORT=1 deno test -A tests/faults/` measures the SDK's default budget
 * and prints the figures (runs identical / degraded / wrong) instead of asserting.
 */
import assert from "node:assert/strict";
import { demoEstate, Simulator } from "../../src/sim/mod.ts";
import { connect } from "../support/harness.ts";
import { SAMPLE_ARGS } from "../support/sample_args.ts";
import { clearOfHourBoundary } from "../support/clock.ts";

const SEEDS = [1, 2, 3];
const FAULTS = [
  { kind: "throttle", probability: 0.2 },
  { kind: "server-error", probability: 0.05 },
] as const;

type Body = Record<string, unknown>;

/** Where each tool's volatile values sit (dotted paths; `[]` walks every array element). */
const VOLATILE: Readonly<Record<string, readonly string[]>> = {
  generate_euc_health_report: ["generated_at"],
  export_inventory_report_csv: ["report_id"],
  get_euc_audit_trail: ["window_start", "window_end", "scanned_back_to", "coverage[].scanned_back_to"],
};

function valuesAt(body: unknown, path: string): string[] {
  let nodes: unknown[] = [body];
  for (const part of path.split(".")) {
    const each = part.endsWith("[]");
    const key = each ? part.slice(0, -2) : part;
    nodes = nodes.flatMap((n) => {
      const v = n && typeof n === "object" ? (n as Body)[key] : undefined;
      return each ? (Array.isArray(v) ? v : []) : [v];
    });
  }
  return nodes.filter((v): v is string => typeof v === "string" && v.length > 0);
}

/** The body with every volatile value replaced by `<path>` wherever it appears in a string. */
export function normalise(tool: string, body: Body): Body {
  const swaps: [string, string][] = [];
  for (const path of VOLATILE[tool] ?? []) for (const v of valuesAt(body, path)) swaps.push([v, `<${path}>`]);
  swaps.sort((a, b) => b[0].length - a[0].length);
  return JSON.parse(JSON.stringify(body), (_k, v) => {
    if (typeof v !== "string") return v;
    for (const [from, to] of swaps) v = v.split(from).join(to);
    return v;
  });
}

function hasErrors(body: Body): boolean {
  return Array.isArray(body.errors) && body.errors.length > 0;
}

type Outcome = {
  tool: string;
  seed: number;
  verdict: "identical" | "degraded" | "wrong";
  detail: string;
  body: Body;
};

function judge(tool: string, seed: number, clean: Body, faulty: Body, isError: boolean): Outcome {
  const a = normalise(tool, clean);
  const b = normalise(tool, faulty);
  if (JSON.stringify(a) === JSON.stringify(b)) return { tool, seed, verdict: "identical", detail: "", body: faulty };
  const extra = isError || (hasErrors(faulty) && JSON.stringify(faulty.errors) !== JSON.stringify(clean.errors));
  const detail = JSON.stringify(isError ? faulty : faulty.errors ?? []).slice(0, 300);
  return { tool, seed, verdict: extra ? "degraded" : "wrong", detail, body: faulty };
}

Deno.test("fault suite: every read tool answers the same under 20 % throttling + 5 % 5xx as clean", async () => {
  await clearOfHourBoundary();
  const maxAttempts = Number(Deno.env.get("FAULT_SUITE_MAX_ATTEMPTS") ?? "") || undefined;
  const report = Deno.env.get("FAULT_SUITE_REPORT") === "1";
  // One estate for every run: its timestamps are fixed when it is built, so clean and faulty see the same data.
  const estate = demoEstate();

  const clean = await connect(new Simulator(estate));
  const listed: { name: string; inputSchema: { properties?: Record<string, unknown> } }[] =
    (await clean.client.listTools()).tools;
  const tools = listed.map((t) => t.name).sort();
  assert.equal(tools.length, 30, "the read tools (tier 0/1)");
  for (const t of tools) assert.ok(SAMPLE_ARGS[t], `sample arguments for ${t}`);
  // Every tool lists under the faults itself: refresh, where a tool takes it, bypasses the listing cache.
  const refreshes = new Set(listed.filter((t) => "refresh" in (t.inputSchema.properties ?? {})).map((t) => t.name));
  const args = (tool: string) => ({ ...SAMPLE_ARGS[tool], ...(refreshes.has(tool) ? { refresh: true } : {}) });
  const baseline = new Map<string, Body>();
  for (const tool of tools) {
    const { body, result } = await clean.call(tool, args(tool));
    assert.ok(!result.isError, `${tool} clean: ${JSON.stringify(body).slice(0, 200)}`);
    baseline.set(tool, body);
  }
  await clean.close();

  const outcomes: Outcome[] = [];
  for (const seed of SEEDS) {
    const sim = new Simulator(estate, { seed });
    for (const f of FAULTS) sim.inject({ ...f });
    const h = await connect(sim, undefined, maxAttempts ? { maxAttempts } : {});
    try {
      for (const tool of tools) {
        const { body, result } = await h.call(tool, args(tool));
        outcomes.push(judge(tool, seed, baseline.get(tool)!, body, result.isError === true));
      }
    } finally {
      await h.close();
    }
    // The faults really fired: throttles (400/429/503) and 5xx answers, on many operations.
    const failed = sim.calls.filter((c) => c.status >= 400);
    assert.ok(failed.length >= sim.calls.length * 0.15, `seed ${seed}: ${failed.length}/${sim.calls.length} failed`);
    assert.ok(new Set(failed.map((c) => `${c.service}:${c.operation}`)).size >= 20, `seed ${seed}: operations hit`);
  }

  const count = (v: Outcome["verdict"]) => outcomes.filter((o) => o.verdict === v).length;
  const figures = `${outcomes.length} runs: ${count("identical")} identical, ${count("degraded")} degraded, ` +
    `${count("wrong")} wrong`;
  if (report) {
    const lines = outcomes.filter((o) => o.verdict !== "identical")
      .map((o) => `  ${o.verdict} ${o.tool} seed ${o.seed}: ${o.detail}\n`);
    await Deno.stdout.write(new TextEncoder().encode(`${figures}\n${lines.join("")}`));
    return;
  }
  for (const o of outcomes) {
    if (o.verdict === "identical") continue;
    // Show the first difference in full.
    assert.deepEqual(
      normalise(o.tool, o.body),
      normalise(o.tool, baseline.get(o.tool)!),
      `${o.tool} seed ${o.seed} ${o.verdict} (${figures}): ${o.detail}`,
    );
  }
  assert.equal(count("identical"), outcomes.length, figures);
});

Deno.test("fault suite: normalising replaces only the listed volatile values", () => {
  const body = {
    summary: "CSV export at euc://reports/r-1.csv",
    report_id: "r-1.csv",
    path: "euc://reports/r-1.csv",
    rows: 3,
    note: "r-2.csv stays",
  };
  assert.deepEqual(normalise("export_inventory_report_csv", body), {
    summary: "CSV export at euc://reports/<report_id>",
    report_id: "<report_id>",
    path: "euc://reports/<report_id>",
    rows: 3,
    note: "r-2.csv stays",
  });
  const trail = { window_start: "A", coverage: [{ scanned_back_to: "B" }, { scanned_back_to: "B" }], events: ["A"] };
  assert.deepEqual(normalise("get_euc_audit_trail", trail), {
    window_start: "<window_start>",
    coverage: [{ scanned_back_to: "<coverage[].scanned_back_to>" }, {
      scanned_back_to: "<coverage[].scanned_back_to>",
    }],
    events: ["<window_start>"],
  });
  // A tool with nothing volatile is compared as is.
  assert.deepEqual(normalise("get_euc_cost_summary", { generated_at: "x" }), { generated_at: "x" });
});
