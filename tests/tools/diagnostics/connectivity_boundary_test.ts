/**
 * diagnose_workspace_connectivity's CONNECTION thresholds at their exact boundaries: the failure ratio that
 * makes failures critical (0.5, inclusive), the attempts it needs (3, inclusive) — each operand alone is not
 * enough — any failure at all is a finding, and the stale-connection mention at 14 whole days.
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";

type Finding = { severity: string; title: string };
type Body = { status: string; findings: Finding[]; signals: Record<string, unknown> };

const HOUR = 3_600_000;
const DAY = 86_400_000;
const FIVE_MIN = 300_000;

/**
 * A count metric with `n` samples of 1, on consecutive 5-minute samples from six hours ago: up to 60 samples stay
 * inside the 24-hour lookback and in the past whatever the time of day.
 */
function count(n: number): (t: number) => number | undefined {
  const from = Math.floor(Date.now() / HOUR) * HOUR - 6 * HOUR;
  assert.ok(n <= 60);
  return (t) => (t >= from && t < from + n * FIVE_MIN ? 1 : undefined);
}

/** Desktops named by [id, attempts, failures], their connection metrics constructed exactly. */
async function diagnoseAll(cases: readonly (readonly [string, number, number])[]): Promise<Map<string, Body>> {
  let s = scenario();
  for (const [id, attempts, failures] of cases) {
    s = s.workspace(id, { protocols: ["PCOIP"], lastConnected: new Date(Date.now() - DAY) })
      .metric("AWS/WorkSpaces", "ConnectionAttempt", { WorkspaceId: id }, count(attempts))
      .metric("AWS/WorkSpaces", "ConnectionFailure", { WorkspaceId: id }, count(failures));
  }
  const h = await connect(s.build());
  try {
    const out = new Map<string, Body>();
    for (const [id] of cases) {
      const { body } = await h.call("diagnose_workspace_connectivity", { workspace_id: id });
      out.set(id, body as unknown as Body);
    }
    return out;
  } finally {
    await h.close();
  }
}

const failureFinding = (b: Body) => b.findings.find((f) => /connection (failure|attempts fail)/i.test(f.title));

Deno.test("connection failures: critical exactly at ratio 0.5 with exactly 3 attempts; each operand alone is a warning", async () => {
  const cases = [
    // [id, attempts, failures, expected severity of the failure finding]
    ["ws-half00001", 4, 2, "critical"], // ratio exactly 0.5, 4 attempts
    ["ws-below0001", 5, 2, "warning"], // ratio 0.4: just below
    ["ws-above0001", 5, 3, "critical"], // ratio 0.6: just above
    ["ws-three0001", 3, 2, "critical"], // exactly the minimum attempts, ratio 0.667
    ["ws-twoatt001", 2, 2, "warning"], // ratio 1 but only 2 attempts: the ratio alone is not enough
    ["ws-many00001", 40, 19, "warning"], // many attempts but ratio 0.475: the attempts alone are not enough
    ["ws-manyhalf1", 40, 20, "critical"], // the same attempts at exactly 0.5
  ] as const;
  const bodies = await diagnoseAll(cases.map(([id, a, f]) => [id, a, f] as const));
  for (const [id, attempts, failures, severity] of cases) {
    const b = bodies.get(id)!;
    assert.equal(b.signals.connection_attempts, attempts, `${id}: attempts constructed exactly`);
    assert.equal(b.signals.connection_failures, failures, `${id}: failures constructed exactly`);
    const f = failureFinding(b);
    assert.ok(f, `${id}: ${failures} failures are a finding`);
    assert.equal(f.severity, severity, `${id}: ${failures}/${attempts} → ${severity} (${f.title})`);
    assert.equal(b.status, severity === "critical" ? "unhealthy" : "degraded", id);
    if (severity === "critical") assert.match(f.title, /^Most connection attempts fail/);
  }
  assert.equal(bodies.get("ws-half00001")!.signals.failure_ratio, 0.5);
});

Deno.test("connection failures: one failure is a finding, none is not", async () => {
  const bodies = await diagnoseAll([["ws-onefail01", 6, 1], ["ws-nofail001", 6, 0]]);
  assert.equal(failureFinding(bodies.get("ws-onefail01")!)?.severity, "warning");
  assert.equal(failureFinding(bodies.get("ws-nofail001")!), undefined);
  assert.equal(bodies.get("ws-nofail001")!.status, "healthy");
});

Deno.test("last connection: 14 whole days ago is mentioned, 13 days (and 23 hours) is not", async () => {
  const ago = (ms: number) => new Date(Date.now() - ms);
  const h = await connect(
    scenario()
      .workspace("ws-days14001", { lastConnected: ago(14 * DAY + HOUR) })
      .workspace("ws-days13001", { lastConnected: ago(14 * DAY - HOUR) })
      .build(),
  );
  try {
    const d14 = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-days14001" })).body as Body;
    const d13 = (await h.call("diagnose_workspace_connectivity", { workspace_id: "ws-days13001" })).body as Body;
    assert.equal(d14.signals.days_since_last_connection, 14);
    assert.equal(d13.signals.days_since_last_connection, 13);
    assert.equal(d14.findings.find((f) => /^Last connection/.test(f.title))?.title, "Last connection 14 days ago");
    assert.equal(d13.findings.find((f) => /^Last connection/.test(f.title)), undefined);
  } finally {
    await h.close();
  }
});
