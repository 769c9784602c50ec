/** The governance toolset: its tools and its metadata. */
import type { ToolDef, Toolset } from "../registry.ts";
import { auditApplicationImages } from "./audit_application_images.ts";
import { auditWorkspaceImages } from "./audit_workspace_images.ts";
import { getEucAuditTrail } from "./get_euc_audit_trail.ts";
import { getEucServiceQuotas } from "./get_euc_service_quotas.ts";
import { reviewApplicationAccess } from "./review_application_access.ts";

/** The governance toolset. */
export const TOOLSET: Toolset = {
  id: "governance",
  description: "Images, application access, audit trail and service quotas",
  tier: 0,
  tools: [
    auditApplicationImages,
    auditWorkspaceImages,
    reviewApplicationAccess,
    getEucAuditTrail,
    getEucServiceQuotas,
  ] as unknown as readonly ToolDef[],
};
