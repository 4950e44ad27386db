package main

// The API server client: client-certificate TLS, GET of a list.

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

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
