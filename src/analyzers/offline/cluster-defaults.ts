/**
 * What every cluster has even though manifests never declare it: namespaces (with the
 * `kubernetes.io/metadata.name` label the API server sets), kube-system, the kube-dns
 * Service and a Ready CoreDNS pod (k8s-app=kube-dns) — unless the objects already
 * provide them.
 *
 * @module
 */
import type { Namespace, Pod, Service } from "../../model/snapshot.ts";

export const KubeDnsIP = "198.19.0.10";

/** Every namespace named, each carrying kubernetes.io/metadata.name. */
export function withNamespaces(declared: readonly Namespace[], referenced: Iterable<string>): Namespace[] {
  const out = new Map<string, Namespace>();
  for (const n of declared) out.set(n.metadata.name, n);
  for (const name of ["default", "kube-system", ...referenced]) {
    if (!out.has(name)) out.set(name, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  }
  return [...out.values()].map((n) => ({
    ...n,
    metadata: { ...n.metadata, labels: { ...n.metadata.labels, "kubernetes.io/metadata.name": n.metadata.name } },
  }));
}

export const kubeDnsService: Service = {
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "kube-dns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
  spec: {
    selector: { "k8s-app": "kube-dns" },
    clusterIP: KubeDnsIP,
    ports: [
      { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
      { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
    ],
  },
};

export const coreDnsPod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "coredns-0", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
  spec: {
    containers: [
      {
        name: "coredns",
        ports: [
          { name: "dns", containerPort: 53, protocol: "UDP" },
          { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
        ],
      },
    ],
  },
  status: {
    phase: "Running",
    podIP: "198.18.0.2",
    conditions: [{ type: "Ready", status: "True" }],
    containerStatuses: [{ name: "coredns", ready: true, restartCount: 0, state: { running: {} } }],
  },
};
