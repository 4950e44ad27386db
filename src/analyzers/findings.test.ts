import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SpecInput } from "../api/spec.ts";
import { SpecSchema } from "../api/spec.ts";
import { type CheckResult, CheckResultSchema } from "../api/probe-contract.ts";
import type { ProbeReport, TargetSockets } from "./context.ts";
import { evaluate } from "./evaluate.ts";
import { type ManifestObject, snapshotFromObjects } from "./offline/snapshot-from-objects.ts";
import type { Snapshot } from "../model/snapshot.ts";

const deploy = (name: string, labels: Record<string, string>, ports: object[] = [], extra: object = {}): ManifestObject => ({
  kind: "Deployment",
  metadata: { name, namespace: "shop" },
  spec: { replicas: 1, template: { metadata: { labels }, spec: { containers: [{ name, ports, ...extra }] } } },
});
const service = (name: string, selector: Record<string, string>, ports: object[], ns = "shop"): ManifestObject => ({
  kind: "Service",
  metadata: { name, namespace: ns },
  spec: { selector, ports },
});
const pod = (name: string, labels: Record<string, string>, status: object, nodeName?: string): ManifestObject => ({
  kind: "Pod",
  metadata: { name, namespace: "shop", labels },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "c", ports: [{ containerPort: 8080, name: "http" }] }] },
  status,
});
const world = (): ManifestObject[] => [
  { kind: "Namespace", metadata: { name: "shop" } },
  deploy("client", { app: "client" }),
  deploy("api", { app: "api" }, [{ containerPort: 8080, name: "http" }]),
  service("api", { app: "api" }, [{ port: 80, targetPort: 8080, name: "http" }]),
];
const chk = (check: string, outcome: string, input: Record<string, unknown> = {}, detail: Record<string, unknown> = {}): CheckResult =>
  CheckResultSchema.parse({ check, outcome, durationMs: 5, detail: { input: { check, ...input }, ...detail } });
const vip = (outcome: string) => chk("tcp", outcome, { host: "10.96.1.1", port: 80, role: "clusterIP" }, outcome === "ok" ? { connectMs: 1 } : {});
const ep = (outcome: string, p = "api-0", ready = "true") => chk("tcp", outcome, { host: "10.244.1.1", port: 8080, role: "endpoint", pod: p, ready });
const dnsOk = chk("dns", "ok", { name: "api.shop.svc.cluster.local" }, { addresses: ["10.96.1.1"], queryTimeMs: 2 });

interface Case {
  code: string;
  name: string;
  objects?: ManifestObject[];
  target?: NonNullable<SpecInput["targets"]>[number];
  source?: Record<string, string>;
  checks?: CheckResult[];
  probes?: ProbeReport[];
  sockets?: TargetSockets;
  snapshot?: (s: Snapshot) => Snapshot;
  severity?: string;
  message?: RegExp;
  hints?: "labelled" | "all";
  /** spec.source.pod: probed from inside this pod of shop (instead of the client selector). */
  sourcePod?: string;
}

const api = { name: "api", service: { name: "api", port: 80 } };
const kubeDnsDown: ManifestObject[] = [
  {
    kind: "Deployment",
    metadata: { name: "coredns", namespace: "kube-system" },
    spec: { replicas: 0, template: { metadata: { labels: { "k8s-app": "kube-dns" } }, spec: { containers: [] } } },
  },
];
const egressOnlyApi: ManifestObject = {
  kind: "NetworkPolicy",
  metadata: { name: "client-egress", namespace: "shop" },
  spec: {
    podSelector: { matchLabels: { app: "client" } },
    policyTypes: ["Egress"],
    egress: [{ to: [{ podSelector: { matchLabels: { app: "api" } } }], ports: [{ port: 8080 }] }],
  },
};
const denyApiIngress: ManifestObject = {
  kind: "NetworkPolicy",
  metadata: { name: "api-deny", namespace: "shop" },
  spec: { podSelector: { matchLabels: { app: "api" } }, policyTypes: ["Ingress"] },
};

const cases: Case[] = [
  {
    code: "NamespaceNotFound",
    name: "reports NamespaceNotFound when the target's namespace does not exist",
    target: { name: "x", service: { name: "api", namespace: "nowhere", port: 80 } },
  },
  { code: "ServiceNotFound", name: "reports ServiceNotFound when the Service does not exist", target: { name: "x", service: { name: "nope", port: 80 } } },
  {
    code: "ShortNameCrossNamespace",
    name: "reports ShortNameCrossNamespace naming the namespace when the admin allows every hint",
    objects: [...world(), service("users", { app: "u" }, [{ port: 80 }], "backend")],
    target: { name: "u", url: "http://users/" },
    hints: "all",
    message: /use users\.backend or the FQDN users\.backend\.svc\.cluster\.local/,
  },
  {
    code: "ShortNameCrossNamespace",
    name: "reports ShortNameCrossNamespace naming a namespace labelled netdiag.dev/discoverable=true",
    objects: [
      ...world(),
      { kind: "Namespace", metadata: { name: "backend", labels: { "netdiag.dev/discoverable": "true" } } },
      service("users", { app: "u" }, [{ port: 80 }], "backend"),
    ],
    target: { name: "u", url: "http://users/" },
    message: /use users\.backend or the FQDN/,
  },
  {
    code: "ShortNameCrossNamespace",
    name: "reports ShortNameCrossNamespace without naming an unlabelled namespace (tenancy)",
    objects: [...world(), service("users", { app: "u" }, [{ port: 80 }], "secret-team")],
    target: { name: "u", url: "http://users/" },
    message: /^(?!.*secret-team).*exists in another namespace.*users\.<namespace>/,
  },
  {
    code: "ServicePortNotFound",
    name: "reports ServicePortNotFound when the Service lacks the port",
    target: { name: "api", service: { name: "api", port: 81 } },
  },
  {
    code: "ServiceSelectorMatchesNoPods",
    name: "reports ServiceSelectorMatchesNoPods with a did-you-mean",
    objects: [...world(), service("orders", { app: "order-service" }, [{ port: 80, targetPort: 8080 }]), deploy("o", { app: "orders-service" })],
    target: { name: "o", service: { name: "orders", port: 80 } },
    message: /selects app=order-service but no pod carries it; 1 pod carries app=orders-service — did you mean app=orders-service\?/,
  },
  {
    code: "ServiceSelectorMatchesNoPods",
    name: "reports ServiceSelectorMatchesNoPods for a selector key named like an Object.prototype member, without inventing a label",
    objects: [...world(), service("proto", { constructor: "x", app: "client" }, [{ port: 80, targetPort: 8080 }])],
    target: { name: "p", service: { name: "proto", port: 80 } },
    message: /^Service shop\/proto selects (?!.*function)(?!.*did you mean).*$/,
  },
  {
    code: "TargetPortMismatch",
    name: "reports TargetPortMismatch naming both ports",
    objects: [...world().slice(0, 3), service("api", { app: "api" }, [{ port: 80, targetPort: 9090 }])],
    target: api,
    message: /targetPort 9090 but containers declare 8080/,
  },
  {
    code: "NamedPortNotFound",
    name: "reports NamedPortNotFound for an undeclared named targetPort",
    objects: [...world().slice(0, 3), service("api", { app: "api" }, [{ port: 80, targetPort: "grpc" }])],
    target: api,
  },
  {
    code: "PodNotRunning",
    name: "reports PodNotRunning for CrashLoopBackOff",
    objects: [
      ...world().filter((o) => o.metadata?.name !== "api" || o.kind === "Service"),
      pod(
        "api-x",
        { app: "api" },
        {
          phase: "Running",
          containerStatuses: [{ name: "c", restartCount: 7, state: { waiting: { reason: "CrashLoopBackOff" } } }],
          conditions: [{ type: "Ready", status: "False" }],
        },
      ),
    ],
    target: api,
    message: /CrashLoopBackOff/,
  },
  {
    code: "PodNotRunning",
    name: "reports PodNotRunning for Pending with the scheduler's reason",
    objects: [
      ...world().filter((o) => o.metadata?.name !== "api" || o.kind === "Service"),
      pod(
        "api-x",
        { app: "api" },
        { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available" }] },
      ),
    ],
    target: api,
    message: /Pending \(Unschedulable: 0\/3 nodes/,
  },
  {
    code: "ServiceEndpointsNotReady",
    name: "reports ServiceEndpointsNotReady naming the failing readiness probe",
    objects: [
      ...world().slice(0, 2),
      deploy("api", { app: "api" }, [{ containerPort: 8080 }], { readinessProbe: { httpGet: { port: 9999, path: "/ready" } } }),
      world()[3] as ManifestObject,
    ],
    target: api,
    message: /api-0 .*readiness probe httpGet :9999\/ready/,
  },
  {
    code: "PodNotReady",
    name: "reports PodNotReady as Info when only some endpoints are not ready",
    objects: [
      ...world(),
      pod("api-y", { app: "api" }, { phase: "Running", podIP: "10.244.3.3", conditions: [{ type: "Ready", status: "False", message: "readiness failed" }] }),
    ],
    target: api,
    severity: "Info",
  },
  {
    code: "SourcePodNotFound",
    name: "reports SourcePodNotFound when no pod matches the source selector",
    source: { app: "ghost" },
    target: api,
    severity: "Warning",
  },
  {
    code: "DNSServiceUnavailable",
    name: "reports DNSServiceUnavailable mentioning kube-dns when CoreDNS is scaled to zero",
    objects: [...world(), ...kubeDnsDown],
    target: api,
    message: /kube-dns.*scaled to 0/,
  },
  {
    code: "DNSEgressBlocked",
    name: "reports DNSEgressBlocked naming the egress policy",
    objects: [...world(), egressOnlyApi],
    target: api,
    message: /client-egress/,
  },
  {
    code: "DNSUpstreamFailure",
    name: "reports DNSUpstreamFailure for SERVFAIL on an external name",
    target: { name: "w", host: "example.org", port: 443 },
    checks: [chk("dns", "servfail", { name: "example.org" })],
  },
  {
    code: "DNSSlowLookups",
    name: "reports DNSSlowLookups for a lookup over a second",
    target: api,
    checks: [chk("dns", "ok", { name: "api.shop.svc.cluster.local" }, { queryTimeMs: 2500 })],
    severity: "Warning",
  },
  {
    code: "DNSServerUnreachable",
    name: "reports DNSServerUnreachable when a nameserver does not answer",
    target: api,
    checks: [
      chk(
        "dns",
        "ok",
        {},
        {
          queryTimeMs: 3,
          perServer: [
            { server: "10.96.0.10", outcome: "ok" },
            { server: "10.96.0.11", outcome: "timeout" },
          ],
        },
      ),
    ],
    severity: "Warning",
  },
  {
    code: "DNSResolutionFailed",
    name: "reports DNSResolutionFailed for an unexplained NXDOMAIN",
    target: { name: "w", host: "nothing.example", port: 80 },
    checks: [chk("dns", "nxdomain", { name: "nothing.example" })],
  },
  {
    code: "NodeNotReady",
    name: "reports NodeNotReady for a node hosting a backend",
    objects: [
      ...world().filter((o) => o.metadata?.name !== "api" || o.kind === "Service"),
      pod("api-x", { app: "api" }, { phase: "Running", podIP: "10.244.3.3", conditions: [{ type: "Ready", status: "True" }] }, "n1"),
      { kind: "Node", metadata: { name: "n1" }, status: { conditions: [{ type: "Ready", status: "Unknown", reason: "NodeStatusUnknown" }] } },
    ],
    target: api,
  },
  {
    code: "KubeProxyUnhealthy",
    name: "reports KubeProxyUnhealthy when kube-proxy pods are not ready",
    target: api,
    snapshot: (s) => ({
      ...s,
      daemonSets: [{ metadata: { name: "kube-proxy", namespace: "kube-system" }, status: { desiredNumberScheduled: 3, numberReady: 2 } }],
    }),
    severity: "Warning",
  },
  {
    code: "CNIAgentUnhealthy",
    name: "reports CNIAgentUnhealthy for an unready calico-node",
    target: api,
    snapshot: (s) => ({
      ...s,
      daemonSets: [{ metadata: { name: "calico-node", namespace: "kube-system" }, status: { desiredNumberScheduled: 3, numberReady: 1 } }],
    }),
    severity: "Warning",
  },
  {
    code: "NoRouteToHost",
    name: "reports NoRouteToHost when the route lookup fails",
    target: api,
    checks: [dnsOk, chk("route", "no-route", { host: "10.96.1.1" })],
  },
  {
    code: "ICMPBlocked",
    name: "reports ICMPBlocked as Info when ping is lost but TCP connects",
    target: api,
    checks: [dnsOk, vip("ok"), chk("icmp", "timeout", { host: "10.244.1.1" })],
    severity: "Info",
  },
  {
    code: "PathMTUMismatch",
    name: "reports PathMTUMismatch when the path MTU is below the interface MTU",
    target: api,
    checks: [dnsOk, chk("mtu", "mtu-exceeded", { host: "10.244.1.1" }, { pathMtu: 1450, interfaceMtu: 1500 })],
    severity: "Warning",
    message: /1450.*1500/,
  },
  {
    code: "NetworkPolicyDenied",
    name: "reports NetworkPolicyDenied for a static deny with a probe timeout",
    objects: [...world(), denyApiIngress],
    target: api,
    checks: [dnsOk, vip("timeout"), ep("timeout")],
    message: /api-deny/,
  },
  {
    code: "NetworkPolicyDenied",
    name: "reports NetworkPolicyDenied offline from the static verdict alone",
    objects: [...world(), denyApiIngress],
    target: api,
    message: /no ingress rule of policy api-deny/,
  },
  {
    code: "UnexplainedDrop",
    name: "reports UnexplainedDrop when policy allows but connections time out",
    target: api,
    checks: [dnsOk, vip("timeout"), ep("timeout")],
  },
  {
    code: "UnexplainedDrop",
    name: "names the source pod's own network namespace first when the probe ran inside it (spec.source.pod)",
    objects: [
      ...world(),
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "web-0", namespace: "shop", labels: { app: "client" } },
        spec: { containers: [{ name: "app", image: "web" }] },
      },
    ],
    sourcePod: "web-0",
    target: api,
    checks: [dnsOk, vip("timeout"), ep("timeout")],
    message: /network namespace of pod shop\/web-0 itself/,
  },
  { code: "ConnectionRefused", name: "reports ConnectionRefused when the pod refuses", target: api, checks: [dnsOk, vip("refused"), ep("refused")] },
  {
    code: "AppListeningOnLoopback",
    name: "reports AppListeningOnLoopback when target sockets show 127.0.0.1",
    target: api,
    checks: [dnsOk, ep("refused")],
    sockets: { "shop/api-0": [{ address: "127.0.0.1", port: 8080 }] },
    message: /127\.0\.0\.1:8080/,
  },
  {
    code: "AppListeningOnOtherPort",
    name: "reports AppListeningOnOtherPort when target sockets show another port",
    target: api,
    checks: [dnsOk, ep("refused")],
    sockets: { "shop/api-0": [{ address: "0.0.0.0", port: 8443 }] },
    message: /8443, not on 8080/,
  },
  {
    code: "ServiceVIPUnreachable",
    name: "reports ServiceVIPUnreachable when the pod answers but the ClusterIP does not",
    target: api,
    checks: [dnsOk, vip("timeout"), ep("ok")],
  },
  {
    code: "ConnectionTimedOut",
    name: "reports ConnectionTimedOut for an external address that drops",
    target: { name: "w", host: "203.0.113.9", port: 443 },
    checks: [chk("tcp", "timeout", { host: "203.0.113.9", port: 443, role: "host" })],
  },
  {
    code: "HTTPErrorStatus",
    name: "reports HTTPErrorStatus with the status for a 5xx",
    target: api,
    checks: [dnsOk, vip("ok"), chk("http", "http-status", { url: "http://api/" }, { status: 503 })],
    message: /503/,
  },
  {
    code: "HTTPUnexpectedStatus",
    name: "reports HTTPUnexpectedStatus for a 404",
    target: api,
    checks: [dnsOk, vip("ok"), chk("http", "http-status", { url: "http://api/" }, { status: 404 })],
    severity: "Warning",
  },
  {
    code: "HTTPSlowResponse",
    name: "reports HTTPSlowResponse for a slow answer",
    target: api,
    checks: [dnsOk, vip("ok"), chk("http", "ok", { url: "http://api/" }, { status: 200, timings: { total: 4200, firstByte: 4100 } })],
    severity: "Warning",
  },
  {
    code: "TLSCertificateExpired",
    name: "reports TLSCertificateExpired",
    target: { name: "w", url: "https://example.org/" },
    checks: [chk("tls", "tls-expired", { host: "example.org", port: 443 }, { problems: ["expired"] })],
  },
  {
    code: "TLSNameMismatch",
    name: "reports TLSNameMismatch",
    target: { name: "w", url: "https://example.org/" },
    checks: [chk("tls", "tls-name-mismatch", { host: "example.org", port: 443 })],
  },
  {
    code: "TLSUntrustedIssuer",
    name: "reports TLSUntrustedIssuer",
    target: { name: "w", url: "https://example.org/" },
    checks: [chk("tls", "tls-untrusted", { host: "example.org", port: 443 })],
  },
  {
    code: "TLSHandshakeFailed",
    name: "reports TLSHandshakeFailed",
    target: { name: "w", url: "https://example.org/" },
    checks: [chk("tls", "tls-error", { host: "example.org", port: 443 })],
  },
  {
    code: "TLSCertificateExpiringSoon",
    name: "reports TLSCertificateExpiringSoon under 14 days",
    target: { name: "w", url: "https://example.org/" },
    checks: [chk("tls", "ok", { host: "example.org", port: 443 }, { daysLeft: 5 })],
    severity: "Warning",
  },
  {
    code: "ExpectedBlockButReachable",
    name: "reports ExpectedBlockButReachable saying no policy isolates the destination",
    target: { ...api, expect: "Blocked" },
    checks: [dnsOk, vip("ok")],
    message: /no NetworkPolicy isolates app=api for ingress/,
  },
  {
    code: "ToolMissing",
    name: "reports ToolMissing as a Probe finding",
    target: api,
    checks: [dnsOk, vip("ok"), chk("trace", "tool-missing", { host: "x" })],
    severity: "Info",
  },
  {
    code: "ProbeFailed",
    name: "reports ProbeFailed for a check that errored",
    target: api,
    checks: [dnsOk, vip("ok"), chk("http", "error", { url: "http://api/" }, { reason: "jq failed" })],
    severity: "Warning",
  },
  {
    code: "ProbeNotScheduled",
    name: "reports ProbeNotScheduled from the caller's probe failure",
    target: api,
    probes: [{ pod: "p-0", failure: { code: "ProbeNotScheduled", message: "0/3 nodes available" } }],
    severity: "Warning",
  },
  {
    code: "ProbeImagePullFailed",
    name: "reports ProbeImagePullFailed from the caller's probe failure",
    target: api,
    probes: [{ pod: "p-0", failure: { code: "ProbeImagePullFailed", message: "ErrImagePull" } }],
    severity: "Warning",
  },
  {
    code: "ProbeTimedOut",
    name: "reports ProbeTimedOut from the caller's probe failure",
    target: api,
    probes: [{ pod: "p-0", failure: { code: "ProbeTimedOut", message: "deadline" } }],
    severity: "Warning",
  },
];

function run(c: Case) {
  const base = snapshotFromObjects(c.objects ?? world(), ["shop"]);
  const snapshot = c.snapshot ? c.snapshot(base) : base;
  const source = c.sourcePod ? { pod: { name: c.sourcePod } } : { podSelector: { matchLabels: c.source ?? { app: "client" } } };
  const spec = SpecSchema.parse({ source, targets: [c.target ?? api] });
  const probes: ProbeReport[] =
    c.probes ?? (c.checks ? [{ pod: "probe-0", result: { version: 1, runId: "r", targets: [{ name: spec.targets[0]?.name ?? "", checks: c.checks }] } }] : []);
  return evaluate({
    namespace: "shop",
    spec,
    snapshot,
    probes,
    now: new Date("2025-01-01T00:00:00Z"),
    ...(c.sockets ? { targetSockets: c.sockets } : {}),
    ...(c.hints ? { namespaceHints: c.hints } : {}),
  });
}

describe("finding codes", () => {
  for (const c of cases) {
    it(c.name, () => {
      const v = run(c);
      const f = v.findings.find((x) => x.code === c.code);
      assert.ok(f, `no ${c.code}; got ${v.findings.map((x) => `${x.code}: ${x.message}`).join(" | ") || "nothing"}`);
      assert.equal(f.severity, c.severity ?? "Critical");
      if (c.message) assert.match(f.message, c.message);
    });
  }

  it("raises nothing for a healthy world without probes", () => {
    assert.deepEqual(run({ code: "", name: "", target: api }).findings, []);
  });

  it("never makes a Probe finding the network root cause", () => {
    const v = run({ code: "", name: "", target: api, probes: [{ pod: "p-0", failure: { code: "ProbeNotScheduled", message: "x" } }] });
    assert.equal(v.healthy, false);
    assert.equal(v.probeProblem, true);
    assert.equal(v.rootCause?.code, "ProbeNotScheduled");
  });

  it("keeps an expect: Blocked target healthy when the probe is blocked", () => {
    const v = run({
      code: "",
      name: "",
      objects: [...world(), denyApiIngress],
      target: { ...api, expect: "Blocked" },
      checks: [dnsOk, vip("timeout"), ep("timeout")],
    });
    assert.equal(v.healthy, true, JSON.stringify(v.findings));
  });

  it("names the rule that admitted an expect: Blocked flow", () => {
    const allow: ManifestObject = {
      kind: "NetworkPolicy",
      metadata: { name: "api-open", namespace: "shop" },
      spec: { podSelector: { matchLabels: { app: "api" } }, ingress: [{ from: [{ podSelector: {} }] }] },
    };
    const v = run({ code: "", name: "", objects: [...world(), allow], target: { ...api, expect: "Blocked" }, checks: [vip("ok")] });
    assert.match(v.rootCause?.message ?? "", /ingress rule 1 of policy api-open \(shop\) admits it/);
  });

  it("shows the L7 row Skipped, never Passed, when the HTTP check never connected (the L4 row says why)", () => {
    const layer = (v: ReturnType<typeof run>, l: string) => v.targets[0]?.layers?.find((x) => x.layer === l)?.outcome;
    const http = (outcome: string) => chk("http", outcome, { url: "http://api.shop.svc.cluster.local/" }, outcome === "ok" ? { status: 200 } : {});
    const dropped = run({ code: "", name: "", target: api, checks: [dnsOk, vip("timeout"), ep("timeout"), http("timeout")] });
    assert.equal(layer(dropped, "L4"), "Failed");
    assert.equal(layer(dropped, "L7"), "Skipped");
    const fine = run({ code: "", name: "", target: api, checks: [dnsOk, vip("ok"), http("ok")] });
    assert.equal(layer(fine, "L7"), "Passed");
  });

  it("says the app pod's own sysctl is missing when ICMP was refused inside it (spec.source.pod)", () => {
    const web: ManifestObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-0", namespace: "shop", labels: { app: "client" } },
      spec: { containers: [{ name: "app", image: "web" }] },
    };
    const icmp = chk("icmp", "not-permitted", { host: "10.244.1.1" }, { pingGroupRange: "1 0" });
    const inPod = run({ code: "", name: "", objects: [...world(), web], sourcePod: "web-0", target: api, checks: [dnsOk, vip("ok"), icmp] });
    const f = inPod.findings.find((x) => x.code === "ProbeFailed");
    assert.match(f?.remediation ?? "", /inside pod shop\/web-0.*securityContext\.sysctls/);
    const fresh = run({ code: "", name: "", target: api, checks: [dnsOk, vip("ok"), icmp] });
    assert.match(fresh.findings.find((x) => x.code === "ProbeFailed")?.remediation ?? "", /Let the probe pod set the safe sysctl/);
  });
});
