/**
 * Amazon CloudWatch (awsJson1_0, query-compatible, `GraniteServiceVersion20100801.<Op>`).
 */
import type { OperationTable } from "./common.ts";

/** Operations by name. */
export const operations: OperationTable = {};
