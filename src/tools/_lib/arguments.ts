/**
 * Tool arguments as clients send them, made into what the schema means — before the SDK validates:
 * an explicit `null` for an optional parameter means "not given" (the Python server's FastMCP
 * schemas take string-or-null), numeric and boolean strings coerce where the parameter is a number
 * or boolean (pydantic's lax mode does), and an unknown key is refused naming the nearest valid
 * parameter, with every echoed name cut short.
 */
import type { z } from "zod";

/** Longest name or key echoed back in an error message. */
export const ECHO_LIMIT = 100;

/** `text` cut to `limit` characters with an ellipsis. */
export function clip(text: string, limit = ECHO_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
}

/** The schema under optional/default/nullable wrappers, and whether the field may be left out. */
function unwrap(schema: z.ZodType): { kind: string; optional: boolean } {
  let s = schema as unknown as { _zod: { def: Def } };
  let optional = false;
  for (let guard = 0; guard < 10; guard++) {
    const def = s._zod.def;
    if (def.type === "optional" || def.type === "default" || def.type === "prefault") optional = true;
    if (
      (def.type === "optional" || def.type === "default" || def.type === "prefault" || def.type === "nullable") &&
      def.innerType
    ) {
      s = def.innerType as unknown as { _zod: { def: Def } };
      continue;
    }
    return { kind: def.type, optional };
  }
  return { kind: "unknown", optional };
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The valid parameter nearest to `key`, when one is close enough to be a likely typo. */
export function nearest(key: string, valid: readonly string[]): string | undefined {
  const k = key.toLowerCase().slice(0, ECHO_LIMIT);
  let best: { name: string; d: number } | undefined;
  for (const name of valid) {
    const d = distance(k, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

/** What normalisation made of the arguments: the arguments to validate, or a refusal message. */
export type Normalized = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

/** Normalises one call's arguments against the tool's input schema (see the module comment). */
export function normalizeArguments(input: z.ZodObject, raw: unknown): Normalized {
  if (raw === undefined || raw === null) return { ok: true, args: {} };
  if (typeof raw !== "object" || Array.isArray(raw)) return { ok: false, message: "arguments must be a JSON object" };
  const shape = input.shape as Record<string, z.ZodType>;
  const valid = Object.keys(shape);
  const args: Record<string, unknown> = {};
  // Object.keys sees an own "__proto__" key (JSON.parse makes one) that `in` checks and zod may miss.
  for (const key of Object.keys(raw)) {
    const value = (raw as Record<string, unknown>)[key];
    if (!Object.hasOwn(shape, key)) {
      const near = nearest(key, valid);
      return {
        ok: false,
        message: `unknown parameter "${clip(key)}"${near ? `; did you mean "${near}"?` : ""} Valid parameters: ${
          valid.join(", ") || "none"
        }.`,
      };
    }
    const field = unwrap(shape[key]);
    if (value === null && field.optional) continue;
    if (typeof value === "string" && field.kind === "number" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
      args[key] = Number(value);
    } else if (typeof value === "string" && field.kind === "boolean" && /^(true|false)$/i.test(value.trim())) {
      args[key] = value.trim().toLowerCase() === "true";
    } else {
      args[key] = value;
    }
  }
  return { ok: true, args };
}

/** A valid value for parameters whose name says what they hold (used in the example of an input error). */
const EXAMPLES: Readonly<Record<string, unknown>> = {
  workspace_id: "ws-0a1b2c3d4",
  workspace_ids: ["ws-0a1b2c3d4"],
  pool_id: "wspool-0a1b2c3d4",
  directory_id: "d-1234567890",
  fleet_name: "Sales-Fleet",
  stack_name: "Sales-Stack",
  region: "us-east-1",
  regions: ["us-east-1", "eu-west-1"],
  portal_arn: "arn:aws:workspaces-web:us-east-1:123456789012:portal/3f1c2a9e-7b4d-4e8a-9c6f-1d2e3a4b5c6d",
  services: "personal,pools",
};

/** The default of a field, when it has one (the example of last resort). */
function defaultOf(schema: z.ZodType | undefined): unknown {
  let s = schema as unknown as { _zod: { def: Def & { defaultValue?: unknown } } } | undefined;
  for (let guard = 0; s && guard < 10; guard++) {
    const def = s._zod.def;
    if (def.type === "default") {
      const v = def.defaultValue;
      return typeof v === "function" ? (v as () => unknown)() : v;
    }
    if (!def.innerType) return undefined;
    s = def.innerType as unknown as typeof s;
  }
  return undefined;
}

/**
 * Validates normalised arguments against the tool's input schema and, on failure, says it in one
 * line: the parameter, what is wrong (and what was given), and an example of a valid value — instead
 * of the SDK's "MCP error -32602: Input validation error: …" with zod's JSON issue list.
 */
export function validateArguments(input: z.ZodObject, args: Record<string, unknown>): Normalized {
  const parsed = input.strict().safeParse(args);
  if (parsed.success) return { ok: true, args };
  const shape = input.shape as Record<string, z.ZodType>;
  const issues = parsed.error.issues;
  const first = issues[0];
  const name = String(first.path[0] ?? "");
  const where = first.path.length > 1 ? `${name}${first.path.slice(1).map((p) => `[${String(p)}]`).join("")}` : name;
  const given = first.path.length ? pick(args, first.path) : undefined;
  const missing = given === undefined && first.code === "invalid_type";
  const what = missing ? "is required" : `is invalid: ${lowerFirst(first.message)}`;
  const got = missing || given === undefined ? "" : ` (got ${clip(JSON.stringify(given) ?? String(given), 60)})`;
  const example = Object.hasOwn(EXAMPLES, name) ? EXAMPLES[name] : defaultOf(shape[name]);
  const eg = example !== undefined ? `; for example "${name}": ${JSON.stringify(example)}` : "";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? "s" : ""})` : "";
  return { ok: false, message: `parameter "${clip(where)}" ${what}${got}${eg}${more}.` };
}

function pick(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}
