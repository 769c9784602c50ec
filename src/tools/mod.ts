/** Every tool the server knows, in registration order; the launch flags pick the enabled ones. */
import { COST_TOOLS } from "./cost.ts";
import { DIAGNOSTICS_TOOLS } from "./diagnostics.ts";
import { GOVERNANCE_TOOLS } from "./governance.ts";
import { HEALTH_TOOLS } from "./health.ts";
import { INVENTORY_TOOLS } from "./inventory.ts";
import type { ToolDef } from "./registry.ts";
import { SECURE_BROWSER_TOOLS } from "./secure_browser.ts";
import { SECURITY_TOOLS } from "./security.ts";
import { UTILIZATION_TOOLS } from "./utilization.ts";

// Each toolset exports its records `as const` with their precise input/output types; the registry
// only needs the common shape.
const all = (...sets: readonly (readonly unknown[])[]) => sets.flat() as unknown as readonly ToolDef[];

/** All tool records. */
export const ALL_TOOLS: readonly ToolDef[] = all(
  INVENTORY_TOOLS,
  HEALTH_TOOLS,
  DIAGNOSTICS_TOOLS,
  UTILIZATION_TOOLS,
  COST_TOOLS,
  SECURITY_TOOLS,
  SECURE_BROWSER_TOOLS,
  GOVERNANCE_TOOLS,
);
