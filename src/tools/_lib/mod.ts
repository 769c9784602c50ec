/** The shared parts every tool uses: schemas and id patterns, paging, fan-out, collection, findings, formatting. */
export * from "./collection.ts";
export * from "./failure.ts";
export * from "./fanout.ts";
export * from "./findings.ts";
export * from "./format.ts";
export * from "./paging.ts";
export * from "./patterns.ts";
export * from "./schemas.ts";
export * from "./services.ts";
export * from "./published.ts";
export * from "./fleet_metrics.ts";
