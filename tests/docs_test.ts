/** README, DESIGN.md and the code must agree: tool table, flags, permission set; code style bans. */
import assert from "node:assert/strict";
import { HELP } from "../src/config.ts";
import { ALL_TOOLS } from "../src/tools/mod.ts";
import { PROD_FLAGS, V8_FLAGS } from "./e2e/prod_flags.ts";
import { render } from "./support/docs.ts";

const root = new URL("../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));
const design = await Deno.readTextFile(new URL("DESIGN.md", root));

for (const doc of ["README", "DESIGN.md"] as const) {
  Deno.test(`the ${doc} tool table is generated from the registry (run deno task docs when it is stale)`, () => {
    const want = render(readme, design);
    const [now, expected] = doc === "README" ? [readme, want.readme] : [design, want.design];
    assert.equal(now, expected, `${doc} is stale: run deno task docs`);
    for (const tool of ALL_TOOLS) assert.ok(now.includes(`\`${tool.name}\``), `${doc} lists ${tool.name}`);
  });
}

Deno.test("every launch line in the README uses the production permission set verbatim", () => {
  const flags = PROD_FLAGS.join(" ");
  const lines = readme.split("\n").filter((l) => /deno (run|compile)\b/.test(l) && l.includes("--allow-"));
  assert.ok(lines.length >= 1, "README shows at least one deno run launch line with flags");
  for (const line of lines) {
    assert.ok(line.includes(flags), `README line does not use the production flags: ${line.trim()}`);
  }
  for (const bad of ["-A ", "--allow-all", "--allow-write", "--allow-run"]) {
    assert.ok(!PROD_FLAGS.join(" ").includes(bad.trim()), `production flags must not contain ${bad}`);
  }
});

Deno.test("the production set's non-permission flags are --cached-only and heap sizing, and the README explains them", () => {
  for (const f of PROD_FLAGS) assert.ok(f === "--cached-only" || /^--(allow-[a-z]+|v8-flags)(=|$)/.test(f), f);
  assert.ok(PROD_FLAGS.includes("--cached-only"), "a start never downloads (deno.json tasks.start)");
  assert.ok(readme.includes("| `--cached-only`"), "the README permissions table has a row for --cached-only");
  // Heap sizing only: a flag such as --expose-gc or --allow-natives-syntax would change what code can do.
  const heapSizing = /^--(max-semi-space-size|heap-growing-percent)=\d+$/;
  assert.ok(V8_FLAGS.length > 0, "deno.json tasks.start sets the heap policy");
  for (const f of V8_FLAGS) assert.match(f, heapSizing);
  const entry = PROD_FLAGS.find((f) => f.startsWith("--v8-flags="))!;
  assert.ok(readme.includes(`| \`${entry}\``), "the README permissions table has a row for the V8 flags");
});

Deno.test("every flag in --help is documented in the README", () => {
  const flags = [...HELP.matchAll(/^\s+(?:-h, )?(--[a-z-]+)/gm)].map((m) => m[1]);
  assert.ok(flags.length >= 15);
  for (const flag of flags) assert.ok(readme.includes(`\`${flag}`), `README does not document ${flag}`);
});

Deno.test("DESIGN.md records the decisions the guide requires", () => {
  const extraClients = ["client-ec2", "client-pricing", "client-cloudtrail", "client-service-quotas"];
  for (
    const topic of [
      "node:util",
      "node:assert/strict",
      ...extraClients,
      "client-application-auto-scaling",
      "client-resource-groups-tagging-api",
    ]
  ) {
    assert.ok(design.includes(topic), `DESIGN.md should mention ${topic}`);
  }
});

Deno.test("no default exports and no stdout writes from server code", async () => {
  for await (const file of walk(new URL("src/", root))) {
    const text = await Deno.readTextFile(file);
    assert.ok(!/^export default/m.test(text), `${file.pathname} has a default export`);
    if (!file.pathname.endsWith("/src/cli.ts")) {
      assert.ok(!/console\.(log|info|table)\(/.test(text), `${file.pathname} writes to stdout`);
      assert.ok(!/Deno\.stdout/.test(text), `${file.pathname} writes to stdout`);
    }
  }
});

async function* walk(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* walk(url);
    else if (e.name.endsWith(".ts")) yield url;
  }
}
