import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { ALL_TOOL_META, loadTool, TOOLSET_IDS, TOOLSETS_WITH_LOADER } from "../../src/tools/catalogue.ts";
import { ALL_TOOLS, TOOLSETS } from "../../src/tools/mod.ts";
import { catalogueText } from "../support/catalogue.ts";
import { CONFIG, DENO_DIR, PROD_FLAGS, ROOT } from "../e2e/prod_flags.ts";

Deno.test("the catalogue is what the tool records generate (deno task docs rewrites it)", async () => {
  const file = await Deno.readTextFile(new URL("../../src/tools/catalogue.json", import.meta.url));
  assert.equal(file, await catalogueText(), "src/tools/catalogue.json is stale: run deno task docs");
  assert.deepEqual(TOOLSET_IDS, TOOLSETS.map((t) => t.id));
  assert.deepEqual(
    ALL_TOOL_META,
    ALL_TOOLS.map((t) => ({
      name: t.name,
      title: t.title,
      toolset: t.toolset,
      tier: t.tier,
      actions: t.actions,
      ...(t.enrichment ? { enrichment: t.enrichment } : {}),
    })),
  );
});

Deno.test("every catalogued toolset has a loader, and a loaded tool is the very record mod.ts lists", async () => {
  assert.deepEqual([...TOOLSETS_WITH_LOADER].sort(), [...TOOLSET_IDS].sort());
  for (const tool of ALL_TOOLS) assert.equal(await loadTool(tool.name), tool, tool.name);
  assert.equal(await loadTool("no_such_tool"), undefined);
});

Deno.test("under the production flags a start and tools/list load no toolset; a call loads only its own", async () => {
  const probe = fileURLToPath(new URL("../e2e/catalogue_probe.ts", import.meta.url));
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", CONFIG, ...PROD_FLAGS, probe],
    cwd: ROOT,
    clearEnv: true,
    env: { DENO_DIR, HOME: "/nonexistent-home", NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  const r = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.deepEqual(r.atStart, []);
  assert.equal(r.listed, ALL_TOOLS.filter((t) => t.tier < 2).length);
  assert.deepEqual(r.afterList, [], "tools/list answers from the catalogue");
  assert.equal(r.callIsError, false);
  assert.deepEqual(r.afterCall, ["inventory"]);
});
