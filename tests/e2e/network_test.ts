/**
 * Corporate networks under the production flags: the simulator served over HTTPS with a CA made at
 * test time (openssl), trusted through NODE_EXTRA_CA_CERTS or DENO_CERT, and reached directly or
 * through a CONNECT proxy on loopback (HTTPS_PROXY, NO_PROXY); and a start that fetches nothing from
 * the npm registry. Nothing leaves 127.0.0.1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scenario, Simulator } from "../../src/sim/mod.ts";
import { CONFIG, DENO_DIR, PROD_FLAGS, ROOT } from "./prod_flags.ts";

const PROBE = fileURLToPath(new URL("./sdk_probe.ts", import.meta.url));

async function openssl(dir: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd: dir, stdout: "null", stderr: "piped" }).output();
  if (!out.success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
}

/** A throwaway CA and a server certificate for 127.0.0.1 signed by it. */
async function makeCa(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  await openssl(
    dir,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=euc-mcp test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  await openssl(
    dir,
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "srv.key",
    "-out",
    "srv.csr",
    "-subj",
    "/CN=127.0.0.1",
  );
  await Deno.writeTextFile(
    join(dir, "ext.cnf"),
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  await openssl(
    dir,
    "x509",
    "-req",
    "-in",
    "srv.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "srv.pem",
    "-days",
    "1",
    "-extfile",
    "ext.cnf",
  );
  return {
    ca: join(dir, "ca.pem"),
    cert: await Deno.readTextFile(join(dir, "srv.pem")),
    key: await Deno.readTextFile(join(dir, "srv.key")),
  };
}

/**
 * A CONNECT-only proxy on loopback that counts the tunnels it opened, by target, and refuses (403)
 * every other request, recording its request line.
 */
function connectProxy(): { url: string; tunnels: string[]; refused: string[]; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const tunnels: string[] = [];
  const refused: string[] = [];
  const conns = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      (async () => {
        const buf = new Uint8Array(8192);
        let head = "";
        while (!head.includes("\r\n\r\n")) {
          const n = await conn.read(buf);
          if (n === null) return;
          head += new TextDecoder().decode(buf.subarray(0, n));
        }
        const m = /^CONNECT (127\.0\.0\.1):(\d+) HTTP/.exec(head);
        if (!m) {
          refused.push(head.split("\r\n", 1)[0]);
          await conn.write(new TextEncoder().encode("HTTP/1.1 403 Forbidden\r\n\r\n"));
          return conn.close();
        }
        tunnels.push(`${m[1]}:${m[2]}`);
        const upstream = await Deno.connect({ hostname: m[1], port: Number(m[2]) });
        conns.add(upstream);
        await conn.write(new TextEncoder().encode("HTTP/1.1 200 Connection established\r\n\r\n"));
        await Promise.allSettled([conn.readable.pipeTo(upstream.writable), upstream.readable.pipeTo(conn.writable)]);
      })().catch(() => {});
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    tunnels,
    refused,
    close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
    },
  };
}

async function probe(endpoint: string, env: Record<string, string>): Promise<{ line: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      CONFIG,
      "--no-prompt",
      ...PROD_FLAGS,
      PROBE,
      "--region",
      "us-east-1",
      "--endpoint-url",
      endpoint,
    ],
    cwd: ROOT,
    clearEnv: true,
    env: {
      HOME: "/nonexistent-home",
      DENO_DIR,
      DENO_NO_UPDATE_CHECK: "1",
      NO_COLOR: "1",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_ACCESS_KEY_ID: "AKIANETWORKTEST00001",
      AWS_SECRET_ACCESS_KEY: "x",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { line: dec.decode(out.stdout).trim().split("\n").at(-1) ?? "", stderr: dec.decode(out.stderr) };
}

Deno.test("network: HTTPS with a private CA (NODE_EXTRA_CA_CERTS, DENO_CERT, system store) and a CONNECT proxy", async () => {
  const dir = await Deno.makeTempDir({ prefix: "euc-mcp-tls-" });
  const sim = new Simulator(scenario().workspace("ws-tls0000001").build());
  const proxy = connectProxy();
  try {
    const { ca, cert, key } = await makeCa(dir);
    const served = await sim.serve({ tls: { cert, key } });
    const port = new URL(served.url).port;
    try {
      // An untrusted CA is one clean line that points at the CA variables, not a permission error.
      const untrusted = await probe(served.url, {});
      const info = JSON.parse(untrusted.line) as Record<string, string>;
      assert.equal(info.code, "EndpointUnreachable", untrusted.line);
      assert.match(info.hint, /NODE_EXTRA_CA_CERTS/);
      assert.doesNotMatch(untrusted.line + untrusted.stderr, /NotCapable|--allow-sys/);

      for (
        const env of <Record<string, string>[]> [
          { NODE_EXTRA_CA_CERTS: ca },
          { DENO_CERT: ca },
          { DENO_TLS_CA_STORE: "system,mozilla", DENO_CERT: ca },
        ]
      ) {
        const run = await probe(served.url, env);
        assert.equal(run.line, "ok", `${JSON.stringify(env)}: ${run.line}\n${run.stderr}`);
        assert.doesNotMatch(run.stderr, /NotCapable|PermissionDenied/);
      }
      assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 3);

      // Through the corporate proxy: every AWS request goes through a CONNECT tunnel.
      const proxied = await probe(served.url, { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: ca });
      assert.equal(proxied.line, "ok", proxied.line + proxied.stderr);
      assert.deepEqual(proxy.tunnels, [`127.0.0.1:${port}`]);
      assert.equal(sim.count("workspaces", "DescribeWorkspaces"), 4);

      // NO_PROXY exempts the endpoint: no tunnel.
      const direct = await probe(served.url, {
        HTTPS_PROXY: proxy.url,
        NO_PROXY: "127.0.0.1",
        NODE_EXTRA_CA_CERTS: ca,
      });
      assert.equal(direct.line, "ok", direct.line + direct.stderr);
      assert.equal(proxy.tunnels.length, 1);
    } finally {
      await served.close();
    }
  } finally {
    proxy.close();
    await Deno.remove(dir, { recursive: true });
  }
});

/** Hard-links (or copies, across file systems) a tree; the npm cache is about 13,000 files. */
async function linkTree(from: string, to: string, skip: (name: string) => boolean): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (skip(entry.name)) continue;
    const [src, dst] = [join(from, entry.name), join(to, entry.name)];
    if (entry.isDirectory) await linkTree(src, dst, skip);
    else if (entry.isFile) await Deno.link(src, dst).catch(() => Deno.copyFile(src, dst));
  }
}

Deno.test("network: a start under the production flags asks the npm registry for nothing, even without its metadata", async () => {
  // `deno install --frozen` caches packages from deno.lock but not the registry's metadata (registry.json);
  // without --cached-only, Deno 2.9.6 then asks the registry for it at every start. A cache in that state,
  // and a proxy that refuses and records every request, show whether a start reaches for the network.
  const dir = await Deno.makeTempDir({ prefix: "euc-mcp-cache-" });
  const proxy = connectProxy();
  try {
    await linkTree(join(DENO_DIR, "npm"), join(dir, "npm"), (name) => name === "registry.json");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--config", CONFIG, "--no-prompt", ...PROD_FLAGS, join(ROOT, "main.ts"), "--demo", "tools"],
      cwd: ROOT,
      clearEnv: true,
      env: {
        HOME: "/nonexistent-home",
        DENO_DIR: dir,
        DENO_NO_UPDATE_CHECK: "1",
        NO_COLOR: "1",
        HTTPS_PROXY: proxy.url,
        HTTP_PROXY: proxy.url,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const [stdout, stderr] = [new TextDecoder().decode(out.stdout), new TextDecoder().decode(out.stderr)];
    assert.ok(out.success, stderr);
    assert.ok(stdout.split("\n").includes("get_euc_inventory_summary"), stdout);
    assert.deepEqual(proxy.refused, [], "a start asked the network for something");
    assert.deepEqual(proxy.tunnels, []);
    assert.doesNotMatch(stderr, /Download/);
  } finally {
    proxy.close();
    await Deno.remove(dir, { recursive: true });
  }
});
