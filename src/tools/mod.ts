/**
 * The one list of tools: every toolset's records. The catalogue (`catalogue.json`: metadata and
 * tools/list entries, what a start reads) is generated from it; the server loads a toolset's records
 * on the first call of one of its tools (`catalogue.ts`), tests and the generator import them here.
 */
import type { Config } from "../config.ts";
import { TOOLSET as cost } from "./cost/mod.ts";
import { TOOLSET as destructive } from "./destructive/mod.ts";
import { TOOLSET as diagnostics } from "./diagnostics/mod.ts";
import { TOOLSET as governance } from "./governance/mod.ts";
import { TOOLSET as inventory } from "./inventory/mod.ts";
import { TOOLSET as lifecycle } from "./lifecycle/mod.ts";
import { enabledTools as enabledFromCatalogue, enabledToolsets, TOOLSET_IDS } from "./catalogue.ts";
import type { ToolDef, Toolset } from "./registry.ts";
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

/** All tool records, in registration order. */
export const ALL_TOOLS: readonly ToolDef[] = TOOLSETS.flatMap((t) => t.tools);

/** The tools of `all` that the flags enable (toolsets, then each tool's tier), in order. */
export function enabledTools(config: Config, all: readonly ToolDef[] = ALL_TOOLS): ToolDef[] {
  return enabledFromCatalogue(config, all);
}

export { enabledToolsets, TOOLSET_IDS };
