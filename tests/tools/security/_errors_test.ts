/** dedupeErrors: one entry per service, operation, region and code — never across regions. */
import assert from "node:assert/strict";
import type { AwsErrorInfo, ErrorCode } from "../../../src/aws/errors.ts";
import { dedupeErrors } from "../../../src/tools/security/_errors.ts";

const e = (
  region: string,
  code: ErrorCode = "AccessDenied",
  operation = "DescribeWorkspaceDirectories",
): AwsErrorInfo => ({
  service: "workspaces",
  operation,
  region,
  code,
  message: `denied in ${region}`,
  hint: "grant it",
});

Deno.test("two regions failing the same call with the same code are both listed; repeats in one region are counted", () => {
  const out = dedupeErrors([e("us-east-1"), e("eu-west-1"), e("us-east-1"), e("us-east-1", "Throttled")]);
  assert.deepEqual(out.map((x) => [x.region, x.code]), [
    ["us-east-1", "AccessDenied"],
    ["eu-west-1", "AccessDenied"],
    ["us-east-1", "Throttled"],
  ]);
  assert.equal(out[0].message, "denied in us-east-1 (2 calls)");
  assert.equal(out[1].message, "denied in eu-west-1");
  assert.equal(dedupeErrors([e("us-east-1"), e("us-east-1", "AccessDenied", "DescribeTags")]).length, 2);
});
