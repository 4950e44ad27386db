/**
 * The NetworkDiagnosis spec as a zod schema: the single source of truth for the CRD's
 * OpenAPI schema (see `crd.ts`) and for validation in the controller.
 *
 * Field names here are a public contract used by the shared scenarios: add, never rename.
 *
 * @module
 */
import { z } from "zod";
import { cronProblem } from "./cron.ts";

/** RFC 1123 DNS label: Service names, target names. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS name or an IPv4 address; no scheme, no port. */
export const HOST = /^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/;
/** IANA service name (a named port): lowercase letters, digits, hyphens, at least one letter. */
export const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * The CRD's url pattern: http(s), a host (bracketed IPv6, or a name that does not start
 * with '-' and has no userinfo), an optional numeric port, then path/query/fragment.
 * RE2-compatible (no lookarounds), so the API server rejects most bad URLs at admission;
 * `urlProblem` decides the rest.
 */
export const URL_PATTERN = /^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[^\s/?#@[\]:\\-][^\s/?#@[\]:\\]*)(:[0-9]{1,5})?([/?#][^\s]*)?$/;

/** The host[:port] part of an http(s) URL as written, userinfo included ("" if none). */
function authorityOf(url: string): string {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#\\]*)/.exec(url)?.[1] ?? "";
}

/** The port as written after the host ("" when absent), e.g. "99999" for http://a:99999/. */
function writtenPort(hostPort: string): string {
  return /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(hostPort)?.[2] ?? "";
}

/** Parses an http(s) target URL; a rejection says what to fix and never echoes credentials. */
export function parseHttpUrl(url: string): { ok: true; url: URL } | { ok: false; problem: string } {
  const bad = (problem: string) => ({ ok: false as const, problem });
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1];
  if (scheme !== "http" && scheme !== "https") return bad(`scheme ${scheme ?? "(none)"} is not supported: write http://... or https://...`);
  const authority = authorityOf(url);
  if (authority.includes("@")) return bad("remove the user:password@ part: credentials in a URL would be copied into status; put the host only");
  const port = writtenPort(authority);
  if (port !== "" && !/^[0-9]+$/.test(port)) return bad(`port ${JSON.stringify(port)} is not a number`);
  if (port !== "" && (Number(port) < 1 || Number(port) > 65535)) return bad(`port ${port} is out of range 1-65535`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return bad(`host ${JSON.stringify(authority)} is not a valid URL host: use a DNS name, an IPv4 address or [IPv6]`);
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return bad(`scheme ${u.protocol} is not supported: write http://... or https://...`);
  if (u.username || u.password) return bad("remove the user:password@ part: credentials in a URL would be copied into status; put the host only");
  if (u.hostname === "") return bad("the URL has no host: write http(s)://host[:port][/path]");
  if (u.hostname.startsWith("-")) return bad(`host ${JSON.stringify(u.hostname)} must not start with '-'`);
  return { ok: true, url: u };
}

/** Why a target URL is unusable, or undefined when it is fine. */
export function urlProblem(url: string): string | undefined {
  const r = parseHttpUrl(url);
  return r.ok ? undefined : r.problem;
}

const urlRules = (url: string, ctx: z.RefinementCtx) => {
  const problem = urlProblem(url);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
};

export const LabelSelectorRequirementSchema = z.object({
  key: z.string().min(1).max(317),
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
  values: z.array(z.string().max(63).regex(LABEL_VALUE)).max(64).optional(),
});

/** A Kubernetes label selector (`matchLabels` AND `matchExpressions`). */
export const LabelSelectorSchema = z.object({
  matchLabels: z.record(z.string().min(1).max(317), z.string().max(63).regex(LABEL_VALUE)).optional(),
  matchExpressions: z.array(LabelSelectorRequirementSchema).max(32).optional(),
});

export const PortSchema = z.number().int().min(1).max(65535);

/** A port by number or by name (int-or-string in the CRD). */
export const PortOrNameSchema = z.union([PortSchema, z.string().min(1).max(15).regex(PORT_NAME)]);

export const ServiceRefSchema = z.object({
  name: z.string().min(1).max(63).regex(DNS_LABEL).describe("Service name."),
  namespace: z.string().min(1).max(63).regex(DNS_LABEL).optional().describe("Service namespace; defaults to the diagnosis' namespace."),
  port: PortOrNameSchema.describe("Service port, by number or by name."),
});

export const ExpectSchema = z.enum(["Reachable", "Blocked"]);

export const TargetSchema = z.object({
  name: z.string().min(1).max(63).regex(DNS_LABEL).describe("Name of this target in status, events and metrics."),
  service: ServiceRefSchema.optional().describe("A Service in the cluster."),
  url: z
    .string()
    .min(8)
    .max(2048)
    .regex(URL_PATTERN, "write an http(s) URL as http(s)://host[:port][/path], without spaces or user@")
    .superRefine(urlRules)
    .optional()
    .describe("An http(s) URL; checks DNS, L3, L4, L7 and TLS for https."),
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(HOST, "write a DNS name or an IPv4 address: letters, digits, '-' and '.', neither first nor last '-' or '.'")
    .optional()
    .describe("A host name or IP; requires port."),
  port: PortSchema.optional().describe("Port for a host target."),
  expect: ExpectSchema.default("Reachable").describe("Reachable (default) or Blocked: assert that a deny holds."),
});
export type Target = z.infer<typeof TargetSchema>;

export const NodesSchema = z.object({
  selector: LabelSelectorSchema.optional().describe("Nodes whose labels match; {} means every Ready node."),
  names: z.array(z.string().min(1).max(253)).max(100).optional().describe("Explicit node names."),
});

export const SourceSchema = z.object({
  podSelector: LabelSelectorSchema.optional().describe(
    "The probe takes the labels of a live pod matching this selector, so NetworkPolicies treat it like that pod.",
  ),
  nodes: NodesSchema.optional().describe("Fan out: one probe per matching Ready node."),
  pod: z
    .object({
      name: z.string().min(1).max(253).regex(HOST, "a pod name: lowercase letters, digits, '-' and '.'").describe("The pod, in the diagnosis' namespace."),
      container: z
        .string()
        .min(1)
        .max(63)
        .regex(DNS_LABEL)
        .optional()
        .describe("The container whose process namespace the probe joins (kubectl debug --target)."),
    })
    .optional()
    .describe(
      "Probe from inside this pod: an ephemeral container with the probe image in the real pod (same IP, node, routes, DNS, sidecars). Ephemeral containers stay in the pod spec until the pod is replaced: opt-in, never with a schedule, and the admin must grant the operator pods/ephemeralcontainers (docs/security.md).",
    ),
});

const targetRules = (t: z.infer<typeof TargetSchema>, ctx: z.RefinementCtx) => {
  const kinds = [t.service, t.url, t.host].filter((x) => x !== undefined).length;
  if (kinds !== 1) {
    ctx.addIssue({ code: "custom", message: "set exactly one of service, url or host", path: [] });
  }
  if (t.host !== undefined && t.port === undefined) {
    ctx.addIssue({ code: "custom", message: "a host target needs port", path: ["port"] });
  }
};

export const SpecSchema = z
  .object({
    source: SourceSchema.optional(),
    targets: z.array(TargetSchema.superRefine(targetRules)).min(1).max(32),
    schedule: z.string().min(1).max(100).optional().describe('Standard 5-field cron in UTC, e.g. "*/10 * * * *"; absent = run once.'),
    timeoutSeconds: z.number().int().min(1).max(300).default(30).describe("Hard timeout of one run."),
    probeImage: z.string().min(1).max(512).optional().describe("Probe image; default is the operator's configured one."),
    historyLimit: z.number().int().min(1).max(100).default(10).describe("Run summaries kept in status.history."),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    spec.targets.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: "custom", message: `duplicate target name "${t.name}"`, path: ["targets", i, "name"] });
      seen.add(t.name);
    });
    if (spec.schedule !== undefined) {
      const problem = cronProblem(spec.schedule);
      if (problem) ctx.addIssue({ code: "custom", message: problem, path: ["schedule"] });
    }
    if (spec.source?.pod) {
      if (spec.schedule !== undefined)
        ctx.addIssue({
          code: "custom",
          message: "source.pod adds an ephemeral container that stays in the pod until it is replaced: run it on demand, without schedule",
          path: ["source", "pod"],
        });
      if (spec.source.podSelector || spec.source.nodes)
        ctx.addIssue({
          code: "custom",
          message: "source.pod probes from inside that one pod: drop source.podSelector and source.nodes",
          path: ["source", "pod"],
        });
    }
  });

export type Spec = z.infer<typeof SpecSchema>;
export type SpecInput = z.input<typeof SpecSchema>;
