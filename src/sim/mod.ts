/**
 * The simulated AWS: an estate builder, the request handler AWS SDK clients are given, the demo
 * estate and the scale builder. The one entry point: tests and main.ts import from here.
 */
export { Estate, RegionEstate, SIM_ACCOUNT } from "./region.ts";
export { type AlarmOpts, Scenario, scenario } from "./scenario.ts";
export {
  type BundleOpts,
  BUNDLES,
  DEFAULT_BUNDLE,
  DEFAULT_DIRECTORY,
  type DirectoryOpts,
  type PoolOpts,
  type PoolSessionOpts,
  type WorkspaceOpts,
} from "./scenario_workspaces.ts";
export {
  type FleetOpts,
  type FleetSessionOpts,
  type ManagedInstanceOpts,
  type PortalOpts,
  type ScalingActivityOpts,
  type StackOpts,
} from "./scenario_apps.ts";
export { hash32 } from "./seed.ts";
export type { QuotaOverride, Sampler, UsageProfile } from "./types.ts";
export { type CallRecord, SERVICES, type SimRequestHandler, Simulator } from "./handler.ts";
export { type Fault, SIM_PRINCIPAL } from "./faults.ts";
export { DEMO, DEMO_GOVERNANCE, demoEstate } from "./demo.ts";
export { addDays, type CostLine, type CostOptions, seedCosts, todayUtc } from "./data/costs.ts";
export {
  type AppBlockBuilderOpts,
  type AppImageOpts,
  type AppUserOpts,
  GovernanceData,
  type ImageBuilderOpts,
  type TrailEventOpts,
  type TrailNoiseOpts,
  type WorkspaceImageOpts,
} from "./data/governance.ts";
export { quotaUsageMetrics } from "./data/quotas.ts";
export { metricKey, type MetricProvider, PROVIDERS, SAMPLE_MS } from "./data/metrics.ts";
export { scaleEstate, type ScaleOpts } from "./scale.ts";
export { type OpContext, type OperationTable, SimError } from "./services/common.ts";
export { PAGE_ROWS } from "./services/ce.ts";
