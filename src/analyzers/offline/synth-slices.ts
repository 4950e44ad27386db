/**
 * Offline Services get a stable fake ClusterIP, and EndpointSlices synthesised from
 * their selectors over the snapshot's pods (what the endpointslice controller would do).
 *
 * @module
 */
import { compileSelector } from "../../model/selector.ts";
import { isReady } from "../../model/pod-state.ts";
import { containerPortFor, targetPortOf } from "../../model/ports.ts";
import type { EndpointSlice, Pod, Service } from "../../model/snapshot.ts";
import { fakeClusterIP } from "./fake-ip.ts";

export function withClusterIP(svc: Service): Service {
  if (svc.spec?.clusterIP || svc.spec?.type === "ExternalName") return svc;
  return { ...svc, spec: { ...svc.spec, clusterIP: fakeClusterIP(`${svc.metadata.namespace ?? "default"}/${svc.metadata.name}`) } };
}

/** The slice the controller would write for this Service; undefined without a selector. */
export function sliceFor(svc: Service, podsInNamespace: readonly Pod[]): EndpointSlice | undefined {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return undefined;
  const m = compileSelector({ matchLabels: selector });
  const pods = podsInNamespace.filter((p) => m.matches(p.metadata.labels) && p.status?.podIP && !p.metadata.deletionTimestamp);
  const ns = svc.metadata.namespace ?? "default";
  const ports = (svc.spec?.ports ?? []).flatMap((sp) => {
    const first = pods[0];
    const port = first ? containerPortFor(first, targetPortOf(sp), sp.protocol) : typeof sp.targetPort === "number" ? sp.targetPort : sp.port;
    return port === undefined ? [] : [{ name: sp.name ?? "", port, protocol: sp.protocol ?? "TCP" }];
  });
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: `${svc.metadata.name}-offline`, namespace: ns, labels: { "kubernetes.io/service-name": svc.metadata.name } },
    addressType: "IPv4",
    ports,
    endpoints: pods.map((p) => ({
      addresses: [p.status?.podIP ?? ""],
      conditions: { ready: isReady(p) },
      targetRef: { kind: "Pod", name: p.metadata.name, namespace: ns },
    })),
  };
}
