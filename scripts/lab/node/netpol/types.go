package main

// The Kubernetes objects lab-netpol reads, decoded from the API server's JSON (field
// names match case-insensitively), and label selector matching.

import "encoding/json"

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
	IPBlock           *ipBlock
}

type ipBlock struct {
	CIDR   string
	Except []string
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
