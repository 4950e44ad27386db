/**
 * NetworkPolicy verdict of the target path, cross-checked with the probe:
 * - static deny, probe blocked or no probe data -> NetworkPolicyDenied (names the policy
 *   and the condition that does not match);
 * - static allow, probe timed out -> UnexplainedDrop (CNI, host firewall, security group).
 * A static deny that the probe got through is not reported here (see the expectation).
 *
 * @module
 */
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { attempts, attemptText, objectsBroken, reach } from "./reach.ts";

export const policyPath: TargetAnalyzer = (ctx) => {
  if (ctx.path.length === 0) return [];
  const tries = attempts(ctx);
  const connected = tries.filter((o) => reach(o.check) === "connected");
  const denied = ctx.path.filter((f) => !f.verdict.allowed);
  if (denied.length === ctx.path.length) {
    if (connected.length > 0) return [];
    const first = denied[0];
    if (!first) return [];
    const v = first.verdict;
    if ((v.egress.allowed || v.egress.undecided) && (v.ingress.allowed || v.ingress.undecided) && tries.length === 0) return [];
    const policies = [
      ...new Set([...(v.egress.allowed ? [] : v.egress.policies), ...(v.ingress.allowed ? [] : v.ingress.policies)].map((p) => `${p.name} (${p.namespace})`)),
    ];
    const blocked = tries.filter((o) => reach(o.check) !== "connected");
    const words: Record<string, string> = { timeout: "timed out", refused: "were refused" };
    const seen = blocked.length
      ? ` The probe's connection attempts ${[...new Set(blocked.map((o) => words[o.check.outcome] ?? o.check.outcome))].join(" or ")}.`
      : "";
    return [
      finding("NetworkPolicyDenied", "Critical", {
        target: ctx.target.name,
        source: blocked[0]?.probe,
        message: `NetworkPolicy ${policies.join(", ")} denies ${ctx.source.name} -> ${first.peer.name} ${first.protocol}/${first.port}: ${v.text}.${seen}`,
        evidence: [
          ...denied.slice(0, 3).map((f) => `${f.peer.name} ${f.protocol}/${f.port}: ${f.verdict.text}`),
          ...blocked.slice(0, 3).map((o) => `probe ${o.probe}: ${attemptText(o)} ${o.check.outcome}`),
        ],
        remediation: `Allow ${first.protocol}/${first.port} from ${ctx.source.name} in ${policies.join(", ")} (fix the selector or namespace condition that does not match), or run the client where the policy admits it`,
        escalateTo: "App",
      }),
    ];
  }
  const dropped = tries.filter((o) => reach(o.check) === "dropped");
  if (!ctx.service || connected.length > 0 || dropped.length === 0 || objectsBroken(ctx)) return [];
  if (dropped.every((o) => o.check.detail.input?.["role"] === "clusterIP") && tries.some((o) => o.check.detail.input?.["role"] === "endpoint")) return [];
  const allowed = ctx.path.find((f) => f.verdict.allowed);
  // probed from inside the real pod (spec.source.pod): its own network namespace is on the
  // path too — rules an init container or a sidecar injector left there apply to it alone
  const inPod = ctx.spec.source?.pod;
  const podName = inPod ? `${ctx.namespace}/${inPod.name}` : "";
  return [
    finding("UnexplainedDrop", "Critical", {
      target: ctx.target.name,
      source: dropped[0]?.probe,
      message: `Connections to ${dropped.map(attemptText).slice(0, 3).join(", ")} time out although NetworkPolicy allows them (${allowed?.verdict.text ?? "no policy applies"}): packets are dropped outside NetworkPolicy — ${inPod ? `the network namespace of pod ${podName} itself (an init container's or sidecar's iptables/nftables rules), ` : ""}CNI, host firewall or cloud security group`,
      evidence: [
        ...(inPod ? [`probed from inside pod ${podName} (ephemeral container, spec.source.pod): the app's own IP, routes and netfilter rules`] : []),
        ...dropped.slice(0, 5).map((o) => `probe ${o.probe}: ${attemptText(o)} timeout after ${o.check.durationMs} ms`),
      ],
      remediation: inPod
        ? `First list the rules inside pod ${podName} (kubectl debug -n ${ctx.namespace} ${inPod.name} --image=<netshoot> --profile=netadmin -- iptables-save; nft list ruleset): an init container or sidecar injector may drop this traffic; run the same diagnosis with spec.source.podSelector instead of spec.source.pod — a fresh pod with the same labels that gets through points at the pod's own rules. Otherwise check the CNI agents and node firewalls, capture with tcpdump on both ends`
        : "Check the CNI agents and node firewalls on the nodes of source and destination; capture with tcpdump on both ends",
      escalateTo: "Platform/CNI",
    }),
  ];
};
