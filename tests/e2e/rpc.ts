/** A minimal JSON-RPC peer for `deno run <production flags> main.ts` over stdio (tests and benchmarks). */
import { CONFIG, DENO_DIR, MAIN, PROD_FLAGS } from "./prod_flags.ts";

/** Fake static keys: they must never appear in any output. */
export const FAKE_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAE2ETESTKEY000000",
  AWS_SECRET_ACCESS_KEY: "e2e-secret-value-must-never-appear",
  HOME: "/nonexistent-home",
  NO_COLOR: "1",
};

/** What every child process keeps from this one: the Deno cache (and Windows' system root). */
export const CHILD_BASE_ENV: Record<string, string> = {
  DENO_DIR,
  DENO_NO_UPDATE_CHECK: "1",
  ...(Deno.build.os === "windows" && Deno.env.get("SYSTEMROOT") ? { SYSTEMROOT: Deno.env.get("SYSTEMROOT")! } : {}),
};

/** A running server and a way to talk to it. */
export interface Rpc {
  /** The child process id (for memory readings). */
  pid: number;
  send(msg: unknown): Promise<void>;
  /** Sends a request and waits for its answer (at most `timeoutMs`, default 60 s). */
  request(method: string, params?: unknown, timeoutMs?: number): Promise<Record<string, unknown>>;
  stdoutLines: string[];
  stderr(): Promise<string>;
  close(): Promise<number>;
}

/** Spawns the server with the production flags plus `args`, with a cleared environment. */
export function spawnServer(args: string[]): Rpc {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--config", CONFIG, ...PROD_FLAGS, MAIN, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: { ...FAKE_ENV, ...CHILD_BASE_ENV },
  }).spawn();
  const writer = child.stdin.getWriter();
  const stdoutLines: string[] = [];
  const waiters = new Map<number, (msg: Record<string, unknown>) => void>();
  let ended = false;
  const reading = (async () => {
    let buf = "";
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        stdoutLines.push(line);
        try {
          const msg = JSON.parse(line);
          if (typeof msg.id === "number") waiters.get(msg.id)?.(msg);
        } catch {
          // recorded in stdoutLines; the test asserts every line is JSON-RPC
        }
      }
    }
    if (buf) stdoutLines.push(buf);
    ended = true;
    // The server is gone: fail every pending request instead of hanging the suite.
    for (const resolve of waiters.values()) resolve({ error: { message: "server exited before answering" } });
  })();
  const stderrText = new Response(child.stderr).text();
  let nextId = 1;
  const send = async (msg: unknown) => await writer.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
  return {
    pid: child.pid,
    send,
    stdoutLines,
    async request(method, params, timeoutMs = 60_000) {
      const id = nextId++;
      if (ended) throw new Error(`server exited; stderr: ${await stderrText}`);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
        waiters.set(id, resolve);
        timer = setTimeout(() => reject(new Error(`no answer to ${method} within ${timeoutMs / 1000} s`)), timeoutMs);
      });
      await send({ jsonrpc: "2.0", id, method, ...(params ? { params } : {}) });
      try {
        const msg = await answer;
        if (msg.error) throw new Error(`${method} failed: ${JSON.stringify(msg.error)}; stderr: ${await stderrText}`);
        return msg;
      } finally {
        clearTimeout(timer);
        waiters.delete(id);
      }
    },
    stderr: () => stderrText,
    async close() {
      await writer.close();
      const status = await child.status;
      await reading;
      await stderrText;
      return status.code;
    },
  };
}
