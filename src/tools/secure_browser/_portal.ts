/**
 * Naming a Secure Browser portal: validated as an ARN or a bare id (UUID) before any call, its
 * region taken from the ARN, a bare id resolved through ListPortals, a missing portal NotFound.
 */
import { z } from "zod";
import type { Aws } from "../../aws/clients.ts";
import { pages } from "../../aws/paginate.ts";
import { type ToolContext, ToolFailure } from "../registry.ts";

/** A portal id: the UUID at the end of its ARN. */
const PORTAL_ID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
const PORTAL_ARN = `arn:aws[a-z-]*:workspaces-web:[a-z]{2}(?:-[a-z]+)+-\\d:\\d{12}:portal/${PORTAL_ID}`;
const PORTAL_REF = new RegExp(`^(?:${PORTAL_ARN}|${PORTAL_ID})$`);
const ARN_PARTS = /^arn:aws[a-z-]*:workspaces-web:([a-z0-9-]+):\d{12}:portal\/(.+)$/;
const PORTAL_REF_MESSAGE =
  "must be a WorkSpaces Secure Browser portal ARN (arn:aws:workspaces-web:<region>:<account>:portal/<id>) or a portal id (a UUID)";

/** A portal ARN or id as a tool input, checked before any AWS call. */
export const PortalRefInput = z.string().max(2048).regex(PORTAL_REF, PORTAL_REF_MESSAGE);

/** The portal as the caller named it: its id, and its ARN and region when an ARN was given. */
export interface PortalRef {
  id: string;
  arn?: string;
  arnRegion?: string;
}

/** The id, and the ARN and its region when an ARN was given. */
export function parsePortalRef(value: string): PortalRef {
  const m = ARN_PARTS.exec(value);
  if (m) return { id: m[2], arn: value, arnRegion: m[1] };
  return { id: value };
}

/** The region to call: the ARN's own region wins over `region` (a note says so when they differ). */
export async function portalRegion(
  ctx: ToolContext,
  ref: PortalRef,
  region: string | undefined,
  notes: string[],
): Promise<string> {
  if (ref.arnRegion) {
    if (region && region !== ref.arnRegion) {
      notes.push(`The portal ARN is in ${ref.arnRegion}; the region parameter (${region}) was not used.`);
    }
    return ref.arnRegion;
  }
  const [r] = await ctx.regions({ region });
  return r;
}

/** The NotFound failure for a portal, with the next step. */
export function notFound(id: string, region: string): ToolFailure {
  return new ToolFailure(
    "NotFound",
    `No WorkSpaces Secure Browser portal ${id} in ${region}.`,
    "Check the id and the region (portals are per region): list them with generate_inventory_report " +
      '(services: "secure-browser"), or pass the full portal ARN, which names its region.',
  );
}

/** Finds a portal's ARN from its bare id by listing the region's portals (stops at the match). */
export async function resolvePortalArn(aws: Aws, id: string, region: string, signal: AbortSignal): Promise<string> {
  const lower = id.toLowerCase();
  for await (const page of pages(aws, "workspaces-web", "ListPortals", {}, { region, signal })) {
    const hit = (page.portals ?? []).find((p) => p.portalArn?.toLowerCase().endsWith(`/${lower}`));
    if (hit?.portalArn) return hit.portalArn;
  }
  throw notFound(id, region);
}
