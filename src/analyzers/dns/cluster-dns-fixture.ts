/**
 * Test fixture: the cluster DNS as manifests (kube-system, the kube-dns Service at
 * 198.19.0.10 and one ready CoreDNS pod on `node`), for analyzer tests that need it.
 *
 * @module
 */
import type { ManifestObject } from "../offline/snapshot-from-objects.ts";

export const clusterDnsObjects = (node: string): ManifestObject[] => [
  { kind: "Namespace", metadata: { name: "kube-system" } },
  {
    kind: "Service",
    metadata: { name: "kube-dns", namespace: "kube-system" },
    spec: { clusterIP: "198.19.0.10", selector: { "k8s-app": "kube-dns" }, ports: [{ port: 53, protocol: "UDP" }] },
  },
  {
    kind: "Pod",
    metadata: { name: "coredns-1", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
    spec: { nodeName: node, containers: [{ name: "coredns" }] },
    status: { phase: "Running", podIP: "198.18.10.3", conditions: [{ type: "Ready", status: "True" }] },
  },
];
