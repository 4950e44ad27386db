// Command lab-netpol is the lab's NetworkPolicy enforcer: a small, lab-owned stand-in
// for kube-router's firewall (whose Go module the lab machines cannot fetch). It polls
// the API server for Pods, Namespaces and networking.k8s.io/v1 NetworkPolicies and
// renders them into iptables rules (filter table, IPv4) with iptables-restore:
//
//	FORWARD, INPUT -> LABNP-FORWARD
//	LABNP-FORWARD:  RELATED,ESTABLISHED -> RETURN
//	                -s <isolated-for-egress pod>  -> LABNP-E-<pod>
//	                -d <isolated-for-ingress pod> -> LABNP-I-<pod>
//	LABNP-[EI]-<pod>: clear mark; one MARK 0x20000 rule per allowed (peer, port);
//	                  marked -> RETURN; everything else -> DROP
//
// Semantics follow the NetworkPolicy API: a pod is isolated for a direction when a
// policy selecting it has that policyType; allowed traffic is the union of all rules
// of all policies selecting it; peers are podSelector / namespaceSelector / both /
// ipBlock (with except); ports are numeric or named, with endPort, TCP/UDP/SCTP. Only
// new connections are checked (replies pass). Traffic from the node itself to its
// pods is not in FORWARD, so kubelet probes always work (as with most CNIs).
package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	mainChain = "LABNP-FORWARD"
	prefix    = "LABNP-"
	markAllow = "0x20000/0x20000"
	markClear = "0x0/0x20000"
)

type selector struct {
	MatchLabels      map[string]string
	MatchExpressions []struct {
		Key      string
		Operator string
		Values   []string
	}
}

func (s *selector) matches(l map[string]string) bool {
	if s == nil {
		return true
	}
	for k, v := range s.MatchLabels {
		if got, ok := l[k]; !ok || got != v {
			return false
		}
	}
	for _, e := range s.MatchExpressions {
		v, ok := l[e.Key]
		in := false
		for _, x := range e.Values {
			if ok && x == v {
				in = true
			}
		}
		switch e.Operator {
		case "In":
			if !in {
				return false
			}
		case "NotIn":
			if in {
				return false
			}
		case "Exists":
			if !ok {
				return false
			}
		case "DoesNotExist":
			if ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

type meta struct {
	Name              string
	Namespace         string
	Labels            map[string]string
	DeletionTimestamp *string
}

type pod struct {
	Metadata meta
	Spec     struct {
		NodeName    string
		HostNetwork bool
		Containers  []struct {
			Ports []struct {
				Name          string
				ContainerPort int
				Protocol      string
			}
		}
	}
	Status struct {
		Phase string
		PodIP string
	}
}

type namespace struct{ Metadata meta }

type peer struct {
	PodSelector       *selector
	NamespaceSelector *selector
	IPBlock           *struct {
		CIDR   string
		Except []string
	}
}

type npPort struct {
	Protocol string
	Port     json.RawMessage
	EndPort  *int
}

type npRule struct {
	Ports []npPort
	From  []peer
	To    []peer
}

type policy struct {
	Metadata meta
	Spec     struct {
		PodSelector selector
		Ingress     []npRule
		Egress      []npRule
		PolicyTypes []string
	}
}

type list[T any] struct{ Items []T }

type client struct {
	server string
	http   *http.Client
}

func newClient(server, ca, cert, key string) (*client, error) {
	pool := x509.NewCertPool()
	pem, err := os.ReadFile(ca)
	if err != nil {
		return nil, err
	}
	pool.AppendCertsFromPEM(pem)
	kp, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return nil, err
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{kp}}}
	return &client{server: strings.TrimRight(server, "/"), http: &http.Client{Transport: tr, Timeout: 10 * time.Second}}, nil
}

func get[T any](c *client, path string) ([]T, error) {
	resp, err := c.http.Get(c.server + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	var l list[T]
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		return nil, err
	}
	return l.Items, nil
}

func shortHash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return strings.ToUpper(hex.EncodeToString(h[:])[:16])
}

// portMatch is one "-p proto --dport x" fragment ("" = any protocol and port).
func portMatches(ports []npPort, target *pod) []string {
	if len(ports) == 0 {
		return []string{""}
	}
	var out []string
	for _, p := range ports {
		proto := strings.ToLower(p.Protocol)
		if proto == "" {
			proto = "tcp"
		}
		if len(p.Port) == 0 || string(p.Port) == "null" {
			out = append(out, fmt.Sprintf("-p %s", proto))
			continue
		}
		var num int
		if err := json.Unmarshal(p.Port, &num); err != nil {
			var name string
			if json.Unmarshal(p.Port, &name) != nil {
				continue
			}
			if n, err := strconv.Atoi(name); err == nil {
				num = n
			} else {
				num = namedPort(target, name, proto)
				if num == 0 {
					continue // unresolvable named port: this entry allows nothing
				}
			}
		}
		spec := strconv.Itoa(num)
		if p.EndPort != nil && *p.EndPort > num {
			spec += ":" + strconv.Itoa(*p.EndPort)
		}
		out = append(out, fmt.Sprintf("-p %s -m %s --dport %s", proto, proto, spec))
	}
	return out
}

func namedPort(p *pod, name, proto string) int {
	if p == nil {
		return 0
	}
	for _, c := range p.Spec.Containers {
		for _, cp := range c.Ports {
			pp := strings.ToLower(cp.Protocol)
			if pp == "" {
				pp = "tcp"
			}
			if cp.Name == name && pp == proto {
				return cp.ContainerPort
			}
		}
	}
	return 0
}

type state struct {
	pods     []*pod
	nsLabels map[string]map[string]string
}

func (s *state) peerPods(pl *policy, pr peer) []*pod {
	var out []*pod
	for _, p := range s.pods {
		if pr.NamespaceSelector == nil {
			if p.Metadata.Namespace != pl.Metadata.Namespace {
				continue
			}
		} else if !pr.NamespaceSelector.matches(s.nsLabels[p.Metadata.Namespace]) {
			continue
		}
		if pr.PodSelector.matches(p.Metadata.Labels) {
			out = append(out, p)
		}
	}
	return out
}

type ruleset struct {
	chains []string
	rules  []string
}

func (r *ruleset) chain(name string)      { r.chains = append(r.chains, name) }
func (r *ruleset) add(f string, a ...any) { r.rules = append(r.rules, fmt.Sprintf(f, a...)) }

func hasType(pl *policy, t string) bool {
	if len(pl.Spec.PolicyTypes) == 0 {
		return t == "Ingress" || (t == "Egress" && len(pl.Spec.Egress) > 0)
	}
	for _, x := range pl.Spec.PolicyTypes {
		if x == t {
			return true
		}
	}
	return false
}

// podChain renders the allow rules for one isolated pod and direction.
func (s *state) podChain(rs *ruleset, chain string, target *pod, pols []*policy, ingress bool) {
	other := "-d" // egress: match the destination
	if ingress {
		other = "-s"
	}
	rs.chain(chain)
	rs.add("-A %s -j MARK --set-xmark %s", chain, markClear)
	for _, pl := range pols {
		rules := pl.Spec.Egress
		if ingress {
			rules = pl.Spec.Ingress
		}
		comment := fmt.Sprintf(`-m comment --comment "%s/%s"`, pl.Metadata.Namespace, pl.Metadata.Name)
		for ri, r := range rules {
			peers := r.To
			if ingress {
				peers = r.From
			}
			if len(peers) == 0 {
				for _, pm := range portMatches(r.Ports, target) {
					rs.add("-A %s %s %s -j MARK --set-xmark %s", chain, comment, pm, markAllow)
				}
				continue
			}
			for pi, pr := range peers {
				if pr.IPBlock != nil {
					sub := prefix + "B-" + shortHash(chain, pl.Metadata.Namespace, pl.Metadata.Name, strconv.Itoa(ri), strconv.Itoa(pi))
					rs.chain(sub)
					for _, ex := range pr.IPBlock.Except {
						rs.add("-A %s %s %s -j RETURN", sub, other, ex)
					}
					for _, pm := range portMatches(r.Ports, target) {
						rs.add("-A %s %s %s %s -j MARK --set-xmark %s", sub, other, pr.IPBlock.CIDR, pm, markAllow)
					}
					rs.add("-A %s %s -j %s", chain, comment, sub)
					continue
				}
				for _, pp := range s.peerPods(pl, pr) {
					portTarget := target
					if !ingress {
						portTarget = pp // named egress ports resolve on the destination pod
					}
					for _, pm := range portMatches(r.Ports, portTarget) {
						rs.add("-A %s %s %s %s/32 %s -j MARK --set-xmark %s", chain, comment, other, pp.Status.PodIP, pm, markAllow)
					}
				}
			}
		}
	}
	rs.add("-A %s -m mark --mark %s -j RETURN", chain, markAllow)
	rs.add(`-A %s -m comment --comment "netpol: not allowed" -j DROP`, chain)
}

func (s *state) render(pols []*policy, node string) *ruleset {
	rs := &ruleset{}
	rs.chain(mainChain)
	rs.add("-A %s -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN", mainChain)
	var local []*pod
	for _, p := range s.pods {
		if p.Spec.NodeName == node {
			local = append(local, p)
		}
	}
	sort.Slice(local, func(i, j int) bool {
		return local[i].Metadata.Namespace+"/"+local[i].Metadata.Name < local[j].Metadata.Namespace+"/"+local[j].Metadata.Name
	})
	var jumps []string
	for _, dir := range []string{"Egress", "Ingress"} {
		for _, p := range local {
			var sel []*policy
			for _, pl := range pols {
				if pl.Metadata.Namespace == p.Metadata.Namespace && hasType(pl, dir) && pl.Spec.PodSelector.matches(p.Metadata.Labels) {
					sel = append(sel, pl)
				}
			}
			if len(sel) == 0 {
				continue
			}
			key := p.Metadata.Namespace + "/" + p.Metadata.Name
			if dir == "Egress" {
				ch := prefix + "E-" + shortHash(key)
				s.podChain(rs, ch, p, sel, false)
				jumps = append(jumps, fmt.Sprintf(`-A %s -s %s/32 -m comment --comment "egress %s" -j %s`, mainChain, p.Status.PodIP, key, ch))
			} else {
				ch := prefix + "I-" + shortHash(key)
				s.podChain(rs, ch, p, sel, true)
				jumps = append(jumps, fmt.Sprintf(`-A %s -d %s/32 -m comment --comment "ingress %s" -j %s`, mainChain, p.Status.PodIP, key, ch))
			}
		}
	}
	rs.rules = append(rs.rules, jumps...)
	return rs
}

func iptables(args ...string) error {
	out, err := exec.Command("iptables", append([]string{"-w", "5"}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("iptables %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return nil
}

func existingChains() (map[string]bool, error) {
	out, err := exec.Command("iptables-save", "-t", "filter").Output()
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, ":"+prefix) {
			m[strings.Fields(l[1:])[0]] = true
		}
	}
	return m, nil
}

func apply(rs *ruleset) error {
	have, err := existingChains()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("*filter\n")
	want := map[string]bool{}
	for _, c := range rs.chains {
		want[c] = true
		fmt.Fprintf(&b, ":%s - [0:0]\n", c)
	}
	var stale []string
	for c := range have {
		if !want[c] {
			stale = append(stale, c)
			fmt.Fprintf(&b, ":%s - [0:0]\n", c)
		}
	}
	for _, r := range rs.rules {
		b.WriteString(r + "\n")
	}
	for _, c := range stale {
		fmt.Fprintf(&b, "-X %s\n", c)
	}
	b.WriteString("COMMIT\n")
	cmd := exec.Command("iptables-restore", "-w", "5", "--noflush")
	cmd.Stdin = &b
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("iptables-restore: %v: %s\n%s", err, out, b.String())
	}
	return ensureHooks()
}

func ensureHooks() error {
	for _, h := range []string{"FORWARD", "INPUT"} {
		if iptables("-C", h, "-j", mainChain) != nil {
			if err := iptables("-I", h, "1", "-j", mainChain); err != nil {
				return err
			}
		}
	}
	return nil
}

func cleanup() {
	for _, h := range []string{"FORWARD", "INPUT"} {
		for iptables("-D", h, "-j", mainChain) == nil {
		}
	}
	have, _ := existingChains()
	for c := range have {
		_ = iptables("-F", c)
	}
	for c := range have {
		_ = iptables("-X", c)
	}
}

func main() {
	server := flag.String("server", "", "API server URL")
	ca := flag.String("ca", "", "CA certificate file")
	cert := flag.String("cert", "", "client certificate file")
	key := flag.String("key", "", "client key file")
	node := flag.String("node-name", "", "this node's name (pods on it are enforced)")
	interval := flag.Duration("interval", time.Second, "poll interval")
	clean := flag.Bool("cleanup", false, "remove the rules and exit")
	flag.Parse()
	if *clean {
		cleanup()
		return
	}
	c, err := newClient(*server, *ca, *cert, *key)
	if err != nil {
		log.Fatal(err)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	tick := time.NewTicker(*interval)
	defer tick.Stop()
	last := ""
	lastHook := time.Time{}
	log.Printf("lab-netpol: enforcing NetworkPolicies for pods on node %q", *node)
	for {
		if err := syncOnce(c, *node, &last, &lastHook); err != nil {
			log.Printf("sync: %v", err)
			last = ""
		}
		select {
		case <-sigs:
			log.Printf("lab-netpol: stopping, removing rules")
			cleanup()
			return
		case <-tick.C:
		}
	}
}

func syncOnce(c *client, node string, last *string, lastHook *time.Time) error {
	pods, err := get[pod](c, "/api/v1/pods")
	if err != nil {
		return err
	}
	nss, err := get[namespace](c, "/api/v1/namespaces")
	if err != nil {
		return err
	}
	pls, err := get[policy](c, "/apis/networking.k8s.io/v1/networkpolicies")
	if err != nil {
		return err
	}
	s := &state{nsLabels: map[string]map[string]string{}}
	for _, n := range nss {
		s.nsLabels[n.Metadata.Name] = n.Metadata.Labels
	}
	for i := range pods {
		p := &pods[i]
		if p.Status.PodIP == "" || p.Spec.HostNetwork || p.Status.Phase == "Succeeded" || p.Status.Phase == "Failed" || strings.Contains(p.Status.PodIP, ":") {
			continue
		}
		s.pods = append(s.pods, p)
	}
	var pp []*policy
	for i := range pls {
		pp = append(pp, &pls[i])
	}
	rs := s.render(pp, node)
	text := strings.Join(rs.chains, "\n") + "\n" + strings.Join(rs.rules, "\n")
	if text == *last {
		if time.Since(*lastHook) > 10*time.Second {
			*lastHook = time.Now()
			return ensureHooks()
		}
		return nil
	}
	if err := apply(rs); err != nil {
		return err
	}
	*last = text
	*lastHook = time.Now()
	log.Printf("synced: %d policies, %d pods, %d chains, %d rules", len(pp), len(s.pods), len(rs.chains), len(rs.rules))
	return nil
}
