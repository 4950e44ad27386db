/**
 * The tenancy rule, leak path by leak path, at the pure level: a diagnosis in team-a
 * aimed at team-b's Service sees the verdict (code, layer, the deciding policy's name,
 * what its probe observed) and none of team-b's pod names, pod IPs, labels, selectors,
 * probe commands or policy bodies — in findings, the root cause, the target rows or the
 * probe plan (which the probe pod's env carries). The same faults inside team-a are shown
 * in full detail. The integration test (test/integration/tenancy.test.ts) proves the
 * same through the API server: status, Events, the env and `netdiag run`.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SpecSchema } from "../api/spec.ts";
import { buildPlan } from "../probe/plan.ts";
import { CheckResultSchema, type CheckResult } from "../api/probe-contract.ts";
import type { ManifestObject } from "./offline/snapshot-from-objects.ts";
import { snapshotFromObjects } from "./offline/snapshot-from-objects.ts";
import { evaluate, type Verdict } from "./evaluate.ts";
import type { ProbeReport } from "./context.ts";

/** Strings of team-b that team-a must never see. */
const SECRETS = [
  "payments-7f9c-x2",
  "10.244.9.77",
  "tier=gold",
  "s3cr3t-token",
  "Authorization",
  "team=payments-admins",
  "payment-api",
  "namespaceSelector",
  "env=prod",
];

function pod(ns: string, name: string, labels: Record<string, string>, ip: string, ready: boolean): ManifestObject {
  return {
    kind: "Pod",
    metadata: { name, namespace: ns, labels },
    spec: {
      nodeName: "node-1",
      containers: [
        {
          name: "app",
          ports: [{ containerPort: 8080, name: "http" }],
          readinessProbe: { exec: { command: ["sh", "-c", "curl -fsH 'Authorization: Bearer s3cr3t-token' localhost:8080/ready"] } },
        },
      ],
    },
    status: {
      phase: "Running",
      podIP: ip,
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      containerStatuses: [{ name: "app", ready, restartCount: 0, state: { running: {} } }],
    },
  } as unknown as ManifestObject;
}

function svc(ns: string, selector: Record<string, string>): ManifestObject {
  return {
    kind: "Service",
    metadata: { name: "payments", namespace: ns },
    spec: { clusterIP: "10.96.5.5", selector, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
  } as unknown as ManifestObject;
}

const client = pod("team-a", "client-1", { app: "client" }, "10.244.1.10", true);
const denyButProd: ManifestObject = {
  kind: "NetworkPolicy",
  metadata: { name: "allow-from-prod", namespace: "team-b" },
  spec: {
    podSelector: { matchLabels: { "app.kubernetes.io/name": "payment-api" } },
    policyTypes: ["Ingress"],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: "prod" } } }] }],
  },
} as unknown as ManifestObject;

const chk = (check: string, outcome: string, input: Record<string, unknown>): CheckResult =>
  CheckResultSchema.parse({ check, outcome, durationMs: 3000, detail: { input: { check, ...input } } });

function run(ns: string, objects: ManifestObject[], checks: CheckResult[] = [], targetNs = "team-b"): Verdict {
  const snapshot = snapshotFromObjects(objects, [ns, "team-b"]);
  const spec = SpecSchema.parse({
    source: { podSelector: { matchLabels: { app: "client" } } },
    targets: [{ name: "pay", service: { name: "payments", namespace: targetNs, port: 80 } }],
  });
  const probes: ProbeReport[] = checks.length ? [{ pod: "diag-r1-0", result: { version: 1, runId: "r1", targets: [{ name: "pay", checks }] } }] : [];
  return evaluate({ namespace: ns, spec, snapshot, probes, now: new Date("2026-01-01T00:00:00Z") });
}

function leaks(v: unknown): string[] {
  const text = JSON.stringify(v);
  return SECRETS.filter((s) => text.includes(s));
}

describe("the tenancy rule (another namespace shows only what the probe observed)", () => {
  const typo = (ns: string) => [
    client,
    svc(ns, { "app.kubernetes.io/name": "payments-api" }),
    pod(ns, "payments-7f9c-x2", { "app.kubernetes.io/name": "payment-api", tier: "gold" }, "10.244.9.77", true),
  ];

  it("a selector typo in another namespace: the code and the Service, no pod names, labels or did-you-mean", () => {
    const v = run("team-a", typo("team-b"));
    assert.equal(v.rootCause?.code, "ServiceSelectorMatchesNoPods");
    assert.match(v.rootCause?.message ?? "", /Service team-b\/payments selects no pods/);
    assert.match(v.rootCause?.message ?? "", /tenancy rule/);
    assert.deepEqual(leaks(v), []);
  });

  it("the same typo in the diagnosis' own namespace keeps its did-you-mean and pod names", () => {
    const v = run("team-b", typo("team-b"));
    assert.equal(v.rootCause?.code, "ServiceSelectorMatchesNoPods");
    assert.match(v.rootCause?.message ?? "", /did you mean app\.kubernetes\.io\/name=payment-api/);
    assert.ok(JSON.stringify(v).includes("payments-7f9c-x2"));
  });

  it("an unready backend in another namespace: no readiness command line (no bearer token), no pod names", () => {
    const objects = [client, svc("team-b", { app: "pay" }), pod("team-b", "payments-7f9c-x2", { app: "pay", tier: "gold" }, "10.244.9.77", false)];
    const v = run("team-a", objects);
    assert.equal(v.rootCause?.code, "ServiceEndpointsNotReady");
    assert.deepEqual(leaks(v), []);
    const own = run("team-b", objects, [], "team-b");
    assert.ok(JSON.stringify(own).includes("s3cr3t-token"), "its own namespace sees the failing probe (the author owns it)");
  });

  it("a NetworkPolicy of another namespace denies: its name, not its rules", () => {
    const objects = [
      client,
      svc("team-b", { "app.kubernetes.io/name": "payment-api" }),
      pod("team-b", "payments-7f9c-x2", { "app.kubernetes.io/name": "payment-api", tier: "gold" }, "10.244.9.77", true),
      denyButProd,
    ];
    const v = run("team-a", objects, [chk("tcp", "timeout", { host: "10.96.5.5", port: 80, role: "clusterIP" })]);
    assert.equal(v.rootCause?.code, "NetworkPolicyDenied");
    assert.match(v.rootCause?.message ?? "", /allow-from-prod \(team-b\)/);
    assert.match(v.rootCause?.remediation ?? "", /owners of namespace team-b/);
    assert.deepEqual(leaks(v), []);
    const f = v.findings.find((x) => x.code === "NetworkPolicyDenied");
    assert.ok(
      f?.evidence?.some((e) => /tcp 10\.96\.5\.5:80 timeout/.test(e)),
      "what the probe observed stays",
    );
  });

  it("endpoint results of another namespace's pods are ignored even if a result carries them", () => {
    const objects = [client, svc("team-b", { app: "pay" }), pod("team-b", "payments-7f9c-x2", { app: "pay", tier: "gold" }, "10.244.9.77", true)];
    const v = run("team-a", objects, [
      chk("tcp", "refused", { host: "10.244.9.77", port: 8080, role: "endpoint", pod: "payments-7f9c-x2" }),
      chk("tcp", "refused", { host: "10.96.5.5", port: 80, role: "clusterIP" }),
    ]);
    assert.equal(v.rootCause?.code, "ConnectionRefused");
    assert.deepEqual(leaks(v), []);
  });

  it("the probe plan (the probe pod's env) of a target in another namespace holds no pod IPs or names", () => {
    const objects = [client, svc("team-b", { app: "pay" }), pod("team-b", "payments-7f9c-x2", { app: "pay", tier: "gold" }, "10.244.9.77", true)];
    const spec = SpecSchema.parse({ targets: [{ name: "pay", service: { name: "payments", namespace: "team-b", port: 80 } }] });
    const foreign = buildPlan({ namespace: "team-a", spec, snapshot: snapshotFromObjects(objects, ["team-a"]), runId: "r1" });
    assert.deepEqual(leaks(foreign), []);
    assert.ok(
      foreign.targets[0]?.checks.some((c) => c.check === "tcp" && c.host === "10.96.5.5"),
      "the ClusterIP is probed",
    );
    const own = buildPlan({ namespace: "team-b", spec, snapshot: snapshotFromObjects(objects, ["team-b"]), runId: "r1" });
    assert.ok(JSON.stringify(own).includes("10.244.9.77"), "in its own namespace every endpoint is probed");
  });

  it("cluster DNS down: every namespace learns it, only kube-system sees the CoreDNS pods", () => {
    const coredns = {
      kind: "Pod",
      metadata: { name: "coredns-5d78c9869d-qq7ks", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
      spec: { containers: [{ name: "coredns" }] },
      status: {
        phase: "Running",
        conditions: [{ type: "Ready", status: "False" }],
        containerStatuses: [{ name: "coredns", ready: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } } }],
      },
    } as unknown as ManifestObject;
    const objects = [client, svc("team-a", { app: "client" }), coredns];
    const tenant = run("team-a", objects, [], "team-a");
    const dns = tenant.findings.find((f) => f.code === "DNSServiceUnavailable");
    assert.match(dns?.message ?? "", /kube-dns/);
    assert.match(dns?.message ?? "", /CrashLoopBackOff/);
    assert.ok(!JSON.stringify(tenant).includes("coredns-5d78c9869d-qq7ks"));
    const system = run("kube-system", objects, [], "team-a");
    assert.ok(JSON.stringify(system).includes("coredns-5d78c9869d-qq7ks"));
  });
});
