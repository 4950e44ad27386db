import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "../model/snapshot.ts";
import { evaluateFlow, type FlowPeer } from "./flow.ts";
import { buildPolicyIndex } from "../model/policy-index.ts";

const nsLabels = new Map<string, Record<string, string>>([
  ["shop", { team: "shop", env: "prod" }],
  ["other", { team: "other", env: "dev" }],
  ["kube-system", {}],
]);

const web: FlowPeer = { name: "shop/web", namespace: "shop", labels: { app: "web", tier: "front" }, ip: "10.244.1.10" };
const api: FlowPeer = {
  name: "shop/api",
  namespace: "shop",
  labels: { app: "api" },
  ip: "10.244.1.20",
  ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
};
const stranger: FlowPeer = { name: "other/x", namespace: "other", labels: { app: "web" }, ip: "10.244.9.9" };
const outside: FlowPeer = { name: "203.0.113.7", ip: "203.0.113.7" };

function ingressPolicy(from: NetworkPolicyPeer[] | undefined, ports?: NetworkPolicyPort[], extra: Partial<NetworkPolicy["spec"]> = {}): NetworkPolicy {
  return {
    metadata: { name: "api-in", namespace: "shop" },
    spec: { podSelector: { matchLabels: { app: "api" } }, ingress: [{ ...(from ? { from } : {}), ...(ports ? { ports } : {}) }], ...extra },
  };
}

function egressPolicy(to: NetworkPolicyPeer[] | undefined, ports?: NetworkPolicyPort[]): NetworkPolicy {
  return {
    metadata: { name: "web-out", namespace: "shop" },
    spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ ...(to ? { to } : {}), ...(ports ? { ports } : {}) }] },
  };
}

interface Case {
  name: string;
  policies: NetworkPolicy[];
  from: FlowPeer;
  to: FlowPeer;
  protocol?: string;
  port?: number;
  allowed: boolean;
  text?: RegExp;
}

const cases: Case[] = [
  { name: "allows everything when no policy selects either pod", policies: [], from: web, to: api, allowed: true, text: /no NetworkPolicy isolates shop\/api/ },
  { name: "does not isolate a pod that no policy's podSelector matches", policies: [ingressPolicy([])], from: api, to: web, allowed: true },
  {
    name: "denies ingress when the only policy has no ingress rules (deny-all)",
    policies: [{ metadata: { name: "deny-all", namespace: "shop" }, spec: { podSelector: {} } }],
    from: web,
    to: api,
    allowed: false,
    text: /has no ingress rules/,
  },
  {
    name: "admits a peer whose labels match podSelector matchLabels",
    policies: [ingressPolicy([{ podSelector: { matchLabels: { app: "web" } } }])],
    from: web,
    to: api,
    allowed: true,
  },
  {
    name: "rejects a peer whose labels do not match podSelector",
    policies: [ingressPolicy([{ podSelector: { matchLabels: { app: "db" } } }])],
    from: web,
    to: api,
    allowed: false,
    text: /podSelector app=db does not match shop\/web/,
  },
  {
    name: "matches matchExpressions In",
    policies: [ingressPolicy([{ podSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["front", "edge"] }] } }])],
    from: web,
    to: api,
    allowed: true,
  },
  {
    name: "matches matchExpressions NotIn only when the value is absent from the list",
    policies: [ingressPolicy([{ podSelector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] } }])],
    from: web,
    to: api,
    allowed: false,
  },
  {
    name: "matches matchExpressions Exists",
    policies: [ingressPolicy([{ podSelector: { matchExpressions: [{ key: "tier", operator: "Exists" }] } }])],
    from: web,
    to: api,
    allowed: true,
  },
  {
    name: "matches matchExpressions DoesNotExist",
    policies: [ingressPolicy([{ podSelector: { matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] } }])],
    from: web,
    to: api,
    allowed: false,
  },
  {
    name: "limits a podSelector-only peer to the policy's own namespace",
    policies: [ingressPolicy([{ podSelector: { matchLabels: { app: "web" } } }])],
    from: stranger,
    to: api,
    allowed: false,
    text: /selects pods in shop only/,
  },
  {
    name: "admits every pod of a namespace matched by a namespaceSelector-only peer",
    policies: [ingressPolicy([{ namespaceSelector: { matchLabels: { team: "other" } } }])],
    from: stranger,
    to: api,
    allowed: true,
  },
  {
    name: "requires both selectors when they are in one peer (AND)",
    policies: [ingressPolicy([{ namespaceSelector: { matchLabels: { team: "other" } }, podSelector: { matchLabels: { app: "db" } } }])],
    from: stranger,
    to: api,
    allowed: false,
  },
  {
    name: "needs only one of two separate peers (OR)",
    policies: [ingressPolicy([{ namespaceSelector: { matchLabels: { team: "other" } } }, { podSelector: { matchLabels: { app: "db" } } }])],
    from: stranger,
    to: api,
    allowed: true,
  },
  {
    name: "names the namespace condition that does not match",
    policies: [
      ingressPolicy([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "prod" } }, podSelector: { matchLabels: { app: "web" } } }]),
    ],
    from: stranger,
    to: api,
    allowed: false,
    text: /namespaceSelector kubernetes.io\/metadata.name=prod does not match namespace other/,
  },
  {
    name: "matches the kubernetes.io/metadata.name label every namespace has",
    policies: [ingressPolicy([{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "other" } } }])],
    from: stranger,
    to: api,
    allowed: true,
  },
  { name: "admits an address inside an ipBlock", policies: [ingressPolicy([{ ipBlock: { cidr: "203.0.113.0/24" } }])], from: outside, to: api, allowed: true },
  {
    name: "rejects an address in the ipBlock's except",
    policies: [ingressPolicy([{ ipBlock: { cidr: "203.0.113.0/24", except: ["203.0.113.0/29"] } }])],
    from: outside,
    to: api,
    allowed: false,
    text: /not in ipBlock 203.0.113.0\/24 except 203.0.113.0\/29/,
  },
  { name: "treats an empty from as every source", policies: [ingressPolicy([])], from: stranger, to: api, allowed: true },
  { name: "treats absent ports as every port", policies: [ingressPolicy([{ podSelector: {} }])], from: web, to: api, port: 9999, allowed: true },
  { name: "matches a numeric port", policies: [ingressPolicy(undefined, [{ port: 8080 }])], from: web, to: api, allowed: true },
  {
    name: "rejects another numeric port",
    policies: [ingressPolicy(undefined, [{ port: 9090 }])],
    from: web,
    to: api,
    allowed: false,
    text: /allows only TCP\/9090, not TCP\/8080/,
  },
  {
    name: "resolves a named port against the destination's container ports",
    policies: [ingressPolicy(undefined, [{ port: "http" }])],
    from: web,
    to: api,
    allowed: true,
  },
  {
    name: "rejects a named port the destination does not declare",
    policies: [ingressPolicy(undefined, [{ port: "metrics" }])],
    from: web,
    to: api,
    allowed: false,
  },
  { name: "matches a port inside port..endPort", policies: [ingressPolicy(undefined, [{ port: 8000, endPort: 8100 }])], from: web, to: api, allowed: true },
  { name: "rejects a port outside port..endPort", policies: [ingressPolicy(undefined, [{ port: 8000, endPort: 8050 }])], from: web, to: api, allowed: false },
  {
    name: "defaults the rule protocol to TCP, so UDP does not match",
    policies: [ingressPolicy(undefined, [{ port: 8080 }])],
    from: web,
    to: api,
    protocol: "UDP",
    allowed: false,
  },
  {
    name: "matches an explicit UDP protocol",
    policies: [ingressPolicy(undefined, [{ protocol: "UDP", port: 8080 }])],
    from: web,
    to: api,
    protocol: "UDP",
    allowed: true,
  },
  {
    name: "treats a policy without policyTypes and without egress rules as Ingress-only",
    policies: [{ metadata: { name: "p", namespace: "shop" }, spec: { podSelector: { matchLabels: { app: "web" } }, ingress: [] } }],
    from: web,
    to: api,
    allowed: true,
  },
  {
    name: "adds Egress to the default policyTypes when egress rules are present",
    policies: [
      {
        metadata: { name: "p", namespace: "shop" },
        spec: { podSelector: { matchLabels: { app: "web" } }, egress: [{ to: [{ podSelector: { matchLabels: { app: "db" } } }] }] },
      },
    ],
    from: web,
    to: api,
    allowed: false,
    text: /no egress rule of policy p \(shop\)/,
  },
  {
    name: "ignores egress rules when policyTypes says Ingress only",
    policies: [
      {
        metadata: { name: "p", namespace: "shop" },
        spec: { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"], egress: [{ to: [{ podSelector: { matchLabels: { app: "db" } } }] }] },
      },
    ],
    from: web,
    to: api,
    allowed: true,
  },
  {
    name: "denies when egress allows but ingress does not (both are needed)",
    policies: [egressPolicy([{ podSelector: { matchLabels: { app: "api" } } }]), ingressPolicy([{ podSelector: { matchLabels: { app: "db" } } }])],
    from: web,
    to: api,
    allowed: false,
    text: /no ingress rule of policy api-in/,
  },
  {
    name: "denies when ingress allows but egress does not (both are needed)",
    policies: [egressPolicy([{ podSelector: { matchLabels: { app: "db" } } }]), ingressPolicy([])],
    from: web,
    to: api,
    allowed: false,
    text: /no egress rule of policy web-out \(shop\) allows TCP\/8080 to shop\/api/,
  },
  {
    name: "allows when any one of several policies selecting the pod allows (union)",
    policies: [
      ingressPolicy([{ podSelector: { matchLabels: { app: "db" } } }]),
      { ...ingressPolicy([{ podSelector: { matchLabels: { app: "web" } } }]), metadata: { name: "second", namespace: "shop" } },
    ],
    from: web,
    to: api,
    allowed: true,
  },
  {
    name: "lets egress to an outside address through an ipBlock",
    policies: [egressPolicy([{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }])],
    from: web,
    to: outside,
    allowed: true,
  },
  {
    name: "keeps egress to pod IPs out with ipBlock except",
    policies: [egressPolicy([{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }])],
    from: web,
    to: api,
    allowed: false,
  },
];

describe("evaluateFlow", () => {
  for (const c of cases) {
    it(c.name, () => {
      const index = buildPolicyIndex(c.policies, nsLabels);
      const v = evaluateFlow(index, { from: c.from, to: c.to, protocol: c.protocol ?? "TCP", port: c.port ?? 8080 });
      assert.equal(v.allowed, c.allowed, v.text);
      if (c.text) assert.match(v.text, c.text);
    });
  }

  it("names the rule that admitted the flow", () => {
    const index = buildPolicyIndex([ingressPolicy([{ podSelector: { matchLabels: { app: "web" } } }])], nsLabels);
    const v = evaluateFlow(index, { from: web, to: api, protocol: "TCP", port: 8080 });
    assert.deepEqual(v.ingress.allowedBy, { policy: "api-in", namespace: "shop", rule: 1 });
    assert.match(v.text, /ingress rule 1 of policy api-in \(shop\) allows TCP\/8080 from shop\/web/);
  });

  it("marks an ipBlock verdict undecided when the address is unknown", () => {
    const index = buildPolicyIndex([egressPolicy([{ ipBlock: { cidr: "203.0.113.0/24" } }])], nsLabels);
    const v = evaluateFlow(index, { from: web, to: { name: "example.org" }, protocol: "TCP", port: 443 });
    assert.equal(v.allowed, false);
    assert.equal(v.egress.undecided, true);
  });
});
