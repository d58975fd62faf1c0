import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";

/**
 * Real git servers on loopback for tests: `git daemon` (git://) and smart HTTP through
 * `git http-backend` run as CGI by a small node:http server. Both serve every repository below a base
 * directory, fetches always, pushes (receive-pack) when asked. Tests that need them skip with a visible
 * message when the git programs are missing.
 */

export const GIT_DAEMON = "/usr/lib/git-core/git-daemon";
export const GIT_HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

/** Why the servers cannot run here, or undefined when they can. */
export function serversMissing(): string | undefined {
  const missing = [GIT_DAEMON, GIT_HTTP_BACKEND].filter((p) => !existsSync(p));
  return missing.length ? `git servers unavailable (${missing.join(", ")} missing): skipping tests that need them` : undefined;
}

/** Git's environment for the servers: nothing from a surrounding repository or hook. */
function serverEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("GIT_")) env[k] = v;
  return { ...env, ...extra };
}

/** A free TCP port on 127.0.0.1 (released just before the server takes it). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createNetServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => done(port));
    });
  });
}

export interface GitServer {
  /** URL of a repository below the base directory: `url("pagos.git")`. */
  url(repo: string): string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Accept pushes (receive-pack). */
  push?: boolean;
}

/** Waits until something accepts connections on the port. */
async function listening(port: number, child: ChildProcess): Promise<void> {
  const { connect } = await import("node:net");
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`git daemon exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((done) => {
      const sock = connect(port, "127.0.0.1");
      sock.once("connect", () => {
        sock.destroy();
        done(true);
      });
      sock.once("error", () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`git daemon did not listen on 127.0.0.1:${port}`);
}

/** Stops a server process and waits until it has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once("exit", () => done());
    child.kill("SIGTERM");
  });
}

/** `git daemon` on 127.0.0.1 serving every repository below `base`. */
export async function startDaemon(base: string, opts: ServerOptions = {}): Promise<GitServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const args = ["--reuseaddr", "--export-all", `--base-path=${base}`, "--listen=127.0.0.1", `--port=${port}`, "--enable=upload-pack", ...(opts.push ? ["--enable=receive-pack"] : []), "--informative-errors", base];
    const child = spawn(GIT_DAEMON, args, { env: serverEnv(), stdio: ["ignore", "ignore", "pipe"] });
    child.stderr!.resume();
    try {
      await listening(port, child);
    } catch (e) {
      child.kill("SIGKILL");
      // Another process took the port between the probe and the daemon: try another.
      if (attempt < 5) continue;
      throw e;
    }
    return { url: (repo) => `git://127.0.0.1:${port}/${repo}`, stop: () => stopChild(child) };
  }
}

export interface HttpGitServer extends GitServer {
  /** Requests answered so far. */
  readonly requests: number;
  /** Requests after which every further request is cut off (a server going away mid-fetch); undefined for none. */
  dropAfter: number | undefined;
}

/** Smart HTTP: node:http on 127.0.0.1 running `git http-backend` as CGI for every repository below `base`. */
export async function startHttp(base: string, opts: ServerOptions = {}): Promise<HttpGitServer> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    if (state.dropAfter !== undefined && requests > state.dropAfter) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const env = serverEnv({
      GIT_PROJECT_ROOT: base,
      GIT_HTTP_EXPORT_ALL: "1",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ""),
      REQUEST_METHOD: req.method ?? "GET",
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      REMOTE_ADDR: "127.0.0.1",
      REMOTE_USER: "tester",
      GATEWAY_INTERFACE: "CGI/1.1",
      SERVER_PROTOCOL: "HTTP/1.1",
      ...(req.headers["git-protocol"] ? { GIT_PROTOCOL: String(req.headers["git-protocol"]) } : {}),
      ...(req.headers["content-encoding"] ? { HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"]) } : {}),
    });
    const args = opts.push ? ["-c", "http.receivepack=true", "http-backend"] : ["http-backend"];
    const cgi = spawn("git", args, { env, stdio: ["pipe", "pipe", "ignore"] });
    req.pipe(cgi.stdin!);
    cgi.stdin!.on("error", () => {});
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout!.on("data", (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      if (end === -1) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon === -1) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]) || 500;
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on("close", () => {
      if (!headersDone) res.writeHead(500);
      res.end();
    });
  });
  const state = { dropAfter: undefined as number | undefined };
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (repo) => `http://127.0.0.1:${port}/${repo}`,
    get requests() {
      return requests;
    },
    get dropAfter() {
      return state.dropAfter;
    },
    set dropAfter(n: number | undefined) {
      state.dropAfter = n;
      requests = 0;
    },
    stop: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * startHttp in a process of its own (this file run as a script), for tests that block on a child comms
 * (a synchronous spawn stops this process's event loop, and with it a server running here).
 */
export async function startHttpProcess(base: string, opts: ServerOptions = {}): Promise<GitServer> {
  const child = spawn(process.execPath, [import.meta.path, base, opts.push ? "push" : "fetch"], { env: serverEnv(), stdio: ["ignore", "pipe", "ignore"] });
  const port = await new Promise<number>((done, fail) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) done(Number(out.trim()));
    });
    child.once("exit", (code) => fail(new Error(`the HTTP git server exited with ${code}`)));
  });
  return { url: (repo) => `http://127.0.0.1:${port}/${repo}`, stop: () => stopChild(child) };
}

if (import.meta.main) {
  const server = await startHttp(process.argv[2]!, { push: process.argv[3] === "push" });
  // The port, on a line of its own, tells the parent the server is listening.
  process.stdout.write(`${new URL(server.url("")).port}\n`);
}

/** Runs git for a test fixture (throws with git's message on failure). */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", ...args], { cwd, env: serverEnv(), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Publishes a work tree as the bare repository `<base>/<name>.git` (replacing it: a force push), with
 * filters allowed so partial fetches can be served sparsely unless `filters` is false.
 */
export function publish(work: string, base: string, name: string, opts: { filters?: boolean } = {}): string {
  const bare = `${base}/${name}.git`;
  if (!existsSync(bare)) {
    git(base, "init", "-q", "--bare", "-b", "main", `${name}.git`);
  }
  git(bare, "config", "uploadpack.allowFilter", opts.filters === false ? "false" : "true");
  git(bare, "config", "uploadpack.allowAnySHA1InWant", "true");
  git(work, "push", "-q", "--force", bare, "HEAD:refs/heads/main");
  return bare;
}
