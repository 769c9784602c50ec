/**
 * Amounts that cannot be read are never $0: an unreadable Cost Explorer Amount is a listed
 * malformed-response error (the figure is absent or null), a Price List entry that is null or not a
 * product fails its lookup with a listed error instead of being dropped; and an invalid end_date
 * alone is InvalidInput.
 */
import assert from "node:assert/strict";
import { connect } from "../../support/harness.ts";
import { Simulator } from "../../../src/sim/mod.ts";
import { account, type Body, type Err, err } from "./_fixtures.ts";

/** Rewrites the JSON answers of one operation (by its X-Amz-Target) before the SDK reads them. */
function rewrite(sim: Simulator, operation: string, fn: (text: string) => string): void {
  const original = sim.handler.handle;
  sim.handler.handle = async (req, o) => {
    const out = await original(req, o);
    const target = String((req as { headers?: Record<string, string> }).headers?.["x-amz-target"] ?? "");
    const res = out.response as { body: Uint8Array };
    if (target.endsWith(`.${operation}`)) res.body = new TextEncoder().encode(fn(new TextDecoder().decode(res.body)));
    return out;
  };
}

for (const [what, replacement] of [["null", "null"], ["unparsable", '"N/A"']] as const) {
  Deno.test(`cost summary: a ${what} Cost Explorer Amount is a listed malformed response, never $0`, async () => {
    const sim = new Simulator(account());
    let first = true;
    rewrite(sim, "GetCostAndUsage", (t) =>
      t.replace(/"Amount":"[^"]*"/, (m) => {
        if (!first) return m;
        first = false;
        return `"Amount":${replacement}`;
      }));
    const h = await connect(sim);
    try {
      const { body, result } = await h.call("get_euc_cost_summary", {});
      assert.equal(result.isError, true, "no total from an answer with an unreadable amount");
      assert.match(err(body).message, /malformed response from ce GetCostAndUsage/);
      assert.match(err(body).message, what === "null" ? /Amount null/ : /Amount "N\/A"/);
      assert.match(err(body).message, /rather than 0/);
    } finally {
      await h.close();
    }
  });
}

Deno.test("cost forecast: an unreadable forecast Total or MeanValue is null with the reason in errors, not 0", async () => {
  const sim = new Simulator(account());
  rewrite(
    sim,
    "GetCostForecast",
    (t) => t.replace(/"MeanValue":"[^"]*"/, '"MeanValue":"abc"').replace(/("Total":\{"Amount":)"[^"]*"/, "$1null"),
  );
  const h = await connect(sim);
  try {
    const { body, result } = await h.call("get_euc_cost_forecast", {});
    assert.ok(!result.isError);
    assert.equal(body.forecast_total, null);
    const periods = body.by_period as { mean: number | null }[];
    assert.equal(periods[0].mean, null);
    const e = (body.errors as Err[]).find((x) => x.operation === "GetCostForecast")!;
    assert.match(e.message, /unreadable forecast amounts/);
    assert.match(e.message, /Total null/);
    assert.match(e.message, /MeanValue of/);
  } finally {
    await h.close();
  }
});

Deno.test("service prices: a Price List entry that is null or not a product is a listed error, not dropped", async () => {
  const sim = new Simulator(account());
  rewrite(sim, "GetProducts", (t) => t.replace(/"PriceList":\[/, '"PriceList":["null",'));
  const h = await connect(sim);
  try {
    const { body } = await h.call("get_euc_service_prices", { service: "personal", compute_type: "POWER" });
    const errors = (body.errors ?? (body.error as { errors?: Err[] })?.errors ?? []) as Err[];
    const e = errors.find((x) => x.operation === "GetProducts") ?? (body.error as Err);
    assert.ok(e, JSON.stringify(body).slice(0, 400));
    assert.match(e.message, /PriceList entry of AmazonWorkSpaces null or not a product/);
  } finally {
    await h.close();
  }
});

Deno.test("cost summary: only an invalid end_date (2026-13-45) is InvalidInput, not an internal error", async () => {
  const h = await connect(account());
  try {
    for (const end_date of ["2026-13-45", "2026-02-30"]) {
      const { body, result } = await h.call("get_euc_cost_summary", { end_date });
      assert.equal(result.isError, true);
      assert.equal(err(body as Body).code, "InvalidInput");
      assert.match(err(body as Body).message, new RegExp(`end_date ${end_date} is not a calendar date`));
    }
    assert.equal(h.sim.count("ce"), 0, "refused before any request");
  } finally {
    await h.close();
  }
});
