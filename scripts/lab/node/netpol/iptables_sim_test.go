package main

// A small interpreter of the iptables subset lab-netpol emits, so tests can judge a
// rendered ruleset by running packets through it instead of comparing text: the filter
// table's user chains with -s/-d, -p, -m tcp|udp|sctp --dport N[:M], -m comment,
// -m conntrack --ctstate, -m mark --mark, and -j MARK --set-xmark / RETURN / DROP /
// ACCEPT / <chain>. Anything else in a rule is an error: a rule the interpreter cannot
// read is a rule the test cannot vouch for.

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

type simPacket struct {
	src, dst netip.Addr
	proto    string // tcp, udp, sctp
	dport    int
	state    string // NEW, ESTABLISHED, RELATED
	mark     uint32
}

type simRule struct {
	text             string
	src, dst         *netip.Prefix
	proto            string
	dportLo, dportHi int // 0: any port
	ctstates         []string
	hasMark          bool
	markVal, markMsk uint32
	target           string
	setVal, setMsk   uint32
}

type simTable struct {
	chains map[string][]simRule
}

type simVerdict int

const (
	simReturn simVerdict = iota // fell off the chain or RETURN
	simDrop
	simAccept
)

// splitArgs splits a rule like a shell would for iptables-restore: on spaces, with
// double-quoted words.
func splitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord, quoted := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
			inWord = true
		case r == ' ' && !quoted:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("unterminated quote in %q", s)
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

func parseMask(s string) (uint32, uint32, error) {
	v, m, ok := strings.Cut(s, "/")
	if !ok {
		m = "0xffffffff"
	}
	val, err := strconv.ParseUint(v, 0, 32)
	if err != nil {
		return 0, 0, err
	}
	msk, err := strconv.ParseUint(m, 0, 32)
	if err != nil {
		return 0, 0, err
	}
	return uint32(val), uint32(msk), nil
}

func parseAddr(s string) (*netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		s += "/32"
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return nil, err
	}
	if !p.Addr().Is4() {
		return nil, fmt.Errorf("%s is not IPv4", s)
	}
	p = p.Masked()
	return &p, nil
}

func parsePorts(s string) (int, int, error) {
	lo, hi, rng := strings.Cut(s, ":")
	l, err := strconv.Atoi(lo)
	if err != nil {
		return 0, 0, err
	}
	h := l
	if rng {
		if h, err = strconv.Atoi(hi); err != nil {
			return 0, 0, err
		}
	}
	if l < 1 || h > 65535 || h < l {
		return 0, 0, fmt.Errorf("bad port range %s", s)
	}
	return l, h, nil
}

// loadRuleset checks a ruleset as iptables-restore would (declared, unique, short chain
// names; rules only in declared chains; jumps only to declared chains) and parses it.
func loadRuleset(rs *ruleset) (*simTable, error) {
	tb := &simTable{chains: map[string][]simRule{}}
	for _, c := range rs.chains {
		if _, dup := tb.chains[c]; dup {
			return nil, fmt.Errorf("chain %s declared twice", c)
		}
		if len(c) > 28 {
			return nil, fmt.Errorf("chain name %s is longer than 28 characters", c)
		}
		tb.chains[c] = nil
	}
	for _, text := range rs.rules {
		r, chain, err := parseRule(text)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", text, err)
		}
		if _, ok := tb.chains[chain]; !ok {
			return nil, fmt.Errorf("%q: chain %s is not declared", text, chain)
		}
		tb.chains[chain] = append(tb.chains[chain], r)
	}
	for _, rules := range tb.chains {
		for _, r := range rules {
			switch r.target {
			case "RETURN", "DROP", "ACCEPT", "MARK":
			default:
				if _, ok := tb.chains[r.target]; !ok {
					return nil, fmt.Errorf("%q jumps to undeclared chain %s", r.text, r.target)
				}
			}
		}
	}
	return tb, nil
}

func parseRule(text string) (simRule, string, error) {
	r := simRule{text: text}
	a, err := splitArgs(text)
	if err != nil {
		return r, "", err
	}
	if len(a) < 2 || a[0] != "-A" {
		return r, "", fmt.Errorf("not an -A rule")
	}
	chain := a[1]
	modules := map[string]bool{}
	next := func(i *int) (string, error) {
		*i++
		if *i >= len(a) {
			return "", fmt.Errorf("%s needs a value", a[*i-1])
		}
		return a[*i], nil
	}
	for i := 2; i < len(a); i++ {
		opt := a[i]
		v, err := next(&i)
		if err != nil {
			return r, "", err
		}
		switch opt {
		case "-s", "-d":
			p, err := parseAddr(v)
			if err != nil {
				return r, "", err
			}
			if opt == "-s" {
				r.src = p
			} else {
				r.dst = p
			}
		case "-p":
			if v != "tcp" && v != "udp" && v != "sctp" {
				return r, "", fmt.Errorf("protocol %s", v)
			}
			r.proto = v
		case "-m":
			switch v {
			case "tcp", "udp", "sctp":
				if v != r.proto {
					return r, "", fmt.Errorf("-m %s without -p %s", v, v)
				}
			case "comment", "conntrack", "mark":
			default:
				return r, "", fmt.Errorf("match module %s", v)
			}
			modules[v] = true
		case "--dport":
			if r.proto == "" || !modules[r.proto] {
				return r, "", fmt.Errorf("--dport without -p X -m X")
			}
			if r.dportLo, r.dportHi, err = parsePorts(v); err != nil {
				return r, "", err
			}
		case "--comment":
			if !modules["comment"] {
				return r, "", fmt.Errorf("--comment without -m comment")
			}
		case "--ctstate":
			if !modules["conntrack"] {
				return r, "", fmt.Errorf("--ctstate without -m conntrack")
			}
			r.ctstates = strings.Split(v, ",")
		case "--mark":
			if !modules["mark"] {
				return r, "", fmt.Errorf("--mark without -m mark")
			}
			r.hasMark = true
			if r.markVal, r.markMsk, err = parseMask(v); err != nil {
				return r, "", err
			}
		case "-j":
			r.target = v
			if v == "MARK" {
				if i+2 >= len(a) || a[i+1] != "--set-xmark" {
					return r, "", fmt.Errorf("-j MARK without --set-xmark")
				}
				if r.setVal, r.setMsk, err = parseMask(a[i+2]); err != nil {
					return r, "", err
				}
				i += 2
			}
			if i != len(a)-1 {
				return r, "", fmt.Errorf("options after the target")
			}
		default:
			return r, "", fmt.Errorf("option %s is outside the interpreted subset", opt)
		}
	}
	if r.target == "" {
		return r, "", fmt.Errorf("no target")
	}
	return r, chain, nil
}

func (r *simRule) matches(p *simPacket) bool {
	if r.src != nil && !r.src.Contains(p.src) {
		return false
	}
	if r.dst != nil && !r.dst.Contains(p.dst) {
		return false
	}
	if r.proto != "" && r.proto != p.proto {
		return false
	}
	if r.dportLo != 0 && (p.dport < r.dportLo || p.dport > r.dportHi) {
		return false
	}
	if r.ctstates != nil {
		in := false
		for _, s := range r.ctstates {
			in = in || s == p.state
		}
		if !in {
			return false
		}
	}
	if r.hasMark && p.mark&r.markMsk != r.markVal {
		return false
	}
	return true
}

func (tb *simTable) run(chain string, p *simPacket, depth int) (simVerdict, error) {
	if depth > 16 {
		return simDrop, fmt.Errorf("chain loop at %s", chain)
	}
	for _, r := range tb.chains[chain] {
		if !r.matches(p) {
			continue
		}
		switch r.target {
		case "MARK":
			p.mark = (p.mark &^ r.setMsk) ^ r.setVal
		case "RETURN":
			return simReturn, nil
		case "DROP":
			return simDrop, nil
		case "ACCEPT":
			return simAccept, nil
		default:
			v, err := tb.run(r.target, p, depth+1)
			if err != nil || v != simReturn {
				return v, err
			}
		}
	}
	return simReturn, nil
}

// forward runs a packet through a node's FORWARD chain as lab-netpol hooks it:
// `-j LABNP-FORWARD` first; what it returns goes on to the rest of FORWARD
// (kube-proxy's and the lab's own chains, which pass pod-to-pod traffic).
func (tb *simTable) forward(p simPacket) (bool, error) {
	v, err := tb.run(mainChain, &p, 0)
	return v != simDrop, err
}
