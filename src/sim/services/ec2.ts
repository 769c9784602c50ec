/**
 * Amazon EC2 (ec2Query: form-encoded request, XML response). Handlers return the response body
 * in EC2's own XML member names (lowerCamel, `…Set` lists); the protocol layer writes the XML.
 */
import type { Instance } from "@aws-sdk/client-ec2";
import { type OpContext, type OperationTable, optString, paginate, SimError, type XmlBody } from "./common.ts";

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;

function describeInstances(ctx: OpContext): XmlBody {
  const { input, region } = ctx;
  const ids = Array.isArray(input.InstanceId) ? (input.InstanceId as string[]) : undefined;
  const maxResults = input.MaxResults;
  if (ids && maxResults !== undefined) {
    throw new SimError(
      "InvalidParameterCombination",
      "The parameter instancesSet cannot be used with the parameter maxResults",
    );
  }
  // Without MaxResults EC2 answers everything in one page.
  let size = Number.MAX_SAFE_INTEGER;
  if (maxResults !== undefined) {
    size = Number(maxResults);
    if (!Number.isInteger(size) || size < 5 || size > 1000) {
      throw new SimError(
        "InvalidParameterValue",
        `Value ( ${String(maxResults)} ) for parameter maxResults is invalid. Expecting a value greater than 5.`,
      );
    }
  }
  let items = [...region.ec2Instances.values()];
  if (ids) {
    const malformed = ids.find((id) => !INSTANCE_ID.test(id));
    if (malformed) {
      throw new SimError(
        "InvalidInstanceID.Malformed",
        `Invalid id: "${malformed}"`,
      );
    }
    const missing = ids.filter((id) => !region.ec2Instances.has(id));
    if (missing.length === 1) {
      throw new SimError(
        "InvalidInstanceID.NotFound",
        `The instance ID '${missing[0]}' does not exist`,
      );
    }
    if (missing.length > 1) {
      throw new SimError(
        "InvalidInstanceID.NotFound",
        `The instance IDs '${missing.join(", ")}' do not exist`,
      );
    }
    items = [...new Set(ids)].map((id) => region.ec2Instances.get(id)!);
  }
  if (Array.isArray(input.Filter)) {
    for (const f of input.Filter as { Name?: string; Value?: string[] }[]) {
      items = items.filter(filterFor(f.Name ?? "", f.Value ?? []));
    }
  }
  const page = paginate(items, {
    operation: "DescribeInstances",
    token: optString(input, "NextToken"),
    size,
    invalidTokenCode: "InvalidParameterValue",
  });
  return {
    reservationSet: page.items.map((i) => ({
      reservationId: `r-0${i.InstanceId!.slice(3, 19).padEnd(16, "0")}`,
      ownerId: region.account,
      groupSet: [],
      instancesSet: [instanceXml(i)],
    })),
    nextToken: page.nextToken,
  };
}

function filterFor(name: string, values: string[]): (i: Instance) => boolean {
  if (name.startsWith("tag:")) {
    const key = name.slice(4);
    return (i) => (i.Tags ?? []).some((t) => t.Key === key && values.includes(t.Value ?? ""));
  }
  switch (name) {
    case "instance-id":
      return (i) => values.includes(i.InstanceId ?? "");
    case "instance-state-name":
      return (i) => values.includes(i.State?.Name ?? "");
    case "instance-type":
      return (i) => values.includes(i.InstanceType ?? "");
    case "tag-key":
      return (i) => (i.Tags ?? []).some((t) => values.includes(t.Key ?? ""));
    default:
      throw new SimError(
        "InvalidParameterValue",
        `The filter '${name}' is invalid`,
      );
  }
}

/** One instance in EC2's XML member names. */
function instanceXml(i: Instance): XmlBody {
  return {
    instanceId: i.InstanceId,
    imageId: i.ImageId,
    instanceState: i.State && { code: i.State.Code, name: i.State.Name },
    privateDnsName: i.PrivateDnsName,
    dnsName: i.PublicDnsName ?? "",
    instanceType: i.InstanceType,
    launchTime: i.LaunchTime,
    placement: i.Placement && {
      availabilityZone: i.Placement.AvailabilityZone,
      tenancy: i.Placement.Tenancy,
    },
    // The wire value is lower-case ("windows") although the SDK enum spells it "Windows".
    platform: i.Platform?.toLowerCase(),
    monitoring: { state: "disabled" },
    subnetId: i.SubnetId,
    vpcId: i.VpcId,
    privateIpAddress: i.PrivateIpAddress,
    ipAddress: i.PublicIpAddress,
    architecture: i.Architecture,
    rootDeviceType: "ebs",
    rootDeviceName: "/dev/sda1",
    tagSet: i.Tags?.map((t) => ({ key: t.Key, value: t.Value })),
    platformDetails: i.PlatformDetails,
  };
}

/** EC2 operations by name. */
export const operations: OperationTable = {
  DescribeInstances: describeInstances,
};
