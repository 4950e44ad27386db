import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { snapshotFromObjects, type ManifestObject } from "../analyzers/offline/snapshot-from-objects.ts";
import { SpecSchema } from "../api/spec.ts";
import { ProbePlanSchema } from "../api/probe-contract.ts";
import { buildPlan, checkTimeouts, IN_CLUSTER_CONNECT_SECONDS } from "./plan.ts";

const objects: ManifestObject[] = [
  { kind: "Namespace", metadata: { name: "shop" } },
  {
    kind: "Deployment",
    metadata: { name: "api", namespace: "shop" },
    spec: {
      replicas: 2,
      template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "api", ports: [{ containerPort: 8080, name: "web" }] }] } },
    },
  },
  {
    kind: "Service",
    metadata: { name: "api", namespace: "shop" },
    spec: { clusterIP: "10.96.5.5", selector: { app: "api" }, ports: [{ name: "http", port: 80, targetPort: "web" }] },
  },
  { kind: "Service", metadata: { name: "headless", namespace: "shop" }, spec: { clusterIP: "None", selector: { app: "api" }, ports: [{ port: 8080 }] } },
];
const snapshot = snapshotFromObjects(objects, ["shop"]);

function plan(targets: unknown[]) {
  return buildPlan({ namespace: "shop", spec: SpecSchema.parse({ targets }), snapshot, runId: "r1" });
}

describe("buildPlan", () => {
  it("checks a Service by FQDN, ClusterIP, every endpoint and HTTP on a port named http", () => {
    const p = plan([{ name: "api", service: { name: "api", port: 80 } }]);
    assert.ok(ProbePlanSchema.safeParse(p).success);
    const checks = p.targets[0]?.checks ?? [];
    assert.deepEqual(checks[0], { check: "dns", name: "api.shop.svc.cluster.local" });
    assert.ok(checks.some((c) => c.check === "tcp" && c.role === "clusterIP" && c.host === "10.96.5.5" && c.port === 80));
    assert.equal(checks.filter((c) => c.check === "tcp" && c.role === "endpoint" && c.port === 8080 && c["ready"] === "true").length, 2);
    assert.ok(checks.some((c) => c.check === "http" && c.url === "http://api.shop.svc.cluster.local:80/"));
  });

  it("checks only the endpoints of a headless Service", () => {
    const checks = plan([{ name: "h", service: { name: "headless", port: 8080 } }]).targets[0]?.checks ?? [];
    assert.equal(checks.filter((c) => c.check === "tcp" && c.role === "clusterIP").length, 0);
    assert.equal(checks.filter((c) => c.check === "tcp" && c.role === "endpoint").length, 2);
  });

  it("resolves a URL's host exactly as written and adds TLS for https", () => {
    const checks = plan([{ name: "w", url: "https://example.org/health" }]).targets[0]?.checks ?? [];
    assert.deepEqual(checks[0], { check: "dns", name: "example.org" });
    assert.ok(checks.some((c) => c.check === "tcp" && c.role === "host" && c.host === "example.org" && c.port === 443));
    assert.ok(checks.some((c) => c.check === "http" && c.url === "https://example.org/health"));
    assert.ok(checks.some((c) => c.check === "tls" && c.sni === "example.org"));
  });

  it("keeps a short name as written and adds the endpoints of the Service it names", () => {
    const checks = plan([{ name: "a", url: "http://api/" }]).targets[0]?.checks ?? [];
    assert.deepEqual(checks[0], { check: "dns", name: "api" });
    assert.ok(checks.some((c) => c.check === "tcp" && c.role === "endpoint"));
  });

  it("skips DNS for an IP host", () => {
    const checks = plan([{ name: "ip", host: "203.0.113.5", port: 22 }]).targets[0]?.checks ?? [];
    assert.equal(
      checks.some((c) => c.check === "dns"),
      false,
    );
  });
});

describe("check timeouts", () => {
  it("keeps every check well inside the run's timeout, and ICMP checks short", () => {
    assert.deepEqual(checkTimeouts(30), { check: 7, icmp: 3 });
    assert.deepEqual(checkTimeouts(300), { check: 8, icmp: 3 });
    assert.deepEqual(checkTimeouts(5), { check: 2, icmp: 2 });
  });
  it("bounds in-cluster connects at 2 s and keeps the run's budget for external hosts, DNS, HTTP and TLS", () => {
    const inside = plan([{ name: "api", service: { name: "api", port: 80 } }]).targets[0]?.checks ?? [];
    const tcp = inside.filter((c) => c.check === "tcp");
    assert.ok(tcp.length >= 2 && tcp.every((c) => c.timeoutSeconds === IN_CLUSTER_CONNECT_SECONDS), JSON.stringify(tcp));
    assert.ok(
      inside.filter((c) => c.check === "dns" || c.check === "http").every((c) => c.timeoutSeconds === undefined),
      "DNS and HTTP use the plan's budget",
    );
    assert.ok(inside.some((c) => c.check === "http"));
    assert.ok(
      inside.filter((c) => c.check === "http").every((c) => c.connectTimeoutSeconds === IN_CLUSTER_CONNECT_SECONDS),
      "an in-cluster HTTP connect is bounded, not the request",
    );
    const outside = plan([{ name: "ext", host: "198.18.7.7", port: 443 }]).targets[0]?.checks ?? [];
    assert.equal(outside.find((c) => c.check === "tcp")?.timeoutSeconds, undefined, "an external host keeps the budget");
    const svcUrl = plan([{ name: "u", url: "http://api.shop.svc.cluster.local/" }]).targets[0]?.checks ?? [];
    assert.equal(svcUrl.find((c) => c.check === "tcp" && c.role === "host")?.timeoutSeconds, IN_CLUSTER_CONNECT_SECONDS);
  });
});
