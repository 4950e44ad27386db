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
// ipBlock (with except); ports are numeric or named, with endPort, TCP/UDP/SCTP; a
// named port is the destination pod's (the isolated pod's for ingress, each destination
// pod's for egress, none for addresses outside the cluster). Peers are pods of every
// node; each instance (--node-name) enforces the pods of its own node, so a connection
// between nodes meets the source's egress chain on one and the destination's ingress
// chain on the other. Only new connections are checked (replies pass). Traffic from the
// node itself to its pods is not in FORWARD, so kubelet probes always work (as with
// most CNIs). The pure rendering is render.go (unit tests: render_test.go, and
// corpus_test.go, which runs test/fixtures/policy-corpus.json through the rendered rules).
package main

import (
	"flag"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

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
	s := newState(pods, nss)
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
