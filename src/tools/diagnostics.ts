/** The diagnostics toolset: why a desktop, pool, fleet or directory is unhealthy, and which EUC alarms fire. */
/** The tools of this toolset, in registration order. */
export const DIAGNOSTICS_TOOLS = [] as const;
