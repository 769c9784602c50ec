/**
 * What the server knows of every tool before loading it: the catalogue (`catalogue.json`, generated
 * from the tool records by `deno task docs` and checked by a test) holds each tool's metadata and its
 * tools/list entry. A start loads only this file; a toolset's modules load on the first call of one
 * of its tools (each toolset folder is 10–20 modules and their zod schemas).
 */
import type { Config } from "../config.ts";
import data from "./catalogue.json" with { type: "json" };
import {
  type ListedTool,
  tierAllowed,
  type ToolDef,
  type ToolMeta,
  type Toolset,
  type ToolSource,
} from "./registry.ts";

/** A toolset as the catalogue describes it. */
export interface ToolsetMeta {
  readonly id: string;
  readonly description: string;
  readonly tier: 0 | 1 | 2 | 3;
  readonly tools: readonly ToolMeta[];
}

/** One tool's catalogue record: its metadata and exactly what tools/list sends for it. */
export interface CatalogueTool {
  readonly toolset: string;
  readonly tier: 0 | 1 | 2 | 3;
  readonly actions: readonly string[];
  readonly enrichment?: Readonly<Record<string, 1 | 2 | 3>>;
  readonly listed: ListedTool;
}

/** The catalogue file's shape. */
export interface Catalogue {
  readonly toolsets: readonly { id: string; description: string; tier: 0 | 1 | 2 | 3 }[];
  readonly tools: readonly CatalogueTool[];
}

const CATALOGUE = data as unknown as Catalogue;

function metaOf(t: CatalogueTool): ToolMeta {
  return {
    name: t.listed.name,
    title: t.listed.title ?? t.listed.name,
    toolset: t.toolset,
    tier: t.tier,
    actions: t.actions,
    ...(t.enrichment ? { enrichment: t.enrichment } : {}),
  };
}

/** Toolsets in registration order; `--toolsets` picks a subset. */
export const TOOLSETS: readonly ToolsetMeta[] = CATALOGUE.toolsets.map((s) => ({
  ...s,
  tools: CATALOGUE.tools.filter((t) => t.toolset === s.id).map(metaOf),
}));

/** Toolset ids, in registration order. */
export const TOOLSET_IDS: readonly string[] = TOOLSETS.map((t) => t.id);

/** Every tool's metadata, in registration order. */
export const ALL_TOOL_META: readonly ToolMeta[] = TOOLSETS.flatMap((t) => t.tools);

const LISTED = new Map(CATALOGUE.tools.map((t) => [t.listed.name, t.listed]));

/** A tool's tools/list entry, as the catalogue holds it. */
export function listedTool(name: string): ListedTool | undefined {
  return LISTED.get(name);
}

/** Toolsets to register: the requested ones, else every toolset the write flags allow. */
export function enabledToolsets(config: Config): string[] {
  const allowed = TOOLSETS.filter((t) => tierAllowed(t.tier, config)).map((t) => t.id);
  return config.toolsets ? allowed.filter((t) => config.toolsets!.includes(t)) : allowed;
}

/** The tools of `all` that the flags enable (toolsets, then each tool's tier), in order. */
export function enabledTools<T extends Pick<ToolMeta, "toolset" | "tier">>(
  config: Config,
  all: readonly T[],
): T[] {
  const sets = new Set(enabledToolsets(config));
  return all.filter((t) => sets.has(t.toolset) && tierAllowed(t.tier, config));
}

/**
 * Each toolset's module, loaded on first use. The specifiers are literal so that `deno cache`, `deno
 * compile` and a JSR install fetch and bundle them like any import, and a call needs no permission
 * beyond the start's (a computed specifier would save Deno's start-time walk of these files, about
 * 18 ms, at the price of all three: see DESIGN.md).
 */
const IMPORTS: Readonly<Record<string, () => Promise<{ TOOLSET: Toolset }>>> = {
  inventory: () => import("./inventory/mod.ts"),
  diagnostics: () => import("./diagnostics/mod.ts"),
  utilization: () => import("./utilization/mod.ts"),
  cost: () => import("./cost/mod.ts"),
  security: () => import("./security/mod.ts"),
  "secure-browser": () => import("./secure_browser/mod.ts"),
  governance: () => import("./governance/mod.ts"),
  lifecycle: () => import("./lifecycle/mod.ts"),
  destructive: () => import("./destructive/mod.ts"),
};
const LOADED = new Map<string, Promise<Toolset>>();
const LOADERS: Readonly<Record<string, () => Promise<Toolset>>> = Object.fromEntries(
  Object.entries(IMPORTS).map(([id, load]) => [id, () => {
    let p = LOADED.get(id);
    if (!p) {
      p = load().then((m) => m.TOOLSET);
      LOADED.set(id, p);
      p.catch(() => LOADED.delete(id));
    }
    return p;
  }]),
);

/** The toolsets whose modules this process has loaded (a test checks a start loads none). */
export function loadedToolsets(): string[] {
  return [...LOADED.keys()];
}

/** The toolset ids that have a loader (a test checks they are exactly the catalogue's). */
export const TOOLSETS_WITH_LOADER: readonly string[] = Object.keys(LOADERS);

/** A catalogued tool's record, loading its toolset on first use; undefined for a name not catalogued. */
export async function loadTool(name: string): Promise<ToolDef | undefined> {
  const toolset = CATALOGUE.tools.find((t) => t.listed.name === name)?.toolset;
  const load = toolset ? LOADERS[toolset] : undefined;
  return load ? (await load()).tools.find((t) => t.name === name) : undefined;
}

/** The server's tool source: metadata and tools/list entries from the catalogue, records loaded on first call. */
export const CATALOGUE_SOURCE: ToolSource = {
  all: ALL_TOOL_META,
  listed: (names) => Promise.resolve(names.map(listedTool).filter((t): t is ListedTool => t !== undefined)),
  load: loadTool,
};
