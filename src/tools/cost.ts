/** The cost toolset: Cost Explorer spend, forecast and comparison, and Price List prices. */
/** The tools of this toolset, in registration order. */
export const COST_TOOLS = [] as const;
