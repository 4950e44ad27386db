/**
 * NetworkPolicy verdict of the target path, cross-checked with the probe:
 * - static deny, probe blocked or no probe data -> NetworkPolicyDenied (names the policy
 *   and the condition that does not match);
 * - static allow, probe timed out -> UnexplainedDrop (CNI, host firewall, security group).
 * A static deny that the probe got through is not reported here (see the expectation).
 *
 * The source pod reaching itself through its own Service is exempt (ADR 0015): that flow
 * is never NetworkPolicyDenied. Where the exemption decides something, SelfTrafficExempt
 * says so — Info when the probe ran inside that pod (spec.source.pod), Warning when the
 * probe is a separate pod with its labels (spec.source.podSelector) that policy treats
 * like any other pod, so only the pod itself gets through. A probe inside the pod whose
 * connections to itself time out gets an UnexplainedDrop naming hairpin traffic.
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import type { Observation, PathFlow, TargetContext, TargetAnalyzer } from "../context.ts";
import { labelsText } from "../../model/selector.ts";
import { finding } from "../finding.ts";
import { attempts, attemptText, loopbackToSelf, objectsBroken, reach, roleOf } from "./reach.ts";

/** Whether an attempt lands on the source pod itself: its endpoint, or any address when it is the only backend. */
function atSelf(o: Observation, self: readonly PathFlow[], others: readonly PathFlow[]): boolean {
  if (self.length === 0) return false;
  if (others.length === 0) return true;
  const pod = o.check.detail.input?.["pod"];
  return roleOf(o) === "endpoint" && self.some((f) => f.peer.name === `${f.peer.namespace ?? ""}/${String(pod)}`);
}

/** SelfTrafficExempt for the flows the exemption decided (policy alone would deny them). */
function selfFindings(ctx: TargetContext, exempted: readonly PathFlow[], others: readonly PathFlow[], standIn: boolean): Finding[] {
  const first = exempted[0];
  if (!first?.self) return [];
  const svc = ctx.service ? `${ctx.service.metadata.namespace ?? "default"}/${ctx.service.metadata.name}` : ctx.target.name;
  const labels = labelsText(ctx.source.labels);
  const alone = others.length === 0;
  const message = standIn
    ? `Pod ${first.peer.name} is a backend of Service ${svc} and reaches itself through it (NetworkPolicy does not apply to a pod's traffic to itself), but NetworkPolicy denies every other pod with its labels ${labels} — the probe, a separate pod, included: ${first.self.policy.text}${alone ? `. It works today only because ${first.peer.name} is the Service's only backend; a second replica or any other pod with these labels cannot connect` : ""}`
    : `Pod ${first.peer.name} reaches itself through Service ${svc}: NetworkPolicy does not apply to a pod's traffic to itself (upstream: a pod cannot block access to itself), so this flow is allowed although ${first.self.policy.text}`;
  return [
    finding("SelfTrafficExempt", standIn ? "Warning" : "Info", {
      target: ctx.target.name,
      message,
      evidence: [`${first.peer.name} ${first.protocol}/${first.port}: ${first.verdict.text}`],
      remediation: standIn
        ? `If other pods with labels ${labels} must reach ${svc} (replicas of ${first.peer.name}, the probe), admit them in the ingress rules that isolate it; to diagnose the pod's own traffic, name it in spec.source.pod`
        : "Nothing to fix for this pod; other pods with its labels are still subject to the policy",
      escalateTo: "App",
    }),
  ];
}

export const policyPath: TargetAnalyzer = (ctx) => {
  if (ctx.path.length === 0) return [];
  const self = ctx.path.filter((f) => f.self);
  const others = ctx.path.filter((f) => !f.self);
  // with spec.source.podSelector the probe is another pod (never Ready, never a backend):
  // its attempts at the source pod say nothing about that pod reaching itself
  // (only where policy would deny it: the denial explains the probe's failure there)
  const inPod = ctx.spec.source?.pod;
  const exempted = self.filter((f) => f.self && !f.self.policy.allowed);
  const standIn = exempted.length > 0 && !inPod;
  // from inside the pod, its own IP answers over loopback: that attempt never meets the network
  const tries = attempts(ctx).filter((o) => !loopbackToSelf(ctx, o) && (!standIn || !atSelf(o, exempted, others)));
  const connected = tries.filter((o) => reach(o.check) === "connected");
  const extra = selfFindings(ctx, exempted, others, standIn);
  if (standIn && others.length === 0) return extra;
  const denied = others.filter((f) => !f.verdict.allowed);
  if (others.length > 0 && denied.length === others.length) {
    // the pod's connections to itself tell nothing about the denied flows to the others, and
    // one through the ClusterIP may have landed on itself: only another pod's endpoint counts
    const theirs = (o: Observation) => !atSelf(o, self, others) && (self.length === 0 || roleOf(o) === "endpoint");
    if (connected.some(theirs)) return extra;
    const first = denied[0];
    if (!first) return extra;
    const v = first.verdict;
    if ((v.egress.allowed || v.egress.undecided) && (v.ingress.allowed || v.ingress.undecided) && tries.length === 0) return extra;
    const policies = [
      ...new Set([...(v.egress.allowed ? [] : v.egress.policies), ...(v.ingress.allowed ? [] : v.ingress.policies)].map((p) => `${p.name} (${p.namespace})`)),
    ];
    const blocked = tries.filter((o) => reach(o.check) !== "connected" && !atSelf(o, self, others));
    const words: Record<string, string> = { timeout: "timed out", refused: "were refused" };
    const seen = blocked.length
      ? ` The probe's connection attempts ${[...new Set(blocked.map((o) => words[o.check.outcome] ?? o.check.outcome))].join(" or ")}.`
      : "";
    const exempt = self.length ? ` Only ${self.map((f) => f.peer.name).join(", ")} reaching itself is exempt.` : "";
    return [
      ...extra,
      finding("NetworkPolicyDenied", "Critical", {
        target: ctx.target.name,
        source: blocked[0]?.probe,
        message: `NetworkPolicy ${policies.join(", ")} denies ${ctx.source.name} -> ${first.peer.name} ${first.protocol}/${first.port}: ${v.text}.${seen}${exempt}`,
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
  if (!ctx.service || connected.length > 0 || dropped.length === 0 || objectsBroken(ctx)) return extra;
  if (dropped.every((o) => o.check.detail.input?.["role"] === "clusterIP") && tries.some((o) => o.check.detail.input?.["role"] === "endpoint")) return extra;
  const allowed = ctx.path.find((f) => f.verdict.allowed);
  const mine = self[0];
  // from inside the pod, its own connections through its Service: hairpin traffic
  if (inPod && mine && dropped.every((o) => atSelf(o, self, others))) return [hairpinDrop(ctx, mine, dropped)];
  // probed from inside the real pod (spec.source.pod): its own network namespace is on the
  // path too — rules an init container or a sidecar injector left there apply to it alone
  const podName = inPod ? `${ctx.namespace}/${inPod.name}` : "";
  return [
    ...extra,
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

/** The pod itself, probed from inside, cannot reach itself through its Service. */
function hairpinDrop(ctx: TargetContext, flow: PathFlow, dropped: readonly Observation[]): Finding {
  const svc = `${ctx.service?.metadata.namespace ?? ctx.namespace}/${ctx.service?.metadata.name ?? ctx.target.name}`;
  const policy =
    flow.self && !flow.self.policy.allowed
      ? `; a NetworkPolicy isolates it (${flow.self.policy.text}), and an enforcer that applies it to a pod's own traffic drops this`
      : "";
  return finding("UnexplainedDrop", "Critical", {
    target: ctx.target.name,
    source: dropped[0]?.probe,
    message: `Pod ${flow.peer.name} cannot reach itself through Service ${svc}: connections to ${dropped.map(attemptText).slice(0, 3).join(", ")} time out. NetworkPolicy does not apply to a pod's traffic to itself (upstream: a pod cannot block access to itself), so the drop is hairpin traffic — the node's bridge without hairpin mode, or the CNI's policy enforcer treating the pod's own connection like another pod's${policy}`,
    evidence: [
      `probed from inside pod ${flow.peer.name} (spec.source.pod), a backend of ${svc} (an attempt at its own pod IP stays on loopback inside the pod and proves nothing)`,
      `${flow.peer.name} ${flow.protocol}/${flow.port}: ${flow.verdict.text}`,
      ...dropped.slice(0, 4).map((o) => `probe ${o.probe}: ${attemptText(o)} timeout after ${o.check.durationMs} ms`),
    ],
    remediation:
      "Check hairpin mode on the pod's node (kubelet --hairpin-mode=hairpin-veth or promiscuous-bridge, the CNI bridge plugin's hairpinMode: true; cat /sys/class/net/<veth>/brport/hairpin_mode) and how the CNI enforces NetworkPolicy for a pod's own traffic; as a workaround, admit the pod's own labels in the ingress rule that isolates it",
    escalateTo: "Platform/CNI",
  });
}
