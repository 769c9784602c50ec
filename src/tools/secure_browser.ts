/** The secure-browser toolset: WorkSpaces Secure Browser portal details and usage. */
/** The tools of this toolset, in registration order. */
export const SECURE_BROWSER_TOOLS = [] as const;
