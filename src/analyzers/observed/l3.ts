/**
 * Layer 3 from the probe: NoRouteToHost (route lookup or connect says no route),
 * ICMPBlocked (Info: ping is lost while TCP works — not a network failure) and
 * PathMTUMismatch (the path MTU is below the interface MTU: large packets are dropped).
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";
import { attempts, reach } from "./reach.ts";

/** Outcomes that mean the check could not run: Probe-layer problems, never "ICMP is filtered". */
const COULD_NOT_RUN = new Set(["tool-missing", "not-permitted", "error"]);

export const l3Results: TargetAnalyzer = (ctx) => {
  const out: Finding[] = [];
  const connected = attempts(ctx).some((o) => reach(o.check) === "connected");
  for (const o of ctx.observations) {
    const c = o.check;
    const host = String(c.detail.input?.["host"] ?? "?");
    const base = { target: ctx.target.name, source: o.probe };
    if ((c.check === "route" || c.check === "tcp") && (c.outcome === "no-route" || c.outcome === "unreachable")) {
      out.push(
        finding("NoRouteToHost", "Critical", {
          ...base,
          message: `No route from the probe to ${host} (${c.check}: ${c.outcome})`,
          remediation: "Check the pod's routes, the node's routes and the CNI (ip route get on the node)",
          escalateTo: ctx.service ? "Platform/CNI" : "Cloud/Infra",
        }),
      );
    } else if (c.check === "icmp" && !COULD_NOT_RUN.has(c.outcome) && c.outcome !== "ok" && c.detail["cutShort"] !== true && connected) {
      out.push(
        finding("ICMPBlocked", "Info", {
          ...base,
          message: `Ping to ${host} is lost (${c.outcome}) but TCP connects: ICMP is filtered, the network is not down`,
        }),
      );
    } else if (c.check === "mtu") {
      const path = c.detail.pathMtu;
      const iface = c.detail.interfaceMtu;
      if (c.outcome === "mtu-exceeded" || (path !== undefined && iface !== undefined && path < iface)) {
        out.push(
          finding("PathMTUMismatch", "Warning", {
            ...base,
            message: `Path MTU to ${host} is ${path ?? "?"} but the interface MTU is ${iface ?? "?"}: packets larger than ${path ?? "the path MTU"} bytes are dropped (large responses hang)`,
            remediation: "Lower the pod/CNI MTU to fit the overlay (e.g. VXLAN needs 50 bytes) or fix PMTU discovery (ICMP frag-needed must pass)",
            escalateTo: "Platform/CNI",
          }),
        );
      }
    }
  }
  return out;
};
