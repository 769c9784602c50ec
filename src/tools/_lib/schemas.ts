/** Zod fragments shared by tool inputs and outputs. */
import { z } from "zod";
import { ERROR_CODES } from "../../aws/errors.ts";
import { REGION_PATTERN } from "./patterns.ts";
import { LISTING_TTL_MS } from "../../aws/listing_cache.ts";

/**
 * One AWS region, validated before any call. No per-parameter description: the name and pattern say it, and the
 * server instructions say once that the default is the server's region (this keeps tools/list lean).
 */
export const Region = z.string().regex(REGION_PATTERN, "must be an AWS region name such as us-east-1");

/** Optional single region input. */
export const RegionInput = Region.optional();

/** Optional region fan-out input. */
export const RegionsInput = z.array(Region).min(1).max(30).optional().describe(
  "Regions to fan out over (overrides region; default --regions)",
);

/** A classified error of one AWS call, as every tool reports it. */
export const ErrorInfo = z.object({
  service: z.string().describe('Product label, e.g. "Amazon WorkSpaces Applications" (the Python server\'s meaning)'),
  // Optional in the type only: collectors hold API ids in `service`; the registry sets `api` on every result.
  api: z.string().optional().describe(
    'API id of the service that failed, e.g. "appstream", "workspaces", "ce" (always set)',
  ),
  operation: z.string().describe("API operation that failed"),
  region: z.string(),
  code: z.enum(ERROR_CODES),
  message: z.string(),
  hint: z.string().describe("What to do next"),
});

/** The `errors` list on every output. */
export const Errors = z.array(ErrorInfo).describe(
  "Per-service/per-region failures; the rest of the result is still valid",
);

/** Free-text notes about the result (caveats, truncation, simulation). */
export const Notes = z.array(z.string());

/**
 * The `refresh` input of every tool that lists desktops: desktop listings (with the directories and bundles listed
 * alongside) are reused for up to LISTING_TTL_MS across calls, per identity and region, and dropped by any write.
 */
export const RefreshInput = z.boolean().default(false).describe(
  `true: list desktops again (listings are reused for ${LISTING_TTL_MS / 1000} s)`,
);

/** The `listing` field the registry adds to the output of every tool with a `refresh` input. */
export const ListingInfo = z.object({
  cached: z.boolean().describe(
    "True when the desktop listing was reused from an earlier call (refresh: true lists again)",
  ),
  age_seconds: z.number().int().nullable().describe("Age of the oldest reused listing; null when listed by this call"),
}).describe("Where the desktop listing came from");
