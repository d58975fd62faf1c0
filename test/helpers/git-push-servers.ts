import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer as createHttp } from "node:http";
import { createServer as createTcp, connect } from "node:net";

/**
 * Git servers on 127.0.0.1 that accept pushes, for the shared deployment records: `git daemon` with
 * receive-pack enabled, and smart HTTP through `git http-backend` as a CGI behind node:http. The HTTP
 * server runs in a process of its own (this file run as a script), so tests that block on a child comms
 * still have it answering.
 */

export const GIT_DAEMON = "/usr/lib/git-core/git-daemon";
export const HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";
export const haveDaemon = existsSync(GIT_DAEMON);
export const haveHttpBackend = existsSync(HTTP_BACKEND);

export interface Server {
  /** Base URL: append the repository's path under the served root. */
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createTcp();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((done) => {
      const c = connect(port, "127.0.0.1");
      c.once("connect", () => {
        c.destroy();
        done(true);
      });
      c.once("error", () => done(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

function stopper(child: ReturnType<typeof spawn>): () => Promise<void> {
  return () =>
    new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
}

/** `git daemon` serving every repository under `root`, pushes allowed. */
export async function startGitDaemon(root: string): Promise<Server> {
  const port = await freePort();
  const child = spawn("git", ["daemon", "--reuseaddr", "--export-all", "--enable=receive-pack", "--informative-errors", `--base-path=${root}`, "--listen=127.0.0.1", `--port=${port}`, root], { stdio: "ignore" });
  await waitForPort(port);
  return { url: `git://127.0.0.1:${port}`, stop: stopper(child) };
}

/** Smart HTTP for every repository under `root`, pushes allowed (http.receivepack). */
export async function startHttpBackend(root: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [import.meta.path, String(port), root], { stdio: "ignore" });
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}`, stop: stopper(child) };
}

/** The HTTP server itself: each request runs git http-backend with the CGI variables it reads. */
function serveHttp(port: number, root: string): void {
  createHttp((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: "http.receivepack",
      GIT_CONFIG_VALUE_0: "true",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ""),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_ADDR: "127.0.0.1",
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
    };
    if (req.headers["content-length"]) env.CONTENT_LENGTH = String(req.headers["content-length"]);
    if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = String(req.headers["content-encoding"]);
    const cgi = spawn(HTTP_BACKEND, [], { env, stdio: ["pipe", "pipe", "ignore"] });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let sent = false;
    cgi.stdout.on("data", (chunk: Buffer) => {
      if (sent) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end < 0) return;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const [k, ...v] = line.split(":");
        if (!k) continue;
        if (k.toLowerCase() === "status") status = Number.parseInt(v.join(":").trim(), 10);
        else res.setHeader(k, v.join(":").trim());
      }
      res.writeHead(status);
      sent = true;
      res.write(head.subarray(end + 4));
    });
    cgi.on("close", () => {
      if (!sent) res.writeHead(500);
      res.end();
    });
  }).listen(port, "127.0.0.1");
}

if (import.meta.main) serveHttp(Number(process.argv[2]), process.argv[3]!);
