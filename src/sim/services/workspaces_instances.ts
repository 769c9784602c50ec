/**
 * Amazon WorkSpaces Core managed instances (awsJson1_0, `EUCMIFrontendAPIService.<Op>`).
 */
import type {
  GetWorkspaceInstanceResponse,
  ListTagsForResourceResponse,
  ListWorkspaceInstancesResponse,
} from "@aws-sdk/client-workspaces-instances";
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

// API reference: MaxResults 1..25.
const PAGE = 25;

function listWorkspaceInstances(ctx: OpContext): ListWorkspaceInstancesResponse {
  const { input, region } = ctx;
  const size = optInt(input, "MaxResults", 1, 25) ?? PAGE;
  let items = [...region.workspaceInstances.values()];
  if (Array.isArray(input.ProvisionStates)) {
    const states = new Set(input.ProvisionStates as string[]);
    items = items.filter((i) => states.has(i.ProvisionState ?? ""));
  }
  const page = paginate(items, {
    operation: "ListWorkspaceInstances",
    token: optString(input, "NextToken"),
    size,
    invalidTokenCode: "ValidationException",
  });
  return compact({ WorkspaceInstances: page.items, NextToken: page.nextToken });
}

function getWorkspaceInstance(ctx: OpContext): GetWorkspaceInstanceResponse {
  const { input, region } = ctx;
  const id = reqString(input, "WorkspaceInstanceId");
  const inst = region.workspaceInstances.get(id);
  if (!inst) {
    throw new SimError(
      "ResourceNotFoundException",
      `WorkSpace Instance ${id} not found.`,
    );
  }
  return { ...inst, WorkspaceInstanceErrors: [], EC2InstanceErrors: [] };
}

function listTagsForResource(ctx: OpContext): ListTagsForResourceResponse {
  const { input, region } = ctx;
  const id = reqString(input, "WorkspaceInstanceId");
  if (!region.workspaceInstances.has(id)) {
    throw new SimError(
      "ResourceNotFoundException",
      `WorkSpace Instance ${id} not found.`,
    );
  }
  return { Tags: region.workspaceInstanceTags.get(id) ?? [] };
}

/** WorkSpaces Core managed instance operations by name. */
export const operations: OperationTable = {
  ListWorkspaceInstances: listWorkspaceInstances,
  GetWorkspaceInstance: getWorkspaceInstance,
  ListTagsForResource: listTagsForResource,
};
