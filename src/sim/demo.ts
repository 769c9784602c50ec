/**
 * The demo estate: a small, realistic account that shows every finding the tools can make.
 * Dates are relative to build time so idle-time findings stay true whenever the demo runs.
 */
import type { Estate } from "./region.ts";
import { type Scenario, scenario } from "./scenario.ts";
import { addDays, type CostLine, seedCosts, todayUtc } from "./data/costs.ts";
import { metricKey } from "./data/metrics.ts";
import type { Sampler, UsageProfile } from "./types.ts";

/** Well-known ids of the demo estate, for tests and examples. */
export const DEMO = {
  directory: "d-9067a1b2c3",
  deregisteredDirectory: "d-90670f4e5d",
  poolsDirectory: "wsd-k3m9x2p7q",
  euDirectory: "d-93670e1f2a",
  customBundle: "wsb-c7n2k9d4x",
  available: "ws-4x7kq9m2p",
  alwaysOn: "ws-8b3nz5r1t",
  idleStopped: "ws-2m6vc8d4h",
  error: "ws-9k1jx3f7w",
  unhealthy: "ws-5p8rt2n6y",
  suspended: "ws-7d2hq4m8c",
  pending: "ws-3w9fb6k1z",
  impaired: "ws-6t4ms8x2q",
  rebooting: "ws-1c5gn7v3b",
  maintenance: "ws-0r8kd2p5j",
  graphicsUnencrypted: "ws-4h6wz9c1m",
  linuxUserUnencrypted: "ws-8q2lt5b7n",
  underusedPowerPro: "ws-2x9mf4k6d",
  skipConvert: "ws-6n1pv3h8r",
  protected: "ws-9f3cy7t2k",
  neverUsed: "ws-5j7bd1w4x",
  manual: "ws-3k8rn6z9f",
  pcoip: "ws-7m1qx4c2v",
  value: "ws-1z4hw8n5g",
  autoStop2h: "ws-0v6tj3r9p",
  poolAtCapacity: "wspool-f8k2m4x9z",
  poolHealthy: "wspool-h3j5n7q1w",
  fleetCapacityError: "finance-apps",
  fleetStopped: "training-lab",
  fleetElastic: "web-apps-elastic",
  fleetEu: "emea-apps",
  stackOpen: "finance-stack",
  stackLocked: "training-stack",
  portalSecure: "3f1c2a9e-7b4d-4e8a-9c6f-1d2e3a4b5c6d",
  portalOpen: "8a7b6c5d-4e3f-4a1b-8c9d-0e1f2a3b4c5d",
  managedRunning: "wsinst-x7k2m9p4q1",
  managedStopped: "wsinst-b3n8v5c1z6",
  ec2Running: "i-0a1b2c3d4e5f67890",
  ec2Stopped: "i-0f1e2d3c4b5a69870",
  euAvailable: "ws-eu1a2b3c4",
  euStopped: "ws-eu5d6e7f8",
  euUnencrypted: "ws-eu9a0b1c2",
  // diagnostics: a branch-office directory whose AD Connector is Impaired, and a desktop whose sign-ins fail
  impairedDirectory: "d-9067c4d5e6",
  connectionFailures: "ws-6c2vk8r4m",
  alarmTargetTrackingHigh: "TargetTracking-fleet/finance-apps-AlarmHigh-5d1e8a2c-7b3f-4c6d-9e0a-1f2b3c4d5e6f",
  alarmTargetTrackingLow: "TargetTracking-fleet/emea-apps-AlarmLow-9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  alarmPoolFull: "ContactCenter-pool-sessions-exhausted",
  alarmFleetCapacity: "finance-apps-insufficient-capacity",
  alarmBranchFailures: "branch-office-connection-failures",
  // security: IP access control groups, account settings, a connection alias, a portal open to the internet
  ipGroupCorp: "wsipg-a1b2c3d4e",
  ipGroupAnywhereV4: "wsipg-k7m2p9x4q",
  ipGroupAnywhereV6: "wsipg-v6n3t8r2w",
  ipGroupBroad: "wsipg-b6r0d4x1z",
  connectionAlias: "wsca-8d2k4m6p1",
  portalVendorEu: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
} as const;

const STANDARD_WIN = "wsb-8vbljg4r6";
const PERFORMANCE_WIN = "wsb-gk1wpk43z";
const POWER_WIN = "wsb-1pzkp0bx4";
const POWERPRO_WIN = "wsb-b0s22j3d7";
const GRAPHICS_G4DN = "wsb-gm4d5tx2v";
const STANDARD_LINUX = "wsb-0zsvgp8fc";
const VALUE_WIN = "wsb-3t36q0xfc";

/** Well-known ids of the demo estate's governance data (images, builders, users, CloudTrail). */
export const DEMO_GOVERNANCE = {
  imageHealthy: "finance-golden-2025",
  imageStale: "finance-golden-2023",
  imageFailed: "training-image-v3",
  imagePinnedCurrent: "cad-tools-2025",
  imageSharedIn: "partner-crm-image",
  imageSharedOut: "engineering-base",
  imageEu: "emea-golden-2024",
  builderRunning: "finance-builder",
  builderStopped: "training-builder",
  builderFailed: "cad-builder",
  appBlockBuilderRunning: "packaging-abb",
  appBlockBuilderStopped: "legacy-abb",
  userActive: "alice.wong@example.com",
  userDisabledAssigned: "bob.ng@example.com",
  userCompromised: "carol.diaz@example.com",
  userPending: "dan.lee@example.com",
  userNoStack: "erin.fox@example.com",
  wsImageShared: "wsi-f1n2025ab",
  wsImageError: "wsi-d3vbr0k3n",
  wsImageOld: "wsi-l3g2023cd",
  wsImageSharedIn: "wsi-p4rtn3r01",
  wsImageEu: "wsi-3m3a2025x",
  terminatedWorkspace: "ws-0t3rm4x8k",
  deniedUser: "contractor-bob",
} as const;

/** The demo estate: mostly us-east-1, with a few desktops and a fleet in eu-west-1. */
export function demoEstate(): Estate {
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * 86_400_000);
  const D = DEMO;
  const G = DEMO_GOVERNANCE;
  const estate = consoleReads(scenario("us-east-1"))
    .directory(D.directory, {
      name: "corp.example.com",
      type: "AD_CONNECTOR",
      ipGroupIds: ["wsipg-a1b2c3d4e"],
      tags: { CostCenter: "CC-IT-100" },
    })
    .directory(D.deregisteredDirectory, {
      name: "legacy.example.com",
      type: "SIMPLE_AD",
      state: "DEREGISTERED",
    })
    .directory(D.poolsDirectory, { workspaceType: "POOLS" })
    .bundle(D.customBundle, {
      name: "Finance Golden Image",
      description: "Performance Windows 11 with the finance toolset",
      computeType: "PERFORMANCE",
      os: "WINDOWS_11",
      rootGib: 100,
      userGib: 100,
      owner: "123456789012",
    })
    .workspace(D.available, {
      user: "jane.doe",
      bundle: STANDARD_WIN,
      connectionState: "CONNECTED",
      lastConnected: ago(0.05),
      tags: { CostCenter: "CC-1001", Team: "Finance" },
    })
    .workspace(D.alwaysOn, {
      user: "john.smith",
      bundle: PERFORMANCE_WIN,
      runningMode: "ALWAYS_ON",
      lastConnected: ago(2),
      tags: { CostCenter: "CC-1002", Team: "Engineering" },
    })
    .workspace(D.idleStopped, {
      user: "maria.garcia",
      bundle: STANDARD_WIN,
      state: "STOPPED",
      lastConnected: ago(45),
      tags: { CostCenter: "CC-1001" },
    })
    .workspace(D.error, {
      user: "wei.chen",
      bundle: STANDARD_WIN,
      state: "ERROR",
      errorCode: "DomainJoinFailed",
      errorMessage: "The WorkSpace could not join the domain corp.example.com: the domain could not be contacted.",
      tags: { CostCenter: "CC-1003" },
    })
    .workspace(D.unhealthy, {
      user: "priya.patel",
      bundle: POWER_WIN,
      state: "UNHEALTHY",
      runningMode: "ALWAYS_ON",
      lastConnected: ago(1),
      tags: { CostCenter: "CC-1002" },
    })
    .workspace(D.suspended, {
      user: "tom.baker",
      bundle: STANDARD_WIN,
      state: "SUSPENDED",
      lastConnected: ago(12),
    })
    .workspace(D.pending, {
      user: "ana.silva",
      bundle: STANDARD_WIN,
      state: "PENDING",
    })
    .workspace(D.impaired, {
      user: "omar.haddad",
      bundle: PERFORMANCE_WIN,
      state: "IMPAIRED",
      lastConnected: ago(3),
    })
    .workspace(D.rebooting, {
      user: "lucy.wong",
      bundle: STANDARD_WIN,
      state: "REBOOTING",
      lastConnected: ago(0.5),
    })
    .workspace(D.maintenance, {
      user: "sam.taylor",
      bundle: STANDARD_WIN,
      state: "MAINTENANCE",
      lastConnected: ago(4),
    })
    .workspace(D.graphicsUnencrypted, {
      user: "emma.jones",
      bundle: GRAPHICS_G4DN,
      runningMode: "ALWAYS_ON",
      rootEncrypted: false,
      userEncrypted: false,
      lastConnected: ago(1),
      tags: { CostCenter: "CC-DESIGN" },
    })
    .workspace(D.linuxUserUnencrypted, {
      user: "david.kim",
      bundle: STANDARD_LINUX,
      userEncrypted: false,
      lastConnected: ago(6),
      tags: { CostCenter: "CC-1002" },
    })
    .workspace(D.underusedPowerPro, {
      user: "sofia.rossi",
      bundle: POWERPRO_WIN,
      runningMode: "ALWAYS_ON",
      lastConnected: ago(20),
      tags: { CostCenter: "CC-1004" },
    })
    .workspace(D.skipConvert, {
      user: "liam.murphy",
      bundle: STANDARD_WIN,
      runningMode: "ALWAYS_ON",
      lastConnected: ago(9),
      tags: { CostCenter: "CC-1001", Skip_Convert: "true" },
    })
    .workspace(D.protected, {
      user: "noah.brown",
      bundle: PERFORMANCE_WIN,
      lastConnected: ago(1),
      tags: { CostCenter: "CC-EXEC", "euc-mcp:protected": "true" },
    })
    .workspace(D.neverUsed, {
      user: "olivia.martin",
      bundle: STANDARD_WIN,
      state: "STOPPED",
      tags: { CostCenter: "CC-1003" },
    })
    .workspace(D.manual, {
      user: "ethan.clark",
      bundle: D.customBundle,
      runningMode: "MANUAL",
      lastConnected: ago(2),
      tags: { CostCenter: "CC-1001", Team: "Finance" },
    })
    .workspace(D.pcoip, {
      user: "ava.lewis",
      bundle: STANDARD_WIN,
      protocols: ["PCOIP"],
      lastConnected: ago(7),
    })
    .workspace(D.value, {
      user: "mia.walker",
      bundle: VALUE_WIN,
      connectionState: "CONNECTED",
      lastConnected: ago(0.02),
    })
    .workspace(D.autoStop2h, {
      user: "jack.hall",
      bundle: POWER_WIN,
      autoStopMinutes: 120,
      lastConnected: ago(3),
      tags: { CostCenter: "CC-1002" },
    })
    .pool(D.poolAtCapacity, {
      name: "ContactCenter",
      description: "Contact center agents",
      desired: 10,
      actual: 10,
      active: 10,
      available: 0,
      runningMode: "ALWAYS_ON",
      bundle: STANDARD_WIN,
      directory: D.poolsDirectory,
      tags: { CostCenter: "CC-SUPPORT" },
    })
    .pool(D.poolHealthy, {
      name: "Training",
      description: "Classroom training desktops",
      desired: 20,
      actual: 20,
      active: 6,
      available: 14,
      runningMode: "AUTO_STOP",
      bundle: STANDARD_WIN,
      directory: D.poolsDirectory,
      tags: { CostCenter: "CC-TRAINING" },
    })
    .fleet(D.fleetCapacityError, {
      state: "RUNNING",
      fleetType: "ON_DEMAND",
      instanceType: "stream.graphics.g4dn.xlarge",
      platform: "WINDOWS_SERVER_2022",
      desired: 10,
      running: 4,
      inUse: 4,
      available: 0,
      // AppStream reports capacity shortfalls as a provisioning failure; the EC2 cause is in the text.
      errors: [{
        code: "FLEET_INSTANCE_PROVISIONING_FAILURE",
        message:
          "InsufficientCapacityError: There is not enough stream.graphics.g4dn.xlarge capacity in us-east-1 to provision the requested instances.",
      }],
      tags: { CostCenter: "CC-1001", Team: "Finance" },
      // Target tracking keeps asking for more instances; EC2 has no g4dn capacity, so users are turned away.
      scalingActivities: [
        {
          status: "InProgress",
          hoursAgo: 0.2,
          from: 10,
          to: 12,
          cause: `monitor alarm ${D.alarmTargetTrackingHigh} in state ALARM triggered policy finance-apps-scaling`,
        },
        {
          status: "Failed",
          hoursAgo: 3,
          from: 8,
          to: 10,
          cause: `monitor alarm ${D.alarmTargetTrackingHigh} in state ALARM triggered policy finance-apps-scaling`,
          message:
            "Failed to set desired capacity to 10. Reason: InsufficientCapacityError: not enough stream.graphics.g4dn.xlarge capacity in us-east-1.",
        },
        { status: "Successful", hoursAgo: 9, from: 6, to: 8 },
        { status: "Successful", hoursAgo: 40, from: 8, to: 6 },
      ],
      insufficientCapacityErrorsPerDay: 37,
    })
    .fleet(D.fleetStopped, {
      state: "STOPPED",
      fleetType: "ALWAYS_ON",
      instanceType: "stream.standard.large",
      desired: 5,
      tags: { CostCenter: "CC-TRAINING" },
    })
    .fleet(D.fleetElastic, {
      state: "RUNNING",
      fleetType: "ELASTIC",
      platform: "AMAZON_LINUX2",
      instanceType: "stream.standard.medium",
      desired: 50,
      running: 12,
      inUse: 12,
      available: 38,
    })
    .stack(D.stackOpen, {
      fleets: [D.fleetCapacityError],
      description: "Finance applications",
      userSettings: [
        { action: "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", permission: "ENABLED" },
        { action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", permission: "ENABLED" },
        { action: "FILE_UPLOAD", permission: "ENABLED" },
        { action: "FILE_DOWNLOAD", permission: "ENABLED" },
        { action: "PRINTING_TO_LOCAL_DEVICE", permission: "ENABLED" },
      ],
      tags: { CostCenter: "CC-1001" },
    })
    .stack(D.stackLocked, {
      fleets: [D.fleetStopped],
      description: "Training lab, data transfer locked down",
      userSettings: [
        { action: "CLIPBOARD_COPY_FROM_LOCAL_DEVICE", permission: "ENABLED" },
        { action: "CLIPBOARD_COPY_TO_LOCAL_DEVICE", permission: "DISABLED" },
        { action: "FILE_UPLOAD", permission: "DISABLED" },
        { action: "FILE_DOWNLOAD", permission: "DISABLED" },
        { action: "PRINTING_TO_LOCAL_DEVICE", permission: "DISABLED" },
      ],
    })
    .portal(D.portalSecure, {
      displayName: "Partner Portal",
      authType: "IAM_Identity_Center",
      instanceType: "standard.large",
      maxConcurrentSessions: 50,
      tags: { CostCenter: "CC-PARTNER" },
      web: {
        ipRanges: ["203.0.113.0/24", "198.51.100.0/24", "2001:db8:1200::/48"],
        sessionLogger: true,
        browserPolicy: {
          chromePolicies: {
            URLAllowlist: { value: ["https://partners.example.com", "https://*.salesforce.com"] },
            URLBlocklist: { value: ["*"] },
            DownloadRestrictions: { value: 3 },
            IncognitoModeAvailability: { value: 1 },
          },
        },
        dataProtection: {
          builtInPatterns: ["CreditCardNumber", "UsSocialSecurityNumber"],
          customPatterns: [{
            name: "PartnerContractId",
            regex: "/PC-\\d{8}/",
            description: "Partner contract numbers",
            keywordRegex: "/contract/i",
          }],
          confidenceLevel: 2,
          exemptUrls: ["https://partners.example.com/public"],
        },
        sessions: [
          { user: "alice@partner.example", startedMinutesAgo: 42 },
          { user: "bob@partner.example", startedMinutesAgo: 17 },
          { user: "carol@partner.example", startedMinutesAgo: 3 },
          { user: "dave@partner.example", status: "Terminated", startedMinutesAgo: 180 },
        ],
      },
    })
    .portal(D.portalOpen, {
      displayName: "Contractor Browser",
      ipAccessSettings: false,
      logging: false,
      maxConcurrentSessions: 10,
      web: { userSettings: { copy: true, paste: true, download: true, upload: true, print: true } },
    })
    // Secure Browser session history (AWS/WorkSpacesWeb): the partner portal is busy on working hours;
    // the contractor portal is idle and publishes nothing.
    .metric("AWS/WorkSpacesWeb", "SessionAttempt", { PortalId: D.portalSecure }, (t) => portalLoad(t, "attempt"))
    .metric("AWS/WorkSpacesWeb", "SessionSuccess", { PortalId: D.portalSecure }, (t) => portalLoad(t, "success"))
    .metric("AWS/WorkSpacesWeb", "SessionFailure", { PortalId: D.portalSecure }, (t) => portalLoad(t, "failure"))
    .ipGroup(D.ipGroupCorp, {
      name: "corp-offices",
      description: "Head office and VPN egress",
      rules: [
        { rule: "203.0.113.0/24", description: "HQ" },
        { rule: "198.51.100.16/28", description: "VPN NAT" },
      ],
    })
    .ipGroup(D.ipGroupAnywhereV6, {
      name: "ipv6-temp",
      description: "Temporary IPv6 access for the migration",
      rules: [{ rule: "::/0", description: "temporary" }],
    })
    .ipGroup(D.ipGroupAnywhereV4, {
      name: "allow-all",
      description: "Created for testing",
      rules: ["0.0.0.0/0"],
    })
    .ipGroup(D.ipGroupBroad, {
      name: "partner-networks",
      rules: [{ rule: "4.0.0.0/6", description: "partner ISP" }, "192.0.2.0/24"],
    })
    .workspacesAccount({
      dedicatedTenancy: true,
      managementCidr: "10.192.0.0/16",
      modifications: [
        { state: "COMPLETED", tenancy: "ENABLED", daysAgo: 400 },
        {
          state: "FAILED",
          tenancy: "ENABLED",
          cidr: "10.0.0.0/16",
          daysAgo: 12,
          errorCode: "InvalidParameterValuesException",
          errorMessage: "The management CIDR range 10.0.0.0/16 overlaps a VPC in the account.",
        },
      ],
    })
    .clientProperties(D.directory, { reconnect: false, logUpload: true })
    .connectionAlias(D.connectionAlias, { connectionString: "desktops.example.com", directories: [D.directory] })
    .managedInstance(D.managedRunning, {
      ec2InstanceId: D.ec2Running,
      instanceType: "m5.xlarge",
      ec2State: "running",
      launchTime: ago(14),
      tags: { CostCenter: "CC-1002" },
    })
    .managedInstance(D.managedStopped, {
      ec2InstanceId: D.ec2Stopped,
      instanceType: "t3.large",
      ec2State: "stopped",
      launchTime: ago(60),
    })
    // ---- diagnostics: an Impaired branch directory, failing sign-ins, alarms (incidents and auto-scaling)
    .directory(D.impairedDirectory, {
      name: "branch.example.com",
      type: "AD_CONNECTOR",
      stage: "Impaired",
      stageReason: "The AD Connector cannot reach the DNS servers 10.2.0.10 and 10.2.1.10 of branch.example.com.",
    })
    .workspace(D.connectionFailures, {
      user: "kevin.nguyen",
      directory: D.impairedDirectory,
      bundle: STANDARD_WIN,
      lastConnected: ago(3),
      // ConnectionFailure is published for PCoIP desktops only, so this one streams over PCoIP.
      protocols: ["PCOIP"],
      // Signs in every morning and is refused each time: the directory cannot authenticate him.
      usage: { hoursPerDay: 0, days: "daily", failuresPerDay: 5 },
      tags: { CostCenter: "CC-BRANCH" },
    })
    .alarm(D.alarmTargetTrackingHigh, {
      namespace: "AWS/AppStream",
      metric: "CapacityUtilization",
      dimensions: { Fleet: D.fleetCapacityError },
      statistic: "Average",
      threshold: 75,
      reason: "Threshold Crossed: 3 datapoints [100.0, 100.0, 100.0] were greater than the threshold (75.0).",
      sinceHoursAgo: 3,
      description: "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy finance-apps-scaling.",
    })
    .alarm(D.alarmPoolFull, {
      namespace: "AWS/WorkSpaces",
      metric: "UserSessionsCapacityUtilization",
      dimensions: { "WorkSpaces pool ID": D.poolAtCapacity },
      statistic: "Maximum",
      threshold: 95,
      comparison: "GreaterThanOrEqualToThreshold",
      reason:
        "Threshold Crossed: 3 datapoints [100.0, 100.0, 100.0] were greater than or equal to the threshold (95.0).",
      sinceHoursAgo: 5,
    })
    .alarm(D.alarmFleetCapacity, {
      namespace: "AWS/AppStream",
      metric: "InsufficientCapacityError",
      dimensions: { Fleet: D.fleetCapacityError },
      statistic: "Sum",
      threshold: 0,
      reason: "Threshold Crossed: 1 datapoint [6.0] was greater than the threshold (0.0).",
      sinceHoursAgo: 2,
    })
    .alarm(D.alarmBranchFailures, {
      math: {
        expression: "m1 / MAX([m1, m2]) * 100",
        metrics: [
          {
            namespace: "AWS/WorkSpaces",
            metric: "ConnectionFailure",
            dimensions: { WorkspaceId: D.connectionFailures },
            stat: "Sum",
          },
          {
            namespace: "AWS/WorkSpaces",
            metric: "ConnectionAttempt",
            dimensions: { WorkspaceId: D.connectionFailures },
            stat: "Sum",
          },
        ],
      },
      threshold: 50,
      reason: "Threshold Crossed: 1 datapoint [100.0] was greater than the threshold (50.0).",
      sinceHoursAgo: 20,
      description: "More than half of the branch office's connection attempts fail",
    })
    .alarm("build-server-cpu-high", {
      namespace: "AWS/EC2",
      metric: "CPUUtilization",
      dimensions: { InstanceId: "i-0123456789abcdef0" },
      statistic: "Average",
      threshold: 90,
    })
    .alarm("workspaces-latency-high", {
      state: "OK",
      namespace: "AWS/WorkSpaces",
      metric: "InSessionLatency",
      dimensions: { WorkspaceId: D.available },
      statistic: "Average",
      threshold: 250,
    })
    .inRegion("eu-west-1")
    .directory(D.euDirectory, { name: "eu.corp.example.com" })
    .workspace(D.euAvailable, {
      user: "anna.schmidt",
      directory: D.euDirectory,
      bundle: STANDARD_WIN,
      lastConnected: ago(1),
      tags: { CostCenter: "CC-EU-01" },
    })
    .workspace(D.euStopped, {
      user: "pierre.dubois",
      directory: D.euDirectory,
      bundle: PERFORMANCE_WIN,
      state: "STOPPED",
      lastConnected: ago(33),
      tags: { CostCenter: "CC-EU-02" },
    })
    .workspace(D.euUnencrypted, {
      user: "lars.nielsen",
      directory: D.euDirectory,
      bundle: STANDARD_WIN,
      runningMode: "ALWAYS_ON",
      rootEncrypted: false,
      userEncrypted: false,
      lastConnected: ago(2),
    })
    .fleet(D.fleetEu, {
      state: "RUNNING",
      fleetType: "ON_DEMAND",
      desired: 3,
      inUse: 1,
      tags: { CostCenter: "CC-EU-01" },
    })
    // A quiet fleet: target tracking's scale-in alarm fires, which is routine, not an incident.
    .alarm(D.alarmTargetTrackingLow, {
      namespace: "AWS/AppStream",
      metric: "CapacityUtilization",
      dimensions: { Fleet: D.fleetEu },
      statistic: "Average",
      threshold: 50,
      comparison: "LessThanThreshold",
      reason: "Threshold Crossed: 15 datapoints were less than the threshold (50.0).",
      sinceHoursAgo: 30,
      description: "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy emea-apps-scaling.",
    })
    .portal(D.portalVendorEu, {
      displayName: "Vendor Access",
      web: { ipRanges: ["0.0.0.0/0"], sharedUserSettings: "eu-default" },
    })
    .usageReports({
      lastGeneratedDaysAgo: 9,
      errors: [{ code: "ACCESS_DENIED", message: "Unable to write the report to the S3 bucket: access denied." }],
    })
    // ---------------------------------------------------------------- governance (see DEMO_GOVERNANCE)
    .inRegion("us-east-1")
    .appImage(G.imageHealthy, { applications: ["Excel", "Power BI Desktop", "SAP GUI"], baseReleased: ago(40) })
    .appImage(G.imageStale, {
      agentVersion: "1.1.1100",
      latestAgent: false,
      baseReleased: ago(400),
      created: ago(380),
      applications: ["Excel", "Legacy Ledger"],
    })
    .appImage(G.imageFailed, {
      state: "FAILED",
      errors: [{
        code: "INTERNAL_SERVICE_ERROR",
        message: "The image could not be created: the builder's disk was full.",
      }],
      created: ago(3),
    })
    .appImage(G.imagePinnedCurrent, { agentVersion: "1.1.1500", latestAgent: true, applications: ["AutoCAD"] })
    .appImage(G.imageSharedIn, { visibility: "SHARED", owner: "210987654321", allowImageBuilder: false })
    .appImage(G.imageSharedOut, { sharedWithOthers: true, applications: ["Visual Studio Code", "Git"] })
    .imageBuilder(G.builderRunning, { state: "RUNNING", instanceType: "stream.standard.large", image: G.imageHealthy })
    .imageBuilder(G.builderStopped, { state: "STOPPED", image: G.imageStale })
    .imageBuilder(G.builderFailed, {
      state: "FAILED",
      errors: [{ code: "NETWORK_INTERFACE_LIMIT_EXCEEDED", message: "The subnet has no free IP addresses." }],
    })
    .appBlockBuilder(G.appBlockBuilderRunning, { state: "RUNNING" })
    .appBlockBuilder(G.appBlockBuilderStopped, { state: "STOPPED" })
    .appUser(G.userActive, { firstName: "Alice", lastName: "Wong", stacks: [D.stackOpen] })
    .appUser(G.userDisabledAssigned, { firstName: "Bob", lastName: "Ng", enabled: false, stacks: [D.stackOpen] })
    .appUser(G.userCompromised, { firstName: "Carol", lastName: "Diaz", status: "COMPROMISED", stacks: [D.stackOpen] })
    .appUser(G.userPending, { firstName: "Dan", lastName: "Lee", status: "FORCE_CHANGE_PASSWORD", created: ago(21) })
    .appUser(G.userNoStack, { firstName: "Erin", lastName: "Fox" })
    .workspaceImage(G.wsImageShared, { name: "finance-win11-2025", sharedWith: ["111122223333"], created: ago(30) })
    .workspaceImage(G.wsImageError, {
      name: "dev-win11-broken",
      state: "ERROR",
      errorCode: "ImageCreationFailed",
      errorMessage: "The WorkSpace used to create the image has an unsupported application installed.",
      created: ago(5),
    })
    .workspaceImage(G.wsImageOld, { name: "legacy-win10-2023", created: ago(420), updateAvailable: true })
    .workspaceImage(G.wsImageSharedIn, { name: "partner-base-image", owner: "210987654321", created: ago(90) })
    // CloudTrail: EUC changes among ~10 days of other services' writes (one every 11 minutes), so the
    // account-wide scan alone cannot cover a 7-day window.
    .trailNoise(1300, { startMinutesAgo: 3, everyMinutes: 11 })
    .trailEvent({
      name: "TerminateWorkspaces",
      source: "workspaces.amazonaws.com",
      minutesAgo: 2880,
      user: "it-admin",
      resources: [{ type: "AWS::WorkSpaces::Workspace", name: G.terminatedWorkspace }],
      requestParameters: { terminateWorkspaceRequests: [{ workspaceId: G.terminatedWorkspace }] },
    })
    .trailEvent({
      name: "RebuildWorkspaces",
      source: "workspaces.amazonaws.com",
      minutesAgo: 1500,
      user: "helpdesk-lead",
      resources: [{ type: "AWS::WorkSpaces::Workspace", name: D.unhealthy }],
    })
    .trailEvent({
      name: "RebootWorkspaces",
      source: "workspaces.amazonaws.com",
      minutesAgo: 600,
      user: "helpdesk",
      resources: [{ type: "AWS::WorkSpaces::Workspace", name: D.unhealthy }],
    })
    .trailEvent({
      name: "StopFleet",
      source: "appstream.amazonaws.com",
      minutesAgo: 4320,
      user: "jane.ops",
      resources: [{ type: "AWS::AppStream::Fleet", name: D.fleetStopped }],
    })
    .trailEvent({
      name: "UpdateWorkspacesPool",
      source: "workspaces.amazonaws.com",
      minutesAgo: 1300,
      user: "it-admin",
      resources: [{ type: "AWS::WorkSpaces::WorkspacesPool", name: D.poolAtCapacity }],
    })
    .trailEvent({
      name: "ModifyWorkspaceProperties",
      source: "workspaces.amazonaws.com",
      minutesAgo: 5800,
      user: "it-admin",
      resources: [{ type: "AWS::WorkSpaces::Workspace", name: D.alwaysOn }],
    })
    .trailEvent({
      name: "CreateWorkspaces",
      source: "workspaces.amazonaws.com",
      minutesAgo: 6500,
      user: "it-admin",
      resources: [{ type: "AWS::WorkSpaces::Workspace", name: D.pending }],
    })
    .trailEvent({
      name: "DeregisterWorkspaceDirectory",
      source: "workspaces.amazonaws.com",
      minutesAgo: 8700,
      user: "it-admin",
      resources: [{ type: "AWS::WorkSpaces::Directory", name: D.deregisteredDirectory }],
    })
    .trailEvent({
      name: "StopWorkspaces",
      source: "workspaces.amazonaws.com",
      minutesAgo: 720,
      user: G.deniedUser,
      userType: "IAMUser",
      sourceIp: "198.51.100.77",
      errorCode: "AccessDenied",
      errorMessage:
        `User: arn:aws:iam::123456789012:user/${G.deniedUser} is not authorized to perform: workspaces:StopWorkspaces`,
    })
    .trailEvent({
      name: "TerminateWorkspaces",
      source: "workspaces.amazonaws.com",
      minutesAgo: 725,
      user: G.deniedUser,
      userType: "IAMUser",
      sourceIp: "198.51.100.77",
      errorCode: "AccessDenied",
      errorMessage:
        `User: arn:aws:iam::123456789012:user/${G.deniedUser} is not authorized to perform: workspaces:TerminateWorkspaces`,
    })
    .trailEvent({
      name: "CreateImageBuilder",
      source: "appstream.amazonaws.com",
      minutesAgo: 2950,
      user: "jane.ops",
      errorCode: "ResourceLimitExceededException",
      errorMessage: "The requested limit exceeds the permitted limit for image builders.",
    })
    .trailEvent({
      name: "StartImageBuilder",
      source: "appstream.amazonaws.com",
      minutesAgo: 300,
      user: "jane.ops",
      resources: [{ type: "AWS::AppStream::ImageBuilder", name: G.builderRunning }],
    })
    .trailEvent({
      name: "BatchDisassociateUserStack",
      source: "appstream.amazonaws.com",
      minutesAgo: 4000,
      user: "it-admin",
    })
    .trailEvent({
      name: "UpdatePortal",
      source: "workspaces-web.amazonaws.com",
      minutesAgo: 2700,
      user: "it-admin",
      resources: [{ type: "AWS::WorkSpacesWeb::Portal", name: D.portalOpen }],
    })
    .trailEvent({
      name: "CreateWorkspaceInstance",
      source: "workspaces-instances.amazonaws.com",
      minutesAgo: 14_400,
      user: "it-admin",
      resources: [{ type: "AWS::WorkSpacesInstances::WorkspaceInstance", name: D.managedRunning }],
    })
    .serviceQuota("workspaces", "WorkSpaces", { value: 22 })
    .serviceQuota("appstream2", "Users in the user pool", { value: 6, adjustable: false })
    .inRegion("eu-west-1")
    .appImage(G.imageEu, { baseReleased: ago(250) })
    .workspaceImage(G.wsImageEu, { name: "emea-win11-2025", created: ago(60) })
    .trailEvent({
      name: "StopWorkspaces",
      source: "workspaces.amazonaws.com",
      minutesAgo: 200,
      user: "emea-admin",
      resources: [{ type: "AWS::WorkSpaces::Workspace", name: D.euStopped }],
    })
    // Live streaming sessions (utilization toolset): the four in-use instances of the finance fleet.
    .inRegion("us-east-1")
    .fleetSession(D.fleetCapacityError, "jane.doe", { startedMinutesAgo: 95 })
    .fleetSession(D.fleetCapacityError, "wei.chen", { startedMinutesAgo: 40 })
    .fleetSession(D.fleetCapacityError, "ethan.clark", { startedMinutesAgo: 12 })
    .fleetSession(D.fleetCapacityError, "emma.jones", { connectionState: "NOT_CONNECTED", startedMinutesAgo: 130 })
    .build();
  seedCosts(estate, demoCostLines());
  addDemoUsage(estate, now);
  return estate;
}

/**
 * Cost Explorer lines beyond what the estate's resources generate: GPU image builders left running
 * for the last six days (they inflate the forecast and top the cost comparison) and Secure Browser
 * spend under its former name "Amazon WorkSpaces Web" months ago (matched by keyword all the same).
 */
function demoCostLines(): CostLine[] {
  const today = todayUtc();
  return [
    {
      service: "Amazon AppStream",
      usageType: "USE1-stream.graphics.g4dn.xlarge-ib",
      daily: 180,
      from: addDays(today, -6),
    },
    { service: "Amazon WorkSpaces Web", usageType: "USE1-WEB-ST", monthly: 40, to: addDays(today, -120) },
  ];
}

/** Hourly sign-ins to the partner portal on weekdays 08:00–17:00 UTC; every seventh hour one fails. */
function portalLoad(t: number, kind: "attempt" | "success" | "failure"): number | undefined {
  const d = new Date(t);
  const weekday = d.getUTCDay() >= 1 && d.getUTCDay() <= 5;
  if (!weekday || d.getUTCMinutes() !== 0 || d.getUTCHours() < 8 || d.getUTCHours() > 17) return undefined;
  const failures = Math.floor(t / 3_600_000) % 7 === 0 ? 1 : 0;
  const successes = 3;
  return kind === "attempt" ? successes + failures : kind === "success" ? successes : failures || undefined;
}

/** What an administrator's console leaves in CloudTrail: a DescribeWorkspaces every 3.5 hours for 6 days. */
function consoleReads(s: Scenario): Scenario {
  for (let m = 30; m < 6 * 1440; m += 210) {
    s.trailEvent({
      name: "DescribeWorkspaces",
      source: "workspaces.amazonaws.com",
      minutesAgo: m,
      user: "console-viewer",
    });
  }
  return s;
}

// ---------------------------------------------------------------- usage (utilization toolset)

const DEMO_DAY = 86_400_000;
const DEMO_MINUTE = 60_000;

/**
 * How the demo's users use their desktops, so the utilization tools have a case for each finding:
 * AlwaysOn desktops idle for weeks (→ AutoStop), AutoStop desktops used all day (→ AlwaysOn), an
 * overloaded desktop (→ upsize), an underused PowerPro (→ downsize), an opted-out desktop
 * (Skip_Convert), sessions split by disconnects shorter and longer than the AutoStop timeout,
 * desktops with no data but a known connection (no_data, not unused), and failed connections.
 */
const DEMO_USAGE: Readonly<Record<string, UsageProfile>> = {
  [DEMO.available]: { hoursPerDay: 8, days: "weekdays" },
  // AlwaysOn, connected for an hour two days ago: idle → AutoStop saves most of the monthly fee.
  [DEMO.alwaysOn]: { hoursPerDay: 1, days: [2] },
  // AlwaysOn and used most of the day every weekday: AlwaysOn stays the cheaper mode.
  [DEMO.unhealthy]: { hoursPerDay: 7, days: "weekdays" },
  [DEMO.impaired]: { hoursPerDay: 3, days: [3] },
  [DEMO.rebooting]: { hoursPerDay: 6, days: "weekdays" },
  [DEMO.maintenance]: { hoursPerDay: 5, days: [4, 5, 6, 7, 8] },
  [DEMO.graphicsUnencrypted]: { hoursPerDay: 9, days: "daily", cpu: { average: 45, peak: 80 } },
  [DEMO.linuxUserUnencrypted]: { hoursPerDay: 4, days: [6, 7, 8, 9] },
  // The user left 20 days ago; the AlwaysOn PowerPro idles at a few % CPU: downsize and AutoStop.
  [DEMO.underusedPowerPro]: { hoursPerDay: 6, days: "weekdays", idleForDays: 20 },
  // Idle AlwaysOn, but tagged Skip_Convert: listed as skipped, never recommended.
  [DEMO.skipConvert]: { hoursPerDay: 2, days: [9] },
  // AutoStop and used eleven hours a day, every day: above the break-even → AlwaysOn.
  [DEMO.protected]: { hoursPerDay: 11, days: "daily" },
  [DEMO.manual]: { hoursPerDay: 8, days: "weekdays" },
  [DEMO.pcoip]: { hoursPerDay: 5, days: [7, 8, 10], failuresPerDay: 3, latencyMs: 180 },
  // AutoStop Value desktop used ten hours a day and saturated: → AlwaysOn and → upsize to Standard.
  [DEMO.value]: {
    hoursPerDay: 10,
    days: "daily",
    cpu: { average: 93, peak: 100 },
    memory: { average: 88, peak: 97 },
  },
  [DEMO.autoStop2h]: { hoursPerDay: 0, cpu: { average: 30, peak: 55 } },
  [DEMO.euAvailable]: { hoursPerDay: 8, days: "weekdays" },
  [DEMO.euUnencrypted]: { hoursPerDay: 1, days: [2] },
};

/** A UserConnected sampler: one working session per listed day, with a disconnect in the middle. */
function splitSessions(
  now: number,
  days: readonly { daysAgo: number; startHour: number; hours: number; breakMinutes: number }[],
): Sampler {
  const today = Math.floor(now / DEMO_DAY) * DEMO_DAY;
  const spans = days.map((d) => {
    const start = today - d.daysAgo * DEMO_DAY + d.startHour * 3_600_000;
    const end = start + d.hours * 3_600_000;
    const mid = (start + end) / 2;
    return {
      start,
      end,
      breakStart: mid - (d.breakMinutes * DEMO_MINUTE) / 2,
      breakEnd: mid + (d.breakMinutes * DEMO_MINUTE) / 2,
    };
  });
  return (t) => {
    for (const s of spans) {
      if (t < s.start || t >= s.end) continue;
      return t >= s.breakStart && t < s.breakEnd ? 0 : 1;
    }
    return undefined;
  };
}

function addDemoUsage(estate: Estate, now: number): void {
  for (const name of ["us-east-1", "eu-west-1"]) {
    const region = estate.region(name);
    for (const [id, usage] of Object.entries(DEMO_USAGE)) if (region.workspaces.has(id)) region.usage.set(id, usage);
  }
  // The 2-hour AutoStop desktop: three days ago a 90-minute break (shorter than the timeout: one
  // session), four days ago a 4-hour break (longer: two sessions, the desktop stopped in between).
  estate.region("us-east-1").metricSeries.set(
    metricKey("AWS/WorkSpaces", "UserConnected", { WorkspaceId: DEMO.autoStop2h }),
    splitSessions(now, [
      { daysAgo: 3, startHour: 8, hours: 10, breakMinutes: 90 },
      { daysAgo: 4, startHour: 8, hours: 10, breakMinutes: 240 },
    ]),
  );
}
