package main

// One NetworkPolicy corpus (test/fixtures/policy-corpus.json), two engines: the
// TypeScript evaluator (src/policy/corpus.test.ts) and this one. For every case each
// node's ruleset is rendered as lab-netpol renders it (one instance per node, as
// --node-name=lab-node and --node-name=lab-node-2), and each flow's first packet is run
// through the FORWARD path it takes: the source pod's node (egress), then, when it is
// another node, the destination pod's node (ingress). An address outside the cluster
// crosses only the pod's node.

import (
	"encoding/json"
	"net/netip"
	"os"
	"strings"
	"testing"
)

const corpusPath = "../../../../test/fixtures/policy-corpus.json"

type corpusFlow struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Protocol string `json:"protocol"`
	Port     int    `json:"port"`
	Allowed  bool   `json:"allowed"`
}

type corpusCase struct {
	Name     string       `json:"name"`
	Reason   string       `json:"reason"`
	Policies []policy     `json:"policies"`
	Flows    []corpusFlow `json:"flows"`
}

type corpus struct {
	Nodes []struct {
		Name    string `json:"name"`
		PodCIDR string `json:"podCIDR"`
	} `json:"nodes"`
	Cluster struct {
		Namespaces []namespace `json:"namespaces"`
		Pods       []pod       `json:"pods"`
	} `json:"cluster"`
	Cases []corpusCase `json:"cases"`
}

func loadCorpus(t *testing.T) *corpus {
	t.Helper()
	b, err := os.ReadFile(corpusPath)
	if err != nil {
		t.Fatal(err)
	}
	var c corpus
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", corpusPath, err)
	}
	if len(c.Cases) == 0 || len(c.Nodes) < 2 {
		t.Fatalf("%s: %d cases, %d nodes", corpusPath, len(c.Cases), len(c.Nodes))
	}
	return &c
}

// endpoint is one end of a flow: a corpus pod or an address outside the cluster.
type endpoint struct {
	ip   netip.Addr
	node string // "" outside the cluster
}

func TestPolicyCorpus(t *testing.T) {
	c := loadCorpus(t)
	byRef := map[string]endpoint{}
	for _, p := range c.Cluster.Pods {
		byRef[p.Metadata.Namespace+"/"+p.Metadata.Name] = endpoint{ip: netip.MustParseAddr(p.Status.PodIP), node: p.Spec.NodeName}
	}
	resolve := func(t *testing.T, ref string) endpoint {
		if a, err := netip.ParseAddr(ref); err == nil {
			return endpoint{ip: a}
		}
		e, ok := byRef[ref]
		if !ok {
			t.Fatalf("the corpus names pod %s, which its cluster does not have", ref)
		}
		return e
	}
	flows, crossNode := 0, 0
	for _, cc := range c.Cases {
		t.Run(cc.Name, func(t *testing.T) {
			// A fresh state per case, from the same objects syncOnce would get.
			pods := append([]pod(nil), c.Cluster.Pods...)
			st := newState(pods, c.Cluster.Namespaces)
			var pols []*policy
			for i := range cc.Policies {
				pols = append(pols, &cc.Policies[i])
			}
			tables := map[string]*simTable{}
			for _, n := range c.Nodes {
				tb, err := loadRuleset(st.render(pols, n.Name))
				if err != nil {
					t.Fatalf("node %s: %v", n.Name, err)
				}
				tables[n.Name] = tb
			}
			for _, f := range cc.Flows {
				flows++
				src, dst := resolve(t, f.From), resolve(t, f.To)
				for _, n := range []string{src.node, dst.node} {
					if _, ok := tables[n]; n != "" && !ok {
						t.Fatalf("%s -> %s: node %s is not a corpus node", f.From, f.To, n)
					}
				}
				var path []string
				if src.node != "" {
					path = append(path, src.node)
				}
				if dst.node != "" && dst.node != src.node {
					path = append(path, dst.node)
				}
				if src.node != "" && dst.node != "" && src.node != dst.node {
					crossNode++
				}
				pkt := simPacket{src: src.ip, dst: dst.ip, proto: strings.ToLower(f.Protocol), dport: f.Port, state: "NEW"}
				reply := simPacket{src: dst.ip, dst: src.ip, proto: pkt.proto, dport: 40000, state: "ESTABLISHED"}
				allowed, replyOK := true, true
				for i := range path {
					ok, err := tables[path[i]].forward(pkt)
					if err != nil {
						t.Fatal(err)
					}
					allowed = allowed && ok
					// The reply crosses the nodes the other way round.
					ok, err = tables[path[len(path)-1-i]].forward(reply)
					if err != nil {
						t.Fatal(err)
					}
					replyOK = replyOK && ok
				}
				if allowed != f.Allowed {
					t.Errorf("%s -> %s %s/%d (via %s): expected %s, got %s", f.From, f.To, f.Protocol, f.Port, strings.Join(path, ", "), verdictWord(f.Allowed), verdictWord(allowed))
				}
				if !replyOK {
					t.Errorf("%s -> %s: the reply of an established connection was dropped", f.From, f.To)
				}
			}
		})
	}
	t.Logf("%d cases, %d flows (%d between pods of different nodes)", len(c.Cases), flows, crossNode)
	if crossNode < 10 {
		t.Errorf("only %d cross-node flows", crossNode)
	}
}

func verdictWord(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "denied"
}

// The interpreter itself: a hand-written ruleset with every construct it accepts.
func TestSimulator(t *testing.T) {
	rs := &ruleset{
		chains: []string{"LABNP-FORWARD", "LABNP-X", "LABNP-SUB"},
		rules: []string{
			"-A LABNP-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
			`-A LABNP-FORWARD -s 10.0.0.1/32 -m comment --comment "egress a b" -j LABNP-X`,
			"-A LABNP-X -j MARK --set-xmark 0x0/0x20000",
			"-A LABNP-X -d 10.0.1.0/24 -p udp -m udp --dport 53 -j MARK --set-xmark 0x20000/0x20000",
			"-A LABNP-X -j LABNP-SUB",
			"-A LABNP-SUB -d 10.0.2.128/25 -j RETURN",
			"-A LABNP-SUB -d 10.0.2.0/24 -p tcp -m tcp --dport 80:90 -j MARK --set-xmark 0x20000/0x20000",
			"-A LABNP-X -m mark --mark 0x20000/0x20000 -j RETURN",
			"-A LABNP-X -p sctp -j ACCEPT",
			`-A LABNP-X -m comment --comment "netpol: not allowed" -j DROP`,
		},
	}
	tb, err := loadRuleset(rs)
	if err != nil {
		t.Fatal(err)
	}
	a := netip.MustParseAddr
	tests := []struct {
		p    simPacket
		want bool
	}{
		{simPacket{src: a("10.0.0.1"), dst: a("10.0.1.5"), proto: "udp", dport: 53, state: "NEW"}, true},
		{simPacket{src: a("10.0.0.1"), dst: a("10.0.1.5"), proto: "tcp", dport: 53, state: "NEW"}, false},
		{simPacket{src: a("10.0.0.1"), dst: a("10.0.2.5"), proto: "tcp", dport: 85, state: "NEW"}, true},
		{simPacket{src: a("10.0.0.1"), dst: a("10.0.2.5"), proto: "tcp", dport: 91, state: "NEW"}, false},
		{simPacket{src: a("10.0.0.1"), dst: a("10.0.2.200"), proto: "tcp", dport: 85, state: "NEW"}, false},
		{simPacket{src: a("10.0.0.1"), dst: a("10.0.9.9"), proto: "sctp", dport: 1, state: "NEW"}, true},
		{simPacket{src: a("10.0.0.1"), dst: a("10.0.9.9"), proto: "tcp", dport: 1, state: "ESTABLISHED"}, true},
		{simPacket{src: a("10.0.0.2"), dst: a("10.0.9.9"), proto: "tcp", dport: 1, state: "NEW"}, true},
		// a mark left by an earlier chain does not leak: LABNP-X clears it first
		{simPacket{src: a("10.0.0.1"), dst: a("10.0.9.9"), proto: "tcp", dport: 1, state: "NEW", mark: 0x20000}, false},
	}
	for _, tc := range tests {
		if got, err := tb.forward(tc.p); err != nil || got != tc.want {
			t.Errorf("%+v: got %v (%v), want %v", tc.p, got, err, tc.want)
		}
	}
	for _, bad := range []string{
		"-A LABNP-FORWARD -i eth0 -j DROP",
		"-A LABNP-FORWARD --dport 80 -j DROP",
		"-A LABNP-FORWARD -p tcp -m udp -j DROP",
		"-A LABNP-FORWARD -j LABNP-NOWHERE",
		"-A LABNP-UNDECLARED -j DROP",
		"-A LABNP-FORWARD ! -s 10.0.0.1 -j DROP",
		`-A LABNP-FORWARD -m comment --comment "open -j DROP`,
	} {
		if _, err := loadRuleset(&ruleset{chains: []string{"LABNP-FORWARD"}, rules: []string{bad}}); err == nil {
			t.Errorf("%q: accepted, want an error", bad)
		}
	}
}
