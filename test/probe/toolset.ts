// The tool sets the probe tests run against (docs/netshoot-compat.md):
//   debian       the host's tools (Debian: GNU coreutils, glibc's getent, iputils ...), like the
//                lab's nicolaka/netshoot image;
//   alpine-like  the lab's nicolaka/netshoot:alpine-like rootfs (scripts/lab/images/build):
//                busybox for coreutils & co. as on the real netshoot (Alpine), bash, dig, curl,
//                iputils, iproute2, openssl, jq, mtr from Debian packages, entered with
//                chroot-run.sh (chroot in a private mount namespace, inside the lab's netns).
// NETDIAG_PROBE_TOOLSET=debian | alpine-like | both (default both) picks them.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const here = path.dirname(new URL(import.meta.url).pathname);
const repoRoot = path.resolve(here, "..", "..");
const BUILD = path.join(repoRoot, "scripts", "lab", "images", "build");
/** Enters the alpine-like rootfs (see the script). */
export const CHROOT_RUN = path.join(here, "chroot-run.sh");
/** Where chroot-run.sh --repo mounts the repository inside the rootfs. */
export const REPO_IN_ROOTFS = "/mnt";
/** PATH of the image (its config's Env), as a container of it would have it. */
export const IMAGE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export type ToolsetName = "debian" | "alpine-like";
export interface Toolset {
  name: ToolsetName;
  /** For test titles. */
  label: string;
}

const ENV = "NETDIAG_PROBE_TOOLSET";

function selected(): ToolsetName[] {
  const v = (process.env[ENV] ?? "").trim() || "both";
  if (v === "both") return ["debian", "alpine-like"];
  if (v === "debian" || v === "alpine-like") return [v];
  throw new Error(`${ENV}=${v}: expected debian, alpine-like or both`);
}

/** The tool sets this run covers, in order. */
export const TOOLSETS: Toolset[] = selected().map((name) => ({
  name,
  label: name === "debian" ? "debian tools (host)" : "alpine-like tools (busybox rootfs)",
}));

/** Why a tool set cannot run here (the alpine-like one needs root: chroot, mounts), else undefined. */
export function toolsetSkipReason(ts: Toolset | ToolsetName): string | undefined {
  const name = typeof ts === "string" ? ts : ts.name;
  if (name === "debian") return undefined;
  if (process.platform !== "linux") return "the alpine-like tool set needs Linux (chroot, mount namespaces)";
  if (process.getuid?.() !== 0) return "the alpine-like tool set needs root (chroot, mount namespaces)";
  return undefined;
}

let rootfs: string | undefined;
/**
 * The unpacked alpine-like rootfs: NETDIAG_ALPINE_LIKE_ROOTFS, else built (or found in the
 * cache) by `scripts/lab/images/build --rootfs netshoot-alpine-like` — a no-op when cached;
 * the first build downloads ~25 MB of Debian packages.
 */
export function alpineRootfs(): string {
  if (rootfs) return rootfs;
  const given = process.env.NETDIAG_ALPINE_LIKE_ROOTFS;
  if (given) return (rootfs = given);
  const t0 = Date.now();
  const r = spawnSync(BUILD, ["--rootfs", "netshoot-alpine-like"], { encoding: "utf8", timeout: 15 * 60_000 });
  const out = r.stdout?.trim().split("\n").pop() ?? "";
  if (r.status !== 0 || !out.startsWith("/")) {
    throw new Error(
      `building the alpine-like rootfs failed (${r.status ?? r.error?.message}): ${(r.stderr ?? "").slice(-3000)}\n` +
        `(${ENV}=debian runs the probe tests on the host's tools only)`,
    );
  }
  if (Date.now() - t0 > 5000) console.error(`# alpine-like rootfs built in ${Date.now() - t0} ms: ${out}`);
  return (rootfs = out);
}

/**
 * argv that runs CMD with the tool set: as is for debian, inside the rootfs (repository at
 * REPO_IN_ROOTFS, host /tmp shared) for alpine-like; `user` runs it as that uid without
 * capabilities (the debian caller wraps with setpriv itself).
 */
export function toolsetArgv(ts: ToolsetName, cmd: string[], opts: { user?: number } = {}): string[] {
  if (ts === "debian") return cmd;
  return ["/bin/bash", CHROOT_RUN, ...(opts.user !== undefined ? ["--user", String(opts.user)] : []), "--repo", repoRoot, alpineRootfs(), ...cmd];
}

/** A repository path as the tool set sees it. */
export function repoPath(ts: ToolsetName, p: string): string {
  if (ts === "debian") return p;
  const rel = path.relative(repoRoot, p);
  if (rel.startsWith("..")) throw new Error(`${p} is outside the repository`);
  return path.posix.join(REPO_IN_ROOTFS, rel);
}

/** Runs CMD with the tool set (see toolsetArgv). */
export function toolsetSpawn(ts: ToolsetName, cmd: string[], opts: SpawnSyncOptions = {}) {
  const argv = toolsetArgv(ts, cmd);
  return spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8", ...opts });
}

/** Where a command of the tool set lives, as a host path (for getcap and the like), or "". */
export function hostPathOf(ts: ToolsetName, command: string): string {
  const r = toolsetSpawn(ts, ["sh", "-c", 'command -v "$1"', "sh", command], { encoding: "utf8" });
  const p = String(r.stdout ?? "").trim();
  if (!p.startsWith("/")) return "";
  return ts === "debian" ? p : path.join(alpineRootfs(), p);
}

/** A PATH that hides some of the tool set's commands (see shadowPath). */
export interface ShadowPath {
  /** The PATH value: one directory under the host's /tmp (the rootfs sees it at the same path). */
  path: string;
  cleanup(): void;
}

/**
 * A PATH with every command of the tool set except HIDE, each a symlink to the real one (as
 * the tool set sees it), and, alpine-like only, the BUSYBOX names linked to busybox's applet
 * instead of the package's binary: the probe as it runs on an image that lacks a tool, or
 * where busybox provides it (a bare Alpine: busybox ping, ip, nslookup, traceroute).
 */
export function shadowPath(ts: ToolsetName, opts: { hide?: string[]; busybox?: string[] } = {}): ShadowPath {
  const hide = new Set(opts.hide ?? []);
  const bb = new Set(opts.busybox ?? []);
  if (bb.size > 0 && ts !== "alpine-like") throw new Error("busybox applets exist only in the alpine-like tool set");
  const root = ts === "debian" ? "/" : alpineRootfs();
  const dir = mkdtempSync(path.join(tmpdir(), "ndp-path-"));
  chmodSync(dir, 0o755);
  const seen = new Set<string>();
  for (const d of IMAGE_PATH.split(":")) {
    const real = path.join(root, d);
    let names: string[];
    try {
      if (lstatSync(real).isSymbolicLink()) continue; // merged /usr: /bin is /usr/bin
      names = readdirSync(real);
    } catch {
      continue;
    }
    for (const n of names) {
      if (seen.has(n) || hide.has(n)) continue;
      seen.add(n);
      symlinkSync(bb.has(n) ? "/usr/bin/busybox" : path.posix.join(d, n), path.join(dir, n));
    }
  }
  for (const n of bb) if (!seen.has(n) && !hide.has(n)) symlinkSync("/usr/bin/busybox", path.join(dir, n));
  return { path: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
