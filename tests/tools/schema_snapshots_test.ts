/**
 * The public surface — each tool's name, title, annotations and input/output JSON Schemas — is
 * snapshotted, one file per tool in tests/tools/__snapshots__/<tool>.json, so a change to it
 * shows up in review. Regenerate with: UPDATE_SNAPSHOTS=1 deno task test tests/tools/schema_snapshots_test.ts
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../support/harness.ts";

const DIR = new URL("./__snapshots__/", import.meta.url);

Deno.test("every tool's schemas match its reviewed snapshot, and every snapshot has a tool", async () => {
  const h = await connect(scenario().build(), ["--region", "us-east-1", "--enable-writes", "--enable-destructive"]);
  try {
    const { tools } = await h.client.listTools();
    const update = Deno.env.get("UPDATE_SNAPSHOTS") === "1";
    const names = new Set<string>();
    for (const t of tools) {
      names.add(t.name);
      // tools/list carries a lean output schema; the full one (what results are validated against) is served as
      // euc://schemas/<tool> and snapshotted too, so a change to a tool's output shape shows up in review.
      const full = await h.client.readResource({ uri: `euc://schemas/${t.name}` });
      const fullSchemas = JSON.parse((full.contents[0] as { text: string }).text) as { outputSchema?: unknown };
      const surface = {
        name: t.name,
        title: t.title,
        annotations: t.annotations,
        inputSchema: t.inputSchema,
        outputSchema: t.outputSchema,
        fullOutputSchema: fullSchemas.outputSchema,
      };
      const text = JSON.stringify(surface, null, 2) + "\n";
      const file = new URL(`${t.name}.json`, DIR);
      if (update) {
        await Deno.writeTextFile(file, text);
        continue;
      }
      const expected = await Deno.readTextFile(file).catch(() => "");
      assert.ok(expected, `no snapshot for ${t.name}: run UPDATE_SNAPSHOTS=1 deno task test tests/tools/`);
      assert.equal(text, expected, `${t.name}'s public surface changed: review it and regenerate the snapshot`);
    }
    for await (const entry of Deno.readDir(DIR)) {
      const name = entry.name.replace(/\.json$/, "");
      if (update && !names.has(name)) await Deno.remove(new URL(entry.name, DIR));
      else assert.ok(names.has(name), `snapshot ${entry.name} has no tool`);
    }
  } finally {
    await h.close();
  }
});
