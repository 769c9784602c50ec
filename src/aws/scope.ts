/**
 * The IAM actions the running tool declared. The registry runs each tool inside a scope; `Aws.call`
 * records every action it sends and, when the client factory is told to (`declaredActionsOnly`,
 * set for the simulator in tests and --demo), refuses an undeclared one the way a least-privilege
 * policy would. That is how the tests prove a tool calls nothing it did not declare.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** One tool run's declared actions and the actions it actually sent. */
export interface ActionScope {
  readonly tool: string;
  readonly allowed: ReadonlySet<string>;
  readonly sent: Set<string>;
  /** Set when the tool run returned: its context may outlive it (continuations carry it), its scope does not. */
  ended?: boolean;
}

const store = new AsyncLocalStorage<ActionScope>();

/** Runs `fn` with the tool's declared actions as the current scope. */
export async function withActions<T>(tool: string, actions: readonly string[], fn: () => Promise<T>): Promise<T> {
  const scope: ActionScope = { tool, allowed: new Set(actions), sent: new Set() };
  try {
    return await store.run(scope, fn);
  } finally {
    scope.ended = true;
  }
}

/** The scope of the tool now running, if any (a run that has returned counts as none). */
export function currentScope(): ActionScope | undefined {
  const scope = store.getStore();
  return scope && !scope.ended ? scope : undefined;
}

/** Every action each tool sent in this process (tests compare it with the declarations). */
export const SENT_BY_TOOL: Map<string, Set<string>> = new Map();

/** Undeclared actions a tool tried to send (refused when `declaredActionsOnly`); tests assert it stays empty. */
export const UNDECLARED: { tool: string; action: string }[] = [];
