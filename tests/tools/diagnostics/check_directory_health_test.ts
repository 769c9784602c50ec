import assert from "node:assert/strict";
import { connect, scenario } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";

type Finding = { severity: string; title: string; detail: string; recommendation: string; resource_id: string | null };
type Err = { service: string; operation: string; region: string; code: string; message: string; hint: string };
type DirectoryDiagnosis = {
  target_type: string;
  target_kind: string;
  target_id: string;
  status: string;
  findings: Finding[];
  signals: Record<string, unknown>;
};
type Health = {
  region: string;
  total_count: number;
  directories: DirectoryDiagnosis[];
  errors: Err[];
  notes: string[];
};

Deno.test("every directory: deregistered and Impaired are unhealthy, wsd- is managed, worst first", async () => {
  const estate = scenario()
    .directory("d-1111111111", { name: "corp.example.com" })
    .directory("d-2222222222", { state: "DEREGISTERED", type: "SIMPLE_AD" })
    .directory("d-3333333333", { stage: "Impaired", stageReason: "Cannot reach the domain controllers" })
    .directory("d-4444444444", { stage: "Inoperable" })
    .directory("wsd-abcdefghi", { workspaceType: "POOLS" })
    .build();
  const h = await connect(estate);
  try {
    const { body } = await h.call("check_directory_health");
    const r = body as unknown as Health;
    assert.equal(r.total_count, 5);
    const by = new Map(r.directories.map((d) => [d.target_id, d]));
    assert.equal(by.get("d-1111111111")!.status, "healthy");
    assert.deepEqual(by.get("d-1111111111")!.findings.map((f) => f.severity), ["info", "info"]);
    const dereg = by.get("d-2222222222")!;
    assert.equal(dereg.status, "unhealthy");
    assert.match(dereg.findings[0].title, /DEREGISTERED/);
    assert.match(dereg.findings[0].recommendation, /Register/);
    const impaired = by.get("d-3333333333")!;
    assert.equal(impaired.status, "unhealthy");
    assert.match(impaired.findings[0].detail, /Cannot reach the domain controllers/);
    assert.match(impaired.findings[0].recommendation, /service account/);
    assert.equal(impaired.signals.stage, "Impaired");
    assert.equal(by.get("d-4444444444")!.findings[0].severity, "critical");
    const managed = by.get("wsd-abcdefghi")!;
    assert.equal(managed.status, "healthy");
    assert.equal(managed.signals.stage, "N/A (WorkSpaces-managed)");
    assert.equal(managed.signals.workspace_type, "POOLS");
    assert.ok(r.directories.slice(0, 3).every((d) => d.status === "unhealthy"), "unhealthy directories first");
    assert.equal(r.directories[0].target_type, "WorkSpaces directory");
    assert.equal(r.directories[0].target_kind, "directory");
    // One Directory Service call for every d- directory, never the wsd- one.
    assert.equal(h.sim.count("ds", "DescribeDirectories"), 1);
    const ids = (h.sim.calls.find((c) => c.operation === "DescribeDirectories")!.params as { DirectoryIds: string[] })
      .DirectoryIds;
    assert.deepEqual(ids.sort(), ["d-1111111111", "d-2222222222", "d-3333333333", "d-4444444444"]);
  } finally {
    await h.close();
  }
});

Deno.test("the directory list is paginated, and Directory Service is still asked once for all of them", async () => {
  let b = scenario();
  for (let i = 0; i < 30; i++) b = b.directory(`d-${String(i).padStart(10, "0")}`, {});
  const h = await connect(b.build());
  try {
    const r = (await h.call("check_directory_health")).body as unknown as Health;
    assert.equal(r.total_count, 30);
    assert.equal(h.sim.count("workspaces", "DescribeWorkspaceDirectories"), 2, "25 a page");
    assert.equal(h.sim.count("ds", "DescribeDirectories"), 3, "one call, its pages of 10 followed");
    assert.ok(r.directories.every((d) => d.status === "healthy"));
  } finally {
    await h.close();
  }
});

Deno.test("a directory registered in WorkSpaces but gone from Directory Service is critical; the others stay fine", async () => {
  const estate = scenario().directory("d-1111111111", {}).directory("d-5555555555", {}).build();
  estate.region("us-east-1").dsDirectories.delete("d-5555555555");
  const h = await connect(estate);
  try {
    const r = (await h.call("check_directory_health")).body as unknown as Health;
    const gone = r.directories.find((d) => d.target_id === "d-5555555555")!;
    assert.equal(gone.status, "unhealthy");
    assert.match(gone.findings[0].title, /Directory Service has no directory/);
    assert.equal(r.directories.find((d) => d.target_id === "d-1111111111")!.status, "healthy");
    assert.deepEqual(r.errors, [], "the missing id is a finding, not an error");
    // AWS fails a list with one unknown id as a whole, so the account's directories are listed instead.
    assert.equal(h.sim.count("ds", "DescribeDirectories"), 2);
  } finally {
    await h.close();
  }
});

Deno.test("one directory by id; an unknown id is not_found", async () => {
  const estate = scenario().directory("d-1111111111", { stage: "Impaired" }).directory("wsd-abcdefghi", {}).build();
  const h = await connect(estate);
  try {
    const one = (await h.call("check_directory_health", { directory_id: "d-1111111111" })).body as unknown as Health;
    assert.equal(one.directories.length, 1);
    assert.equal(one.directories[0].status, "unhealthy");
    const managed = (await h.call("check_directory_health", { directory_id: "wsd-abcdefghi" }))
      .body as unknown as Health;
    assert.equal(managed.directories[0].status, "healthy");
    const calls = h.sim.count("ds");
    const missing = (await h.call("check_directory_health", { directory_id: "d-9999999999" }))
      .body as unknown as Health;
    assert.equal(missing.directories[0].status, "not_found");
    assert.deepEqual(missing.errors, []);
    assert.equal(h.sim.count("ds"), calls + 1);
    const missingManaged = (await h.call("check_directory_health", { directory_id: "wsd-zzzzzzzzz" }))
      .body as unknown as Health;
    assert.equal(missingManaged.directories[0].status, "not_found");
    assert.equal(h.sim.count("ds"), calls + 1, "wsd- ids never reach Directory Service");
  } finally {
    await h.close();
  }
});

Deno.test("Directory Service denied: registrations are still checked; stages are null and the hint names the action", async () => {
  const sim = new Simulator(
    scenario().directory("d-1111111111", {}).directory("d-2222222222", { state: "DEREGISTERED" }).build(),
  );
  sim.inject({ kind: "access-denied", service: "ds" });
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("check_directory_health");
    assert.ok(!result.isError);
    const r = body as unknown as Health;
    assert.equal(r.directories.find((d) => d.target_id === "d-2222222222")!.status, "unhealthy");
    assert.ok(r.directories.every((d) => d.signals.stage === null));
    assert.equal(r.errors.length, 1);
    assert.match(r.errors[0].hint, /ds:DescribeDirectories/);
    assert.match(r.errors[0].hint, /tier0-diagnostics/);
    assert.match(r.notes.join(" "), /stages are null/);
  } finally {
    await h.close();
  }
});

Deno.test("directory listing throttled once: retried; no directories at all: an empty answer with a note", async () => {
  const sim = new Simulator(scenario().directory("d-1111111111", {}).build());
  sim.inject({ kind: "throttle", service: "workspaces", operation: "DescribeWorkspaceDirectories", times: 1 });
  const h = await connect(sim);
  try {
    const r = (await h.call("check_directory_health")).body as unknown as Health;
    assert.deepEqual(r.errors, []);
    assert.equal(r.total_count, 1);
  } finally {
    await h.close();
  }
  const empty = await connect(scenario().build());
  try {
    const r = (await empty.call("check_directory_health")).body as unknown as Health;
    assert.equal(r.total_count, 0);
    assert.match(r.notes.join(" "), /No directories/);
  } finally {
    await empty.close();
  }
});

Deno.test("invalid directory ids are refused before any AWS call", async () => {
  const h = await connect(scenario().directory("d-1111111111", {}).build());
  try {
    for (const directory_id of ["d-XYZ", "d-123", "wsd-AB", "sd-1234567890", "d-1234567890 "]) {
      const { result } = await h.call("check_directory_health", { directory_id });
      assert.equal(result.isError, true, directory_id);
    }
    assert.equal(h.sim.calls.length, 0);
  } finally {
    await h.close();
  }
});
