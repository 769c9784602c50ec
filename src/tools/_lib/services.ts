/** The `service` input of the tools that cover several EUC services: current and legacy names, "all". */
import { z } from "zod";
import { serviceFromAlias, type ServiceId } from "../../names.ts";
import { ToolFailure } from "./failure.ts";

/** Optional `service` input: "all" (default) or comma-separated service names, legacy names included. */
export const ServiceInput = z.string().max(200).default("all").describe(
  'Which service: "all" (default), "workspaces" (Personal and Pools), "applications", "secure-browser" or "core"; ' +
    'legacy names work ("AppStream 2.0", "WorkSpaces Web"); several comma-separated.',
);

/** The hint of an unknown service name, unless the caller names its own. */
const DEFAULT_HINT =
  'Use "all", "workspaces" (Personal and Pools), "applications", "secure-browser" or "core" (legacy names such as "AppStream 2.0" and "WorkSpaces Web" are accepted).';

/**
 * A `service` value — comma-separated text or a list (aliases accepted, case-insensitive; "all" or
 * nothing = every one) → the members of `all` it names; `pick` maps a service id to its member. In
 * the order of `all`, or of the input with `inputOrder`. An unknown name is refused before any AWS call.
 */
export function parseServices<T extends string>(
  value: string | readonly string[] | undefined,
  all: readonly T[],
  pick: (id: ServiceId) => T,
  opts: { hint?: string; inputOrder?: boolean } = {},
): T[] {
  const raw = value === undefined ? ["all"] : typeof value === "string" ? value.split(",") : value;
  const names = raw.map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || names.some((n) => n.toLowerCase() === "all")) return [...all];
  const out = new Set<T>();
  for (const name of names) {
    const id = serviceFromAlias(name);
    if (!id) throw new ToolFailure("InvalidInput", `Unknown service "${name}".`, opts.hint ?? DEFAULT_HINT);
    out.add(pick(id));
  }
  return opts.inputOrder ? [...out] : all.filter((s) => out.has(s));
}
