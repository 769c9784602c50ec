import assert from "node:assert/strict";
import { forEachWorkspacePage, LISTING_CHAINS, listWorkspaces, type Workspace } from "../../src/aws/listing.ts";
import { awsOn, peakInFlight, scenario } from "../support/harness.ts";
import { scaleEstate, Simulator } from "../../src/sim/mod.ts";
import { collect } from "../../src/aws/paginate.ts";
import { Aws } from "../../src/aws/clients.ts";
import { withActions } from "../../src/aws/scope.ts";
import { ListingCall, withListingCall } from "../../src/aws/listing_cache.ts";

function estate() {
  return scenario()
    .directory("d-1111111111")
    .directory("d-2222222222")
    .workspaces(30, { prefix: "a", directory: "d-1111111111" })
    .workspaces(20, { prefix: "b", directory: "d-2222222222" })
    .pool("wspool-abcdefghi", {})
    .build();
}

Deno.test("listWorkspaces: one chain per Personal directory, grouped in directory order; a Pools directory costs no call", async () => {
  const { sim, aws } = awsOn(estate());
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "by-directory");
  assert.equal(listing.workspaces.length, 50);
  assert.equal(new Set(listing.workspaces.map((w) => w.WorkspaceId)).size, 50, "each desktop once");
  const dirs = listing.workspaces.map((w) => w.DirectoryId);
  assert.deepEqual(dirs, [...Array(30).fill("d-1111111111"), ...Array(20).fill("d-2222222222")]);
  assert.ok(listing.directories?.some((d) => d.WorkspaceType === "POOLS"), "the Pools directory is still reported");
  // 30 desktops → 2 pages, 20 → 1 page; the pool's directory is skipped.
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 3);
});

Deno.test("forEachWorkspacePage streams the same desktops as listWorkspaces, each once, with the same calls", async () => {
  const { sim, aws } = awsOn(estate());
  const streamed: Workspace[] = [];
  const r = await forEachWorkspacePage(aws, "us-east-1", undefined, (page) => streamed.push(...page));
  assert.equal(r.count, 50);
  assert.equal(r.strategy, "by-directory");
  const listed = await listWorkspaces(aws, "us-east-1");
  assert.deepEqual(streamed.map((w) => w.WorkspaceId).sort(), listed.workspaces.map((w) => w.WorkspaceId).sort());
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 6, "3 calls per listing");
});

Deno.test("one Personal directory beside a Pools directory is one chain without a directory filter", async () => {
  const { sim, aws } = awsOn(
    scenario().directory("d-1111111111").workspaces(30, { directory: "d-1111111111" }).pool("wspool-abcdefghi", {})
      .build(),
  );
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "single");
  assert.equal(listing.workspaces.length, 30);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 2);
});

/** One directory of `n` desktops spread over the catalogue's bundles (the scale builder's shape). */
function oneDirectory(n: number) {
  return scaleEstate({ desktops: n, directoriesPerRegion: 1, pools: 1, seed: 3 });
}

/** The reference: one DescribeWorkspaces chain without a filter, as AWS pages it. */
async function singleChain(aws: Aws): Promise<Workspace[]> {
  return (await collect(aws, "workspaces", "DescribeWorkspaces", {}, "Workspaces", { region: "us-east-1" })).items;
}

const byId = (list: readonly Workspace[]) => [...list].sort((a, b) => a.WorkspaceId!.localeCompare(b.WorkspaceId!));

Deno.test("a large single directory is split into one BundleId chain per bundle: every desktop exactly once, as the single chain lists them", async () => {
  const { sim, aws } = awsOn(oneDirectory(1_000));
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "by-bundle");
  const ids = listing.workspaces.map((w) => w.WorkspaceId);
  assert.equal(new Set(ids).size, ids.length, "no duplicates");
  const calls = sim.count("workspaces", "DescribeWorkspaces");
  const reference = await singleChain(aws);
  assert.equal(listing.workspaces.length, reference.length);
  assert.deepEqual(byId(listing.workspaces), byId(reference), "the same desktops, field for field");
  // Every bundle chain used only the BundleId filter (the API allows no combination).
  const bundleCalls = sim.calls.filter((c) =>
    c.operation === "DescribeWorkspaces" && "BundleId" in ((c.params ?? {}) as object)
  );
  assert.ok(bundleCalls.length > 0);
  assert.ok(
    bundleCalls.every((c) => Object.keys(c.params as object).every((k) => k === "BundleId" || k === "NextToken")),
  );
  // 1,000 desktops are 40 pages; the split costs the pages read before it (8), one call per
  // bundle for its last page, and the bundle listings.
  const bundles = sim.count("workspaces", "DescribeWorkspaceBundles");
  assert.ok(calls <= 40 + 8 + 8, /* bundles in the catalogue */ `${calls} DescribeWorkspaces calls`);
  assert.equal(bundles, 2, "own and AMAZON bundles, one page each");
});

Deno.test("forEachWorkspacePage on a split directory delivers each desktop once", async () => {
  const { aws } = awsOn(oneDirectory(600));
  const streamed: Workspace[] = [];
  const r = await forEachWorkspacePage(aws, "us-east-1", undefined, (page) => streamed.push(...page));
  assert.equal(r.strategy, "by-bundle");
  assert.equal(r.count, 600);
  assert.deepEqual(byId(streamed), byId(await singleChain(aws)));
});

Deno.test("a desktop seen on a bundle no bundle listing returns keeps the directory chain as the authority", async () => {
  const estate = oneDirectory(400);
  const region = estate.region("us-east-1");
  // Retire the first desktop's bundle: DescribeWorkspaceBundles no longer lists it.
  const first = [...region.workspaces.values()][0];
  region.bundles.delete(first.BundleId!);
  const { aws } = awsOn(estate);
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "single");
  assert.deepEqual(byId(listing.workspaces), byId(await singleChain(aws)));
});

Deno.test("a tool that does not declare DescribeWorkspaceBundles keeps the directory chains", async () => {
  const { sim, aws } = awsOn(oneDirectory(400));
  const listing = await withActions(
    "t",
    ["workspaces:DescribeWorkspaceDirectories", "workspaces:DescribeWorkspaces"],
    () => listWorkspaces(aws, "us-east-1"),
  );
  assert.equal(listing.strategy, "single");
  assert.equal(listing.workspaces.length, 400);
  assert.equal(sim.count("workspaces", "DescribeWorkspaceBundles"), 0);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 16);
});

const BUNDLE_IDS = ["wsb-8vbljg4r6", "wsb-gk1wpk43z", "wsb-1pzkp0bx4", "wsb-b0s22j3d7"];

/** `n` desktops in directory `dir` spread over the four bundles in turn. */
function spread(s: ReturnType<typeof scenario>, n: number, dir: string, prefix: string) {
  for (let i = 0; i < n; i++) {
    s.workspace(`ws-${prefix}${String(i).padStart(7, "0")}`, {
      directory: dir,
      bundle: BUNDLE_IDS[i % BUNDLE_IDS.length],
      user: `${prefix}${i}`,
    });
  }
  return s;
}

Deno.test("one large directory beside several small ones also splits by bundle (any shape with a long tail)", async () => {
  const s = scenario();
  spread(s, 600, "d-1000000000", "big");
  for (let d = 1; d <= 5; d++) spread(s, 10, `d-100000000${d}`, `s${d}`);
  const { sim, aws } = awsOn(s.build());
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "by-bundle");
  assert.equal(listing.workspaces.length, 650);
  // 650 desktops are 26 pages at best; the split costs the pages read before it (6 of the large directory, 1 of
  // each small one) and a partly filled last page per bundle.
  const extra = sim.count("workspaces", "DescribeWorkspaces") - Math.ceil(650 / 25);
  assert.ok(extra <= 6 + 5 + BUNDLE_IDS.length, `${extra} extra DescribeWorkspaces calls`);
  assert.deepEqual(byId(listing.workspaces), byId(await singleChain(aws)));
  const dirs = listing.workspaces.map((w) => w.DirectoryId);
  assert.deepEqual(dirs, [...dirs].sort(), "still grouped by directory, in the directories' order");
});

Deno.test("no split once the other chains read more than the budget (the bundle chains would list them again)", async () => {
  const s = scenario();
  spread(s, 2_000, "d-1000000000", "big");
  for (let d = 1; d <= 7; d++) spread(s, 300, `d-100000000${d}`, `m${d}`);
  const { sim, aws } = awsOn(s.build());
  const listing = await listWorkspaces(aws, "us-east-1");
  // Eight chains run from the start (no tail); when the seven 12-page directories end, 84 of their pages are read:
  // more than the 48-page budget.
  assert.equal(listing.strategy, "by-directory");
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 80 + 7 * 12);
  assert.equal(sim.count("workspaces", "DescribeWorkspaceBundles"), 0, "not even enumerated");
});

Deno.test("a directory whose desktops are mostly on one bundle is not split (bundle chains would not be faster)", async () => {
  const s = scenario();
  for (let i = 0; i < 400; i++) {
    s.workspace(`ws-one${String(i).padStart(7, "0")}`, { bundle: i % 10 === 0 ? BUNDLE_IDS[1] : BUNDLE_IDS[0] });
  }
  const { sim, aws } = awsOn(s.build());
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.strategy, "single");
  assert.equal(listing.workspaces.length, 400);
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 16, "one chain, no extra page");
  assert.equal(sim.count("workspaces", "DescribeWorkspaceBundles"), 0);
});

/**
 * The listing's critical path in dependent round trips, from the call log: each chain (one filter)
 * is a run of dependent pages; chains started after the split are laid on LISTING_CHAINS workers
 * in the order they started, each on the first worker free (what mapLimit does).
 */
function criticalPath(sim: Simulator): { chains: Map<string, number>; rounds: number } {
  const chains = new Map<string, number>();
  for (const c of sim.calls.filter((c) => c.operation === "DescribeWorkspaces")) {
    const p = { ...(c.params as Record<string, unknown>) };
    delete p.NextToken;
    const key = JSON.stringify(p);
    chains.set(key, (chains.get(key) ?? 0) + 1);
  }
  const before = [...chains].filter(([k]) => !k.includes("BundleId")).map(([, n]) => n);
  const after = [...chains].filter(([k]) => k.includes("BundleId")).map(([, n]) => n);
  const workers = Array<number>(LISTING_CHAINS).fill(0);
  for (const n of after) workers[workers.indexOf(Math.min(...workers))] += n;
  // Directory chains run side by side (fewer than LISTING_CHAINS here); bundle chains start when they stopped.
  return { chains, rounds: Math.max(...before) + Math.max(...workers) };
}

Deno.test("10,000 desktops in one directory list in ≤ 1.5× the dependent round trips of four directories, LISTING_CHAINS chains at most at once", async () => {
  const rounds: Record<number, number> = {};
  for (const directoriesPerRegion of [4, 1]) {
    const sim = new Simulator(scaleEstate({ desktops: 10_000, directoriesPerRegion, seed: 7 }));
    const peak = peakInFlight(sim);
    const { aws } = awsOn(sim);
    const listing = await listWorkspaces(aws, "us-east-1");
    assert.equal(listing.workspaces.length, 10_000);
    assert.ok(peak() <= LISTING_CHAINS, `at most ${LISTING_CHAINS} calls in flight (${peak()})`);
    const path = criticalPath(sim);
    rounds[directoriesPerRegion] = path.rounds;
    // Fewer directory chains than may run: both shapes hand over to one chain per bundle after 6 pages a chain.
    assert.equal(listing.strategy, "by-bundle");
    const bundleChains = [...path.chains.keys()].filter((k) => k.includes("BundleId"));
    const bundles = sim.estate.region("us-east-1").bundles.size;
    assert.equal(bundleChains.length, bundles, "one chain per bundle");
    assert.equal(path.chains.size, directoriesPerRegion + bundles, "the directory chains, then the bundle chains");
    const total = [...path.chains.values()].reduce((a, b) => a + b, 0);
    const before = 6 * directoriesPerRegion;
    assert.ok(total <= 400 + before + bundles, `${total} calls: 400 + the pages before the split + 1 per bundle`);
  }
  assert.ok(rounds[1] <= 1.5 * rounds[4], `one directory: ${rounds[1]} round trips, four: ${rounds[4]}`);
});

Deno.test("in one tool call, a late consumer replays the pages delivered so far, then follows: one set of calls", async () => {
  const sim = new Simulator(scaleEstate({ desktops: 300, directoriesPerRegion: 2, seed: 5 }));
  sim.inject({ kind: "latency", service: "workspaces", operation: "DescribeWorkspaces", ms: 5 });
  const { aws } = awsOn(sim);
  const early: Workspace[] = [];
  const late: Workspace[] = [];
  let pagesWhenJoined = -1;
  await withListingCall(new ListingCall(false), async () => {
    let joined: Promise<unknown> | undefined;
    const first = forEachWorkspacePage(aws, "us-east-1", undefined, (page) => {
      early.push(...page);
      // The second consumer joins mid-listing.
      if (!joined && early.length >= 50) {
        pagesWhenJoined = sim.count("workspaces", "DescribeWorkspaces");
        joined = forEachWorkspacePage(aws, "us-east-1", undefined, (p) => late.push(...p));
      }
    });
    await first;
    await joined;
    const listed = await listWorkspaces(aws, "us-east-1");
    assert.equal(listed.workspaces.length, 300);
  });
  assert.ok(pagesWhenJoined > 0 && pagesWhenJoined < 12, `joined while the listing ran (${pagesWhenJoined} pages)`);
  assert.equal(early.length, 300);
  assert.deepEqual(byId(late), byId(early), "the late consumer got every desktop once");
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 12, "300 desktops in 2 directories: one listing");
  assert.equal(sim.count("workspaces", "DescribeWorkspaceDirectories"), 1);
});

Deno.test("the listing cache is keyed by identity: after a key rotation the desktops are listed again, signed with the new key", async () => {
  const dir = await Deno.makeTempDir();
  const file = `${dir}/credentials`;
  const config = `${dir}/config`;
  await Deno.writeTextFile(config, "");
  await Deno.writeTextFile(file, "[euc]\naws_access_key_id = AKIDFIRSTKEY0001\naws_secret_access_key = one\n");
  const env = { AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: config };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, Deno.env.get(k)]));
  for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
  try {
    const sim = new Simulator(estate());
    const aws = new Aws({
      requestHandler: sim.handler,
      profile: "euc",
      region: "us-east-1",
      userAgent: "test",
      sharedFiles: [file, config],
    });
    const list = () => withListingCall(new ListingCall(false), () => listWorkspaces(aws, "us-east-1"));
    await list();
    await list();
    assert.equal(sim.count("workspaces", "DescribeWorkspaceDirectories"), 1, "the same identity reuses the listing");
    await Deno.writeTextFile(file, "[euc]\naws_access_key_id = AKIDSECONDKEY00002\naws_secret_access_key = two\n");
    const rotated = await list();
    assert.equal(rotated.workspaces.length, 50);
    assert.equal(sim.count("workspaces", "DescribeWorkspaceDirectories"), 2, "another identity lists again");
    assert.equal(sim.calls.at(-1)!.accessKeyId, "AKIDSECONDKEY00002");
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a listing chain sends its next page request before its consumers work on the page it just read", async () => {
  const { sim, aws } = awsOn(scenario().workspaces(100, { directory: "d-9000000041" }).build());
  const statusCalls: Promise<unknown>[] = [];
  await forEachWorkspacePage(aws, "us-east-1", undefined, (page) => {
    // What the usage engine does with a page: one connection-status call for its ids.
    statusCalls.push(
      aws.call("workspaces", "DescribeWorkspacesConnectionStatus", {
        WorkspaceIds: page.map((w) => w.WorkspaceId!),
      }, { region: "us-east-1" }),
    );
  });
  await Promise.all(statusCalls);
  const order = sim.calls.filter((c) =>
    c.operation.startsWith("DescribeWorkspaces") && c.operation !== "DescribeWorkspaceDirectories"
  )
    .map((c) => c.operation === "DescribeWorkspaces" ? "page" : "status");
  assert.equal(order.filter((o) => o === "page").length, 4);
  assert.equal(order.filter((o) => o === "status").length, 4);
  // The k-th status call (for page k) comes after the request for page k + 1.
  let pagesSeen = 0;
  let statusSeen = 0;
  for (const o of order) {
    if (o === "page") pagesSeen++;
    else {assert.ok(
        pagesSeen >= Math.min(4, ++statusSeen + 1),
        `status call ${statusSeen} before page ${statusSeen + 1}: ${order}`,
      );}
  }
});

Deno.test("every chain against an account rate limit below their pace: throttled pages are retried with the production pacing, every desktop once", async () => {
  const sim = new Simulator(scaleEstate({ desktops: 1_000, directoriesPerRegion: 4, seed: 3 }));
  // Twelve chains at 10 ms a page ask for ~1,200 pages a second; the account allows 40 (a token bucket of 8).
  sim.inject({ kind: "latency", service: "workspaces", operation: "DescribeWorkspaces", ms: 10 });
  sim.inject({ kind: "throttle", service: "workspaces", operation: "DescribeWorkspaces", perSecond: 40, burst: 8 });
  const aws = new Aws({
    requestHandler: sim.handler,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "x" },
    region: "us-east-1",
    userAgent: "test",
  });
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.workspaces.length, 1_000);
  assert.equal(new Set(listing.workspaces.map((w) => w.WorkspaceId)).size, 1_000, "each desktop once");
  const calls = sim.calls.filter((c) => c.operation === "DescribeWorkspaces");
  const throttled = calls.filter((c) => c.status === 400).length;
  assert.ok(throttled > 0, "the limit was hit");
  assert.ok(calls.length - throttled >= 40, "every page answered");
});

Deno.test("as many directories as chains list side by side from the first page: no directory waits behind another, none re-read", async () => {
  const sim = new Simulator(
    scaleEstate({ desktops: LISTING_CHAINS * 250, directoriesPerRegion: LISTING_CHAINS, pools: 1, seed: 4 }),
  );
  sim.inject({ kind: "latency", service: "workspaces", operation: "DescribeWorkspaces", ms: 5 });
  const peak = peakInFlight(sim);
  const { aws } = awsOn(sim);
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.workspaces.length, LISTING_CHAINS * 250);
  // Every chain is as long as the others: a split would re-read pages for no shorter path.
  assert.equal(listing.strategy, "by-directory");
  const calls = sim.calls.filter((c) => c.operation === "DescribeWorkspaces");
  assert.equal(calls.length, LISTING_CHAINS * 10, "10 pages a directory, each read once");
  // Each directory's first page is asked before any directory's second.
  const firstSecond = calls.findIndex((c) => "NextToken" in (c.params as object));
  const firsts = calls.filter((c) => !("NextToken" in (c.params as object)));
  assert.equal(firsts.length, LISTING_CHAINS);
  assert.ok(calls.indexOf(firsts[firsts.length - 1]) < firstSecond, "every chain started at once");
  assert.equal(peak(), LISTING_CHAINS, "all chains in flight together");
});

Deno.test("more than half as many large directories as chains are not split: bundle chains would re-read pages for less than twice the chains", async () => {
  const directories = Math.floor(LISTING_CHAINS / 2) + 1;
  const sim = new Simulator(scaleEstate({ desktops: directories * 1_000, directoriesPerRegion: directories, seed: 4 }));
  const { aws } = awsOn(sim);
  const listing = await listWorkspaces(aws, "us-east-1");
  assert.equal(listing.workspaces.length, directories * 1_000);
  assert.equal(listing.strategy, "by-directory");
  assert.equal(sim.count("workspaces", "DescribeWorkspaces"), directories * 40, "40 pages a directory, none re-read");
  assert.equal(sim.count("workspaces", "DescribeWorkspaceBundles"), 0, "no split considered");
});
