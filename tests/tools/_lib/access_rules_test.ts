/** IP rules are parsed, not prefix-matched: every /0 is open, wide ranges are broad, junk is reported. */
import assert from "node:assert/strict";
import { BROAD_PREFIX, openness, parseCidr, transfersAllowed } from "../../../src/tools/_lib/access_rules.ts";

Deno.test("any /0 is open to the internet, IPv4 or IPv6, whatever the address bits", () => {
  for (const rule of ["0.0.0.0/0", "::/0", "10.1.2.3/0", "2001:db8::/0", " 0.0.0.0/0 "]) {
    assert.equal(openness(rule), "open", rule);
  }
});

Deno.test("ranges wider than the named thresholds are broad; the threshold itself is not", () => {
  assert.deepEqual(BROAD_PREFIX, { ipv4: 8, ipv6: 32 });
  assert.equal(openness("4.0.0.0/6"), "broad");
  assert.equal(openness("128.0.0.0/1"), "broad");
  assert.equal(openness("10.0.0.0/8"), "narrow");
  assert.equal(openness("2001:db8::/16"), "broad");
  assert.equal(openness("2001:db8::/32"), "narrow");
  assert.equal(openness("203.0.113.0/24"), "narrow");
  assert.equal(openness("203.0.113.7"), "narrow", "a bare address is a /32");
  assert.equal(openness("::ffff:192.0.2.1/96"), "narrow");
});

Deno.test("strings that merely look like an open range are not parsed as one", () => {
  // A prefix match on "0.0.0.0/0" would call the first one open; it is a /01 typo AWS would reject.
  for (
    const rule of ["0.0.0.0/01x", "0.0.0.0/33", "256.0.0.0/8", "1.2.3/8", "::/129", "1:2:3:4:5:6:7:8:9/64", "any", ""]
  ) {
    assert.equal(openness(rule), "invalid", rule);
  }
  assert.deepEqual(parseCidr("2001:db8::1"), { family: 6, prefix: 128 });
  assert.deepEqual(parseCidr("198.51.100.0/24"), { family: 4, prefix: 24 });
});

Deno.test("transfer flags: copy, download and print are egress; upload is listed too", () => {
  assert.deepEqual(
    transfersAllowed({
      copyAllowed: "Disabled",
      downloadAllowed: "Enabled",
      printAllowed: "Enabled",
      uploadAllowed: "Enabled",
    }),
    ["download", "print", "upload"],
  );
  assert.deepEqual(transfersAllowed({}), []);
});
