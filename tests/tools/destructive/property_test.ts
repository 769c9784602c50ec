/**
 * Bounded property: 10,000 random write calls (random tools, ids, confirm, phrases, tokens and
 * elicitation answers) against one simulator perform a mutation only when every gate passed, and
 * never on a protected or unrequested target — asserted from the simulator's call log.
 * WRITE_PROPERTY_CALLS changes the count.
 */
import assert from "node:assert/strict";
import { runProperty } from "./_property.ts";

const N = Number(Deno.env.get("WRITE_PROPERTY_CALLS") ?? 10_000);

Deno.test(`property: ${N} random write calls mutate only when every gate passed`, async () => {
  const r = await runProperty(20261201, N);
  assert.ok(r.mutatingCalls > N / 50, `the random calls exercised execution (${r.mutatingCalls} mutating calls)`);
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      `property: ${N} calls, ${r.executedCalls} executed, ${r.mutatingCalls} mutating, ${r.ms} ms\n`,
    ),
  );
});
