/**
 * Builds findings: the layer always comes from the code's entry in FindingCodes, so a
 * code can never be reported under the wrong layer.
 *
 * @module
 */
import { type EscalateTo, FindingCodes, type FindingCode, type Severity } from "../api/codes.ts";
import type { Finding } from "../api/status.ts";

export interface FindingFields {
  target?: string | undefined;
  source?: string | undefined;
  message: string;
  evidence?: string[];
  remediation?: string;
  escalateTo?: EscalateTo;
}

/**
 * @example finding("ConnectionRefused", "Critical", { target: "api", message: "..." })
 */
export function finding(code: FindingCode, severity: Severity, f: FindingFields): Finding {
  const out: Finding = { code, severity, layer: FindingCodes[code], message: f.message };
  if (f.target !== undefined) out.target = f.target;
  if (f.source !== undefined) out.source = f.source;
  if (f.evidence && f.evidence.length > 0) out.evidence = f.evidence;
  if (f.remediation !== undefined) out.remediation = f.remediation;
  if (f.escalateTo !== undefined) out.escalateTo = f.escalateTo;
  return out;
}
