/**
 * The production flags, read from deno.json's `start` task: the one place they are defined. They are
 * `--cached-only` (a start never downloads), the `--allow-*` permissions and one `--v8-flags=` entry
 * (the heap policy: heap sizing only).
 */
import { fileURLToPath } from "node:url";

const denoJson = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url))) as {
  tasks: { start: string };
};

/** `--cached-only` and every `--allow-*` and `--v8-flags=` flag of the production set, in order. */
export const PROD_FLAGS: readonly string[] = denoJson.tasks.start.split(/\s+/).filter((a) =>
  a === "--cached-only" || a.startsWith("--allow-") || a.startsWith("--v8-flags=")
);

/** The V8 flags of the production set (heap sizing only), e.g. `--max-semi-space-size=8`. */
export const V8_FLAGS: readonly string[] = PROD_FLAGS.filter((a) => a.startsWith("--v8-flags="))
  .flatMap((a) => a.slice("--v8-flags=".length).split(","));

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** Absolute path of main.ts. */
export const MAIN: string = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** Absolute path of the project's deno.json (so spawned processes use the same import map and lock). */
export const CONFIG: string = fileURLToPath(new URL("../../deno.json", import.meta.url));

/** This process's Deno cache, passed to children with a cleared environment so nothing is downloaded again. */
export const DENO_DIR: string = await (async () => {
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped", stderr: "null" })
    .output();
  return (JSON.parse(new TextDecoder().decode(info.stdout)) as { denoDir: string }).denoDir;
})();
