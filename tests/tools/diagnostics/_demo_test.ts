import assert from "node:assert/strict";
import { connect } from "../../support/harness.ts";
import { DEMO, demoEstate } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; recommendation: string; resource_id: string | null };
type Diagnosis = { status: string; findings: Finding[]; signals: Record<string, unknown>; errors: unknown[] };

const has = (d: Diagnosis, severity: string, re: RegExp) =>
  assert.ok(
    d.findings.some((f) => f.severity === severity && re.test(f.title)),
    `${severity} ${re} in ${JSON.stringify(d.findings.map((f) => f.title))}`,
  );

Deno.test("the demo estate shows every diagnostics finding", async () => {
  const h = await connect(demoEstate(), ["--region", "us-east-1", "--demo"]);
  const call = async (name: string, args: Record<string, unknown>) => {
    const { body, result } = await h.call(name, args);
    assert.ok(!result.isError, JSON.stringify(body).slice(0, 300));
    assert.deepEqual((body as { errors: unknown[] }).errors, [], name);
    assert.equal(body.simulated, true);
    return body as unknown as Diagnosis;
  };
  try {
    const failing = await call("diagnose_workspace_connectivity", { workspace_id: DEMO.connectionFailures });
    assert.equal(failing.status, "unhealthy");
    has(failing, "critical", /Most connection attempts fail/);
    has(failing, "critical", /Impaired/);
    const error = await call("diagnose_workspace_connectivity", { workspace_id: DEMO.error });
    has(error, "critical", /ERROR/);
    has(error, "warning", /ever connected/);
    const unhealthy = await call("diagnose_workspace_connectivity", { workspace_id: DEMO.unhealthy });
    has(unhealthy, "critical", /UNHEALTHY/);
    has(unhealthy, "info", /restore snapshot is available/);
    const suspended = await call("diagnose_workspace_connectivity", { workspace_id: DEMO.suspended });
    has(suspended, "warning", /SUSPENDED/);
    const stopped = await call("diagnose_workspace_connectivity", { workspace_id: DEMO.idleStopped });
    has(stopped, "info", /Last connection 45 days ago/);
    const connected = await call("diagnose_workspace_connectivity", { workspace_id: DEMO.available });
    assert.equal(connected.status, "healthy");

    const pool = await call("diagnose_pool", { pool_id: DEMO.poolAtCapacity });
    has(pool, "critical", /at capacity/);
    assert.equal(pool.signals.active_sessions_now, 10);
    assert.equal((await call("diagnose_pool", { pool_id: DEMO.poolHealthy })).status, "healthy");

    const fleet = await call("diagnose_application_fleet", { fleet_name: DEMO.fleetCapacityError });
    has(fleet, "critical", /Fleet error FLEET_INSTANCE_PROVISIONING_FAILURE/);
    has(fleet, "critical", /exhausted/);
    has(fleet, "critical", /refused for lack of capacity/);
    has(fleet, "warning", /scaling activity failed/);
    has(fleet, "warning", /Only 4 of 10/);
    has(fleet, "info", /in progress/);
    assert.equal(fleet.signals.failed_scaling_activities, 1, "the in-progress activity is not a failure");
    has(await call("diagnose_application_fleet", { fleet_name: DEMO.fleetStopped }), "warning", /STOPPED/);

    const dirs = (await h.call("check_directory_health", {})).body as unknown as {
      directories: (Diagnosis & { target_id: string })[];
    };
    const status = Object.fromEntries(dirs.directories.map((d) => [d.target_id, d.status]));
    assert.equal(status[DEMO.deregisteredDirectory], "unhealthy");
    assert.equal(status[DEMO.impairedDirectory], "unhealthy");
    assert.equal(status[DEMO.directory], "healthy");
    assert.equal(status[DEMO.poolsDirectory], "healthy");

    const alarms = (await h.call("get_euc_active_alarms", { regions: ["us-east-1", "eu-west-1"] })).body as {
      alarms: { name: string; likely_autoscaling: boolean; region: string }[];
      likely_incidents: number;
    };
    const flag = Object.fromEntries(alarms.alarms.map((a) => [a.name, a.likely_autoscaling]));
    assert.equal(flag[DEMO.alarmTargetTrackingHigh], true);
    assert.equal(flag[DEMO.alarmTargetTrackingLow], true, "the target-tracking scale-in alarm is not an incident");
    assert.equal(flag[DEMO.alarmPoolFull], false);
    assert.equal(flag[DEMO.alarmFleetCapacity], false);
    assert.equal(flag[DEMO.alarmBranchFailures], false);
    assert.equal(alarms.likely_incidents, 3);
  } finally {
    await h.close();
  }
});
