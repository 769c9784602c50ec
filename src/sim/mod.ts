/**
 * The simulated AWS: an estate builder, the request handler AWS SDK clients are given, the demo
 * estate and the scale builder.
 */
export {
  type BundleOpts,
  BUNDLES,
  DEFAULT_BUNDLE,
  DEFAULT_DIRECTORY,
  type DirectoryOpts,
  Estate,
  type FleetOpts,
  type ManagedInstanceOpts,
  type PoolOpts,
  type PortalOpts,
  RegionEstate,
  Scenario,
  scenario,
  SIM_ACCOUNT,
  type StackOpts,
  type WorkspaceOpts,
} from "./estate.ts";
export { type CallRecord, type Fault, SERVICES, SIM_PRINCIPAL, type SimRequestHandler, Simulator } from "./handler.ts";
export { DEMO, DEMO_GOVERNANCE, demoEstate } from "./demo.ts";
export { type CostLine, type CostOptions, seedCosts } from "./costs.ts";
export {
  type AppBlockBuilderOpts,
  type AppImageOpts,
  type AppUserOpts,
  GovernanceData,
  type ImageBuilderOpts,
  type TrailEventOpts,
  type TrailNoiseOpts,
  type WorkspaceImageOpts,
} from "./governance.ts";
export { type QuotaOverride, quotaUsageMetrics } from "./quotas.ts";
export { metricKey, type MetricProvider, PROVIDERS, SAMPLE_MS, type Sampler, type UsageProfile } from "./metrics.ts";
export { scaleEstate, type ScaleOpts } from "./scale.ts";
export { type OpContext, type OperationTable, SimError } from "./services/common.ts";
