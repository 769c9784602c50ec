/**
 * AWS Directory Service (awsJson1_1, `DirectoryService_20150416.<Op>`).
 */
import type { OperationTable } from "./common.ts";

/** Operations by name. */
export const operations: OperationTable = {};
