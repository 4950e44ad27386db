package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// decode reads test objects written as JSON manifests (as the API server returns them).
func decode[T any](t *testing.T, text string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("decode %s: %v", text, err)
	}
	return v
}

// Two nodes; web-0 and api-0 on lab-node, web-1 and db-0 on lab-node-2.
const testPods = `[
 {"metadata": {"namespace": "shop", "name": "web-0", "labels": {"app": "web"}}, "spec": {"nodeName": "lab-node", "containers": [{"ports": [{"name": "http", "containerPort": 8080}]}]}, "status": {"phase": "Running", "podIP": "198.18.10.10"}},
 {"metadata": {"namespace": "shop", "name": "api-0", "labels": {"app": "api"}}, "spec": {"nodeName": "lab-node", "containers": [{"ports": [{"name": "http", "containerPort": 80}, {"name": "syslog", "containerPort": 514, "protocol": "UDP"}]}]}, "status": {"phase": "Running", "podIP": "198.18.10.11"}},
 {"metadata": {"namespace": "shop", "name": "web-1", "labels": {"app": "web"}}, "spec": {"nodeName": "lab-node-2"}, "status": {"phase": "Running", "podIP": "198.18.11.10"}},
 {"metadata": {"namespace": "shop", "name": "db-0", "labels": {"app": "db"}}, "spec": {"nodeName": "lab-node-2", "containers": [{"ports": [{"name": "pg", "containerPort": 5432}]}]}, "status": {"phase": "Running", "podIP": "198.18.11.12"}},
 {"metadata": {"namespace": "ops", "name": "prom-0", "labels": {"app": "prometheus"}}, "spec": {"nodeName": "lab-node-2"}, "status": {"phase": "Running", "podIP": "198.18.11.30"}}
]`

const testNamespaces = `[
 {"metadata": {"name": "shop", "labels": {"kubernetes.io/metadata.name": "shop", "env": "prod"}}},
 {"metadata": {"name": "ops", "labels": {"kubernetes.io/metadata.name": "ops", "team": "ops"}}}
]`

func testState(t *testing.T) *state {
	return newState(decode[[]pod](t, testPods), decode[[]namespace](t, testNamespaces))
}

func policies(t *testing.T, text string) []*policy {
	pls := decode[[]policy](t, text)
	var out []*policy
	for i := range pls {
		out = append(out, &pls[i])
	}
	return out
}

const (
	allow     = "-j MARK --set-xmark 0x20000/0x20000"
	headRule  = "-A LABNP-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN"
	markRet   = "-m mark --mark 0x20000/0x20000 -j RETURN"
	dropRule  = `-m comment --comment "netpol: not allowed" -j DROP`
	clearRule = "-j MARK --set-xmark 0x0/0x20000"
)

// podChainRules is the frame every isolated pod's chain has around its allow rules.
func podChainRules(chain string, allows ...string) []string {
	out := []string{"-A " + chain + " " + clearRule}
	for _, a := range allows {
		out = append(out, "-A "+chain+" "+a)
	}
	return append(out, "-A "+chain+" "+markRet, "-A "+chain+" "+dropRule)
}

var (
	ingressAPI = "LABNP-I-" + shortHash("shop/api-0")
	ingressWeb = "LABNP-I-" + shortHash("shop/web-0")
	egressWeb  = "LABNP-E-" + shortHash("shop/web-0")
	ingressDB  = "LABNP-I-" + shortHash("shop/db-0")
)

func jumpIngress(ip, key, chain string) string {
	return `-A LABNP-FORWARD -d ` + ip + `/32 -m comment --comment "ingress ` + key + `" -j ` + chain
}

func jumpEgress(ip, key, chain string) string {
	return `-A LABNP-FORWARD -s ` + ip + `/32 -m comment --comment "egress ` + key + `" -j ` + chain
}

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestRender(t *testing.T) {
	c := `-m comment --comment "shop/p"`
	tests := []struct {
		name     string
		node     string
		policies string
		chains   []string
		rules    []string
	}{
		{
			name:     "no policy: only the conntrack shortcut",
			node:     "lab-node",
			policies: `[]`,
			chains:   []string{"LABNP-FORWARD"},
			rules:    []string{headRule},
		},
		{
			name:     "deny-all ingress isolates this node's pods only, in name order",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {}}}]`,
			chains:   []string{"LABNP-FORWARD", ingressAPI, ingressWeb},
			rules: concat([]string{headRule}, podChainRules(ingressAPI), podChainRules(ingressWeb), []string{
				jumpIngress("198.18.10.11", "shop/api-0", ingressAPI),
				jumpIngress("198.18.10.10", "shop/web-0", ingressWeb),
			}),
		},
		{
			name:     "the second node enforces its own pods",
			node:     "lab-node-2",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "db"}}}}]`,
			chains:   []string{"LABNP-FORWARD", ingressDB},
			rules:    concat([]string{headRule}, podChainRules(ingressDB), []string{jumpIngress("198.18.11.12", "shop/db-0", ingressDB)}),
		},
		{
			name:     "a podSelector peer lists the matching pods of every node",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "api"}}, "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}]}}]`,
			chains:   []string{"LABNP-FORWARD", ingressAPI},
			rules: concat([]string{headRule}, podChainRules(ingressAPI,
				c+" -s 198.18.10.10/32  "+allow,
				c+" -s 198.18.11.10/32  "+allow,
			), []string{jumpIngress("198.18.10.11", "shop/api-0", ingressAPI)}),
		},
		{
			name:     "a namespaceSelector peer with a podSelector (AND)",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "api"}}, "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"team": "ops"}}, "podSelector": {"matchLabels": {"app": "prometheus"}}}], "ports": [{"port": "http"}]}]}}]`,
			chains:   []string{"LABNP-FORWARD", ingressAPI},
			rules: concat([]string{headRule}, podChainRules(ingressAPI,
				c+" -s 198.18.11.30/32 -p tcp -m tcp --dport 80 "+allow,
			), []string{jumpIngress("198.18.10.11", "shop/api-0", ingressAPI)}),
		},
		{
			name: "ports: numeric, named (on the target), endPort, UDP, SCTP, protocol only, unresolvable name",
			node: "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "api"}}, "ingress": [{"ports": [
				{"port": 80}, {"port": "http"}, {"protocol": "UDP", "port": "syslog"}, {"port": "syslog"}, {"port": 9000, "endPort": 9100},
				{"protocol": "SCTP", "port": 3868}, {"protocol": "UDP"}, {"port": "grpc"}]}]}}]`,
			chains: []string{"LABNP-FORWARD", ingressAPI},
			rules: concat([]string{headRule}, podChainRules(ingressAPI,
				c+" -p tcp -m tcp --dport 80 "+allow,
				c+" -p tcp -m tcp --dport 80 "+allow,
				c+" -p udp -m udp --dport 514 "+allow,
				c+" -p tcp -m tcp --dport 9000:9100 "+allow,
				c+" -p sctp -m sctp --dport 3868 "+allow,
				c+" -p udp "+allow,
			), []string{jumpIngress("198.18.10.11", "shop/api-0", ingressAPI)}),
		},
		{
			name:     "ipBlock with except: a sub-chain that returns for the excepted ranges",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"], "egress": [{"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["198.18.0.0/16", "10.0.0.0/8"]}}], "ports": [{"port": 443}]}]}}]`,
			chains:   []string{"LABNP-FORWARD", egressWeb, "LABNP-B-" + shortHash(egressWeb, "shop", "p", "0", "0")},
			rules: func() []string {
				sub := "LABNP-B-" + shortHash(egressWeb, "shop", "p", "0", "0")
				return concat([]string{headRule, "-A " + egressWeb + " " + clearRule,
					"-A " + sub + " -d 198.18.0.0/16 -j RETURN",
					"-A " + sub + " -d 10.0.0.0/8 -j RETURN",
					"-A " + sub + " -d 0.0.0.0/0 -p tcp -m tcp --dport 443 " + allow,
					"-A " + egressWeb + " " + c + " -j " + sub,
					"-A " + egressWeb + " " + markRet, "-A " + egressWeb + " " + dropRule,
					jumpEgress("198.18.10.10", "shop/web-0", egressWeb)})
			}(),
		},
		{
			name:     "named egress ports to any destination resolve on each destination pod",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": 443}, {"port": "http"}, {"protocol": "UDP", "port": "syslog"}]}]}}]`,
			chains:   []string{"LABNP-FORWARD", egressWeb},
			rules: concat([]string{headRule}, podChainRules(egressWeb,
				c+" -p tcp -m tcp --dport 443 "+allow,
				c+" -d 198.18.10.10/32 -p tcp -m tcp --dport 8080 "+allow,
				c+" -d 198.18.10.11/32 -p tcp -m tcp --dport 80 "+allow,
				c+" -d 198.18.10.11/32 -p udp -m udp --dport 514 "+allow,
			), []string{jumpEgress("198.18.10.10", "shop/web-0", egressWeb)}),
		},
		{
			name:     "only named egress ports: no rule for every port",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"], "egress": [{"ports": [{"port": "pg"}]}]}}]`,
			chains:   []string{"LABNP-FORWARD", egressWeb},
			rules: concat([]string{headRule}, podChainRules(egressWeb,
				c+" -d 198.18.11.12/32 -p tcp -m tcp --dport 5432 "+allow,
			), []string{jumpEgress("198.18.10.10", "shop/web-0", egressWeb)}),
		},
		{
			name:     "named egress ports to an ipBlock resolve on the pods inside it",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": ["Egress"], "egress": [{"to": [{"ipBlock": {"cidr": "198.18.10.0/24", "except": ["198.18.10.10/32"]}}], "ports": [{"port": 22}, {"port": "http"}]}]}}]`,
			chains:   []string{"LABNP-FORWARD", egressWeb, "LABNP-B-" + shortHash(egressWeb, "shop", "p", "0", "0")},
			rules: func() []string {
				sub := "LABNP-B-" + shortHash(egressWeb, "shop", "p", "0", "0")
				return concat([]string{headRule, "-A " + egressWeb + " " + clearRule,
					"-A " + sub + " -d 198.18.10.10/32 -j RETURN",
					"-A " + sub + " -d 198.18.10.0/24 -p tcp -m tcp --dport 22 " + allow,
					"-A " + sub + " -d 198.18.10.10/32 -p tcp -m tcp --dport 8080 " + allow,
					"-A " + sub + " -d 198.18.10.11/32 -p tcp -m tcp --dport 80 " + allow,
					"-A " + egressWeb + " " + c + " -j " + sub,
					"-A " + egressWeb + " " + markRet, "-A " + egressWeb + " " + dropRule,
					jumpEgress("198.18.10.10", "shop/web-0", egressWeb)})
			}(),
		},
		{
			name:     "egress chains and their jumps come before ingress jumps",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "shop", "name": "p"}, "spec": {"podSelector": {"matchLabels": {"app": "web"}}, "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "db"}}}]}]}}]`,
			chains:   []string{"LABNP-FORWARD", egressWeb, ingressWeb},
			rules: concat([]string{headRule},
				podChainRules(egressWeb, c+" -d 198.18.11.12/32  "+allow),
				podChainRules(ingressWeb),
				[]string{jumpEgress("198.18.10.10", "shop/web-0", egressWeb), jumpIngress("198.18.10.10", "shop/web-0", ingressWeb)}),
		},
		{
			name:     "a policy of another namespace selects nothing here",
			node:     "lab-node",
			policies: `[{"metadata": {"namespace": "ops", "name": "p"}, "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}]`,
			chains:   []string{"LABNP-FORWARD"},
			rules:    []string{headRule},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := testState(t).render(policies(t, tc.policies), tc.node)
			if !reflect.DeepEqual(rs.chains, tc.chains) {
				t.Errorf("chains:\n got %q\nwant %q", rs.chains, tc.chains)
			}
			if !reflect.DeepEqual(rs.rules, tc.rules) {
				t.Errorf("rules:\n got\n  %s\nwant\n  %s", strings.Join(rs.rules, "\n  "), strings.Join(tc.rules, "\n  "))
			}
		})
	}
}

func TestSelectorMatches(t *testing.T) {
	l := map[string]string{"app": "web", "tier": "front"}
	tests := []struct {
		sel  string
		want bool
	}{
		{`{}`, true},
		{`{"matchLabels": {"app": "web"}}`, true},
		{`{"matchLabels": {"app": "web", "tier": "back"}}`, false},
		{`{"matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "edge"]}]}`, true},
		{`{"matchExpressions": [{"key": "tier", "operator": "In", "values": ["edge"]}]}`, false},
		{`{"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["front"]}]}`, false},
		{`{"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["a"]}]}`, true},
		{`{"matchExpressions": [{"key": "tier", "operator": "Exists"}]}`, true},
		{`{"matchExpressions": [{"key": "zone", "operator": "Exists"}]}`, false},
		{`{"matchExpressions": [{"key": "zone", "operator": "DoesNotExist"}]}`, true},
		{`{"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}`, false},
		{`{"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}`, false},
		{`{"matchExpressions": [{"key": "tier", "operator": "Gt", "values": ["1"]}]}`, false},
	}
	for _, tc := range tests {
		s := decode[selector](t, tc.sel)
		if got := s.matches(l); got != tc.want {
			t.Errorf("%s matches %v = %v, want %v", tc.sel, l, got, tc.want)
		}
	}
	var absent *selector
	if !absent.matches(nil) {
		t.Error("an absent selector matches everything")
	}
}

func TestHasType(t *testing.T) {
	tests := []struct {
		spec            string
		ingress, egress bool
	}{
		{`{"podSelector": {}}`, true, false},
		{`{"podSelector": {}, "ingress": [{}]}`, true, false},
		{`{"podSelector": {}, "egress": [{}]}`, true, true},
		{`{"podSelector": {}, "egress": []}`, true, false},
		{`{"podSelector": {}, "policyTypes": ["Egress"], "ingress": [{}]}`, false, true},
		{`{"podSelector": {}, "policyTypes": ["Ingress"], "egress": [{}]}`, true, false},
		{`{"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}`, true, true},
	}
	for _, tc := range tests {
		pl := decode[policy](t, `{"spec": `+tc.spec+`}`)
		if got := hasType(&pl, "Ingress"); got != tc.ingress {
			t.Errorf("%s: Ingress = %v, want %v", tc.spec, got, tc.ingress)
		}
		if got := hasType(&pl, "Egress"); got != tc.egress {
			t.Errorf("%s: Egress = %v, want %v", tc.spec, got, tc.egress)
		}
	}
}

func TestPortMatches(t *testing.T) {
	target := decode[pod](t, `{"spec": {"containers": [{"ports": [{"name": "http", "containerPort": 80}]}, {"ports": [{"name": "dns", "containerPort": 53, "protocol": "UDP"}]}]}}`)
	tests := []struct {
		ports string
		want  []string
	}{
		{`[]`, []string{""}},
		{`[{"port": 80}]`, []string{"-p tcp -m tcp --dport 80"}},
		{`[{"port": "80"}]`, []string{"-p tcp -m tcp --dport 80"}},
		{`[{"protocol": "udp", "port": 53}]`, []string{"-p udp -m udp --dport 53"}},
		{`[{"port": 1000, "endPort": 2000}]`, []string{"-p tcp -m tcp --dport 1000:2000"}},
		{`[{"port": 1000, "endPort": 1000}]`, []string{"-p tcp -m tcp --dport 1000"}},
		{`[{"protocol": "SCTP"}]`, []string{"-p sctp"}},
		{`[{"port": null}]`, []string{"-p tcp"}},
		{`[{"port": "http"}, {"protocol": "UDP", "port": "dns"}]`, []string{"-p tcp -m tcp --dport 80", "-p udp -m udp --dport 53"}},
		{`[{"port": "dns"}]`, nil},
		{`[{"port": "nope"}]`, nil},
	}
	for _, tc := range tests {
		got := portMatches(decode[[]npPort](t, tc.ports), &target)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.ports, got, tc.want)
		}
	}
	if got := portMatches(decode[[]npPort](t, `[{"port": "http"}]`), nil); got != nil {
		t.Errorf("a named port without a pod resolves to nothing, got %q", got)
	}
}

func TestNewStateKeepsPeersOfEveryNode(t *testing.T) {
	pods := decode[[]pod](t, `[
	 {"metadata": {"name": "a"}, "spec": {"nodeName": "lab-node"}, "status": {"phase": "Running", "podIP": "198.18.10.5"}},
	 {"metadata": {"name": "b"}, "spec": {"nodeName": "lab-node-2"}, "status": {"phase": "Running", "podIP": "198.18.11.5"}},
	 {"metadata": {"name": "pending"}, "spec": {"nodeName": "lab-node"}, "status": {"phase": "Pending"}},
	 {"metadata": {"name": "host"}, "spec": {"nodeName": "lab-node", "hostNetwork": true}, "status": {"phase": "Running", "podIP": "198.18.10.1"}},
	 {"metadata": {"name": "done"}, "spec": {"nodeName": "lab-node"}, "status": {"phase": "Succeeded", "podIP": "198.18.10.6"}},
	 {"metadata": {"name": "failed"}, "spec": {"nodeName": "lab-node"}, "status": {"phase": "Failed", "podIP": "198.18.10.7"}},
	 {"metadata": {"name": "v6"}, "spec": {"nodeName": "lab-node"}, "status": {"phase": "Running", "podIP": "fd00::5"}}
	]`)
	s := newState(pods, decode[[]namespace](t, testNamespaces))
	var names []string
	for _, p := range s.pods {
		names = append(names, p.Metadata.Name)
	}
	if !reflect.DeepEqual(names, []string{"a", "b"}) {
		t.Errorf("pods kept: %v", names)
	}
	if s.nsLabels["ops"]["team"] != "ops" {
		t.Errorf("namespace labels: %v", s.nsLabels)
	}
	pl := decode[policy](t, `{"metadata": {"namespace": ""}}`)
	if got := s.peerPods(&pl, decode[peer](t, `{"podSelector": {}}`)); len(got) != 2 {
		t.Errorf("peerPods must not filter by node: %d pods", len(got))
	}
}
