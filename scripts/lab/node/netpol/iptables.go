package main

// Applying a ruleset: iptables-restore --noflush, hooks from FORWARD and INPUT, cleanup.

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

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
