/** The governance toolset: image audits, application access, the audit trail and service quotas. */
/** The tools of this toolset, in registration order. */
export const GOVERNANCE_TOOLS = [] as const;
