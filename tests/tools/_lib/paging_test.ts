/**
 * Paging is exact under any response order: every paged tool sorts its list in a deterministic
 * total order and its next_token names a position in that order, so paging through 1,000 desktops
 * (two regions) with random per-request latency sees each item exactly once.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";
import { compareKeys, decodeToken, encodeToken, pageOf } from "../../../src/tools/_lib/paging.ts";

const POWERPRO_WIN11 = "wsb-b0s22j3d7";

/** 1,000 AlwaysOn, unused PowerPro desktops over two regions, answered with seeded random latency. */
function jitteredSim(seed: number): Simulator {
  // Several directories per region: the listing reads them side by side, so its order is the arrival order.
  const s = scenario();
  for (const [region, prefix, count] of [["us-east-1", "a", 150], ["eu-west-1", "e", 100]] as const) {
    s.inRegion(region);
    for (let d = 1; d <= 4; d++) {
      s.workspaces(count, {
        prefix: `${prefix}${d}`,
        directory: `d-${prefix === "a" ? 1 : 2}00000000${d}`,
        bundle: POWERPRO_WIN11,
        runningMode: "ALWAYS_ON",
      });
    }
  }
  const estate = s.build();
  const sim = new Simulator(estate, { seed });
  // Independent latency faults of 1–8 ms on a share of requests: every response order differs.
  for (const [ms, probability] of [[1, 0.5], [2, 0.4], [4, 0.3], [8, 0.2]]) {
    sim.inject({ kind: "latency", ms, probability });
  }
  return sim;
}

const FLAGS = ["--region", "us-east-1"];

/** Pages through `tool` with `limit`, returning every listed key in page order. */
async function pageAll(
  call: (args: Record<string, unknown>) => Promise<Record<string, unknown>>,
  args: Record<string, unknown>,
  list: (body: Record<string, unknown>) => string[],
): Promise<string[]> {
  const seen: string[] = [];
  let token: unknown = undefined;
  for (let pages = 0; pages < 100; pages++) {
    const body = await call({ ...args, ...(token ? { next_token: token } : {}) });
    seen.push(...list(body));
    token = body.next_token;
    if (!token) return seen;
  }
  throw new Error("paging did not end");
}

function assertEachOnce(seen: string[], expected: number, what: string) {
  const counts = new Map<string, number>();
  for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  assert.deepEqual(twice, [], `${what}: items listed twice`);
  assert.equal(counts.size, expected, `${what}: every item listed once`);
}

const TOOLS: {
  tool: string;
  args: Record<string, unknown>;
  list: (body: Record<string, unknown>) => string[];
}[] = [
  {
    tool: "analyze_workspace_utilization",
    args: { regions: ["us-east-1", "eu-west-1"], lookback_days: 1, limit: 233 },
    list: (b) => (b.workspaces as { workspace_id: string }[]).map((w) => w.workspace_id),
  },
  {
    tool: "list_unused_resources",
    args: { regions: ["us-east-1", "eu-west-1"], lookback_days: 1, limit: 233 },
    list: (b) => (b.items as { id: string }[]).map((w) => w.id),
  },
  {
    tool: "recommend_running_mode",
    args: { regions: ["us-east-1", "eu-west-1"], lookback_days: 1, limit: 233 },
    list: (b) => (b.recommendations as { target_id: string }[]).map((w) => w.target_id),
  },
  {
    tool: "recommend_bundle_rightsizing",
    args: { regions: ["us-east-1", "eu-west-1"], lookback_days: 2, limit: 233 },
    list: (b) => (b.recommendations as { target_id: string }[]).map((w) => w.target_id),
  },
  {
    tool: "generate_inventory_report",
    args: { regions: ["us-east-1", "eu-west-1"], services: "personal", max_resources_per_service: 137 },
    list: (b) => (b.sections as { resources: { id: string }[] }[]).flatMap((s) => s.resources.map((r) => r.id)),
  },
];

for (const { tool, args, list } of TOOLS) {
  Deno.test(`${tool}: paging through 1,000 desktops under random latency lists each exactly once`, async () => {
    const h = await connect(jitteredSim(7), FLAGS);
    try {
      const seen = await pageAll(
        async (a) => {
          const { body, result } = await h.call(tool, a);
          assert.notEqual(result.isError, true, JSON.stringify(body).slice(0, 500));
          return body;
        },
        args,
        list,
      );
      assertEachOnce(seen, 1000, tool);
    } finally {
      await h.close();
    }
  });
}

Deno.test("pageOf with a key: the order is the key's, whatever the input order, and tokens are positions", () => {
  const items = Array.from({ length: 50 }, (_, i) => ({ region: i % 2 ? "b" : "a", id: `x${String(i).padStart(3)}` }));
  const key = (x: { region: string; id: string }) => [x.region, x.id];
  const shuffled = [...items].sort(() => Math.random() - 0.5);
  const first = pageOf("t", items, 7, undefined, undefined, key);
  const again = pageOf("t", shuffled, 7, undefined, undefined, key);
  assert.deepEqual(first.items, again.items);
  // The next page after a token is the same however the list arrives, and even when the list changed.
  const second = pageOf("t", shuffled, 7, first.next_token, undefined, key);
  const fewer = pageOf("t", shuffled.filter((x) => x !== first.items[0]), 7, first.next_token, undefined, key);
  assert.deepEqual(second.items, fewer.items, "dropping an already listed item shifts nothing");
  const all = [...first.items];
  let token = first.next_token;
  while (token) {
    const p = pageOf("t", [...items].reverse(), 7, token, undefined, key);
    all.push(...p.items);
    token = p.next_token;
  }
  assert.deepEqual(all, [...items].sort((a, b) => compareKeys(key(a), key(b))));
  assert.throws(() => pageOf("u", items, 7, first.next_token, undefined, key), /not one this tool issued/);
});

Deno.test("compareKeys orders numbers numerically, strings by code unit, shorter keys first", () => {
  assert.equal(compareKeys([2], [10]) < 0, true);
  assert.equal(compareKeys(["10"], ["2"]) < 0, true);
  assert.equal(compareKeys(["a"], ["a", 1]) < 0, true);
  assert.equal(compareKeys([1, "b"], [1, "b"]), 0);
  assert.equal(compareKeys([-1.5], [0]) < 0, true);
});

Deno.test("offset tokens still decode; a key token is refused where an offset is expected and vice versa", () => {
  assert.equal(decodeToken("t", encodeToken("t", 5)), 5);
  assert.throws(() => decodeToken("t", encodeToken("t", ["a", 1])), /not one this tool issued/);
  assert.throws(() => pageOf("t", [1, 2, 3], 1, encodeToken("t", 1), undefined, (n) => [n]), /not one this tool/);
});
