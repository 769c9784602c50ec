/** The Secure Browser browser policy (Chrome policies JSON), summarised and bounded for the answer. */
import { z } from "zod";

/** Browser policy lists longer than this are cut, with a "... (+N more)" marker. */
const POLICY_LIST_CAP = 20;
/** Browser policy strings longer than this are truncated. */
const POLICY_STRING_CAP = 200;
/** URL allow/block lists are returned up to this length. */
const URL_LIST_CAP = 100;

/** The summary of a portal's browser policy. */
export const BrowserPolicy = z.object({
  policy_count: z.number().int(),
  policy_names: z.array(z.string()),
  url_allowlist: z.array(z.string()).describe("URLAllowlist (or the legacy URLWhitelist)"),
  url_blocklist: z.array(z.string()).describe("URLBlocklist (or the legacy URLBlacklist)"),
  policies: z.record(z.string(), z.unknown()).describe(
    `Each Chrome policy's value; lists over ${POLICY_LIST_CAP} items and strings over ${POLICY_STRING_CAP} characters are cut`,
  ),
  parse_error: z.string().nullable().describe("Set when the browserPolicy JSON could not be read"),
});
/** A browser policy summary. */
export type BrowserPolicy = z.infer<typeof BrowserPolicy>;

function capList(list: readonly unknown[], cap: number): unknown[] {
  return list.length > cap ? [...list.slice(0, cap), `... (+${list.length - cap} more)`] : [...list];
}

/** A policy value, bounded: long lists and strings are cut, nesting is limited. */
function boundedValue(v: unknown, depth = 0): unknown {
  if (typeof v === "string") return v.length > POLICY_STRING_CAP ? `${v.slice(0, POLICY_STRING_CAP)}…` : v;
  if (Array.isArray(v)) return capList(v, POLICY_LIST_CAP).map((x) => boundedValue(x, depth + 1));
  if (v && typeof v === "object") {
    if (depth >= 3) return boundedValue(JSON.stringify(v), depth);
    const entries = Object.entries(v as Record<string, unknown>);
    const kept = entries.slice(0, POLICY_LIST_CAP).map(([k, x]) => [k, boundedValue(x, depth + 1)]);
    if (entries.length > POLICY_LIST_CAP) kept.push(["...", `(+${entries.length - POLICY_LIST_CAP} more keys)`]);
    return Object.fromEntries(kept);
  }
  return v;
}

function urlList(policies: Record<string, unknown>, ...names: string[]): string[] {
  const out: string[] = [];
  for (const n of names) {
    const v = policies[n];
    if (Array.isArray(v)) out.push(...v.map(String));
  }
  return capList([...new Set(out)], URL_LIST_CAP) as string[];
}

/** Summarises the browserPolicy JSON ({"chromePolicies": {"Name": {"value": …}}}). */
export function summarizeBrowserPolicy(json: string): BrowserPolicy {
  let chrome: Record<string, unknown>;
  try {
    const parsed = JSON.parse(json) as { chromePolicies?: Record<string, unknown> };
    chrome = parsed?.chromePolicies && typeof parsed.chromePolicies === "object" ? parsed.chromePolicies : {};
  } catch (e) {
    return {
      policy_count: 0,
      policy_names: [],
      url_allowlist: [],
      url_blocklist: [],
      policies: {},
      parse_error: (e as Error).message,
    };
  }
  // Each policy is {"value": …}; take the value, or the entry itself when it has no value member.
  const values: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(chrome)) {
    values[name] = entry && typeof entry === "object" && !Array.isArray(entry) && "value" in entry
      ? (entry as { value: unknown }).value
      : entry;
  }
  const names = Object.keys(values);
  return {
    policy_count: names.length,
    policy_names: names,
    url_allowlist: urlList(values, "URLAllowlist", "URLWhitelist"),
    url_blocklist: urlList(values, "URLBlocklist", "URLBlacklist"),
    policies: Object.fromEntries(names.map((n) => [n, boundedValue(values[n])])),
    parse_error: null,
  };
}
