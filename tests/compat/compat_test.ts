/**
 * Drop-in compatibility with the Python server (workspaces-euc-mcp-server): every reference parameter
 * is accepted (its default, and an explicit null), and every reference output field is at the
 * reference's path with the reference's type, on the demo estate. The data is tests/compat/reference.json.
 */
import assert from "node:assert/strict";
import { connect, type Harness } from "../support/harness.ts";
import { DEMO, demoEstate } from "../../src/sim/mod.ts";
import reference from "./reference.json" with { type: "json" };

interface Param {
  type: string;
  default?: unknown;
  required?: boolean;
}
interface ToolRef {
  required?: Record<string, unknown>;
  params: Record<string, Param>;
  output?: Record<string, string>;
  output_some?: Record<string, string>;
  /** Arguments for the output check (fields the reference returns only with them, e.g. tags). */
  output_args?: Record<string, unknown>;
  expect?: Record<string, unknown>;
  expect_keys?: Record<string, string[]>;
}

const PORTAL_ARN = `arn:aws:workspaces-web:us-east-1:123456789012:portal/${DEMO.portalSecure}`;

/** Resolves "$DEMO.x" and "$PORTAL_ARN" placeholders of the data file. */
function resolve(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(resolve);
  if (typeof v !== "string") return v;
  if (v === "$PORTAL_ARN") return PORTAL_ARN;
  if (v.startsWith("$DEMO.")) return (DEMO as Record<string, string>)[v.slice(6)];
  return v;
}

function required(t: ToolRef): Record<string, unknown> {
  return Object.fromEntries(Object.entries(t.required ?? {}).map(([k, v]) => [k, resolve(v)]));
}

function typeOk(value: unknown, type: string): boolean {
  return type.split("|").some((t) => {
    switch (t) {
      case "null":
        return value === null;
      case "string":
        return typeof value === "string";
      case "integer":
        return typeof value === "number" && Number.isInteger(value);
      case "number":
        return typeof value === "number" && Number.isFinite(value);
      case "boolean":
        return typeof value === "boolean";
      case "array":
        return Array.isArray(value);
      case "object":
        return !!value && typeof value === "object" && !Array.isArray(value);
      default:
        throw new Error(`unknown type ${t} in reference.json`);
    }
  });
}

/** The values at a path ("a.b", "a[].b", "a{}.b"); `missing` names where a key was absent. */
function at(root: unknown, path: string): { values: unknown[]; missing?: string } {
  const segments = path.match(/[^.[\]{}]+|\[\]|\{\}/g) ?? [];
  let current: unknown[] = [root];
  let walked = "";
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const node of current) {
      if (seg === "[]") {
        if (Array.isArray(node)) next.push(...node);
      } else if (seg === "{}") {
        if (node && typeof node === "object") next.push(...Object.values(node));
      } else if (node && typeof node === "object" && !Array.isArray(node)) {
        if (!(seg in node)) return { values: [], missing: `${walked}${walked ? "." : ""}${seg}` };
        next.push((node as Record<string, unknown>)[seg]);
      }
    }
    walked += seg === "[]" || seg === "{}" ? seg : `${walked ? "." : ""}${seg}`;
    current = next;
  }
  return { values: current };
}

/** Asserts every reference path that the data reaches has the reference type; returns the paths the demo left empty. */
function checkOutput(tool: string, body: Record<string, unknown>, output: Record<string, string>): string[] {
  const vacuous: string[] = [];
  for (const [path, type] of Object.entries(output)) {
    const { values, missing } = at(body, path);
    assert.equal(missing, undefined, `${tool}: reference field ${path} is missing (${missing})`);
    if (values.length === 0) {
      vacuous.push(path);
      continue;
    }
    for (const v of values) {
      assert.ok(typeOk(v, type), `${tool}: ${path} should be ${type}, got ${JSON.stringify(v)?.slice(0, 120)}`);
    }
  }
  return vacuous;
}

async function callOk(h: Harness, tool: string, args: Record<string, unknown>) {
  const { body, result } = await h.call(tool, args);
  assert.ok(!result.isError, `${tool} ${JSON.stringify(args)} → ${JSON.stringify(body).slice(0, 400)}`);
  // The text content is exactly the compact JSON of the structured content.
  const text = (result.content as { type: string; text?: string }[]).find((c) => c.type === "text")?.text;
  assert.deepEqual(JSON.parse(text!), result.structuredContent, `${tool}: text = JSON of structuredContent`);
  assert.equal(typeof body.summary, "string", `${tool}: summary string`);
  return body;
}

const READ = reference.read_tools as unknown as Record<string, ToolRef>;
const WRITE = reference.write_tools as unknown as Record<string, ToolRef>;
const OUTCOME = reference.write_outcome as Record<string, string>;

Deno.test("compat data lists all 30 read tools and 13 write tools, each registered here", async () => {
  assert.equal(Object.keys(READ).length, 30);
  assert.equal(Object.keys(WRITE).length, 13);
  const h = await connect(demoEstate(), ["--region", "us-east-1", "--enable-writes", "--enable-destructive"]);
  try {
    const { tools } = await h.client.listTools();
    const listed = new Map<string, { inputSchema: { properties?: Record<string, unknown> } }>(
      tools.map((t: { name: string; inputSchema: { properties?: Record<string, unknown> } }) => [t.name, t]),
    );
    for (const [name, t] of Object.entries({ ...READ, ...WRITE })) {
      const tool = listed.get(name);
      assert.ok(tool, `${name} is registered`);
      const props = (tool.inputSchema.properties ?? {}) as Record<string, { default?: unknown }>;
      for (const [p, spec] of Object.entries(t.params)) {
        assert.ok(p in props, `${name}: reference parameter ${p} is in the input schema`);
        if (spec.default !== undefined && spec.default !== null && props[p].default !== undefined) {
          assert.deepEqual(props[p].default, spec.default, `${name}.${p}: default as the reference's`);
        }
      }
    }
  } finally {
    await h.close();
  }
});

for (const [name, t] of Object.entries(READ)) {
  Deno.test(`compat ${name}: reference parameters accepted (defaults and null), reference fields present`, async () => {
    const h = await connect(demoEstate(), ["--region", "us-east-1"]);
    try {
      const req = required(t);
      const body = await callOk(h, name, { ...req, ...t.output_args });
      checkOutput(name, body, t.output ?? {});
      for (const [path, type] of Object.entries(t.output_some ?? {})) {
        const parent = path.slice(0, path.lastIndexOf("."));
        const key = path.slice(path.lastIndexOf(".") + 1);
        const holders = at(body, parent).values.filter((v) => v && typeof v === "object" && key in v);
        assert.ok(holders.length > 0, `${name}: ${path} present on some items`);
        for (const v of holders) {
          assert.ok(typeOk((v as Record<string, unknown>)[key], type), `${name}: ${path} is ${type}`);
        }
      }
      for (const [path, want] of Object.entries(t.expect ?? {})) {
        const got = path.includes("[0]")
          ? (body[path.split("[0]")[0]] as Record<string, unknown>[])[0][path.split("[0].")[1]]
          : body[path];
        assert.equal(got, resolve(want), `${name}: ${path}`);
      }
      for (const [path, keys] of Object.entries(t.expect_keys ?? {})) {
        for (const k of Object.keys(body[path] as object)) assert.ok(keys.includes(k), `${name}: ${path} key ${k}`);
      }
      // Every optional reference parameter given as null means "not given".
      const optional = Object.entries(t.params).filter(([p, s]) => !s.required && !(p in req));
      const nulls = Object.fromEntries(optional.map(([p]) => [p, null]));
      await callOk(h, name, { ...req, ...nulls });
      // Every reference default given explicitly is accepted.
      const defaults = Object.fromEntries(
        optional.filter(([, s]) => s.default !== null && s.default !== undefined).map(([p, s]) => [p, s.default]),
      );
      if (Object.keys(defaults).length) await callOk(h, name, { ...req, ...defaults });
    } finally {
      await h.close();
    }
  });
}

for (const [name, t] of Object.entries(WRITE)) {
  Deno.test(`compat ${name}: reference parameters accepted, the dry run is a WriteOutcome`, async () => {
    const h = await connect(demoEstate(), ["--region", "us-east-1", "--enable-writes", "--enable-destructive"]);
    try {
      const req = required(t);
      const body = await callOk(h, name, req);
      checkOutput(name, body, OUTCOME);
      assert.equal(body.dry_run, true, `${name}: no confirm = dry run`);
      const optional = Object.entries(t.params).filter(([p, s]) => !s.required && !(p in req));
      await callOk(h, name, { ...req, ...Object.fromEntries(optional.map(([p]) => [p, null])) });
      const defaults = Object.fromEntries(
        optional.filter(([, s]) => s.default !== null && s.default !== undefined).map(([p, s]) => [p, s.default]),
      );
      const again = await callOk(h, name, { ...req, ...defaults });
      assert.equal(again.dry_run, true, `${name}: confirm=false = dry run`);
    } finally {
      await h.close();
    }
  });
}
