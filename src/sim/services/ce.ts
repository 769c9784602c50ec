/**
 * AWS Cost Explorer (awsJson1_1, `AWSInsightsIndexService.<Op>`; one global endpoint in us-east-1).
 */
import type { OperationTable } from "./common.ts";

/** Operations by name. */
export const operations: OperationTable = {};
