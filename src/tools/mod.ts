/**
 * The one list of tools. Toolset ids, descriptions, `--list-toolsets`, the settings resource and
 * the health report's collectors all derive from it.
 */
import type { Config } from "../config.ts";
import { TOOLSET as cost } from "./cost/mod.ts";
import { TOOLSET as destructive } from "./destructive/mod.ts";
import { TOOLSET as diagnostics } from "./diagnostics/mod.ts";
import { TOOLSET as governance } from "./governance/mod.ts";
import { TOOLSET as inventory } from "./inventory/mod.ts";
import { TOOLSET as lifecycle } from "./lifecycle/mod.ts";
import { tierAllowed, type ToolDef, type Toolset } from "./registry.ts";
import { TOOLSET as secureBrowser } from "./secure_browser/mod.ts";
import { TOOLSET as security } from "./security/mod.ts";
import { TOOLSET as utilization } from "./utilization/mod.ts";

/** Toolsets in registration order; `--toolsets` picks a subset. */
export const TOOLSETS: readonly Toolset[] = [
  inventory,
  diagnostics,
  utilization,
  cost,
  security,
  secureBrowser,
  governance,
  lifecycle,
  destructive,
];

/** Toolset ids, in registration order. */
export const TOOLSET_IDS: readonly string[] = TOOLSETS.map((t) => t.id);

/** All tool records, in registration order. */
export const ALL_TOOLS: readonly ToolDef[] = TOOLSETS.flatMap((t) => t.tools);

/** Toolsets to register: the requested ones, else every toolset the write flags allow. */
export function enabledToolsets(config: Config): string[] {
  const allowed = TOOLSETS.filter((t) => tierAllowed(t.tier, config)).map((t) => t.id);
  return config.toolsets ? allowed.filter((t) => config.toolsets!.includes(t)) : allowed;
}

/** The tools of `all` that the flags enable (toolsets, then each tool's tier), in order. */
export function enabledTools(config: Config, all: readonly ToolDef[] = ALL_TOOLS): ToolDef[] {
  const sets = new Set(enabledToolsets(config));
  return all.filter((t) => sets.has(t.toolset) && tierAllowed(t.tier, config));
}
