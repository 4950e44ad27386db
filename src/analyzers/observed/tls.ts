/**
 * TLS from the probe: TLSCertificateExpired, TLSNameMismatch, TLSUntrustedIssuer,
 * TLSHandshakeFailed, and TLSCertificateExpiringSoon (under 14 days left).
 *
 * @module
 */
import type { FindingCode } from "../../api/codes.ts";
import type { Finding } from "../../api/status.ts";
import type { TargetAnalyzer } from "../context.ts";
import { finding } from "../finding.ts";

export const EXPIRY_WARNING_DAYS = 14;

const BY_OUTCOME: Record<string, [FindingCode, string, string]> = {
  "tls-expired": ["TLSCertificateExpired", "the certificate has expired", "Renew the certificate (check cert-manager or the secret's source)"],
  "tls-name-mismatch": ["TLSNameMismatch", "the certificate does not cover the name", "Add the name to the certificate's SANs or connect with a covered name"],
  "tls-untrusted": [
    "TLSUntrustedIssuer",
    "the certificate's issuer is not trusted",
    "Install the issuing CA in the client's trust store or use a publicly trusted certificate",
  ],
  "tls-error": ["TLSHandshakeFailed", "the TLS handshake failed", "Check protocol versions, ciphers and that the port speaks TLS"],
};

export const tlsResults: TargetAnalyzer = (ctx) => {
  const out: Finding[] = [];
  for (const o of ctx.observations) {
    const c = o.check;
    if (c.check !== "tls" && c.check !== "http") continue;
    const where = String(c.detail.input?.["url"] ?? `${String(c.detail.input?.["host"] ?? "?")}:${String(c.detail.input?.["port"] ?? "?")}`);
    const base = { target: ctx.target.name, source: o.probe, escalateTo: "App" as const };
    const known = BY_OUTCOME[c.outcome];
    if (known) {
      const [code, what, fix] = known;
      const problems = c.detail.problems ?? [];
      out.push(
        finding(code, "Critical", {
          ...base,
          message: `TLS to ${where}: ${what}${problems.length ? ` (${problems.join("; ")})` : ""}${c.detail.notAfter ? `; notAfter ${c.detail.notAfter}` : ""}`,
          evidence: problems,
          remediation: fix,
        }),
      );
      continue;
    }
    if (c.check !== "tls" || c.outcome !== "ok") continue;
    const days = c.detail.daysLeft ?? (c.detail.notAfter ? Math.floor((Date.parse(c.detail.notAfter) - ctx.now.getTime()) / 86_400_000) : undefined);
    if (days !== undefined && !Number.isNaN(days) && days < EXPIRY_WARNING_DAYS) {
      out.push(
        finding("TLSCertificateExpiringSoon", "Warning", {
          ...base,
          message: `The certificate of ${where} expires in ${days} days (${c.detail.notAfter ?? "?"})`,
          remediation: "Renew it now; check that automatic renewal works",
        }),
      );
    }
  }
  return out;
};
