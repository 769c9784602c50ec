/**
 * diagnose_application_fleet's capacity rules at their exact boundaries, each operand of a compound rule alone:
 * exhausted (single-session: none available AND instances running AND in use ≥ running; multi-session: no
 * available user session AND one active; only while RUNNING), running below desired (not for Elastic fleets),
 * and any refused session request (InsufficientCapacityError > 0).
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import type { FleetOpts } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string };
type Body = { status: string; findings: Finding[]; signals: { insufficient_capacity_errors: number | null } };

const HOUR = 3_600_000;

async function diagnoseAll(fleets: Record<string, FleetOpts>, extra?: (s: ReturnType<typeof scenario>) => void) {
  const s = scenario();
  for (const [name, opts] of Object.entries(fleets)) s.fleet(name, opts);
  extra?.(s);
  const h = await connect(s.build());
  try {
    const out = new Map<string, Body>();
    for (const name of Object.keys(fleets)) {
      out.set(name, (await h.call("diagnose_application_fleet", { fleet_name: name })).body as unknown as Body);
    }
    return out;
  } finally {
    await h.close();
  }
}

const titled = (b: Body, re: RegExp) => b.findings.find((f) => re.test(f.title));

Deno.test("fleet exhausted: none available AND running > 0 AND in use ≥ running, while RUNNING — each operand alone is not", async () => {
  const bodies = await diagnoseAll({
    "full": { desired: 4, running: 4, inUse: 4, available: 0 },
    "over": { desired: 4, running: 4, inUse: 5, available: 0 },
    "one-free": { desired: 4, running: 4, inUse: 4, available: 1 },
    "one-short": { desired: 4, running: 4, inUse: 3, available: 0 },
    "none-running": { desired: 4, running: 0, inUse: 0, available: 0 },
    "stopping": { state: "STOPPING", desired: 4, running: 4, inUse: 4, available: 0 },
    "multi-full": { maxSessionsPerInstance: 5, desired: 2, running: 2, inUse: 10 },
    "multi-one-free": { maxSessionsPerInstance: 5, desired: 2, running: 2, inUse: 9 },
    "multi-empty": { maxSessionsPerInstance: 5, desired: 2, running: 0, inUse: 0 },
  });
  const exhausted = (name: string) => titled(bodies.get(name)!, /^Fleet capacity is exhausted$/);
  assert.equal(exhausted("full")?.severity, "critical", "in use = running, none available");
  assert.equal(exhausted("over")?.severity, "critical", "in use > running, none available");
  assert.equal(exhausted("one-free"), undefined, "one instance still available");
  assert.equal(exhausted("one-short"), undefined, "in use one below running");
  assert.equal(exhausted("none-running"), undefined, "nothing running is not 'exhausted'");
  assert.equal(exhausted("stopping"), undefined, "only a RUNNING fleet");
  assert.equal(exhausted("multi-full")?.severity, "critical", "no user session available, 10 active");
  assert.equal(exhausted("multi-one-free"), undefined, "one user session available");
  assert.equal(exhausted("multi-empty"), undefined, "no active session");
});

Deno.test("fleet running below desired: one short warns, equal does not, an Elastic fleet never", async () => {
  const bodies = await diagnoseAll({
    "short": { desired: 4, running: 3, inUse: 1 },
    "exact": { desired: 4, running: 4, inUse: 1 },
    "elastic": { fleetType: "ELASTIC", desired: 4, running: 0, inUse: 0 },
  });
  const below = (name: string) => titled(bodies.get(name)!, /desired instances are running$/);
  assert.equal(below("short")?.title, "Only 3 of 4 desired instances are running");
  assert.equal(below("short")?.severity, "warning");
  assert.equal(below("exact"), undefined);
  assert.equal(below("elastic"), undefined);
});

Deno.test("insufficient capacity: a single refused session request is critical, none is no finding", async () => {
  // Exactly one InsufficientCapacityError in the window (three hours ago), 0 on every other sample.
  const at = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
  const bodies = await diagnoseAll(
    { "once": { desired: 2, running: 2, inUse: 1 }, "never": { desired: 2, running: 2, inUse: 1 } },
    (s) => {
      s.metric("AWS/AppStream", "InsufficientCapacityError", { Fleet: "once" }, (t) => (t === at ? 1 : 0));
      s.metric("AWS/AppStream", "InsufficientCapacityError", { Fleet: "never" }, 0);
    },
  );
  assert.equal(bodies.get("once")!.signals.insufficient_capacity_errors, 1);
  assert.equal(titled(bodies.get("once")!, /refused for lack of capacity/)?.severity, "critical");
  assert.equal(bodies.get("never")!.signals.insufficient_capacity_errors, 0);
  assert.equal(titled(bodies.get("never")!, /refused/), undefined);
});
