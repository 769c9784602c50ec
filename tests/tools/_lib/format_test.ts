/**
 * One money format everywhere: `usd()` prints "$8,073.48" (thousands separators, cents), sub-dollar
 * prices with up to four places ("$0.0125/h"), "-$12.00" for a negative amount, the unit code for a
 * currency other than USD ("EUR 1,234.50") and the `unknown` text without a figure; and no read tool's
 * text on the demo estate (summary, notes, findings, rationales, the health report's markdown) prints
 * money in another format; a Cost Explorer unit other than USD keeps its code in the cost texts.
 */
import assert from "node:assert/strict";
import { demoEstate, Simulator } from "../../../src/sim/mod.ts";
import { ALL_TOOLS } from "../../../src/tools/mod.ts";
import { usd, usdDelta } from "../../../src/tools/_lib/format.ts";
import { connect } from "../../support/harness.ts";
import { SAMPLE_ARGS } from "../../support/sample_args.ts";

Deno.test("usd(): thousands separators, cents, sub-dollar places, null, negative, non-USD currency", () => {
  // Thousands separators and cents.
  assert.equal(usd(8073.48), "$8,073.48");
  assert.equal(usd(8073.4), "$8,073.40");
  assert.equal(usd(1234567.891), "$1,234,567.89");
  assert.equal(usd(57.6), "$57.60");
  assert.equal(usd(35, "/month"), "$35.00/month");
  assert.equal(usd(0), "$0.00");
  assert.equal(usd(1), "$1.00");
  // Sub-dollar amounts keep up to four places (at least two).
  assert.equal(usd(0.0125, "/h"), "$0.0125/h");
  assert.equal(usd(0.3, "/h"), "$0.30/h");
  assert.equal(usd(0.192, "/h"), "$0.192/h");
  assert.equal(usd(0.123456), "$0.1235");
  // No figure: the unknown text (default "n/a"), without the suffix.
  assert.equal(usd(null), "n/a");
  assert.equal(usd(undefined, "/h"), "n/a");
  assert.equal(usd(null, "/h", "unpublished"), "unpublished");
  assert.equal(usd(NaN), "n/a");
  assert.equal(usd(Infinity, "", "?"), "?");
  // Negative: the sign before the currency; a negative amount that rounds to zero has none.
  assert.equal(usd(-1234.5), "-$1,234.50");
  assert.equal(usd(-0.0125, "/h"), "-$0.0125/h");
  assert.equal(usd(-0.00001), "$0.00");
  // Currency: USD (any case) or none prints "$"; any other unit keeps its code.
  assert.equal(usd(1234.5, "", "n/a", { currency: "USD" }), "$1,234.50");
  assert.equal(usd(1234.5, "", "n/a", { currency: "usd" }), "$1,234.50");
  assert.equal(usd(1234.5, "", "n/a", { currency: null }), "$1,234.50");
  assert.equal(usd(1234.5, "", "n/a", { currency: "" }), "$1,234.50");
  assert.equal(usd(1234.5, "", "n/a", { currency: "EUR" }), "EUR 1,234.50");
  assert.equal(usd(-1234.5, "/day", "n/a", { currency: "EUR" }), "-EUR 1,234.50/day");
  assert.equal(usd(null, "", "?", { currency: "EUR" }), "?");
  // A signed difference.
  assert.equal(usdDelta(12.5), "+$12.50");
  assert.equal(usdDelta(-3), "-$3.00");
  assert.equal(usdDelta(0), "+$0.00");
  assert.equal(usdDelta(1200, "", "n/a", { currency: "GBP" }), "+GBP 1,200.00");
  assert.equal(usdDelta(null), "n/a");
});

/** Every string in a result body (summary, notes, findings, rationales, markdown, errors …) with its path. */
function texts(v: unknown, path = "$", out: [string, string][] = []): [string, string][] {
  if (typeof v === "string") out.push([path, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => texts(x, `${path}[${i}]`, out));
  else if (v && typeof v === "object") { for (const [k, x] of Object.entries(v)) texts(x, `${path}.${k}`, out); }
  return out;
}

/** Money printed in a format other than usd()'s, with what is wrong. */
const OTHER_FORMATS: [RegExp, string][] = [
  [/\b(?:USD|US\$) ?\d/, "a currency code before a USD amount"],
  [/\$(?!0\.)\d[\d,]*\.\d{3,}/, "more than two places on an amount of a dollar or more"],
  [/\$0\.\d{5,}/, "more than four places on a sub-dollar amount"],
  [/\$\d{4,}/, "no thousands separator"],
  [/\$[\d,]+\.\d(?!\d)/, "one decimal place"],
  [/\$(?!0(?![\d,.]))[\d,]+(?![\d,.])/, "no cents"],
  [/\$-\d/, "the sign after the dollar sign"],
];

Deno.test("no read tool on the demo estate prints money in another format than usd()", async () => {
  const read = ALL_TOOLS.filter((t) => t.annotations.readOnlyHint);
  assert.ok(read.length >= 30, `only ${read.length} read tools`);
  const bad: string[] = [];
  let money = 0;
  for (const tool of read) {
    const h = await connect(demoEstate());
    try {
      const args = SAMPLE_ARGS[tool.name];
      assert.ok(args, `tests/support/sample_args.ts has no arguments for ${tool.name}`);
      const { body } = await h.call(tool.name, args);
      assert.equal(typeof body.summary, "string", `${tool.name} has no summary`);
      for (const [path, text] of texts(body)) {
        if (/\$\d|\b[A-Z]{3} \d[\d,]*\.\d\d\b/.test(text)) money++;
        for (const [re, why] of OTHER_FORMATS) {
          const m = text.match(re);
          if (m) bad.push(`${tool.name} ${path}: "${m[0]}" (${why}) in: ${text.slice(0, 200)}`);
        }
      }
    } finally {
      await h.close();
    }
  }
  assert.deepEqual(bad, []);
  // The check saw money at all: the cost, price, savings and health-report texts print amounts.
  assert.ok(money >= 10, `only ${money} texts with money`);
});

Deno.test("a Cost Explorer unit other than USD keeps its code in the cost texts (EUR 1,234.50), never $", async () => {
  const sim = new Simulator(demoEstate());
  // Cost Explorer answers in EUR (an account billed in another currency); the Price List stays USD.
  const original = sim.handler.handle;
  sim.handler.handle = async (req, o) => {
    const out = await original(req, o);
    const target = String((req as { headers?: Record<string, string> }).headers?.["x-amz-target"] ?? "");
    const res = out.response as { body: Uint8Array };
    if (/\.GetCost(AndUsage|Forecast)$/.test(target)) {
      res.body = new TextEncoder().encode(
        new TextDecoder().decode(res.body).replaceAll('"Unit":"USD"', '"Unit":"EUR"'),
      );
    }
    return out;
  };
  const h = await connect(sim);
  try {
    const eur = /EUR \d{1,3}(,\d{3})*\.\d\d/;
    for (const tool of ["get_euc_cost_summary", "get_euc_cost_forecast", "compare_euc_costs"]) {
      const { body, result } = await h.call(tool, {});
      assert.ok(!result.isError, tool);
      assert.equal(body.currency, "EUR", tool);
      assert.match(String(body.summary), eur, tool);
      assert.doesNotMatch(String(body.summary), /\$\d/, tool);
    }
    const { body } = await h.call("compare_euc_costs", {});
    assert.match(String(body.summary), /\([+-]EUR \d[\d,]*\.\d\d, [+-][\d.]+%\)/);
    const report = await h.call("generate_euc_health_report", {});
    assert.match(String(report.body.summary), /spend EUR \d{1,3}(,\d{3})*\.\d\d\/30 days/);
    const md = String(report.body.markdown);
    assert.match(md, /- Spend, last 30 days: EUR \d[\d,]*\.\d\d; forecast, next 30 days: /);
    assert.match(md, /\| Service \| EUR \|/);
    // List-price savings are USD whatever the bill's currency.
    assert.match(md, /- Running-mode savings: \$\d[\d,]*\.\d\d per month/);
  } finally {
    await h.close();
  }
});
