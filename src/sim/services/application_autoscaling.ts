/**
 * Application Auto Scaling (awsJson1_1, `AnyScaleFrontendService.<Op>`).
 *
 * DescribeScalingActivities lists a namespace's activities newest first, MaxResults 1–50 (default
 * 50), NextToken; a ResourceId with no scalable target simply has no activities (no error), and
 * ScalableDimension without ResourceId is a ValidationException.
 */
import type { DescribeScalingActivitiesResponse, ScalingActivity } from "@aws-sdk/client-application-auto-scaling";
import { compact, type OpContext, type OperationTable, optInt, optString, paginate, SimError } from "./common.ts";

const NAMESPACES = new Set([
  "appstream",
  "workspaces",
  "ecs",
  "elasticmapreduce",
  "ec2",
  "dynamodb",
  "rds",
  "sagemaker",
  "custom-resource",
  "comprehend",
  "lambda",
  "cassandra",
  "kafka",
  "elasticache",
  "neptune",
]);

function describeScalingActivities(ctx: OpContext): DescribeScalingActivitiesResponse {
  const { input, region } = ctx;
  const namespace = optString(input, "ServiceNamespace");
  if (!namespace || !NAMESPACES.has(namespace)) {
    throw new SimError(
      "ValidationException",
      `1 validation error detected: Value '${namespace ?? null}' at 'serviceNamespace' failed to satisfy constraint: ` +
        "Member must satisfy enum value set",
    );
  }
  const resourceId = optString(input, "ResourceId");
  const dimension = optString(input, "ScalableDimension");
  if (dimension !== undefined && resourceId === undefined) {
    throw new SimError("ValidationException", "ScalableDimension requires ResourceId.");
  }
  const size = optInt(input, "MaxResults", 1, 50) ?? 50;
  let items: ScalingActivity[] = resourceId !== undefined
    ? region.scalingActivities.get(resourceId) ?? []
    : [...region.scalingActivities.values()].flat();
  items = items.filter((a) =>
    a.ServiceNamespace === namespace && (dimension === undefined || a.ScalableDimension === dimension)
  );
  if (resourceId === undefined) items.sort((a, b) => b.StartTime!.getTime() - a.StartTime!.getTime());
  const page = paginate(items, {
    operation: "DescribeScalingActivities",
    token: optString(input, "NextToken"),
    size,
    invalidTokenCode: "InvalidNextTokenException",
  });
  return compact({ ScalingActivities: page.items, NextToken: page.nextToken });
}

/** Operations by name. */
export const operations: OperationTable = {
  DescribeScalingActivities: describeScalingActivities,
};
