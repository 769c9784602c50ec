/** The utilization toolset: billable hours, running mode, rightsizing, performance and usage history. */
/** The tools of this toolset, in registration order. */
export const UTILIZATION_TOOLS = [] as const;
