/**
 * AWS CloudTrail (awsJson1_1, `CloudTrail_20131101.<Op>`).
 */
import type { OperationTable } from "./common.ts";

/** Operations by name. */
export const operations: OperationTable = {};
