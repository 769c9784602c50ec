/** Zod fragments shared by the utilization tools' inputs and outputs. */
import { z } from "zod";
import { IDS } from "../_lib/patterns.ts";

/** Skipped or no-data desktops listed beside a result (all are counted). */
export const MAX_SKIPPED_LISTED = 50;

/** A WorkSpaces Personal desktop id input. */
export const WorkspaceId = z.string().regex(IDS.workspace, "must be a WorkSpaces desktop id such as ws-a1b2c3d4e");

/** The `lookback_days` input with its default. */
export function lookbackDays(def: number) {
  return z.number().int().min(1).max(90).default(def).describe(
    `Days of history to analyse, 1–90 (default ${def}). From 63 days on only hourly data exists (approximate session edges).`,
  );
}

/** The `period_hours` input of the history tools. */
export const PeriodHours = z.number().int().min(1).max(168).default(24).describe(
  "Width of each history bucket in hours, 1–168 (default 24 = daily)",
);

/** The `limit` input of the paged tools. */
export const Limit = z.number().int().min(1).max(500).default(50).describe(
  "Items per page, 1–500 (default 50; shortened to fit the ~80 KB answer); totals and counts cover everything",
);

/** The `next_token` input of the paged tools. */
export const NextToken = z.string().max(200).optional().describe(
  "From a previous truncated answer with the same arguments: returns the next page",
);

/** A desktop's usage class. */
export const ClassificationEnum = z.enum(["unused", "idle", "active", "no_data", "unknown"]);

/** How much a recommendation can be trusted. */
export const Confidence = z.enum(["high", "medium", "low"]);
/** How much a recommendation can be trusted. */
export type Confidence = z.infer<typeof Confidence>;

/** The paging fields of every paged output. */
export const PageFields = {
  total_count: z.number().int().describe("Items in the full list, whatever the page"),
  truncated: z.boolean().describe("True when more items exist than are listed here"),
  next_token: z.string().nullable().describe("Pass back (same arguments) for the next page; null on the last page"),
};

/** Datapoints read, by resolution: every desktop hourly, the ones whose answer depends on it at 5 minutes. */
export const Datapoints = z.object({
  hourly: z.number().int(),
  five_minute: z.number().int(),
}).describe("CloudWatch datapoints read at each resolution");
