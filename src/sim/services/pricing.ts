/**
 * AWS Price List (awsJson1_1, `AWSPriceListService.<Op>`; called in us-east-1).
 */
import type { OperationTable } from "./common.ts";

/** Operations by name. */
export const operations: OperationTable = {};
