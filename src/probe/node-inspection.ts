/**
 * Reading a node inspection (src/api/node-inspection.ts): parse the termination message,
 * decode /proc/net/tcp{,6} local addresses into sockets, and the counters' deltas over
 * the sample. Pure.
 *
 * @module
 */
import type { ListeningSocket } from "../analyzers/context.ts";
import { type NodeInspection, NodeInspectionSchema } from "../api/node-inspection.ts";

export type ParsedInspection = { ok: true; inspection: NodeInspection } | { ok: false; error: string };

export function parseNodeInspection(text: string): ParsedInspection {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim().split("\n").pop() ?? "");
  } catch {
    return { ok: false, error: "the node probe did not print a JSON result" };
  }
  const r = NodeInspectionSchema.safeParse(raw);
  if (!r.success) return { ok: false, error: `the node probe result does not match the contract: ${r.error.issues[0]?.message ?? "invalid"}` };
  return { ok: true, inspection: r.data };
}

/** Four bytes in /proc's host (little-endian) order -> "a.b.c.d". */
function ipv4(hex8: string): string {
  const b = [0, 2, 4, 6].map((i) => parseInt(hex8.slice(i, i + 2), 16));
  return `${b[3]}.${b[2]}.${b[1]}.${b[0]}`;
}

/** A /proc/net/tcp6 address (four little-endian 32-bit words) -> compressed IPv6, IPv4-mapped as a.b.c.d. */
function ipv6(hex32: string): string {
  const words = [0, 8, 16, 24].map((i) => hex32.slice(i, i + 8));
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => w.slice(i, i + 2)));
  const groups = [0, 2, 4, 6, 8, 10, 12, 14].map((i) => parseInt(`${bytes[i]}${bytes[i + 1]}`, 16));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${parseInt(bytes[12] ?? "0", 16)}.${parseInt(bytes[13] ?? "0", 16)}.${parseInt(bytes[14] ?? "0", 16)}.${parseInt(bytes[15] ?? "0", 16)}`;
  }
  // longest run of zero groups -> "::"
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > len && j - i > 1) {
      best = i;
      len = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => (g ?? 0).toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + len).join(":")}`;
}

/** "0100007F:1F90" -> { address: "127.0.0.1", port: 8080, protocol: "TCP" }. */
export function decodeListen(entry: string): ListeningSocket {
  const [addr = "", port = "0"] = entry.split(":");
  return { address: addr.length === 8 ? ipv4(addr) : ipv6(addr), port: parseInt(port, 16), protocol: "TCP" };
}

/** The listening sockets of every pod found, keyed by uid (duplicates of tcp/tcp6 merged). */
export function socketsByUid(i: NodeInspection): Map<string, ListeningSocket[]> {
  const out = new Map<string, ListeningSocket[]>();
  for (const p of i.pods) {
    if (!p.found) continue;
    const seen = new Set<string>();
    const list: ListeningSocket[] = [];
    for (const e of p.listen) {
      const s = decodeListen(e);
      const k = `${s.address}:${s.port}`;
      if (!seen.has(k)) list.push(s);
      seen.add(k);
    }
    out.set(p.uid, list);
  }
  return out;
}
