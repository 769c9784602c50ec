/** The `service` input of the tools that cover several EUC services: current and legacy names, "all". */
import { z } from "zod";
import { serviceFromAlias, type ServiceId } from "../../names.ts";
import { ToolFailure } from "./failure.ts";

/** Optional `service` input: "all" (default) or comma-separated service names, legacy names included. */
export const ServiceInput = z.string().max(200).default("all").describe(
  'Which service: "all" (default), "workspaces" (Personal and Pools), "applications", "secure-browser" or "core"; ' +
    'legacy names work ("AppStream 2.0", "WorkSpaces Web"); several comma-separated.',
);

/**
 * A comma-separated `service` value (aliases accepted, case-insensitive; "all" or nothing = every
 * one) → the members of `all` it names, in the order of `all`; `pick` maps a service id to its
 * member. An unknown name is refused before any AWS call.
 */
export function parseServices<T extends string>(value: string, all: readonly T[], pick: (id: ServiceId) => T): T[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0 || names.some((n) => n.toLowerCase() === "all")) return [...all];
  const out = new Set<T>();
  for (const name of names) {
    const id = serviceFromAlias(name);
    if (!id) {
      throw new ToolFailure(
        "InvalidInput",
        `Unknown service "${name}".`,
        'Use "all", "workspaces" (Personal and Pools), "applications", "secure-browser" or "core" (legacy names such as "AppStream 2.0" and "WorkSpaces Web" are accepted).',
      );
    }
    out.add(pick(id));
  }
  return all.filter((s) => out.has(s));
}
