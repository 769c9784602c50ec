/** Every tool the server knows, in registration order; the launch flags pick the enabled ones. */
import { INVENTORY_TOOLS } from "./inventory.ts";
import type { ToolDef } from "./registry.ts";

/** All tool records. */
export const ALL_TOOLS: readonly ToolDef[] = [...INVENTORY_TOOLS] as unknown as readonly ToolDef[];
