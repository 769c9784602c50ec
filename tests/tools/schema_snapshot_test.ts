/**
 * The public surface — every tool's name, annotations and input/output JSON Schemas — is
 * snapshotted, so a change to it shows up in review. Update with: UPDATE_SNAPSHOTS=1 deno task test
 */
import assert from "node:assert/strict";
import { connect, scenario } from "../helpers.ts";

const SNAPSHOT = new URL("./snapshots/tools.json", import.meta.url);

Deno.test("tool schemas match the reviewed snapshot", async () => {
  const h = await connect(scenario().build(), ["--region", "us-east-1", "--enable-writes", "--enable-destructive"]);
  try {
    const { tools } = await h.client.listTools();
    const surface = tools
      .map((
        t: { name: string; title?: string; annotations?: unknown; inputSchema: unknown; outputSchema?: unknown },
      ) => ({
        name: t.name,
        title: t.title,
        annotations: t.annotations,
        inputSchema: t.inputSchema,
        outputSchema: t.outputSchema,
      }))
      .sort((a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name));
    const text = JSON.stringify(surface, null, 2) + "\n";
    if (Deno.env.get("UPDATE_SNAPSHOTS") === "1") {
      await Deno.writeTextFile(SNAPSHOT, text);
      return;
    }
    const expected = await Deno.readTextFile(SNAPSHOT).catch(() => "");
    assert.ok(expected, "no snapshot yet: run UPDATE_SNAPSHOTS=1 deno task test");
    assert.equal(
      text,
      expected,
      "the public tool surface changed: review it and run UPDATE_SNAPSHOTS=1 deno task test",
    );
  } finally {
    await h.close();
  }
});
