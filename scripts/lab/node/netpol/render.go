package main

// The pure part of lab-netpol: from Pods, Namespaces and NetworkPolicies to the
// iptables chains and rules of one node (no IO; main.go and iptables.go apply them).

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

const (
	mainChain = "LABNP-FORWARD"
	prefix    = "LABNP-"
	markAllow = "0x20000/0x20000"
	markClear = "0x0/0x20000"
)

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
			plain, named := splitNamed(r.Ports)
			if len(peers) == 0 {
				if ingress || len(named) == 0 {
					for _, pm := range portMatches(r.Ports, target) {
						rs.add("-A %s %s %s -j MARK --set-xmark %s", chain, comment, pm, markAllow)
					}
					continue
				}
				// egress to anywhere with named ports: numeric ones to every destination,
				// named ones to each pod that declares them
				if len(plain) > 0 { // (no entries would mean every port)
					for _, pm := range portMatches(plain, nil) {
						rs.add("-A %s %s %s -j MARK --set-xmark %s", chain, comment, pm, markAllow)
					}
				}
				s.namedPortRules(rs, chain, comment, named, nil)
				continue
			}
			for pi, pr := range peers {
				if pr.IPBlock != nil {
					sub := prefix + "B-" + shortHash(chain, pl.Metadata.Namespace, pl.Metadata.Name, strconv.Itoa(ri), strconv.Itoa(pi))
					rs.chain(sub)
					for _, ex := range pr.IPBlock.Except {
						rs.add("-A %s %s %s -j RETURN", sub, other, ex)
					}
					if ingress || len(named) == 0 {
						for _, pm := range portMatches(r.Ports, target) {
							rs.add("-A %s %s %s %s -j MARK --set-xmark %s", sub, other, pr.IPBlock.CIDR, pm, markAllow)
						}
					} else {
						if len(plain) > 0 {
							for _, pm := range portMatches(plain, nil) {
								rs.add("-A %s %s %s %s -j MARK --set-xmark %s", sub, other, pr.IPBlock.CIDR, pm, markAllow)
							}
						}
						// the excepted ranges have returned already
						s.namedPortRules(rs, sub, "", named, pr.IPBlock)
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

// splitNamed separates the port entries that name a container port from the others.
func splitNamed(ports []npPort) (plain, named []npPort) {
	for _, p := range ports {
		var name string
		if json.Unmarshal(p.Port, &name) == nil {
			if _, err := strconv.Atoi(name); err != nil {
				named = append(named, p)
				continue
			}
		}
		plain = append(plain, p)
	}
	return plain, named
}

// namedPortRules renders named egress ports for destinations that are not selected pods
// (any destination, or an ipBlock): a named port is the destination pod's, so there is
// one rule per pod that declares it (inside the block, if any); an address outside the
// cluster has no named ports.
func (s *state) namedPortRules(rs *ruleset, chain, comment string, named []npPort, block *ipBlock) {
	var inBlock netip.Prefix
	if block != nil {
		p, err := netip.ParsePrefix(block.CIDR)
		if err != nil {
			return
		}
		inBlock = p.Masked()
	}
	for _, pp := range s.pods {
		if block != nil {
			a, err := netip.ParseAddr(pp.Status.PodIP)
			if err != nil || !inBlock.Contains(a) {
				continue
			}
		}
		for _, pm := range portMatches(named, pp) {
			if comment == "" {
				rs.add("-A %s -d %s/32 %s -j MARK --set-xmark %s", chain, pp.Status.PodIP, pm, markAllow)
			} else {
				rs.add("-A %s %s -d %s/32 %s -j MARK --set-xmark %s", chain, comment, pp.Status.PodIP, pm, markAllow)
			}
		}
	}
}

// newState keeps the pods that can be peers or be enforced: with an IPv4 address, not
// hostNetwork, not finished; pods of every node (peers are cluster-wide).
func newState(pods []pod, nss []namespace) *state {
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
	return s
}
