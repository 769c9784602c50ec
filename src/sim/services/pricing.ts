/**
 * AWS Price List (awsJson1_1, `AWSPriceListService.<Op>`; called in us-east-1): GetProducts over
 * the simulated catalogue, with the real filter types, MaxResults ≤ 100 and NextToken paging.
 */
import type { GetProductsResponse } from "@aws-sdk/client-pricing";
import { priceCatalogue, priceListEntry } from "../pricing_catalogue.ts";
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

const MAX_RESULTS = 100;

interface Filter {
  Type: string;
  Field: string;
  Value: string;
}

function readFilters(input: Record<string, unknown>): Filter[] {
  const raw = input.Filters;
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new SimError("InvalidParameterException", "Filters must be a list");
  return raw.map((f) => {
    const o = f as Record<string, unknown>;
    if (typeof o.Field !== "string" || typeof o.Value !== "string" || typeof o.Type !== "string") {
      throw new SimError("InvalidParameterException", "Each filter needs Type, Field and Value.");
    }
    if (!["TERM_MATCH", "EQUALS", "CONTAINS", "ANY_OF", "NONE_OF"].includes(o.Type)) {
      throw new SimError("InvalidParameterException", `Invalid filter type: ${o.Type}`);
    }
    return { Type: o.Type, Field: o.Field, Value: o.Value };
  });
}

function fieldOf(p: ReturnType<typeof priceCatalogue>[number], field: string): string | undefined {
  if (field === "productFamily") return p.productFamily;
  if (field === "sku") return p.sku;
  if (field === "serviceCode") return p.serviceCode;
  return p.attributes[field];
}

function matches(value: string | undefined, f: Filter): boolean {
  switch (f.Type) {
    case "TERM_MATCH":
    case "EQUALS":
      return value === f.Value;
    case "CONTAINS":
      return value !== undefined && value.includes(f.Value);
    case "ANY_OF":
      return value !== undefined && f.Value.split(",").map((s) => s.trim()).includes(value);
    case "NONE_OF":
      return value === undefined || !f.Value.split(",").map((s) => s.trim()).includes(value);
  }
  return false;
}

function getProducts(ctx: OpContext): GetProductsResponse {
  const { input } = ctx;
  const serviceCode = reqString(input, "ServiceCode", "InvalidParameterException");
  const format = optString(input, "FormatVersion") ?? "aws_v1";
  if (format !== "aws_v1") throw new SimError("InvalidParameterException", `Invalid FormatVersion: ${format}`);
  const size = optInt(input, "MaxResults", 1, MAX_RESULTS, "InvalidParameterException") ?? MAX_RESULTS;
  const filters = readFilters(input);
  const items = priceCatalogue().filter((p) =>
    p.serviceCode === serviceCode && filters.every((f) => matches(fieldOf(p, f.Field), f))
  );
  const page = paginate(items, {
    operation: `GetProducts:${serviceCode}`,
    token: optString(input, "NextToken"),
    size,
    invalidTokenCode: "InvalidNextTokenException",
  });
  return compact({ FormatVersion: "aws_v1", PriceList: page.items.map(priceListEntry), NextToken: page.nextToken });
}

/** Operations by name. */
export const operations: OperationTable = {
  GetProducts: getProducts,
};
