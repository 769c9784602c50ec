/** The lifecycle toolset: its tools and its metadata. */

import type { ToolDef, Toolset } from "../registry.ts";
import { modifyWorkspaceRunningMode } from "./modify_workspace_running_mode.ts";
import { rebootWorkspaces } from "./reboot_workspaces.ts";
import { startApplicationFleet } from "./start_application_fleet.ts";
import { startWorkspaces } from "./start_workspaces.ts";
import { startWorkspacesPool } from "./start_workspaces_pool.ts";
import { stopApplicationFleet } from "./stop_application_fleet.ts";
import { stopWorkspaces } from "./stop_workspaces.ts";
import { stopWorkspacesPool } from "./stop_workspaces_pool.ts";
import { updateApplicationFleetCapacity } from "./update_application_fleet_capacity.ts";
import { updateWorkspacesPoolCapacity } from "./update_workspaces_pool_capacity.ts";

/** The lifecycle toolset. */
export const TOOLSET: Toolset = {
  id: "lifecycle",
  description: "Start/stop/reboot, running mode, pool and fleet capacity (needs --enable-writes)",
  tier: 2,
  tools: [
    startWorkspaces,
    stopWorkspaces,
    rebootWorkspaces,
    modifyWorkspaceRunningMode,
    startWorkspacesPool,
    stopWorkspacesPool,
    updateWorkspacesPoolCapacity,
    startApplicationFleet,
    stopApplicationFleet,
    updateApplicationFleetCapacity,
  ] as unknown as readonly ToolDef[],
};
