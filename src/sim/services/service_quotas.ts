/**
 * Service Quotas (awsJson1_1, `ServiceQuotasV20190624.<Op>`).
 *
 * ListServiceQuotas answers from the built-in EUC quota catalogue (src/sim/data/quotas.ts) with the
 * scenario's overrides; an unknown service code is NoSuchResourceException, as in AWS.
 */
import type { ListServiceQuotasResponse } from "@aws-sdk/client-service-quotas";
import { serviceQuotas } from "../data/quotas.ts";
import {
  compact,
  type OpContext,
  type OperationTable,
  optInt,
  optString,
  paginate,
  reqString,
  SimError,
} from "./common.ts";

// MaxResults is 1–100; without it Service Quotas answers with pages of up to 100 quotas.
const PAGE = 100;
const ILLEGAL = "IllegalArgumentException";

function listServiceQuotas(ctx: OpContext): ListServiceQuotasResponse {
  const { input, region } = ctx;
  const code = reqString(input, "ServiceCode", ILLEGAL);
  const quotaCode = optString(input, "QuotaCode", ILLEGAL);
  const size = optInt(input, "MaxResults", 1, 100, ILLEGAL) ?? PAGE;
  const all = serviceQuotas(region, code);
  if (!all) {
    throw new SimError(
      "NoSuchResourceException",
      `The request failed because the specified service ${code} does not exist.`,
    );
  }
  const items = quotaCode === undefined ? all : all.filter((q) => q.QuotaCode === quotaCode);
  const page = paginate(items, {
    operation: `ListServiceQuotas/${code}`,
    token: optString(input, "NextToken"),
    size,
    invalidTokenCode: "InvalidPaginationTokenException",
  });
  return compact({ Quotas: page.items, NextToken: page.nextToken });
}

/** Operations by name. */
export const operations: OperationTable = {
  ListServiceQuotas: listServiceQuotas,
};
