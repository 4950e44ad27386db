// One NetworkPolicy corpus (test/fixtures/policy-corpus.json), two engines: this file
// runs it through the static evaluator (evaluateFlow); lab-netpol's Go test
// (scripts/lab/node/netpol/corpus_test.go) renders the same cases into iptables rules and
// interprets them. Every flow must get the case's upstream Kubernetes verdict from both.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { LabelMap, NetworkPolicy, Pod } from "../model/snapshot.ts";
import { buildPolicyIndex } from "../model/policy-index.ts";
import { evaluateFlow, type FlowPeer } from "./flow.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

interface Flow {
  /** "namespace/name" of a cluster pod, or an IPv4 address outside the cluster. */
  from: string;
  to: string;
  protocol: string;
  port: number;
  allowed: boolean;
}

interface Case {
  name: string;
  reason: string;
  policies: NetworkPolicy[];
  flows: Flow[];
}

interface Corpus {
  nodes: { name: string; podCIDR: string }[];
  cluster: { namespaces: { metadata: { name: string; labels?: LabelMap } }[]; pods: Pod[] };
  cases: Case[];
}

const corpus = JSON.parse(readFileSync(path.join(root, "test", "fixtures", "policy-corpus.json"), "utf8")) as Corpus;

const nsLabels = new Map(corpus.cluster.namespaces.map((n) => [n.metadata.name, n.metadata.labels ?? {}] as const));
const pods = new Map<string, FlowPeer>(
  corpus.cluster.pods.map((p) => {
    const name = `${p.metadata.namespace}/${p.metadata.name}`;
    const peer: FlowPeer = {
      name,
      namespace: p.metadata.namespace ?? "default",
      labels: p.metadata.labels ?? {},
      ports: (p.spec?.containers ?? []).flatMap((c) => c.ports ?? []),
    };
    if (p.status?.podIP) peer.ip = p.status.podIP;
    return [name, peer];
  }),
);

function endpoint(ref: string): FlowPeer {
  if (isIP(ref)) return { name: ref, ip: ref };
  const peer = pods.get(ref);
  assert.ok(peer, `the corpus names pod ${ref}, which its cluster does not have`);
  return peer;
}

describe("policy corpus (test/fixtures/policy-corpus.json): static evaluator", () => {
  it("has the shape both engines read", () => {
    assert.ok(corpus.cases.length >= 30, `${corpus.cases.length} cases`);
    assert.equal(new Set(corpus.cases.map((c) => c.name)).size, corpus.cases.length, "case names are unique");
    const nodes = new Set(corpus.nodes.map((n) => n.name));
    for (const p of corpus.cluster.pods) assert.ok(nodes.has(p.spec?.nodeName ?? ""), `${p.metadata.name} runs on a corpus node`);
    for (const c of corpus.cases) {
      assert.ok(c.reason, `${c.name} has a reason`);
      assert.ok(c.flows.length > 0, `${c.name} has flows`);
      for (const f of c.flows) {
        assert.ok(!isIP(f.from) || !isIP(f.to), `${c.name}: a flow has a pod at one end at least`);
        assert.ok(["TCP", "UDP", "SCTP"].includes(f.protocol), `${c.name}: protocol ${f.protocol}`);
      }
    }
    const crossNode = corpus.cases.flatMap((c) => c.flows).filter((f) => !isIP(f.from) && !isIP(f.to) && nodeOf(f.from) !== nodeOf(f.to));
    assert.ok(crossNode.length >= 10, `${crossNode.length} cross-node flows`);
  });

  for (const c of corpus.cases) {
    it(`${c.name}: ${c.reason}`, () => {
      const index = buildPolicyIndex(c.policies, nsLabels);
      const wrong: string[] = [];
      for (const f of c.flows) {
        const v = evaluateFlow(index, { from: endpoint(f.from), to: endpoint(f.to), protocol: f.protocol, port: f.port });
        if (v.allowed !== f.allowed)
          wrong.push(
            `${f.from} -> ${f.to} ${f.protocol}/${f.port}: expected ${f.allowed ? "allowed" : "denied"}, got ${v.allowed ? "allowed" : "denied"} (${v.text})`,
          );
      }
      assert.deepEqual(wrong, []);
    });
  }
});

function nodeOf(ref: string): string | undefined {
  return corpus.cluster.pods.find((p) => `${p.metadata.namespace}/${p.metadata.name}` === ref)?.spec?.nodeName;
}
