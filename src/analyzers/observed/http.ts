/**
 * Layer 7: HTTPErrorStatus (5xx: the app answers with an error — escalate to the app
 * team, the network works), HTTPUnexpectedStatus (other 4xx) and HTTPSlowResponse.
 *
 * @module
 */
import type { Finding } from "../../api/status.ts";
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";

export const SLOW_HTTP_MS = 3000;

export const httpResults: TargetAnalyzer = (ctx) => {
  const out: Finding[] = [];
  for (const o of ctx.observations) {
    const c = o.check;
    if (c.check !== "http") continue;
    const url = String(c.detail.input?.["url"] ?? ctx.resolved.url ?? "?");
    const status = c.detail.status;
    const base = { target: ctx.target.name, source: o.probe, escalateTo: "App" as const };
    const body = c.detail.bodyExcerpt ? [`body: ${c.detail.bodyExcerpt.slice(0, 200)}`] : [];
    if (status !== undefined && status >= 500) {
      out.push(
        finding("HTTPErrorStatus", "Critical", {
          ...base,
          message: `GET ${url} answered HTTP ${status}: DNS, routing and the TCP connection work — the application reports an error`,
          evidence: body,
          remediation: "Escalate to the app team: check the app's logs and its dependencies",
        }),
      );
    } else if (status !== undefined && status >= 400) {
      out.push(
        finding("HTTPUnexpectedStatus", "Warning", {
          ...base,
          message: `GET ${url} answered HTTP ${status}`,
          evidence: body,
          remediation: "Check the URL path, host header and authentication the app expects",
        }),
      );
    } else if (c.outcome === "ok" && (c.detail.timings?.total ?? 0) > SLOW_HTTP_MS) {
      const t = c.detail.timings ?? {};
      out.push(
        finding("HTTPSlowResponse", "Warning", {
          ...base,
          message: `GET ${url} took ${t.total} ms (dns ${t.dns ?? "?"}, connect ${t.connect ?? "?"}, tls ${t.tls ?? "?"}, first byte ${t.firstByte ?? "?"})`,
          remediation: "The slowest phase shows where the time goes: first byte = the app",
        }),
      );
    }
  }
  return out;
};
