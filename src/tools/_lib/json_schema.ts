/**
 * JSON Schema as clients receive it. The SDK converts our zod schemas itself; what it emits is
 * correct but heavy (every nullable field a `["string","null"]` type array, which several clients'
 * strict modes reject; ±2^53 bounds on every integer; `$schema` on each tool; descriptions repeated
 * in array items). `portable` rewrites a schema so it validates exactly the same values without
 * those; `LISTED_OUTPUT` is the one-line output schema `tools/list` carries (the full one is a
 * resource, read once when a client wants it).
 */

/** A JSON Schema node (as plain JSON). */
export type JsonSchema = { [key: string]: unknown };

const SAFE = Number.MAX_SAFE_INTEGER;

/** The output schema listed for every tool: an object that always has a summary line. */
export const LISTED_OUTPUT: Readonly<JsonSchema> = Object.freeze({
  type: "object",
  properties: { summary: { type: "string" } },
  required: ["summary"],
});

/**
 * The same schema without type arrays (`{"type":["string","null"]}` → `anyOf` of the two), without
 * `$schema`, without the ±Number.MAX_SAFE_INTEGER bounds zod puts on every integer, and without an
 * array's item description when the array already says it. Accepts exactly the values the input did.
 */
export function portable(schema: JsonSchema): JsonSchema {
  return rewrite(schema, false);
}

function rewrite(node: unknown, parentDescribed: boolean): JsonSchema {
  if (!node || typeof node !== "object" || Array.isArray(node)) return node as JsonSchema;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === "$schema") continue;
    if ((key === "minimum" || key === "maximum") && typeof value === "number" && Math.abs(value) === SAFE) continue;
    if (key === "description" && parentDescribed) continue;
    if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(
        Object.entries(value as JsonSchema).map(([k, v]) => [k, rewrite(v, false)]),
      );
    } else if (key === "items" || key === "additionalProperties" || key === "propertyNames" || key === "not") {
      out[key] = typeof value === "object"
        ? rewrite(value, key === "items" && typeof src.description === "string")
        : value;
    } else if ((key === "anyOf" || key === "oneOf" || key === "allOf") && Array.isArray(value)) {
      out[key] = value.map((v) => rewrite(v, false));
    } else if (key === "$defs" || key === "definitions") {
      out[key] = Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, rewrite(v, false)]));
    } else {
      out[key] = value;
    }
  }
  return splitTypeArray(out);
}

/** `{type: [a, b], …rest}` → `{anyOf: [{type: a, …rest for a}, {type: b, …}], description}`. */
function splitTypeArray(node: JsonSchema): JsonSchema {
  if (!Array.isArray(node.type)) return node;
  const types = node.type as string[];
  if (types.length === 1) return { ...node, type: types[0] };
  const { type: _type, description, title, default: dflt, ...rest } = node;
  const branches = types.map((t) => (t === "null" ? { type: "null" } : { type: t, ...keywordsFor(t, rest) }));
  return {
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(dflt !== undefined ? { default: dflt } : {}),
    anyOf: branches,
  };
}

const FOR_TYPE: Readonly<Record<string, readonly string[]>> = {
  string: ["minLength", "maxLength", "pattern", "format", "enum", "const"],
  number: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum", "const"],
  integer: ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "enum", "const"],
  boolean: ["enum", "const"],
  array: ["items", "minItems", "maxItems", "uniqueItems", "prefixItems"],
  object: ["properties", "required", "additionalProperties", "propertyNames", "minProperties", "maxProperties"],
};

function keywordsFor(type: string, rest: JsonSchema): JsonSchema {
  const keys = FOR_TYPE[type] ?? [];
  const out: JsonSchema = {};
  for (const k of keys) {
    if (k in rest) {
      out[k] = k === "enum" ? (rest.enum as unknown[]).filter((v) => v !== null) : rest[k];
    }
  }
  return out;
}

/** Every place a schema still uses a type array (a test asserts there are none). */
export function typeArrays(node: unknown, path = "$"): string[] {
  if (!node || typeof node !== "object") return [];
  if (Array.isArray(node)) return node.flatMap((v, i) => typeArrays(v, `${path}[${i}]`));
  const found: string[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === "type" && Array.isArray(v)) found.push(path);
    else found.push(...typeArrays(v, `${path}.${k}`));
  }
  return found;
}
