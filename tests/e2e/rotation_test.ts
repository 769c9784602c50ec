/**
 * Rotated credentials under the production flags: a long-lived process picks up a rewritten
 * ~/.aws/credentials (the file changed), and re-reads it when AWS rejects the key it signs with
 * (the file changed in a way its timestamp does not show), retrying that call once.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scenario, Simulator } from "../../src/sim/mod.ts";
import { CONFIG, DENO_DIR, PROD_FLAGS, ROOT } from "./prod_flags.ts";

const PROBE = fileURLToPath(new URL("./session_probe.ts", import.meta.url));
const KEY = {
  first: "AKIAROTATEDKEY000001",
  second: "AKIAROTATEDKEY000002",
  third: "AKIAROTATEDKEY000003",
  fourth: "AKIAROTATEDKEY000004",
};
const creds = (key: string) => `[dev]\naws_access_key_id = ${key}\naws_secret_access_key = secret-of-${key}\n`;

Deno.test("rotation: a rewritten credentials file is used by the next call, and a rejected key is re-read once", async () => {
  const home = await Deno.makeTempDir({ prefix: "euc-mcp-rotate-" });
  const sim = new Simulator(scenario().workspace("ws-rotate0001").build());
  const served = await sim.serve();
  const file = join(home, ".aws", "credentials");
  await Deno.mkdir(join(home, ".aws"));
  await Deno.writeTextFile(file, creds(KEY.first));
  await Deno.writeTextFile(join(home, ".aws", "config"), "[profile dev]\nregion = us-east-1\n");
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      CONFIG,
      "--no-prompt",
      ...PROD_FLAGS,
      PROBE,
      "--profile",
      "dev",
      "--endpoint-url",
      served.url,
    ],
    cwd: ROOT,
    clearEnv: true,
    env: { HOME: home, DENO_DIR, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", AWS_EC2_METADATA_DISABLED: "true" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  const next = async (command = "call"): Promise<string> => {
    await writer.write(new TextEncoder().encode(`${command}\n`));
    while (!pending.includes("\n")) {
      const { value, done } = await lines.read();
      if (done) throw new Error(`probe exited: ${await new Response(child.stderr).text()}`);
      pending += value;
    }
    const line = pending.slice(0, pending.indexOf("\n"));
    pending = pending.slice(pending.indexOf("\n") + 1);
    return line;
  };
  const signers = () => sim.calls.filter((c) => c.service === "workspaces").map((c) => `${c.accessKeyId} ${c.status}`);
  try {
    assert.equal(await next(), "ok");
    assert.deepEqual(signers(), [`${KEY.first} 200`]);

    // `aws configure` / a rotation script rewrites the file: the next call signs with the new key, no rejection.
    await Deno.writeTextFile(file, creds(KEY.second));
    assert.equal(await next(), "ok");
    assert.deepEqual(signers().slice(1), [`${KEY.second} 200`]);

    // Rewritten with the same size and timestamp (invisible to the file check), and AWS now rejects the old key:
    // the rejection makes the process read the file again and retry that call once with the new identity.
    const before = await Deno.stat(file);
    await Deno.writeTextFile(file, creds(KEY.third));
    await Deno.utime(file, before.atime ?? new Date(), before.mtime ?? new Date());
    sim.inject({ kind: "invalid-token", accessKeyId: KEY.second });
    assert.equal(await next(), "ok");
    assert.deepEqual(signers().slice(2), [`${KEY.second} 400`, `${KEY.third} 200`]);

    // Within a tool run the files are looked at once (not per call), but every run looks again: a file
    // rewritten between two runs a moment apart is used by the second run's first call.
    assert.equal(await next("tool"), "ok");
    await Deno.writeTextFile(file, creds(KEY.fourth));
    assert.equal(await next("tool"), "ok");
    assert.deepEqual(signers().slice(4), [
      `${KEY.third} 200`,
      `${KEY.third} 200`,
      `${KEY.fourth} 200`,
      `${KEY.fourth} 200`,
    ]);
  } finally {
    await writer.close();
    await lines.cancel();
    await child.stderr.cancel();
    await child.status;
    await served.close();
    await Deno.remove(home, { recursive: true });
  }
});
