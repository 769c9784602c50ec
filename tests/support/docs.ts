/**
 * `deno task docs`: writes the README and DESIGN.md tool tables and the README flags table from the
 * code (the registry and the launch-flag table). `--check` (part of `deno task check`) exits 1 when a
 * document is stale instead of writing it.
 */
import { flagLabel, FLAGS } from "../../src/config.ts";
import { ALL_TOOLS } from "../../src/tools/mod.ts";
import type { ToolDef } from "../../src/tools/registry.ts";

const ROOT = new URL("../../", import.meta.url);

/** Pads cells so the table is aligned as `deno fmt` would leave it. */
function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length), 3));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`, ...rows.map(line)].join("\n");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();
}

function actionsCell(tool: ToolDef): string {
  const required = tool.actions.map((a) => `\`${a}\``).join(", ");
  const extra = Object.entries(tool.enrichment ?? {}).map(([a, t]) => `\`${a}\` (optional, tier ${t})`);
  return [required, ...extra].filter(Boolean).join(", ");
}

/** The file that declares a tool: src/tools/<toolset folder>/<tool>.ts, else the file whose record names it. */
export function declaredIn(tool: ToolDef): string {
  for (const entry of Deno.readDirSync(new URL("src/tools/", ROOT))) {
    if (!entry.isDirectory) continue;
    const rel = `src/tools/${entry.name}/${tool.name}.ts`;
    try {
      Deno.statSync(new URL(rel, ROOT));
      return rel;
    } catch {
      // not in this folder
    }
  }
  const walk = (dir: string): string | undefined => {
    for (const e of Deno.readDirSync(new URL(dir, ROOT))) {
      const rel = `${dir}${e.name}${e.isDirectory ? "/" : ""}`;
      if (e.isDirectory) {
        const found = walk(rel);
        if (found) return found;
      } else if (
        e.name.endsWith(".ts") && Deno.readTextFileSync(new URL(rel, ROOT)).includes(`name: "${tool.name}",`)
      ) {
        return rel;
      }
    }
    return undefined;
  };
  return walk("src/tools/") ?? "?";
}

/** The README tool table. */
export function readmeTools(): string {
  return table(
    ["Tool", "Toolset", "Tier", "Title", "What it does", "AWS actions"],
    ALL_TOOLS.map((
      t,
    ) => [`\`${t.name}\``, t.toolset, String(t.tier), cell(t.title), cell(t.description), actionsCell(t)]),
  );
}

/** The DESIGN.md tool table. */
export function designTools(): string {
  return table(
    ["Tool", "Toolset", "Tier", "Kind", "Declared in", "AWS actions"],
    ALL_TOOLS.map((t) => [
      `\`${t.name}\``,
      t.toolset,
      String(t.tier),
      t.tier >= 3 ? "destructive" : t.tier === 2 ? "write" : "read",
      `\`${declaredIn(t)}\``,
      actionsCell(t),
    ]),
  );
}

/** The README flags table. */
export function readmeFlags(): string {
  return table(
    ["Flag", "Default", "Effect"],
    FLAGS.map((f) => [
      flagLabel(f).split(", ").map((s) => `\`${s}\``).join(", "),
      cell(f.default),
      cell(f.effect),
    ]),
  );
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function splice(doc: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = doc.indexOf(start);
  const b = doc.indexOf(end);
  if (a < 0 || b < a) throw new Error(`markers ${start} … ${end} not found`);
  return `${doc.slice(0, a + start.length)}\n\n${body}\n\n${doc.slice(b)}`;
}

/** Both documents as they should be. */
export function render(readme: string, design: string): { readme: string; design: string } {
  return {
    readme: splice(splice(readme, "tools", readmeTools()), "flags", readmeFlags()),
    design: splice(design, "tools", designTools()),
  };
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  let stale = 0;
  const files = { readme: new URL("README.md", ROOT), design: new URL("DESIGN.md", ROOT) };
  const now = { readme: Deno.readTextFileSync(files.readme), design: Deno.readTextFileSync(files.design) };
  const want = render(now.readme, now.design);
  for (const key of ["readme", "design"] as const) {
    if (want[key] === now[key]) continue;
    stale++;
    if (check) {
      Deno.stderr.writeSync(new TextEncoder().encode(`${files[key].pathname} is stale: run deno task docs\n`));
    } else Deno.writeTextFileSync(files[key], want[key]);
  }
  if (check && stale) Deno.exit(1);
}
