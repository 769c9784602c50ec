/** names.ts: every alias resolves to its service, whatever the case, spaces or underscores. */
import assert from "node:assert/strict";
import { ALIASES, SERVICE_IDS, serviceFromAlias } from "../src/names.ts";

// Written out (not read from ALIASES): a changed or dropped alias fails here.
const EXPECTED: [string, string][] = [
  ["personal", "personal"],
  ["workspaces personal", "personal"],
  ["amazon workspaces personal", "personal"],
  ["workspaces", "personal"],
  ["workspace", "personal"],
  ["amazon workspaces", "personal"],
  ["desktops", "personal"],
  ["pools", "pools"],
  ["pool", "pools"],
  ["workspaces pools", "pools"],
  ["amazon workspaces pools", "pools"],
  ["applications", "applications"],
  ["application", "applications"],
  ["apps", "applications"],
  ["workspaces applications", "applications"],
  ["amazon workspaces applications", "applications"],
  ["appstream", "applications"],
  ["appstream 2.0", "applications"],
  ["appstream2", "applications"],
  ["appstream 2", "applications"],
  ["amazon appstream", "applications"],
  ["amazon appstream 2.0", "applications"],
  ["fleets", "applications"],
  ["secure browser", "secure-browser"],
  ["secure-browser", "secure-browser"],
  ["workspaces secure browser", "secure-browser"],
  ["amazon workspaces secure browser", "secure-browser"],
  ["workspaces web", "secure-browser"],
  ["workspaces-web", "secure-browser"],
  ["amazon workspaces web", "secure-browser"],
  ["web", "secure-browser"],
  ["browser", "secure-browser"],
  ["portals", "secure-browser"],
  ["core", "core"],
  ["workspaces core", "core"],
  ["core managed instances", "core"],
  ["workspaces core managed instances", "core"],
  ["amazon workspaces core managed instances", "core"],
  ["workspaces-instances", "core"],
  ["workspaces instances", "core"],
  ["managed instances", "core"],
];

Deno.test("every alias in names.ts resolves to its service id", () => {
  assert.deepEqual(Object.keys(ALIASES).sort(), EXPECTED.map(([a]) => a).sort(), "the alias table is the pinned one");
  for (const [alias, id] of EXPECTED) {
    assert.equal(serviceFromAlias(alias), id, alias);
    assert.equal(serviceFromAlias(alias.toUpperCase()), id, `${alias} in capitals`);
    assert.equal(serviceFromAlias(`  ${alias.replace(/ /g, "_")} `), id, `${alias} with underscores and padding`);
  }
  for (const id of SERVICE_IDS) assert.equal(serviceFromAlias(id), id, "every id is its own alias");
  assert.equal(serviceFromAlias("thin client"), undefined);
});
