/** Input and output fragments shared by the governance tools. */
import { z } from "zod";
import { RegionInput, RegionsInput } from "../_lib/schemas.ts";

/** The per-list cap of the governance audits (lists only; counts and findings stay complete). */
export const Limit = z.number().int().min(1).max(1000).default(100).describe(
  "Most items listed per list; counts and findings stay complete and `truncated` says when a list was cut",
);

/** Findings per severity, as every governance output reports them. */
export const FindingCounts = z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() })
  .describe("Findings per severity");

/** Input of both image audits: one region or a fan-out, and the list cap. */
export const ImagesInput = z.object({ region: RegionInput, regions: RegionsInput, limit: Limit });
