/**
 * Application Auto Scaling (awsJson1_1, `AnyScaleFrontendService.<Op>`).
 */
import type { OperationTable } from "./common.ts";

/** Operations by name. */
export const operations: OperationTable = {};
