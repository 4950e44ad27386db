/**
 * What TCP connects say: ConnectionRefused (nothing listens; with target-side socket data,
 * AppListeningOnLoopback or AppListeningOnOtherPort), ServiceVIPUnreachable (a ready
 * pod answers on its IP but the ClusterIP does not: the kube-proxy path), and
 * ConnectionTimedOut for addresses outside the cluster.
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import type { Observation, TargetContext, TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { kubeProxyMode } from "../node/agents.ts";
import { ruleText, vipRules } from "../node/kube-proxy-rules.ts";
import { isReady } from "../../model/pod-state.ts";
import { attempts, attemptText, loopbackToSelf, reach, roleOf } from "./reach.ts";

const LOOPBACK = /^(127\.|::1$|localhost$)/;

function readyEndpoint(ctx: TargetContext, o: Observation): boolean {
  if (roleOf(o) !== "endpoint") return false;
  const flag = o.check.detail.input?.["ready"];
  if (flag !== undefined) return flag !== "false";
  // a heavily truncated result keeps only role and pod: ask the snapshot
  const pod = ctx.backends.find((p) => p.metadata.name === o.check.detail.input?.["pod"]);
  return pod === undefined || isReady(pod);
}

function socketFindings(ctx: TargetContext, refused: readonly Observation[]): Finding[] {
  const out: Finding[] = [];
  const ns = ctx.service?.metadata.namespace ?? ctx.namespace;
  for (const o of refused) {
    const pod = o.check.detail.input?.["pod"];
    const port = Number(o.check.detail.input?.["port"]);
    const sockets = typeof pod === "string" ? ctx.targetSockets?.[`${ns}/${pod}`] : undefined;
    if (!sockets) continue;
    const tcp = sockets.filter((s) => (s.protocol ?? "TCP").toUpperCase() === "TCP");
    const onPort = tcp.filter((s) => s.port === port);
    const base = { target: ctx.target.name, source: o.probe, escalateTo: "App" as const };
    if (onPort.length > 0 && onPort.every((s) => LOOPBACK.test(s.address))) {
      out.push(
        finding("AppListeningOnLoopback", "Critical", {
          ...base,
          message: `Pod ${ns}/${pod} listens on ${onPort[0]?.address}:${port} only, so connections to its pod IP are refused`,
          evidence: tcp.map((s) => `listening ${s.address}:${s.port}`),
          remediation: `Make the app bind 0.0.0.0:${port} (all interfaces) instead of ${onPort[0]?.address}`,
        }),
      );
    } else if (onPort.length === 0 && tcp.length > 0) {
      const ports = [...new Set(tcp.map((s) => s.port))];
      out.push(
        finding("AppListeningOnOtherPort", "Critical", {
          ...base,
          message: `Pod ${ns}/${pod} listens on ${ports.join(", ")}, not on ${port}`,
          evidence: tcp.map((s) => `listening ${s.address}:${s.port}`),
          remediation: `Point the Service targetPort at ${ports[0]} or make the app listen on ${port}`,
        }),
      );
    }
  }
  return out;
}

export const connectResults: TargetAnalyzer = (ctx) => {
  const tries = attempts(ctx);
  if (tries.length === 0) return [];
  const out: Finding[] = [];
  const vip = tries.filter((o) => roleOf(o) === "clusterIP");
  // the source pod's own IP, from inside it, answers over loopback: no evidence for the VIP path
  const readyOk = tries.filter((o) => readyEndpoint(ctx, o) && reach(o.check) === "connected" && !loopbackToSelf(ctx, o));
  const vipFailed = vip.filter((o) => reach(o.check) === "dropped" || reach(o.check) === "refused");
  if (vipFailed.length > 0 && readyOk.length > 0) {
    const mode = kubeProxyMode(ctx.idx);
    // node inspection with the rules setting: whether kube-proxy wrote the rule on the probes' nodes
    const rules = vipRules(ctx);
    const probeNodes = new Set(vipFailed.flatMap((o) => (o.node ? [o.node] : [])));
    const missingHere = rules.filter((r) => r.rule.rule === "missing" && probeNodes.has(r.node));
    out.push(
      finding("ServiceVIPUnreachable", "Critical", {
        target: ctx.target.name,
        source: vipFailed[0]?.probe,
        message: `The ClusterIP ${attemptText(vipFailed[0] as Observation)} ${vipFailed[0]?.check.outcome === "refused" ? "refuses" : "drops"} connections while ready pod ${attemptText(readyOk[0] as Observation)} answers: the Service VIP path (kube-proxy${mode ? `, mode ${mode}` : ""}) is broken${missingHere.length > 0 ? `: kube-proxy on node ${missingHere.map((r) => r.node).join(", ")} has no rule for ${missingHere[0]?.rule.ip}:${missingHere[0]?.rule.port}` : ""}`,
        ...(rules.length > 0 ? { evidence: rules.map(ruleText) } : {}),
        remediation:
          missingHere.length > 0
            ? `kube-proxy on ${missingHere.map((r) => r.node).join(", ")} has not written the Service's rule: check its logs and sync (curl localhost:10256/healthz), restart it there, and find what removes its rules`
            : "Check kube-proxy on the source node (logs, iptables-save | grep the Service, ipvsadm -Ln) and conntrack",
        escalateTo: "Platform/CNI",
      }),
    );
  }
  const staticDeny = ctx.path.length > 0 && ctx.path.every((f) => !f.verdict.allowed);
  const refused = tries.filter((o) => reach(o.check) === "refused" && !(roleOf(o) === "clusterIP" && readyOk.length > 0));
  if (refused.length > 0 && !staticDeny) {
    const noReady = ctx.found.some((f) => f.target === ctx.target.name && (f.code === "ServiceEndpointsNotReady" || f.code === "ServiceSelectorMatchesNoPods"));
    out.push(
      finding("ConnectionRefused", "Critical", {
        target: ctx.target.name,
        source: refused[0]?.probe,
        message: `Connection refused by ${refused.slice(0, 3).map(attemptText).join(", ")}: the address answers but nothing accepts on that port${noReady && refused.every((o) => roleOf(o) === "clusterIP") ? " (the Service has no ready endpoints, so kube-proxy rejects)" : ""}`,
        evidence: refused.slice(0, 5).map((o) => `probe ${o.probe}: ${attemptText(o)} refused in ${o.check.durationMs} ms`),
        remediation: "Check that the app listens on the targetPort on all interfaces (ss -tlnp in the pod: 0.0.0.0 or *, not 127.0.0.1)",
        escalateTo: "App",
      }),
      ...socketFindings(
        ctx,
        refused.filter((o) => roleOf(o) === "endpoint"),
      ),
    );
  }
  if (!ctx.service && !ctx.resolved.service) {
    const dropped = tries.filter((o) => reach(o.check) === "dropped");
    if (dropped.length > 0 && !tries.some((o) => reach(o.check) === "connected") && !staticDeny) {
      out.push(
        finding("ConnectionTimedOut", "Critical", {
          target: ctx.target.name,
          source: dropped[0]?.probe,
          message: `Connections to ${dropped.slice(0, 3).map(attemptText).join(", ")} time out; no NetworkPolicy of the cluster blocks them, so a firewall or security group outside the cluster drops them`,
          remediation: "Check egress firewalls, NAT gateways and security groups between the cluster and the destination",
          escalateTo: "Cloud/Infra",
        }),
      );
    }
  }
  return out;
};
