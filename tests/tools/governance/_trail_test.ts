/**
 * The audit trail's write-event lists equal every mutating operation of the installed SDK clients:
 * a new SDK release that adds a write (or drops one) fails here until the data follows.
 */
import assert from "node:assert/strict";
import { isMutatingOperation, TRAIL, type TrailService } from "../../../src/tools/governance/_trail.ts";

const CLIENTS: Readonly<Record<TrailService, string>> = {
  workspaces: "@aws-sdk/client-workspaces",
  applications: "@aws-sdk/client-appstream",
  "secure-browser": "@aws-sdk/client-workspaces-web",
  core: "@aws-sdk/client-workspaces-instances",
};

for (const [service, client] of Object.entries(CLIENTS) as [TrailService, string][]) {
  Deno.test(`the ${service} write-event list is every mutating operation of ${client}`, async () => {
    const operations = Object.keys(await import(client)).filter((k) => k.endsWith("Command"))
      .map((k) => k.slice(0, -"Command".length)).filter((k) => k.length > 0);
    const derived = operations.filter(isMutatingOperation).sort();
    assert.deepEqual([...TRAIL[service].names].sort(), derived);
  });
}

Deno.test("the high-impact writes the issue named are looked up", () => {
  const all = new Set(Object.values(TRAIL).flatMap((t) => t.names));
  for (
    const n of [
      "ModifyWorkspaceState",
      "DeleteIpGroup",
      "RevokeIpRules",
      "DisassociateIpGroups",
      "StopWorkspacesPool",
      "TerminateWorkspacesPoolSession",
      "DeleteWorkspaceBundle",
      "DeleteUser",
      "DisableUser",
      "DeleteDirectoryConfig",
      "DeleteEntitlement",
      "DisassociateIpAccessSettings",
      "DeleteTrustStore",
      "ExpireSession",
    ]
  ) assert.ok(all.has(n), n);
  assert.ok(!isMutatingOperation("DescribeWorkspaces") && !isMutatingOperation("ListSessions"));
  assert.ok(!isMutatingOperation("Createx"), "a verb must end at a word boundary");
});
