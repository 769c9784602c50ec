/** The security toolset: its tools and its metadata. */
import type { ToolDef, Toolset } from "../registry.ts";
import { auditSecurityPosture } from "./audit_security_posture.ts";
import { getEucAccountPosture } from "./get_euc_account_posture.ts";

/** The security toolset. */
export const TOOLSET: Toolset = {
  id: "security",
  description: "Security posture: encryption, IP access, egress, account settings",
  tier: 0,
  tools: [auditSecurityPosture, getEucAccountPosture] as unknown as readonly ToolDef[],
};
