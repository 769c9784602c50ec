/**
 * Service Quotas (awsJson1_1, `ServiceQuotasV20190624.<Op>`).
 */
import type { OperationTable } from "./common.ts";

/** Operations by name. */
export const operations: OperationTable = {};
