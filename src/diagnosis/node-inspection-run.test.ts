import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SpecSchema } from "../api/spec.ts";
import type { Obj } from "../k8s/rest.ts";
import type { Pod, Snapshot } from "../model/snapshot.ts";
import { inspectNodes, nodesToInspect, ownTargetPods, serviceVips, targetPodIps } from "./node-inspection-run.ts";
import { nodeProbePodName } from "./node-probe-pod.ts";

const pod = (ns: string, name: string, uid: string, node: string, app: string): Pod =>
  ({ metadata: { namespace: ns, name, uid, labels: { app } }, spec: { nodeName: node, containers: [] } }) as unknown as Pod;
const snapshot = {
  services: [
    { metadata: { namespace: "shop", name: "api" }, spec: { selector: { app: "api" }, ports: [{ port: 80 }] } },
    { metadata: { namespace: "other", name: "db" }, spec: { selector: { app: "db" }, ports: [{ port: 5432 }] } },
  ],
  pods: [
    pod("shop", "api-1", "11111111-1111-1111-1111-111111111111", "n1", "api"),
    pod("shop", "api-2", "22222222-2222-2222-2222-222222222222", "n2", "api"),
    pod("other", "db-1", "33333333-3333-3333-3333-333333333333", "n3", "db"),
  ],
} as unknown as Snapshot;

describe("node inspection in a run", () => {
  it("asks for the route to the own target pods' IPs and for the rules of every target Service's ClusterIP:port (not headless ones)", () => {
    const snap = {
      services: [
        { metadata: { namespace: "shop", name: "api" }, spec: { clusterIP: "198.19.1.2", selector: { app: "api" }, ports: [{ name: "http", port: 80 }] } },
        { metadata: { namespace: "other", name: "db" }, spec: { clusterIP: "198.19.1.3", ports: [{ port: 5432, protocol: "TCP" }] } },
        { metadata: { namespace: "shop", name: "headless" }, spec: { clusterIP: "None", ports: [{ port: 80 }] } },
      ],
      pods: [],
    } as unknown as Snapshot;
    const spec = SpecSchema.parse({
      targets: [
        { name: "api", service: { name: "api", port: "http" } },
        { name: "api-url", url: "http://api.shop.svc.cluster.local/" },
        { name: "db", service: { name: "db", namespace: "other", port: 5432 } },
        { name: "h", service: { name: "headless", port: 80 } },
        { name: "gone", service: { name: "nope", port: 80 } },
      ],
    });
    assert.deepEqual(serviceVips("shop", spec, snap), [
      { ip: "198.19.1.2", port: 80, protocol: "TCP" },
      { ip: "198.19.1.3", port: 5432, protocol: "TCP" },
    ]);
    const withIp = (name: string, ip?: string) => ({ metadata: { name }, status: ip ? { podIP: ip } : {} }) as unknown as Pod;
    assert.deepEqual(targetPodIps([withIp("a", "198.18.10.5"), withIp("b"), withIp("c", "198.18.10.5"), withIp("d", "198.18.11.5")]), [
      "198.18.10.5",
      "198.18.11.5",
    ]);
  });

  it("inspects the nodes of the diagnosis' own target pods and of its probes, never another namespace's pods", () => {
    const spec = SpecSchema.parse({
      targets: [
        { name: "api", service: { name: "api", port: 80 } },
        { name: "db", service: { name: "db", namespace: "other", port: 5432 } },
      ],
    });
    const targets = ownTargetPods("shop", spec, snapshot);
    assert.deepEqual(
      targets.map((p) => p.metadata.name),
      ["api-1", "api-2"],
    );
    const nodes = nodesToInspect(targets, ["n2", "n4"]);
    assert.deepEqual(
      [...nodes.entries()],
      [
        ["n1", ["11111111-1111-1111-1111-111111111111"]],
        ["n2", ["22222222-2222-2222-2222-222222222222"]],
        ["n4", []],
      ],
    );
  });

  it("creates one node probe per node in the operator's namespace, then reads results and keeps sockets of its own pods only", async () => {
    const created: { path: string; body: { metadata: { name: string; namespace: string } } }[] = [];
    const rest = { create: async (path: string, body: unknown) => void created.push({ path, body: body as never }) } as never;
    const targets = [snapshot.pods?.[0] as Pod];
    const nodes = new Map([["n1", ["11111111-1111-1111-1111-111111111111"]]]);
    const base = {
      rest,
      setting: { namespace: "netdiag-system", script: "x" },
      diagnosis: { name: "d", namespace: "shop", uid: "u" },
      runId: "r1",
      image: "img",
      nodes,
      targets,
      now: 0,
      deadline: 60_000,
    };
    const first = await inspectNodes({ ...base, pods: [] });
    assert.equal(first.pending, true);
    assert.deepEqual(
      created.map((c) => [c.path, c.body.metadata.namespace]),
      [["/api/v1/namespaces/netdiag-system/pods", "netdiag-system"]],
    );
    const result = {
      version: 1,
      kind: "node-inspection",
      runId: "r1",
      node: "n1",
      sampleMs: 1000,
      interfaces: [],
      pods: [
        { uid: "11111111-1111-1111-1111-111111111111", found: true, listen: ["0100007F:1F90"] },
        { uid: "33333333-3333-3333-3333-333333333333", found: true, listen: ["00000000:1538"] },
      ],
    };
    const done: Obj = {
      metadata: { namespace: "netdiag-system", name: nodeProbePodName("r1", "n1") },
      status: { phase: "Succeeded", containerStatuses: [{ name: "probe", state: { terminated: { exitCode: 0, message: JSON.stringify(result) } } }] },
    } as unknown as Obj;
    const second = await inspectNodes({ ...base, pods: [done] });
    assert.equal(second.pending, false);
    assert.equal(second.inspections.length, 1);
    assert.deepEqual(second.sockets, { "shop/api-1": [{ address: "127.0.0.1", port: 8080, protocol: "TCP" }] });
    const failed = await inspectNodes({
      ...base,
      rest: { create: async () => Promise.reject(Object.assign(new Error("pods is forbidden"), { statusCode: 403 })) } as never,
      pods: [],
    });
    assert.equal(failed.pending, false);
    assert.match(failed.failures[0]?.message ?? "", /forbidden/);
  });
});
