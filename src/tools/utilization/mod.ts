/** The utilization toolset: its tools and its metadata. */
import type { ToolDef, Toolset } from "../registry.ts";
import { analyzeWorkspaceUtilization } from "./analyze_workspace_utilization.ts";
import { getApplicationFleetUsage } from "./get_application_fleet_usage.ts";
import { getPoolSessionHistory } from "./get_pool_session_history.ts";
import { getWorkspaceConnectionHistory } from "./get_workspace_connection_history.ts";
import { getWorkspacePerformance } from "./get_workspace_performance.ts";
import { listUnusedResources } from "./list_unused_resources.ts";
import { recommendBundleRightsizing } from "./recommend_bundle_rightsizing.ts";
import { recommendRunningMode } from "./recommend_running_mode.ts";

/** The utilization toolset. */
export const TOOLSET: Toolset = {
  id: "utilization",
  description: "How desktops are used: utilization, running mode, rightsizing, performance",
  tier: 0,
  tools: [
    analyzeWorkspaceUtilization,
    recommendRunningMode,
    recommendBundleRightsizing,
    getWorkspacePerformance,
    getWorkspaceConnectionHistory,
    getPoolSessionHistory,
    getApplicationFleetUsage,
    listUnusedResources,
  ] as unknown as readonly ToolDef[],
};
