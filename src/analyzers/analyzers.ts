/**
 * The method, top to bottom: the ordered analyzers. Cluster-wide checks run once per
 * diagnosis; target checks run per target, each seeing the findings of those before it.
 * Scope says when a step runs for a target that must be `Blocked`: object checks still
 * run (downgraded to Info: a broken target is still blocked), network failure checks do
 * not (failing is the expected outcome), the expectation and probe checks always run.
 *
 * @module
 */
import type { ClusterAnalyzer, TargetAnalyzer } from "./context.ts";
import { dnsEgressAllowed } from "./dns/dns-egress.ts";
import { dnsResults } from "./dns/dns-results.ts";
import { dnsServiceAvailable } from "./dns/dns-service.ts";
import { cniAgentsHealthy, kubeProxyHealthy } from "./node/agents-health.ts";
import { nodesReady } from "./node/node-ready.ts";
import { endpointsReady } from "./objects/endpoints.ts";
import { namespaceExists } from "./objects/namespace.ts";
import { podsRunning } from "./objects/pods.ts";
import { selectorMatchesPods } from "./objects/selector.ts";
import { serviceExists, servicePortExists } from "./objects/service.ts";
import { targetPortDeclared } from "./objects/target-port.ts";
import { connectResults } from "./observed/connect.ts";
import { expectation } from "./observed/expectation.ts";
import { httpResults } from "./observed/http.ts";
import { l3Results } from "./observed/l3.ts";
import { policyPath } from "./observed/policy.ts";
import { probeCheckProblems } from "./observed/probe-checks.ts";
import { tlsResults } from "./observed/tls.ts";

export type Scope = "objects" | "reachable" | "any";

export interface Step {
  run: TargetAnalyzer;
  scope: Scope;
}

export const clusterAnalyzers: readonly ClusterAnalyzer[] = [
  dnsServiceAvailable, // 2 DNS: the kube-dns Service has ready CoreDNS endpoints
  kubeProxyHealthy, //    4 L4: kube-proxy pods are ready (mode from its ConfigMap)
  cniAgentsHealthy, //    4 L4: the CNI agent pods are ready
];

export const targetAnalyzers: readonly Step[] = [
  { run: namespaceExists, scope: "objects" }, //     0 Objects: the target's namespace exists
  { run: serviceExists, scope: "objects" }, //       the Service exists where the client looks (short name vs namespace)
  { run: servicePortExists, scope: "objects" }, //   the Service has the port asked for
  { run: selectorMatchesPods, scope: "objects" }, // the selector matches pods (did you mean?)
  { run: targetPortDeclared, scope: "objects" }, //  targetPort lands on a declared container port (numeric and named)
  { run: podsRunning, scope: "objects" }, //         the selected pods run
  { run: endpointsReady, scope: "objects" }, //      the endpoints are ready (names the failing readiness probe)
  { run: dnsEgressAllowed, scope: "reachable" }, //  2 DNS: NetworkPolicy lets the source query CoreDNS
  { run: dnsResults, scope: "reachable" }, //        the name resolves, fast, upstream works
  { run: nodesReady, scope: "reachable" }, //        3 L3: the nodes on the path are Ready
  { run: l3Results, scope: "reachable" }, //         routes, ICMP, path MTU
  { run: policyPath, scope: "reachable" }, //        4 L4: NetworkPolicy verdict cross-checked with the probe
  { run: connectResults, scope: "reachable" }, //    refused vs timeout, pod IP vs ClusterIP
  { run: httpResults, scope: "reachable" }, //       5 L7: HTTP status and timings
  { run: tlsResults, scope: "reachable" }, //        6 TLS: verify, SAN, expiry
  { run: expectation, scope: "any" }, //             expect: Blocked holds
  { run: probeCheckProblems, scope: "any" }, //      checks the probe could not run
];
