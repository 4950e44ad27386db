/**
 * Node limits, from node inspection (docs/adr/0013-node-inspection.md): the conntrack
 * table filling up, interfaces dropping packets, TCP retransmitting — what
 * `kubectl debug node/<n>` with netshoot shows (`conntrack -C` vs nf_conntrack_max,
 * `ip -s link`, `nstat`/`netstat -s`). Counters are sampled twice over the run; a
 * delta, not a total since boot, is what says "now".
 *
 * Thresholds:
 * - conntrack: Warning from 75 % of nf_conntrack_max (the node-exporter mixin's
 *   NodeHighNumberConntrackEntriesUsed alert), Critical from 95 %: at 100 % the kernel
 *   drops new flows ("nf_conntrack: table full, dropping packet"), and a burst covers the
 *   last 5 % within seconds.
 * - interface drops/errors: more than 1 % of an interface's packets in one direction lost
 *   (errors + drops) during the sample, and at least 10 — the node-exporter mixin's
 *   NodeNetworkReceiveErrs ratio; a few drops are noise (frames of an unknown protocol
 *   count as rx drops on any Linux interface).
 * - retransmits: more than 2 % of the segments sent during the sample, over at least
 *   200 segments (fewer say nothing), is a Warning; loss of that order halves TCP
 *   throughput.
 *
 * @module
 */
import type { NodeInspection } from "../../api/node-inspection.ts";
import type { Finding } from "../../api/status.ts";
import type { ClusterAnalyzer, NodeInspectionNote } from "../context.ts";
import { finding } from "../finding.ts";

export const CONNTRACK_WARN = 0.75;
export const CONNTRACK_CRIT = 0.95;
export const RETRANS_RATIO = 0.02;
export const DROPS_RATIO = 0.01;
export const DROPS_MIN = 10;
export const RETRANS_MIN_SEGMENTS = 200;

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function nodeCounterFindings(i: NodeInspection): Finding[] {
  const out: Finding[] = [];
  const secs = Math.max(i.sampleMs, 1) / 1000;
  const node = i.node || "?";
  if (i.conntrack && i.conntrack.max > 0) {
    const used = i.conntrack.count / i.conntrack.max;
    if (used >= CONNTRACK_WARN) {
      out.push(
        finding("ConntrackTableNearFull", used >= CONNTRACK_CRIT ? "Critical" : "Warning", {
          message: `The conntrack table of node ${node} is ${pct(used)} full (${i.conntrack.count} of nf_conntrack_max ${i.conntrack.max}): at 100% the kernel drops new connections`,
          evidence: [`node ${node}: nf_conntrack_count ${i.conntrack.count}, nf_conntrack_max ${i.conntrack.max}`],
          remediation: `Raise net.netfilter.nf_conntrack_max on ${node} (kube-proxy's conntrack.maxPerCore), find who opens so many flows (conntrack -L | sort by source), shorten tcp timeouts for short-lived connections`,
          escalateTo: "Kernel/OS",
        }),
      );
    }
  }
  // per direction: lost (errors + drops) over packets during the sample
  const loss = (f: NodeInspection["interfaces"][number], off: 0 | 3) => {
    const d = (k: number) => (f.after[off + k] ?? 0) - (f.before[off + k] ?? 0);
    const lost = d(1) + d(2);
    return { lost, packets: d(0), bad: lost >= DROPS_MIN && lost > DROPS_RATIO * (d(0) + lost) };
  };
  const dropping = i.interfaces.filter((f) => loss(f, 0).bad || loss(f, 3).bad);
  if (dropping.length > 0) {
    out.push(
      finding("InterfaceDrops", "Warning", {
        message: `Interface${dropping.length > 1 ? "s" : ""} ${dropping.map((f) => f.name).join(", ")} on node ${node} dropped or errored more than ${pct(DROPS_RATIO)} of their packets during the run`,
        evidence: dropping.map((f) => {
          const rx = loss(f, 0);
          const tx = loss(f, 3);
          return `node ${node} ${f.name} over ${secs.toFixed(1)} s: rx ${rx.lost} lost of ${rx.packets + rx.lost}, tx ${tx.lost} lost of ${tx.packets + tx.lost} (errors + drops)`;
        }),
        remediation: `Look at ip -s link show on ${node}: rx drops are a full ring buffer or backlog (ethtool -g, net.core.netdev_max_backlog), tx drops a full qdisc; errors point at the NIC, the cable or the virtual switch`,
        escalateTo: "Kernel/OS",
      }),
    );
  }
  const [t0, t1] = i.tcp ?? [];
  if (t0 && t1) {
    const sent = t1.outSegs - t0.outSegs;
    const re = t1.retransSegs - t0.retransSegs;
    if (sent >= RETRANS_MIN_SEGMENTS && re / sent > RETRANS_RATIO) {
      out.push(
        finding("TCPRetransmitsHigh", "Warning", {
          message: `Node ${node} retransmitted ${pct(re / sent)} of its TCP segments during the run (${re} of ${sent}): packets are lost on its paths`,
          evidence: [`node ${node} over ${secs.toFixed(1)} s: OutSegs +${sent}, RetransSegs +${re}`],
          remediation: `Find the lossy path from ${node}: ss -ti (retrans per connection), interface drops, MTU black holes, an overloaded peer`,
          escalateTo: "Platform/CNI",
        }),
      );
    }
  }
  return out;
}

/** One Info line for what the run could not see: inspection off (how to enable it) or a node probe that failed. */
export function inspectionNotes(n: NodeInspectionNote | undefined): Finding[] {
  if (!n) return [];
  if (!n.enabled) {
    return [
      finding("NodeInspectionUnavailable", "Info", {
        message: "Node inspection is off: the target pods' listening sockets and the nodes' conntrack, drop and retransmit counters were not checked",
        remediation:
          "A cluster admin enables it with the operator's --node-inspection (Helm value policy.nodeInspection=true): read-only node probes in the operator's namespace (docs/adr/0013-node-inspection.md)",
      }),
    ];
  }
  return n.failures.map((f) =>
    finding("NodeInspectionUnavailable", "Info", {
      message: `Node ${f.node} could not be inspected: ${f.message}`,
      remediation: "Check the node probe pods in the operator's namespace (label netdiag.dev/node-probe=true) and their events",
    }),
  );
}

export const nodeCounters: ClusterAnalyzer = (ctx) => [...ctx.nodeInspections.flatMap(nodeCounterFindings), ...inspectionNotes(ctx.nodeInspection)];
