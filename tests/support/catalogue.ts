/**
 * `deno task docs` also writes `src/tools/catalogue.json` — what a start reads instead of loading the
 * tool modules: every toolset's metadata and every tool's metadata and lean tools/list entry, built
 * from the records in `src/tools/mod.ts`. `--check` (part of `deno task check`) exits 1 when the
 * file is stale instead of writing it.
 */
import type { Catalogue } from "../../src/tools/catalogue.ts";
import { recordSource } from "../../src/tools/loading.ts";
import { ALL_TOOLS, TOOLSETS } from "../../src/tools/mod.ts";

const FILE = new URL("../../src/tools/catalogue.json", import.meta.url);

/** The catalogue as the tool records define it. */
export async function buildCatalogue(): Promise<Catalogue> {
  const listed = await recordSource(ALL_TOOLS).listed(ALL_TOOLS.map((t) => t.name));
  if (listed.length !== ALL_TOOLS.length) throw new Error("a tool has no tools/list entry");
  return {
    toolsets: TOOLSETS.map(({ id, description, tier }) => ({ id, description, tier })),
    tools: ALL_TOOLS.map((t, i) => ({
      toolset: t.toolset,
      tier: t.tier,
      actions: [...t.actions],
      ...(t.enrichment ? { enrichment: { ...t.enrichment } } : {}),
      listed: listed[i],
    })),
  };
}

/** The file's text: two-space JSON, which `deno fmt` leaves as it is. */
export async function catalogueText(): Promise<string> {
  return `${JSON.stringify(await buildCatalogue(), null, 2)}\n`;
}

if (import.meta.main) {
  const want = await catalogueText();
  let now = "";
  try {
    now = Deno.readTextFileSync(FILE);
  } catch {
    // not written yet
  }
  if (want !== now) {
    if (Deno.args.includes("--check")) {
      Deno.stderr.writeSync(new TextEncoder().encode(`${FILE.pathname} is stale: run deno task docs\n`));
      Deno.exit(1);
    }
    Deno.writeTextFileSync(FILE, want);
  }
}
