/** The security toolset: the posture audit and the account-level WorkSpaces settings. */
/** The tools of this toolset, in registration order. */
export const SECURITY_TOOLS = [] as const;
