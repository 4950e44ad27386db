/**
 * Checks the probe could not run: ToolMissing (the probe image lacks a tool),
 * ProbeFailed (a check errored, or the kernel refused the socket it needs: outcome
 * not-permitted, with the ping_group_range fix). Probe layer: never a network failure of the target.
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";

const CORE = new Set(["dns", "tcp", "http"]);

export const probeCheckProblems: TargetAnalyzer = (ctx) => {
  const out: Finding[] = [];
  for (const o of ctx.observations) {
    const c = o.check;
    const what = `${c.check} check of target ${ctx.target.name}`;
    if (c.outcome === "tool-missing") {
      out.push(
        finding("ToolMissing", CORE.has(c.check) ? "Warning" : "Info", {
          target: ctx.target.name,
          source: o.probe,
          message: `The probe image lacks the tool for the ${what}${(c.detail.reason ?? c.detail.message) ? `: ${c.detail.reason ?? c.detail.message}` : ""}; that layer was not checked`,
          remediation: "Use the default probe image (nicolaka/netshoot) or one with dig, curl, openssl, ping, tracepath",
          escalateTo: "Platform/CNI",
        }),
      );
    } else if (c.outcome === "not-permitted") {
      const range = typeof c.detail["pingGroupRange"] === "string" ? ` (ping_group_range is "${c.detail["pingGroupRange"]}")` : "";
      out.push(
        finding("ProbeFailed", "Info", {
          target: ctx.target.name,
          source: o.probe,
          message: `The ${what} could not run: the kernel refused an unprivileged ICMP socket to the probe's group${range}; that check was skipped, the network was not judged by it`,
          remediation: ctx.spec.source?.pod
            ? // inside the app's pod the sysctl is the pod's own: netdiag cannot set it there
              `The probe ran inside pod ${ctx.namespace}/${ctx.spec.source.pod.name}, whose net.ipv4.ping_group_range does not admit the probe's gid 65532: add the safe sysctl to that pod's securityContext.sysctls if ICMP and path MTU matter here, or diagnose with spec.source.podSelector (a probe pod sets it)`
            : "Let the probe pod set the safe sysctl net.ipv4.ping_group_range (the operator sets it to the probe's gid 65532; a PodSecurity or admission policy that strips sysctls prevents it), or have the admin enable --probe-raw-sockets where Pod Security allows root with NET_RAW",
          escalateTo: "Platform/CNI",
        }),
      );
    } else if (c.outcome === "error") {
      out.push(
        finding("ProbeFailed", "Warning", {
          target: ctx.target.name,
          source: o.probe,
          message: `The ${what} could not run${(c.detail.reason ?? c.detail.message) ? `: ${c.detail.reason ?? c.detail.message}` : ""}`,
          escalateTo: "Platform/CNI",
        }),
      );
    }
  }
  return out;
};
