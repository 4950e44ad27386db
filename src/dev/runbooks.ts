/**
 * The hand-written half of docs/reference/findings.md: one runbook per finding code, in
 * the seeds' spirit — what the code means, the failure's signature as the tools show it,
 * the commands that confirm it by hand (kubectl and netshoot) and the fix. Everything else
 * on that page (layer, method step, what the step checks, the scenarios that produce the
 * code) is generated from src/api/codes.ts and src/analyzers/method.ts by
 * src/dev/gen-docs.ts, which fails (`--check` too) when a code has no runbook here or a
 * runbook names no code.
 *
 * Placeholders in commands: `<ns>` the diagnosis' namespace, `<name>` the diagnosis,
 * `<svc>` / `<target-ns>` the target Service and its namespace, `<pod>` a backend pod,
 * `<probe-pod>` the probe pod (a finding's `source`), `<node>` a node, `<port>` the
 * Service port, `<target-port>` the container port, `<ip>` / `<pod-ip>` / `<cluster-ip>`
 * addresses. "netshoot" means a debug shell in the client's namespace:
 * `kubectl run tmp-shell -n <ns> --rm -it --image nicolaka/netshoot -- bash`.
 *
 * @module
 */
import type { EscalateTo, Severity } from "../api/codes.ts";
import { SLOW_DNS_MS } from "../analyzers/dns/dns-results.ts";
import { CONNTRACK_CRIT, CONNTRACK_WARN, DROPS_MIN, DROPS_RATIO, RETRANS_MIN_SEGMENTS, RETRANS_RATIO } from "../analyzers/node/node-counters.ts";
import { SLOW_HTTP_MS } from "../analyzers/observed/http.ts";
import { EXPIRY_WARNING_DAYS } from "../analyzers/observed/tls.ts";

export interface Runbook {
  /** The severities the code is raised with, the usual one first. */
  severity: readonly Severity[];
  /** When the severity is not always the same: which one when. */
  severityWhen?: string;
  /** Who owns the fix (the finding's escalateTo); empty when nothing needs fixing. */
  owner: readonly EscalateTo[];
  /** What the finding means, in two or three sentences. */
  means: string;
  /** The failure's signature: what the tools print when you look by hand. */
  signature?: string;
  /** Shell lines that confirm it by hand (comments start with #). */
  confirm: readonly string[];
  /** How to fix it. */
  fix: string;
  /** An optional manifest for the fix (YAML). */
  example?: string;
}

const netshoot = "kubectl run tmp-shell -n <ns> --rm -it --image nicolaka/netshoot -- bash";
const netshootAsClient =
  "kubectl run tmp-shell -n <ns> --rm -it --image nicolaka/netshoot --labels app=frontend -- bash   # the client's labels: the same NetworkPolicies judge it";
const inPod =
  "kubectl debug -it <pod> -n <target-ns> --image=nicolaka/netshoot --target=<container> -- ss -tlnp   # an ephemeral container stays in the pod spec until the pod is replaced";
const onNode = (cmd: string, profile = "") => `kubectl debug node/<node> -it${profile ? ` --profile=${profile}` : ""} --image=nicolaka/netshoot -- ${cmd}`;
const probeLogs = "kubectl logs <probe-pod> -n <ns>   # a human transcript of every check, then the full NETDIAG_RESULT line";
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;
const probePods = "kubectl get pods -n <ns> -l netdiag.dev/diagnosis=<name> -o wide";

// prettier-ignore
export const Runbooks: Readonly<Record<string, Runbook>> = {
  // ---------------------------------------------------------------- Objects
  NamespaceNotFound: {
    severity: ["Critical"], owner: ["User"],
    means: "The namespace the target names does not exist, so the Service cannot exist either and its DNS name never resolves. Usually a typo in `service.namespace` or in the `<svc>.<namespace>` part of a URL, or a namespace that was deleted or not yet created by the pipeline.",
    signature: "`nslookup backend.shpo` → `** server can't find backend.shpo: NXDOMAIN`; `kubectl get ns shpo` → `Error from server (NotFound)`.",
    confirm: [
      "kubectl get namespace <target-ns>",
      "kubectl get netdiag <name> -n <ns> -o jsonpath='{range .spec.targets[*]}{.name}{\" \"}{.service.namespace}{.url}{.host}{\"\\n\"}{end}'",
    ],
    fix: "Correct the namespace in the target (and in the client's configuration, which likely has the same typo), or create the namespace and deploy the Service into it. The finding never lists the cluster's namespaces: `kubectl get namespaces` shows the ones you may see.",
  },
  ServiceNotFound: {
    severity: ["Critical"], owner: ["App"],
    means: "There is no Service of that name in that namespace. The name is misspelled, the Service was never applied (or was pruned by GitOps), or it lives in another namespace — the finding says so when that namespace may be named.",
    signature: "`kubectl get svc backend -n shop` → `Error from server (NotFound): services \"backend\" not found`; lookups of `backend.shop.svc.cluster.local` return NXDOMAIN.",
    confirm: [
      "kubectl get svc -n <target-ns>",
      "kubectl get svc -A --field-selector metadata.name=<svc>   # where a Service of that name does exist",
    ],
    fix: "Create the Service, or fix the name in the target and in the client. If it exists in another namespace, address it as `<svc>.<namespace>` (or set `service.namespace`).",
  },
  ServiceSelectorMatchesNoPods: {
    severity: ["Critical"], owner: ["App"],
    means: "The Service's selector matches no pod in its namespace, so it has no endpoints: the number one cause of Service connectivity failures in the seeds. The finding compares the selector with the labels the pods do carry and suggests the nearest value (did you mean?), preferring pods that declare the targetPort.",
    signature: "`kubectl get endpoints backend` → `ENDPOINTS <none>`; the selector says `{\"app\":\"order-service\"}` while the pods carry `app=orders-service`. Through the ClusterIP: `Connection refused` (kube-proxy rejects a Service without endpoints).",
    confirm: [
      "kubectl get svc <svc> -n <target-ns> -o jsonpath='{.spec.selector}'",
      "kubectl get pods -n <target-ns> --show-labels",
      "kubectl get endpointslices -n <target-ns> -l kubernetes.io/service-name=<svc>",
    ],
    fix: "Make the selector and the pod template's labels agree — fix whichever side has the typo in the manifests (relabelling running pods by hand does not survive the next rollout).",
  },
  ServiceEndpointsNotReady: {
    severity: ["Critical"], owner: ["App"],
    means: "The selector matches pods, but none of them is Ready, so the Service has no ready endpoint and receives no traffic. The message names each pod with its phase and the readiness probe that fails.",
    signature: "`kubectl get pods -l app=backend` → `READY 0/1`; `kubectl describe pod` → `Readiness probe failed: HTTP probe failed with statuscode: 404`; the ClusterIP refuses connections.",
    confirm: [
      "kubectl get pods -n <target-ns> -l <selector> -o wide",
      "kubectl describe pod <pod> -n <target-ns> | grep -A4 -E 'Readiness|Events'",
      "kubectl get endpointslices -n <target-ns> -l kubernetes.io/service-name=<svc> -o jsonpath='{range .items[*].endpoints[*]}{.targetRef.name}{\" ready=\"}{.conditions.ready}{\"\\n\"}{end}'",
    ],
    fix: "Make the readiness probe test what the app really serves (port, path, scheme, initialDelaySeconds), or fix the app so it becomes ready. Check the probe's port against `ss -tlnp` in the pod.",
  },
  TargetPortMismatch: {
    severity: ["Critical", "Warning"], severityWhen: "Critical when every selected pod declares other ports, Warning when only some do (a half-finished rollout).",
    owner: ["App"],
    means: "The Service sends to a targetPort that the selected containers do not declare: the seeds' war story (the app moved from 8080 to 9090, nobody updated the Service). Judged only against pods that declare ports at all, since declaring them is optional.",
    signature: "`kubectl get svc backend -o jsonpath='{.spec.ports[0].targetPort}'` → `8080`, the container declares `containerPort: 9090`; `nc -zv <pod-ip> 8080` → `Connection refused`; `ss -tlnp` in the pod shows `*:9090`.",
    confirm: [
      "kubectl get svc <svc> -n <target-ns> -o jsonpath='{range .spec.ports[*]}{.port}{\" -> \"}{.targetPort}{\"\\n\"}{end}'",
      "kubectl get pods -n <target-ns> -l <selector> -o jsonpath='{range .items[*]}{.metadata.name}{\" \"}{.spec.containers[*].ports[*].containerPort}{\"\\n\"}{end}'",
      inPod,
    ],
    fix: "Set the Service's targetPort to the port the app listens on (or make the app listen on the targetPort). A named targetPort (`targetPort: http`) keeps the two from drifting apart.",
  },
  NamedPortNotFound: {
    severity: ["Critical", "Warning"], severityWhen: "Critical when no selected pod declares the name, Warning when only some lack it.",
    owner: ["App"],
    means: "The Service's targetPort is a name (e.g. `http`) that no container of the selected pods declares. The EndpointSlice controller then creates no endpoint for those pods, even though they run and are Ready.",
    signature: "Pods `Running 1/1`, yet `kubectl get endpoints backend` → `<none>`; the Service says `targetPort: http`, the container's port is unnamed or called `web`.",
    confirm: [
      "kubectl get svc <svc> -n <target-ns> -o jsonpath='{.spec.ports[*].targetPort}'",
      "kubectl get pods -n <target-ns> -l <selector> -o jsonpath='{range .items[*]}{.metadata.name}{\" \"}{.spec.containers[*].ports}{\"\\n\"}{end}'",
    ],
    fix: "Name the container port exactly as the targetPort (`ports: [{name: http, containerPort: 8080}]`), or set targetPort to the port number.",
  },
  PodNotRunning: {
    severity: ["Critical", "Warning"], severityWhen: "Critical when no selected pod runs, Warning when some still do.",
    owner: ["App"],
    means: "The Service's pods exist but do not run: CrashLoopBackOff, ImagePullBackOff, Pending with the scheduler's reason, or Failed. The network is not the problem yet — fix the pods first.",
    signature: "`kubectl get pods -l app=backend` → `STATUS CrashLoopBackOff` (or `ImagePullBackOff`, `Pending`).",
    confirm: [
      "kubectl get pods -n <target-ns> -l <selector> -o wide",
      "kubectl describe pod <pod> -n <target-ns> | sed -n '/Events/,$p'",
      "kubectl logs <pod> -n <target-ns> --previous   # why the last container exited",
    ],
    fix: "Fix what the pod's events and previous logs say (image name or pull secret, a crashing entrypoint, unschedulable resources or node selectors), then diagnose again.",
  },
  PodNotReady: {
    severity: ["Info"], owner: ["App"],
    means: "Some of the Service's pods are not Ready and receive no traffic; the others still serve, so the diagnosis stays healthy. Reduced capacity, and a warning sign when the count grows.",
    signature: "`kubectl get pods -l app=backend` → a mix of `1/1` and `0/1`.",
    confirm: [
      "kubectl get pods -n <target-ns> -l <selector>",
      "kubectl describe pod <pod> -n <target-ns> | grep -A4 Readiness",
    ],
    fix: "Find out why those pods fail their readiness probe (the message names the probe); the same fix as ServiceEndpointsNotReady, before it becomes that.",
  },
  ShortNameCrossNamespace: {
    severity: ["Critical"], owner: ["App"],
    means: "The client addresses the Service by its short name, but the Service lives in another namespace. Short names resolve only through the client's own search domain (`<ns>.svc.cluster.local`), so the lookup fails from here. The seeds' most common false alarm: a debug pod in the wrong namespace. The finding names the other namespace only when it is labelled `netdiag.dev/discoverable=true` or the operator runs with `--namespace-hints=all` (docs/security.md).",
    signature: "From namespace `shop`: `nslookup backend` → `** server can't find backend: NXDOMAIN`, while `nslookup backend.payments` resolves.",
    confirm: [
      netshoot,
      "cat /etc/resolv.conf                                   # search <ns>.svc.cluster.local svc.cluster.local cluster.local; options ndots:5",
      "nslookup <svc>                                         # NXDOMAIN from <ns>",
      "nslookup <svc>.<target-ns>.svc.cluster.local           # resolves",
    ],
    fix: "Address the Service as `<svc>.<namespace>` or by its FQDN `<svc>.<namespace>.svc.cluster.local` in the client's configuration; in the diagnosis, set `service.namespace`.",
  },
  SourcePodNotFound: {
    severity: ["Warning"], owner: ["User"],
    means: "`spec.source.podSelector` matches no live pod in the diagnosis' namespace, so the probe cannot take the real client's labels. NetworkPolicies may then treat the probe differently from the client: the verdict may not be the client's.",
    signature: "`kubectl get pods -n shop -l app=frontend` → `No resources found in shop namespace.`",
    confirm: [
      "kubectl get netdiag <name> -n <ns> -o jsonpath='{.spec.source.podSelector}'",
      "kubectl get pods -n <ns> -l <source-selector> --show-labels",
    ],
    fix: "Fix the selector in `spec.source.podSelector`, or start the client workload in the diagnosis' namespace.",
  },
  ServicePortNotFound: {
    severity: ["Critical"], owner: ["App"],
    means: "The Service exists but has no port with the number or name the target asks for. The client is probably configured with the container port instead of the Service port, or the port was renamed.",
    signature: "`kubectl get svc backend` → `PORT(S) 80/TCP` while the client dials `backend:8080` (`Connection refused` or a timeout on the ClusterIP).",
    confirm: [
      "kubectl get svc <svc> -n <target-ns> -o jsonpath='{range .spec.ports[*]}{.name}{\" \"}{.port}{\"/\"}{.protocol}{\"\\n\"}{end}'",
    ],
    fix: "Use one of the Service's ports (the message lists them) in the client and the target, or add the port to the Service.",
  },

  LoadBalancerPending: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: "The target is a Service of type LoadBalancer that has no external address: `status.loadBalancer.ingress` is empty, so clients outside the cluster have nothing to connect to. In-cluster traffic through the ClusterIP still works (the probe checks it as usual, and a failure there is its own finding). Assigning the address is the job of the cloud controller manager or the cluster's load-balancer controller (the AWS Load Balancer Controller on EKS, MetalLB on bare metal) — not kube-proxy. A Warning: it is the root cause only when nothing in-cluster fails.",
    signature: "`kubectl get svc public-api` → `TYPE LoadBalancer  CLUSTER-IP 10.96.45.123  EXTERNAL-IP <pending>`, for minutes; `curl http://10.96.45.123:443` from a pod works.",
    confirm: [
      "kubectl get svc <svc> -n <target-ns> -o wide",
      "kubectl describe svc <svc> -n <target-ns> | sed -n '/Events/,$p'   # EnsuringLoadBalancer / SyncLoadBalancerFailed",
      "kubectl get svc <svc> -n <target-ns> -o jsonpath='{.spec.loadBalancerClass}{\" \"}{.status.loadBalancer}'",
      "kubectl logs -n kube-system -l app=cloud-controller-manager --tail=50   # not kube-proxy's logs",
    ],
    fix: "Make the controller that owns load balancers provision it: read the cloud controller manager's (or load-balancer controller's) logs and the Service's events — on EKS most often missing subnet tags (`kubernetes.io/role/elb=1` public, `kubernetes.io/role/internal-elb=1` internal); with `spec.loadBalancerClass`, check that a controller for that class runs. A cluster without a cloud (bare metal, a lab) needs a load-balancer controller such as MetalLB with an address pool — or expose the Service as NodePort or through an Ingress instead.",
  },

  // ---------------------------------------------------------------- DNS
  DNSServiceUnavailable: {
    severity: ["Critical", "Info"], severityWhen: "Critical when the kube-dns Service has no ready endpoint (cluster DNS is down), Info when only some CoreDNS endpoints are ready (degraded).",
    owner: ["Platform/CNI"],
    means: "The kube-dns Service has no ready CoreDNS endpoint, so every name lookup in the cluster times out — every Service looks broken at once. The message counts the CoreDNS pods and their reasons (e.g. scaled to 0 replicas, CrashLoopBackOff); pod names are shown only to diagnoses in kube-system.",
    signature: "`nslookup kubernetes.default` → `;; connection timed out; no servers could be reached`; `kubectl -n kube-system get pods -l k8s-app=kube-dns` → `No resources found` or `0/1 CrashLoopBackOff`.",
    confirm: [
      "kubectl -n kube-system get deploy coredns",
      "kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide",
      "kubectl -n kube-system get endpointslices -l kubernetes.io/service-name=kube-dns",
      "kubectl -n kube-system logs -l k8s-app=kube-dns --tail=50",
    ],
    fix: "Restore CoreDNS: scale it back (`kubectl -n kube-system scale deploy coredns --replicas=2`) or fix what crashes it (a Corefile error, the `loop` plugin detecting a forwarding loop to itself, resources).",
  },
  DNSResolutionFailed: {
    severity: ["Critical"], owner: ["App", "Platform/CNI"],
    means: "A lookup of the target's name failed — NXDOMAIN, SERVFAIL for a cluster name, or a timeout — and no earlier finding (missing Service or namespace, short name, DNS down, DNS blocked) explains it. NXDOMAIN is usually the name; timeouts are the path to the nameservers.",
    signature: "`nslookup api.shop.svc.cluster.local` → `** server can't find ...: NXDOMAIN`, or `;; connection timed out; no servers could be reached`.",
    confirm: [
      netshoot,
      "dig <name> +search +showsearch      # every search-domain expansion and its answer",
      "dig <name>.                         # the name exactly as written (trailing dot: no search list)",
      "dig @<kube-dns-cluster-ip> <svc>.<target-ns>.svc.cluster.local",
    ],
    fix: "NXDOMAIN (escalate to App): check the spelling and namespace of the name; short names resolve only in the client's namespace. Timeout or SERVFAIL (Platform/CNI): check that the pod reaches its nameservers on UDP and TCP 53 and that CoreDNS answers for the cluster domain.",
  },
  DNSServerUnreachable: {
    severity: ["Warning", "Critical"], severityWhen: "Warning when some nameservers answer, or when lookups fail only from nodes without a CoreDNS pod (then CrossNodeUnreachable is the root cause); Critical when no nameserver answers.",
    owner: ["Platform/CNI"],
    means: "Nameservers of the pod's resolv.conf did not answer. Some down: lookups are slow and flaky (the resolver waits for a timeout before trying the next). All down: nothing resolves. When lookups time out only from nodes without CoreDNS while another node resolves, the pod network between the nodes is at fault, not DNS.",
    signature: "`dig @198.18.10.3 kubernetes.default.svc.cluster.local` → `;; communications error to 198.18.10.3#53: timed out` for one CoreDNS pod, answers from the others.",
    confirm: [
      "kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide       # which nodes CoreDNS runs on",
      netshoot,
      "for ip in <coredns-pod-ips>; do dig +time=2 +tries=1 @$ip kubernetes.default.svc.cluster.local | grep -E 'status|timed out'; done",
    ],
    fix: "Make every CoreDNS endpoint reachable from every node: the CNI and routes between the nodes (see CrossNodeUnreachable), node firewalls on UDP/TCP 53, NetworkPolicies in kube-system. Spreading CoreDNS over more nodes hides a broken node-to-node path; it does not fix it.",
  },
  DNSEgressBlocked: {
    severity: ["Critical"], owner: ["App", "Platform/CNI"],
    means: "NetworkPolicy blocks the source's lookups (UDP/TCP 53) to the CoreDNS pods — typically a default-deny egress policy without a DNS rule. Judged against the CoreDNS pods, not the kube-dns ClusterIP: policies see pod IPs after DNAT. Egress side: the client's namespace owns the fix (App); ingress side, a policy in kube-system (Platform/CNI).",
    signature: "`nslookup backend` → `;; connection timed out; no servers could be reached`, while `curl http://<cluster-ip>` still works when an egress rule allows it; `kubectl get networkpolicy` shows `policyTypes: [Egress]` with no port 53.",
    confirm: [
      "kubectl get networkpolicy -n <ns>",
      "kubectl get networkpolicy -n <ns> -o yaml | grep -B2 -A14 'Egress'",
      netshootAsClient,
      "dig +time=2 +tries=1 kubernetes.default.svc.cluster.local",
    ],
    fix: "Add an egress rule to the policy the message names that allows UDP and TCP 53 to the CoreDNS pods in kube-system.",
    example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-dns, namespace: <ns> }
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
          podSelector: { matchLabels: { k8s-app: kube-dns } }
      ports:
        - { protocol: UDP, port: 53 }
        - { protocol: TCP, port: 53 }`,
  },
  DNSUpstreamFailure: {
    severity: ["Critical"], owner: ["Platform/CNI"],
    means: "A lookup of an external name returned SERVFAIL: CoreDNS answers for the cluster, but cannot reach the upstream resolver its Corefile forwards to (`forward . /etc/resolv.conf` or explicit servers). Cluster names still resolve; everything outside the cluster fails.",
    signature: "`nslookup example.org` → `** server can't find example.org: SERVFAIL`; CoreDNS logs `[ERROR] plugin/errors: 2 example.org. A: read udp 10.244.0.5:51234->10.0.0.2:53: i/o timeout`.",
    confirm: [
      netshoot,
      "dig example.org                       # SERVFAIL",
      "dig kubernetes.default.svc.cluster.local   # NOERROR: CoreDNS itself works",
      "kubectl -n kube-system logs -l k8s-app=kube-dns --tail=100 | grep -i error",
      "kubectl -n kube-system get configmap coredns -o jsonpath='{.data.Corefile}' | grep forward",
      onNode("dig @<upstream-ip> example.org"),
    ],
    fix: "Point `forward` at resolvers CoreDNS can reach (and that answer fast), or restore the path to them (node firewall, egress NetworkPolicy on CoreDNS, VPN). CoreDNS's `reload` plugin picks up ConfigMap changes; otherwise `kubectl -n kube-system rollout restart deploy/coredns`.",
  },
  DNSSlowLookups: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: `A lookup succeeded but took over ${SLOW_DNS_MS} ms. Every request of the app pays it. Usual causes: CoreDNS overloaded or throttled, a slow upstream, \`ndots:5\` expanding an external name through every search domain first, UDP conntrack races.`,
    signature: "`dig api.example.com +stats` → `;; Query time: 1843 msec`; the same name with a trailing dot answers in a few milliseconds.",
    confirm: [
      netshoot,
      "dig <name> +stats | grep 'Query time'",
      "dig <name>. +stats | grep 'Query time'   # no search-list expansion",
      "cat /etc/resolv.conf                      # options ndots:5",
      "kubectl -n kube-system top pods -l k8s-app=kube-dns",
    ],
    fix: "Scale CoreDNS or give it CPU, fix the upstream latency, use FQDNs with a trailing dot for external names or lower `ndots` in the pod's `dnsConfig`; NodeLocal DNSCache for busy clusters.",
  },

  // ---------------------------------------------------------------- L3
  NoRouteToHost: {
    severity: ["Critical"], owner: ["Platform/CNI", "Cloud/Infra"],
    means: "The probe has no route to the address, or a router/firewall answered host-unreachable. Inside the cluster (Platform/CNI): missing pod-CIDR routes or a broken CNI. Outside (Cloud/Infra): missing VPC/peering routes or a REJECT rule.",
    signature: "`ip route get 10.244.2.8` → `RTNETLINK answers: Network is unreachable`; `curl` → `Failed to connect to 10.244.2.8 port 8080: No route to host`.",
    confirm: [
      netshoot,
      "ip route",
      "ip route get <ip>",
      "tracepath -n <ip>                   # the last hop that answers",
      onNode("ip route get <ip>"),
    ],
    fix: "Restore the route: the CNI's routes for the pod CIDRs (CNI agent logs), the node's routing table, VPC route tables or peering. A host-prohibited answer comes from a REJECT rule in a firewall on the way.",
  },
  ICMPBlocked: {
    severity: ["Info"], owner: [],
    means: "Ping is lost, but TCP connects: ICMP is filtered on the path, the network is not down. The seeds' warning: a failed ping does not mean L3 is broken. Never makes a diagnosis unhealthy.",
    signature: "`ping -c 3 10.244.2.8` → `100% packet loss`, while `nc -zv 10.244.2.8 8080` → `succeeded!`.",
    confirm: [
      netshoot,
      "ping -c 3 <ip>",
      "nc -zv -w 3 <ip> <target-port>",
    ],
    fix: "Nothing to fix. If you rely on ping for monitoring, allow ICMP echo in the NetworkPolicy or firewall that filters it.",
  },
  PathMTUMismatch: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: "The path MTU to the target is smaller than the interface MTU, and packets larger than the path allows are dropped (a PMTU black hole): small requests work, large responses hang. Typical of an overlay (VXLAN needs 50 bytes, IPIP 20, WireGuard 60) on a pod MTU that does not leave room for it, or of a firewall that drops ICMP frag-needed.",
    signature: "`ping -M do -s 1472 10.244.2.8` → `Frag needed and DF set (mtu = 1450)` or silence, while `ping -M do -s 1400` answers; `curl` of a large page stalls after the headers.",
    confirm: [
      netshoot,
      "ip link show eth0                   # the interface MTU",
      "tracepath -n <ip>                   # pmtu per hop",
      "ping -c 3 -M do -s 1472 <ip>        # 1472 + 28 = 1500 bytes, do not fragment",
      "ping -c 3 -M do -s 1400 <ip>",
      onNode("ip -d link show"),
    ],
    fix: "Set the CNI's MTU to the underlay MTU minus the encapsulation overhead, on every node, and let ICMP type 3 code 4 (fragmentation needed) through firewalls and security groups so path MTU discovery works.",
  },
  CrossNodeUnreachable: {
    severity: ["Critical"], owner: ["Platform/CNI"],
    means: "The same backend pod answers a probe on one node and drops the connections of a probe on another: the pod network between the two nodes is broken — routes between the nodes' pod CIDRs, the overlay (VXLAN/Geneve port, BGP sessions), a node firewall or security group. Not the app and not NetworkPolicy: both probes carry the same labels. Also raised when DNS lookups time out only from nodes without a CoreDNS pod.",
    signature: "From node A: `nc -zv -w 3 10.244.3.22 8080` → `Operation timed out`; from node B: `succeeded!`. `ip route get 10.244.3.22` on node A shows no route via node B.",
    confirm: [
      "kubectl get pods -n <target-ns> -o wide                                        # which node each backend pod is on",
      "kubectl get nodes -o custom-columns=NAME:.metadata.name,PODCIDR:.spec.podCIDR,IP:.status.addresses[0].address",
      "kubectl run xnode -n <ns> --rm -it --image nicolaka/netshoot --overrides='{\"spec\":{\"nodeName\":\"<node>\"}}' -- nc -zv -w 3 <pod-ip> <target-port>",
      onNode("ip route get <pod-ip>"),
      onNode("tcpdump -ni any host <pod-ip>", "netadmin"),
    ],
    fix: "Restore the path between the nodes: the pod-CIDR routes (host-gw/BGP), the overlay's port (VXLAN UDP 4789/8472, Geneve UDP 6081, IPIP protocol 4, BGP TCP 179) in node firewalls and cloud security groups, the CNI agent on both nodes.",
  },

  // ---------------------------------------------------------------- L4
  ConnectionRefused: {
    severity: ["Critical"], owner: ["App"],
    means: "The address answers with a reset: nothing accepts on that port. The app crashed or listens on another port or on 127.0.0.1 only. Refused on the ClusterIP when the Service has no ready endpoint (kube-proxy rejects). A refusal is not a NetworkPolicy drop — those time out.",
    signature: "`curl -v http://10.244.2.8:8080` → `connect to 10.244.2.8 port 8080 failed: Connection refused`; `nc -zv` → `Connection refused`, immediately.",
    confirm: [
      netshoot,
      "nc -zv -w 3 <pod-ip> <target-port>",
      "nc -zv -w 3 <cluster-ip> <port>",
      inPod,
      "kubectl get endpoints <svc> -n <target-ns>",
    ],
    fix: "Make the app listen on the targetPort on all interfaces (`0.0.0.0` or `*`, not `127.0.0.1`), or point the Service's targetPort at the port it does listen on.",
  },
  AppListeningOnLoopback: {
    severity: ["Critical"], owner: ["App"],
    means: "The pod listens on the port, but on 127.0.0.1 only, so every connection to its pod IP is refused. The seeds' silent killer; seen with node inspection, which reads the pod's listening sockets.",
    signature: "`ss -tlnp` in the pod → `LISTEN 0 4096 127.0.0.1:8080` instead of `0.0.0.0:8080` or `*:8080`.",
    confirm: [inPod],
    fix: "Bind the app to `0.0.0.0` (all interfaces): e.g. `--host 0.0.0.0`, `server.address=0.0.0.0`, `listen 0.0.0.0:8080`.",
  },
  AppListeningOnOtherPort: {
    severity: ["Critical"], owner: ["App"],
    means: "The pod listens, but on other ports than the one the Service sends to: the connection is refused. Seen with node inspection, which reads the pod's listening sockets.",
    signature: "`ss -tlnp` in the pod → `LISTEN *:9090`, the Service's targetPort is 8080.",
    confirm: [inPod, "kubectl get svc <svc> -n <target-ns> -o jsonpath='{.spec.ports[*].targetPort}'"],
    fix: "Point the Service's targetPort at the port the app listens on (the message names it), or make the app listen on the targetPort.",
  },
  ConnectionTimedOut: {
    severity: ["Critical"], owner: ["Cloud/Infra"],
    means: "Connections to an address outside the cluster time out, and no NetworkPolicy of the cluster blocks them: a firewall, NAT gateway or security group between the cluster and the destination drops the packets.",
    signature: "`curl -v --connect-timeout 5 https://api.example.org` → `Connection timed out after 5001 milliseconds`.",
    confirm: [
      netshoot,
      "nc -zv -w 5 <host> <port>",
      "traceroute -T -p <port> -n <host>   # TCP traceroute: where the SYNs stop",
      onNode("nc -zv -w 5 <host> <port>") + "   # works from the node but not from a pod: SNAT/egress rules",
    ],
    fix: "Open the egress path: cloud security groups and network ACLs, the NAT gateway, the corporate firewall, the destination's allowlist of source addresses.",
  },
  NetworkPolicyDenied: {
    severity: ["Critical"], owner: ["App"],
    means: "The NetworkPolicies that select the source (egress) or the destination (ingress) deny this flow, and the probe's attempts confirm it. The message names the deciding policies and the condition that does not match (pod labels, namespace labels, port).",
    signature: "`curl --connect-timeout 5 http://backend.shop` times out (or is refused by a CNI that rejects), while a pod the policy admits connects; `kubectl describe networkpolicy` shows a `from` selector that matches no label of the client.",
    confirm: [
      "kubectl get networkpolicy -n <target-ns>",
      "kubectl describe networkpolicy <policy> -n <target-ns>",
      "kubectl get pods -n <ns> --show-labels              # the client's labels vs the policy's podSelector",
      "kubectl get namespace <ns> --show-labels            # vs its namespaceSelector",
      netshootAsClient,
      "nc -zv -w 3 <svc>.<target-ns> <port>",
    ],
    fix: "Fix the rule that should admit the client (its podSelector, namespaceSelector or port), or run the client where the policy admits it.",
    example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-frontend, namespace: <target-ns> }
spec:
  podSelector: { matchLabels: { app: backend } }
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: <ns> } }
          podSelector: { matchLabels: { app: frontend } }
      ports:
        - { protocol: TCP, port: <target-port> }`,
  },
  UnexplainedDrop: {
    severity: ["Critical"], owner: ["Platform/CNI"],
    means: "Connections time out although NetworkPolicy allows them (or no policy applies): packets are dropped outside NetworkPolicy — the CNI data path, a host firewall on a node, a cloud security group. Across namespaces this is also what a broken ClusterIP path looks like, since the probe may not see the other namespace's pods (docs/security.md).",
    signature: "`nc -zv -w 3 10.244.2.8 8080` → `Operation timed out`, `kubectl get networkpolicy -A` shows nothing that selects either side; tcpdump on the destination node sees no SYN.",
    confirm: [
      onNode("tcpdump -ni any host <pod-ip> and port <target-port>", "netadmin") + "   # on the source node, then on the destination node",
      onNode("iptables-save | grep -iE 'drop|reject'", "netadmin"),
      "kubectl get pods -n kube-system -o wide | grep -E 'calico|cilium|flannel|weave|kube-router|antrea'",
    ],
    fix: "Find the hop that drops (the SYN leaves the source node but never reaches the destination node: the network between them; it arrives but gets no answer: the destination node's firewall or CNI) and escalate to its owner.",
  },
  SelfTrafficExempt: {
    severity: ["Info", "Warning"], severityWhen: "Info when the probe ran inside the pod itself (spec.source.pod); Warning when the probe is a separate pod with the source's labels (spec.source.podSelector), which NetworkPolicy denies like any other pod with them.",
    owner: ["App"],
    means: "The source pod is a backend of the Service it asks for, so some of its connections land on itself. NetworkPolicy does not apply to a pod's traffic to itself (upstream: a pod cannot block access to itself), so netdiag judges that flow allowed although a policy isolates the pod (ADR 0015). Every other pod with the same labels — a second replica, a probe pod — is still subject to the policy: with spec.source.podSelector the probe is such a pod, and the finding says that the pod gets through only to itself.",
    signature: "`kubectl exec api-0 -- curl -s http://api` answers while `kubectl exec api-1 -- curl http://api` times out half of the time (it lands on api-0), and a debug pod with `app=api` always times out.",
    confirm: [
      "kubectl get endpointslices -n <target-ns> -l kubernetes.io/service-name=<svc> -o wide   # the source pod among the endpoints",
      "kubectl get networkpolicy -n <target-ns>",
      "kubectl describe networkpolicy <policy> -n <target-ns>   # does an ingress rule admit the pod's own labels?",
    ],
    fix: "Nothing for the pod itself. If other pods with its labels must reach the Service (replicas talking to each other, a cluster that gossips through its own Service), admit them in the ingress rule that isolates the pods (`from: [{podSelector: {matchLabels: <own labels>}}]`).",
  },
  ServiceVIPUnreachable: {
    severity: ["Critical"], owner: ["Platform/CNI"],
    means: "A ready backend pod answers on its own IP, but the Service's ClusterIP drops or refuses the same connection: the Service VIP path is broken — kube-proxy's iptables/IPVS rules are missing or stale on the source node, or conntrack holds a bad entry.",
    signature: "`curl http://10.244.2.15:8080/health` → `200 OK`, `curl http://10.96.45.200:8080/health` → `Connection refused` or a timeout.",
    confirm: [
      netshoot,
      "curl -sv --connect-timeout 5 http://<pod-ip>:<target-port>/ -o /dev/null",
      "curl -sv --connect-timeout 5 http://<cluster-ip>:<port>/ -o /dev/null",
      "kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide",
      "kubectl -n kube-system logs <kube-proxy-pod> --tail=100 | grep -iE 'error|fail'",
      onNode("sh -c \"iptables-save -t nat | grep <cluster-ip>\"", "netadmin") + "   # IPVS mode: ipvsadm -Ln -t <cluster-ip>:<port>",
    ],
    fix: "Restart kube-proxy on the affected node (`kubectl -n kube-system delete pod <kube-proxy-pod>`: a full resync) and find why its rules went stale (its logs, its ConfigMap's mode). With a kube-proxy-free CNI, check the CNI's service load balancer (`cilium bpf lb list`).",
  },
  KubeProxyUnhealthy: {
    severity: ["Warning", "Critical"], owner: ["Platform/CNI"],
    means: "kube-proxy is not ready everywhere (a DaemonSet with fewer ready pods than desired, or pods not Ready: Warning, cluster-wide; pod names are shown only in kube-system), or — with node inspection and its rules setting (ADR 0013) — kube-proxy on a node on the path has no rule for the target's ClusterIP although the Service has ready endpoints (Critical; a Warning while the Service is younger than 30 s, kube-proxy may not have synced yet): pods on that node cannot reach the Service through its ClusterIP.",
    signature: "`kubectl -n kube-system get ds kube-proxy` → `DESIRED 3 READY 2`; or on the node `iptables-save -t nat | grep <cluster-ip>` → nothing (evidence: `node n1: no KUBE-SVC rule for 198.19.1.2:80/TCP in KUBE-SERVICES (iptables mode)`).",
    confirm: [
      "kubectl -n kube-system get ds kube-proxy",
      "kubectl -n kube-system get pods -l k8s-app=kube-proxy -o wide",
      "kubectl -n kube-system logs -l k8s-app=kube-proxy --tail=50",
      "kubectl -n kube-system get configmap kube-proxy -o yaml | grep mode",
      onNode("sh -c \"iptables-save -t nat | grep -- '-A KUBE-SERVICES -d <cluster-ip>/32'\"", "netadmin") + "   # nftables mode: nft list map ip kube-proxy service-ips",
    ],
    fix: "Fix the failing kube-proxy pods (their logs and events: the node's iptables/IPVS modules, the API server connection, the config). A missing rule on a node with a running kube-proxy: restart that kube-proxy (a full resync writes every rule), then find what deleted the rule (another agent flushing iptables, a firewall manager, a stale kube-proxy sync: `kubeproxy_sync_proxy_rules_last_timestamp_seconds`).",
  },
  CNIAgentUnhealthy: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: "A CNI agent (calico, cilium, flannel, weave, kindnet, kube-router, antrea, ovn) is not ready everywhere: pods on those nodes may lose connectivity, new pods may get no network, NetworkPolicy may not be programmed.",
    signature: "`kubectl -n kube-system get pods -l k8s-app=calico-node` → `0/1 CrashLoopBackOff` on one node; new pods there stay in `ContainerCreating` with `failed to set up sandbox container network`.",
    confirm: [
      "kubectl -n kube-system get ds",
      "kubectl get pods -n kube-system -o wide | grep -E 'calico|cilium|flannel|weave|kindnet|kube-router|antrea|ovn'",
      "kubectl -n kube-system logs <cni-agent-pod> --tail=100",
      "kubectl -n kube-system exec <cilium-pod> -- cilium status --verbose   # Cilium; Calico: calicoctl node status",
    ],
    fix: "Escalate to the platform team with the failing agents and their logs; most often a config or version mismatch after an upgrade, or the agent cannot reach the API server or its datastore.",
  },

  // ---------------------------------------------------------------- L7
  HTTPErrorStatus: {
    severity: ["Critical"], owner: ["App"],
    means: "The application answered with a 5xx: DNS, routing and the TCP connection work, the app reports an error. Not a network problem — the seeds' rule: escalate to the app team.",
    signature: "`curl -v http://backend.shop/health` → `< HTTP/1.1 503 Service Unavailable` with a body like `{\"error\":\"database connection failed\"}`.",
    confirm: [
      netshoot,
      "curl -sv http://<svc>.<target-ns>:<port>/<path>",
      "kubectl logs -n <target-ns> -l <selector> --tail=100",
    ],
    fix: "Hand it to the app team with the status and body excerpt: the app's logs and its own dependencies (database, downstream services) say why.",
  },
  HTTPUnexpectedStatus: {
    severity: ["Warning"], owner: ["App"],
    means: "The application answered with a 4xx other than a server error: usually the request is wrong for the app — the path, the Host header, missing authentication — more often than the app being broken.",
    signature: "`curl -v http://backend.shop/heatlh` → `< HTTP/1.1 404 Not Found` (or 401, 403, 421).",
    confirm: [
      netshoot,
      "curl -sv http://<svc>.<target-ns>:<port>/<path>",
      "curl -sv -H 'Host: <expected-host>' http://<svc>.<target-ns>:<port>/<path>",
    ],
    fix: "Fix the URL path, Host header or credentials the app expects (in the client and in the target's `url`).",
  },
  HTTPSlowResponse: {
    severity: ["Warning"], owner: ["App"],
    means: `The request succeeded but took over ${SLOW_HTTP_MS} ms. The message splits the time into phases: DNS, connect, TLS, first byte — the slowest phase says where the time goes (first byte: the app).`,
    signature: "`curl -w` → `dns 0.004 connect 0.005 tls 0.000 ttfb 4.210 total 4.212`.",
    confirm: [
      netshoot,
      "curl -o /dev/null -s -w 'dns %{time_namelookup} connect %{time_connect} tls %{time_appconnect} ttfb %{time_starttransfer} total %{time_total}\\n' <url>",
    ],
    fix: "Slow DNS: see DNSSlowLookups. Slow connect: the network path or an overloaded node. Slow first byte: the app (its logs, CPU throttling, its dependencies).",
  },

  // ---------------------------------------------------------------- TLS
  TLSHandshakeFailed: {
    severity: ["Critical"], owner: ["App"],
    means: "The TLS handshake failed for a reason other than the certificate: no common protocol version or cipher, a client certificate required, or the port does not speak TLS at all (https:// to a plain-HTTP port).",
    signature: "`curl https://backend:8080` → `SSL routines::wrong version number` (plain HTTP on that port) or `sslv3 alert handshake failure`.",
    confirm: [
      netshoot,
      "openssl s_client -connect <host>:<port> -servername <host> </dev/null",
      "openssl s_client -connect <host>:<port> -servername <host> -tls1_2 </dev/null",
      "curl -sv https://<host>:<port>/ -o /dev/null",
    ],
    fix: "Use the port that serves TLS (or `http://`), align protocol versions and ciphers, or configure the client certificate the server requires.",
  },
  TLSCertificateExpired: {
    severity: ["Critical"], owner: ["App"],
    means: "The certificate the target serves has expired; every verifying client refuses it.",
    signature: "`openssl s_client` → `Verify return code: 10 (certificate has expired)`; `curl` → `SSL certificate problem: certificate has expired`.",
    confirm: [
      netshoot,
      "openssl s_client -connect <host>:<port> -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -dates -subject -issuer",
      "kubectl get certificate -n <target-ns>            # with cert-manager",
      "kubectl describe certificate <cert> -n <target-ns>",
    ],
    fix: "Renew the certificate (cert-manager: why the renewal failed is in the Certificate's and CertificateRequest's events), and make sure the server reloads the renewed secret.",
  },
  TLSCertificateExpiringSoon: {
    severity: ["Warning"], owner: ["App"],
    means: `The certificate is still valid but expires in less than ${EXPIRY_WARNING_DAYS} days: automatic renewal, if any, has not happened yet.`,
    signature: `\`openssl x509 -noout -enddate\` → \`notAfter\` within ${EXPIRY_WARNING_DAYS} days; \`netdiag_tls_cert_expiry_timestamp_seconds - time() < ${EXPIRY_WARNING_DAYS} * 86400\`.`,
    confirm: [
      netshoot,
      "openssl s_client -connect <host>:<port> -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -enddate",
    ],
    fix: "Renew it now and check that automatic renewal works; alert on `netdiag_tls_cert_expiry_timestamp_seconds` (docs/reference/metrics.md) so the next one is not found by hand.",
  },
  TLSNameMismatch: {
    severity: ["Critical"], owner: ["App"],
    means: "The certificate does not cover the name the client connects with — e.g. it names the public host but the client uses the Service's cluster name, or a short name.",
    signature: "`curl` → `SSL: no alternative certificate subject name matches target host name 'backend.shop'`.",
    confirm: [
      netshoot,
      "openssl s_client -connect <host>:<port> -servername <host> </dev/null 2>/dev/null | openssl x509 -noout -subject -ext subjectAltName",
    ],
    fix: "Add the name to the certificate's subjectAltNames, or connect with a name it covers.",
  },
  TLSUntrustedIssuer: {
    severity: ["Critical"], owner: ["App"],
    means: "The certificate chain does not lead to a CA the client trusts: a self-signed or private-CA certificate, or a server that does not send its intermediate certificates.",
    signature: "`openssl s_client` → `Verify return code: 20 (unable to get local issuer certificate)` or `19 (self-signed certificate in certificate chain)`; `curl` → `SSL certificate problem: unable to get local issuer certificate`.",
    confirm: [
      netshoot,
      "openssl s_client -connect <host>:<port> -servername <host> -showcerts </dev/null",
    ],
    fix: "Serve the full chain (leaf plus intermediates), install the issuing CA in the client's trust store, or use a publicly trusted certificate.",
  },

  // ---------------------------------------------------------------- Node
  NodeNotReady: {
    severity: ["Critical"], owner: ["Cloud/Infra"],
    means: "A node on the path — one hosting a backend pod or a probe — is not Ready: its kubelet stopped reporting, its runtime or network is down, or it is under pressure. Pods there may be unreachable.",
    signature: "`kubectl get nodes` → `STATUS NotReady`; `kubectl describe node` → `KubeletNotReady`, `NetworkUnavailable`, `container runtime network not ready`.",
    confirm: [
      "kubectl get nodes -o wide",
      "kubectl describe node <node> | sed -n '/Conditions/,/Addresses/p'",
      "kubectl get pods -A -o wide --field-selector spec.nodeName=<node>",
    ],
    fix: "Check kubelet and the container runtime on the node (`journalctl -u kubelet`), its CNI agent and its resources; drain and replace it when it does not recover.",
  },
  NodeSkipped: {
    severity: ["Info"], owner: ["User", "Platform/CNI"],
    means: "A diagnosis with `source.nodes` could not place a probe on a node: it is NotReady or cordoned, it is a control-plane node the admin did not allow, it has a taint the admin did not list as tolerable, or a named node does not exist. That node was not probed from.",
    signature: "`kubectl get nodes` → `Ready,SchedulingDisabled`, or a `node-role.kubernetes.io/control-plane:NoSchedule` taint.",
    confirm: [
      "kubectl get nodes",
      "kubectl describe node <node> | grep -A3 Taints",
      "kubectl get node <node> -o jsonpath='{.spec.unschedulable}'",
    ],
    fix: "As the message says: uncordon the node, fix the node name, or have the admin allow control-plane nodes (`--probe-control-plane-nodes`) or the taint (`--probe-tolerate-taints`; docs/security.md).",
  },
  ConntrackTableNearFull: {
    severity: ["Warning", "Critical"], severityWhen: `Warning from ${pct(CONNTRACK_WARN)} of nf_conntrack_max, Critical from ${pct(CONNTRACK_CRIT)}.`,
    owner: ["Kernel/OS"],
    means: "The node's connection-tracking table is nearly full. At 100 % the kernel drops new connections: the seeds' war story of random, intermittent, cluster-wide drops that no L4/L7 check explains. Seen with node inspection.",
    signature: "`dmesg` → `nf_conntrack: table full, dropping packet`; `nf_conntrack_count` close to `nf_conntrack_max`.",
    confirm: [
      onNode("cat /proc/sys/net/netfilter/nf_conntrack_count /proc/sys/net/netfilter/nf_conntrack_max"),
      onNode("conntrack -S", "netadmin") + "   # insert_failed / drop counters",
      onNode("sh -c \"conntrack -L 2>/dev/null | grep -o 'src=[^ ]*' | sort | uniq -c | sort -rn | head\"", "netadmin") + "   # who opens the flows",
    ],
    fix: "Raise `net.netfilter.nf_conntrack_max` on the node (kube-proxy sets it from `conntrack.maxPerCore`), find who opens so many flows (a connection leak, no keep-alive), and shorten the timeouts of short-lived connections.",
  },
  InterfaceDrops: {
    severity: ["Warning"], owner: ["Kernel/OS"],
    means: `Network interfaces of the node lost more than ${pct(DROPS_RATIO)} of their packets in one direction (errors + drops, at least ${DROPS_MIN}) during the run; old totals since boot are ignored, and a few drops are noise. rx drops: a full ring buffer or backlog; tx drops: a full queue; errors: the NIC, the cable or the virtual switch. Seen with node inspection.`,
    signature: "`ip -s link show eth0` run twice → the `dropped` or `errors` column of RX or TX grows with the traffic.",
    confirm: [
      onNode("sh -c 'ip -s link show; sleep 5; ip -s link show'"),
      onNode("ethtool -S <iface>", "netadmin") + "   # per-queue drops; ethtool -g <iface>: ring sizes",
      onNode("cat /proc/net/softnet_stat") + "   # second column: backlog drops per CPU",
    ],
    fix: "rx drops: larger ring buffers (`ethtool -G`), `net.core.netdev_max_backlog`, spread interrupts over CPUs; tx drops: the qdisc and the link's capacity; errors: escalate to whoever owns the NIC or the virtual switch.",
  },
  TCPRetransmitsHigh: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: `The node retransmitted more than ${pct(RETRANS_RATIO)} of the TCP segments it sent during the run (over at least ${RETRANS_MIN_SEGMENTS} segments): packets are lost on its paths. Loss of that order halves TCP throughput and makes latency spiky. Seen with node inspection.`,
    signature: `\`nstat TcpOutSegs TcpRetransSegs\` over a few seconds → RetransSegs grows by more than ${pct(RETRANS_RATIO)} of OutSegs.`,
    confirm: [
      onNode("sh -c 'nstat -n; sleep 5; nstat TcpOutSegs TcpRetransSegs'"),
      onNode("ss -ti") + "   # retrans:<n>/<total> per connection: which peers lose packets",
    ],
    fix: "Find the lossy path: interface drops (InterfaceDrops), an MTU black hole (PathMTUMismatch), an overloaded peer or link; `ss -ti` names the connections that retransmit.",
  },
  NodeInspectionUnavailable: {
    severity: ["Info"], owner: ["Platform/CNI"],
    means: "The run could not look at the nodes: node inspection is off (the target pods' listening sockets and the nodes' conntrack, drop and retransmit counters were not checked), or a node probe could not report. Never makes a diagnosis unhealthy.",
    signature: "No AppListeningOnLoopback / ConntrackTableNearFull class of finding is possible in this run.",
    confirm: [
      "kubectl -n netdiag-system get pods -l netdiag.dev/node-probe=true -o wide",
      "kubectl -n netdiag-system describe pod <node-probe-pod>",
      "helm get values netdiag -n netdiag-system | grep -i nodeInspection",
    ],
    fix: "A cluster admin enables node inspection with the operator's `--node-inspection` (Helm value `policy.nodeInspection=true`): read-only node probes in the operator's namespace. A failing node probe: its events and logs.",
  },

  // ---------------------------------------------------------------- Expectation
  ExpectedBlockButReachable: {
    severity: ["Critical"], owner: ["App"],
    means: "A target with `expect: Blocked` was reached: the deny you rely on does not hold. Either no NetworkPolicy isolates the destination, a rule admits the source (the message names it), or policies exist but nothing enforces them (a CNI without NetworkPolicy support, such as plain flannel).",
    signature: "`nc -zv -w 3 db.data 5432` from the client → `succeeded!` where it should time out.",
    confirm: [
      netshootAsClient,
      "nc -zv -w 3 <svc>.<target-ns> <port>",
      "kubectl get networkpolicy -n <target-ns>",
      "kubectl get pods -n kube-system -o wide | grep -E 'calico|cilium|kube-router|antrea|weave'   # is anything enforcing NetworkPolicy?",
    ],
    fix: "Add a NetworkPolicy that selects the destination for ingress and admits only the intended clients (a default-deny in its namespace plus allow rules), and check that the CNI enforces NetworkPolicy.",
    example: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny-ingress, namespace: <target-ns> }
spec:
  podSelector: {}
  policyTypes: [Ingress]`,
  },

  // ---------------------------------------------------------------- Probe
  ProbeNotScheduled: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: "The probe pod did not start in time (Pending: no node fits its resources, a quota, a node selector or taints), could not be created before the run's deadline, or no Ready node matches `source.nodes`. Says nothing about the network; health is unknown.",
    signature: "`kubectl get pods -l netdiag.dev/diagnosis=<name>` → `Pending`; events `FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu`.",
    confirm: [
      probePods,
      "kubectl describe pod <probe-pod> -n <ns> | sed -n '/Events/,$p'",
      "kubectl describe resourcequota -n <ns>",
    ],
    fix: "Make room for the probe (it asks for little, with a one-core limit): free or add capacity, raise the quota, or fix `source.nodes`.",
  },
  ProbePodRejected: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: "The API server refused to create the probe pod (403/422): Pod Security admission (e.g. raw sockets enabled in a `restricted` namespace), a ResourceQuota or LimitRange, an admission webhook, RBAC. The run ends at once and the finding quotes the refusal; no retry until something changes.",
    signature: "The finding's message quotes e.g. `pods \"netdiag-...\" is forbidden: violates PodSecurity \"restricted:latest\": ...` or `exceeded quota`.",
    confirm: [
      "kubectl get namespace <ns> --show-labels | tr ',' '\\n' | grep pod-security",
      "kubectl describe resourcequota,limitrange -n <ns>",
      "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations",
      "kubectl run admission-check -n <ns> --image nicolaka/netshoot --dry-run=server -- true   # does the namespace admit a pod at all?",
    ],
    fix: "Change what the quoted refusal names: the quota or LimitRange, the webhook's rules, or the operator's policy (`--probe-raw-sockets` needs a namespace that admits root with NET_RAW; docs/security.md).",
  },
  ProbeImagePullFailed: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: "The nodes could not pull the probe image (no access to the registry, a wrong tag, rate limits, a missing pull secret). The checks never ran.",
    signature: "`kubectl get pods -l netdiag.dev/diagnosis=<name>` → `ErrImagePull` / `ImagePullBackOff`.",
    confirm: [
      probePods,
      "kubectl describe pod <probe-pod> -n <ns> | grep -A3 -E 'Failed|Back-off'",
      "kubectl get pod <probe-pod> -n <ns> -o jsonpath='{.spec.containers[0].image}'",
    ],
    fix: "Make the image pullable from the nodes: mirror it to a registry they reach and set the operator's `--probe-image` (or `spec.probeImage`, when it is on the admin's allowlist).",
  },
  ProbeTimedOut: {
    severity: ["Warning"], owner: ["Platform/CNI"],
    means: "The probe pod exceeded its `activeDeadlineSeconds` or gave no result before the run's deadline: a check hung beyond its own timeout, or the pod was starved of CPU. The checks that finished are in its log.",
    signature: "`kubectl get pod <probe-pod> -o jsonpath='{.status.reason}'` → `DeadlineExceeded`.",
    confirm: [
      probePods,
      probeLogs,
      "kubectl get pod <probe-pod> -n <ns> -o jsonpath='{.status.reason} {.status.message}'",
    ],
    fix: "Raise `spec.timeoutSeconds` when the targets are legitimately slow; otherwise the log's last started check shows which one hangs.",
  },
  ProbeFailed: {
    severity: ["Warning", "Info"], severityWhen: "Warning when a probe finished without a result or a check errored; Info when the termination message was truncated (the full result is in the log) or the kernel refused the unprivileged ICMP socket (outcome not-permitted).",
    owner: ["Platform/CNI"],
    means: "The probe could not check something: the pod ended without a readable result, a check failed to run, or ping/path-MTU could not open an ICMP socket because `net.ipv4.ping_group_range` does not include the probe's group. That layer was not judged; never a network failure of the target.",
    signature: "The probe's log shows `\"outcome\":\"error\"` with `detail.reason`, or `\"outcome\":\"not-permitted\"` with `pingGroupRange`.",
    confirm: [
      probePods + "   # the last failed run's probe pods are kept for kubectl logs",
      probeLogs,
      "kubectl get pod <probe-pod> -n <ns> -o jsonpath='{.status.containerStatuses[0].state.terminated}'",
      "kubectl get pod <probe-pod> -n <ns> -o jsonpath='{.spec.securityContext.sysctls}'   # ping_group_range must reach the pod",
    ],
    fix: "Read the error in the probe's log. For not-permitted: let the pod keep its safe sysctl `net.ipv4.ping_group_range` (an admission policy that strips sysctls prevents it), or have the admin enable `--probe-raw-sockets` where Pod Security allows it.",
  },
  ToolMissing: {
    severity: ["Warning", "Info"], severityWhen: "Warning when a dns, tcp or http check could not run, Info for the other checks.",
    owner: ["Platform/CNI"],
    means: "The probe image lacks a tool a check needs (the finding's `detail.tool`): a custom probe image without dig, curl, openssl, ping or tracepath. That layer was not checked.",
    signature: "The probe's log shows `\"outcome\":\"tool-missing\"` with `\"tool\":\"dig\"` (or curl, openssl, …).",
    confirm: [
      probeLogs,
      "kubectl run toolcheck -n <ns> --rm -it --image <probe-image> -- sh -c 'for t in bash jq timeout getent dig curl openssl ping tracepath ip; do command -v $t >/dev/null || echo missing: $t; done'",
    ],
    fix: "Use the default probe image (`nicolaka/netshoot`) or one with the tools listed in docs/netshoot-compat.md.",
  },
};
