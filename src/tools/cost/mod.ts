/** The cost toolset: its tools and its metadata. */
import type { ToolDef, Toolset } from "../registry.ts";
import { compareEucCosts } from "./compare_euc_costs.ts";
import { getEucCostForecast } from "./get_euc_cost_forecast.ts";
import { getEucCostSummary } from "./get_euc_cost_summary.ts";
import { getEucServicePrices } from "./get_euc_service_prices.ts";

/** The cost toolset. */
export const TOOLSET: Toolset = {
  id: "cost",
  description: "What it costs: Cost Explorer spend, forecasts, comparisons, Price List prices",
  tier: 0,
  tools: [getEucCostSummary, getEucCostForecast, compareEucCosts, getEucServicePrices] as unknown as readonly ToolDef[],
};
