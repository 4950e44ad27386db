// Command http-echo is a small stand-in for hashicorp/http-echo, written for the lab:
// it answers every HTTP request with -text (plus a newline) and -status-code, listening
// on -listen (default ":5678"; "127.0.0.1:PORT" binds loopback only). Flags may be
// given as -flag=value or -flag value, with one or two dashes, like the original.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	text := flag.String("text", "", "text to put in the response body")
	listen := flag.String("listen", ":5678", "address and port to listen on")
	status := flag.Int("status-code", 200, "HTTP status code to answer with")
	version := flag.Bool("version", false, "print the version and exit")
	flag.Parse()
	if *version {
		fmt.Println("http-echo netdiag-lab")
		return
	}
	if *text == "" {
		fmt.Fprintln(os.Stderr, "error: missing -text")
		os.Exit(127)
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		*listen = ":" + *listen
	}
	body := *text + "\n"
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"status":"ok"}`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-App-Name", "http-echo")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(*status)
		fmt.Fprint(w, body)
		log.Printf("%s %s %s %d", r.RemoteAddr, r.Method, r.URL.Path, *status)
	})
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("[ERR] listen %s: %v", *listen, err)
	}
	log.Printf("[INFO] server is listening on %s", *listen)
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
		<-sigs
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatalf("[ERR] serve: %v", err)
	}
}
