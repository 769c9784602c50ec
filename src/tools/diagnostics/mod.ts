/**
 * The diagnostics toolset: why a desktop, pool, fleet or directory is unhealthy, and which EUC
 * alarms fire. Each diagnosis gathers its evidence best effort (one failing sub-call is an entry in
 * `errors`, never a crash), turns it into ranked findings with a plain next step, and keeps the
 * values it used in `signals`.
 */
import type { ToolDef, Toolset } from "../registry.ts";
import { checkDirectoryHealth } from "./check_directory_health.ts";
import { diagnoseApplicationFleet } from "./diagnose_application_fleet.ts";
import { diagnosePool } from "./diagnose_pool.ts";
import { diagnoseWorkspaceConnectivity } from "./diagnose_workspace_connectivity.ts";
import { getEucActiveAlarms } from "./get_euc_active_alarms.ts";

/** The diagnostics toolset. */
export const TOOLSET: Toolset = {
  id: "diagnostics",
  description: "Why something is broken: desktops, pools, fleets, directories, alarms",
  tier: 0,
  tools: [
    diagnoseWorkspaceConnectivity,
    diagnoseApplicationFleet,
    checkDirectoryHealth,
    diagnosePool,
    getEucActiveAlarms,
  ] as unknown as readonly ToolDef[],
};
