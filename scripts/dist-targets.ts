/** The platforms comms ships a prebuilt binary for, shared by scripts/dist.ts and the distribution tests. */
export interface Target {
  /** Suffix of the platform package and archive names: `<os>-<cpu>[-musl]`, with Node's names. */
  id: string;
  os: "linux" | "darwin" | "win32";
  cpu: "x64" | "arm64";
  libc?: "glibc" | "musl";
  /** `bun build --compile --target` value. */
  bun: string;
  /** File name of the binary. */
  exe: string;
}

const t = (os: Target["os"], cpu: Target["cpu"], libc?: Target["libc"]): Target => ({
  id: `${os}-${cpu}${libc === "musl" ? "-musl" : ""}`,
  os,
  cpu,
  libc,
  bun: `bun-${os === "win32" ? "windows" : os}-${cpu}${libc === "musl" ? "-musl" : ""}`,
  exe: os === "win32" ? "comms.exe" : "comms",
});

export const TARGETS: Target[] = [
  t("linux", "x64", "glibc"),
  t("linux", "arm64", "glibc"),
  t("linux", "x64", "musl"),
  t("linux", "arm64", "musl"),
  t("darwin", "x64"),
  t("darwin", "arm64"),
  t("win32", "x64"),
];

/** Scope of every package: the main one is `@comms-cli/comms`, the platform ones `@comms-cli/comms-<id>`. */
export const MAIN_PACKAGE = "@comms-cli/comms";
export const platformPackage = (target: Target): string => `${MAIN_PACKAGE}-${target.id}`;

/** The target of the machine running this, as the launcher picks it (glibc unless Node reports none). */
export function hostTarget(): Target | undefined {
  let musl = false;
  if (process.platform === "linux") {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    musl = !report?.header?.glibcVersionRuntime;
  }
  return TARGETS.find((x) => x.os === process.platform && x.cpu === process.arch && (x.os !== "linux" || (x.libc === "musl") === musl));
}
