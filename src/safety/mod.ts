/** The one place for write gates: plan, token, consent, protected tag, execution, audit. */
export * from "./audit.ts";
export * from "./gates.ts";
export * from "./outcome.ts";
export * from "./targets.ts";
export * from "./token.ts";
