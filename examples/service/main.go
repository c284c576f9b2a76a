// Command service is a small HTTP service that speaks the model's JSON:
// it evaluates a user in an environment, reconciles a user's record, and
// plans a whole tenant, reading every request strictly (the model's
// UnmarshalJSON) and answering in the model's JSON. With no arguments it
// demonstrates itself: it starts on a free localhost port, sends its own
// sample requests, prints the answers and shuts down.
//
// Usage:
//
//	go run ./examples/service                    # the self-demonstration
//	go run ./examples/service -listen :8080      # serve until interrupted
//	curl -d '{"user":{...},"environment":{...}}' localhost:8080/evaluate
//
// The endpoints (see newHandler):
//
//	POST /evaluate   {"user", "environment", "record"?}          -> the decision
//	POST /reconcile  {"user"?, "environment", "record"?, "trigger"} -> the reconciliation
//	POST /plan       {"snapshot", "trigger", "maxDisables"?, "accept"?} -> the batch, or the findings
//
// A request that is not read is answered 400 with the error's JSON: its
// text, and each field refused with its JSON path in the request, such as
// "user.licenses[0].plan". A body is read up to -max-body bytes (413
// beyond). An interrupt (SIGINT or SIGTERM) stops the server gracefully:
// it takes no new connection, and answers the requests in flight, for up
// to 10 seconds.
package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
)

//go:embed samples.json
var samples []byte

// sample is a request of the self-demonstration: what it shows, and the
// request.
type sample struct {
	About  string          `json:"about"`
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Body   json.RawMessage `json:"body,omitempty"`
}

const about = `service is a small HTTP service that speaks the model's JSON:
POST /evaluate, /reconcile and /plan, read strictly, answered in the
model's JSON (400 with the error's JSON for a request that is not read).
With no flags it demonstrates itself on a free localhost port: it sends
its own sample requests, prints the answers and shuts down.`

// shutdownGrace is how long a shutdown waits for the requests in flight.
const shutdownGrace = 10 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main("service", os.Args[1:], os.Stdout, os.Stderr, func(args []string, out, errOut io.Writer) error {
		return run(ctx, args, out, errOut)
	})
	stop()
	os.Exit(code)
}

// run serves on -listen until ctx is done, or, without -listen, runs the
// self-demonstration.
func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("service", flag.ContinueOnError)
	listen := fs.String("listen", "", "serve on this address (such as :8080 or 127.0.0.1:8080) until interrupted; without it, demonstrate the service and exit")
	maxBody := fs.Int64("max-body", 16<<20, "the most bytes a request's body may have")
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	if *maxBody <= 0 {
		return cli.Usage(fmt.Errorf("-max-body %d: want a positive number of bytes", *maxBody))
	}
	h := newHandler(*maxBody)
	if *listen == "" {
		return demonstrate(ctx, h, out)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(errOut, "service: listening on %s; interrupt to stop\n", ln.Addr())
	return serve(ctx, ln, h)
}

// serve serves h on ln until ctx is done, then shuts down gracefully: no
// new connection, and the requests in flight answered within
// shutdownGrace.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	grace, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// demonstrate starts h on a free localhost port, sends it the sample
// requests, prints each with its answer to out, and shuts it down.
func demonstrate(ctx context.Context, h http.Handler, out io.Writer) error {
	var requests []sample
	if err := json.Unmarshal(samples, &requests); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, h) }()
	fmt.Fprintln(out, "service: listening on a free localhost port (a demonstration: -listen ADDR serves until interrupted)")
	client := &http.Client{Timeout: 30 * time.Second}
	base := "http://" + ln.Addr().String()
	var failed error
	for _, s := range requests {
		if failed = send(client, base, s, out); failed != nil {
			break
		}
	}
	stop()
	if err := <-served; err != nil {
		return err
	}
	fmt.Fprintln(out, "\nservice: shut down")
	return failed
}

// send sends request s to the server at base, and prints it and its
// answer.
func send(client *http.Client, base string, s sample, out io.Writer) error {
	req, err := http.NewRequest(s.Method, base+s.Path, bytes.NewReader(s.Body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s %s: %s\n%s\n", s.Method, s.Path, s.About, resp.Status)
	var b bytes.Buffer
	if err := layout(&b, answer, ""); err != nil {
		return fmt.Errorf("%s %s answered what is not JSON: %q", s.Method, s.Path, answer)
	}
	b.WriteByte('\n')
	_, err = out.Write(b.Bytes())
	return err
}

// layout writes the JSON value v to b for people: an object longer than
// a line has a line for each member, under indent; a list of objects or
// lists has a line for each element, compact; anything else is compact.
// A decision's checks and a plan's actions take one line each.
func layout(b *bytes.Buffer, v json.RawMessage, indent string) error {
	var compact bytes.Buffer
	if err := json.Compact(&compact, v); err != nil {
		return err
	}
	v = compact.Bytes()
	switch {
	case len(v) < 2 || string(v) == "{}" || string(v) == "[]":
	case v[0] == '{' && len(indent)+len(v) > 100:
		return lines(b, v, indent, true)
	case v[0] == '[' && (v[1] == '{' || v[1] == '['):
		return lines(b, v, indent, false)
	}
	b.Write(v)
	return nil
}

// lines writes v, a compact JSON object (members) or list, with a line
// for each member or element under indent.
func lines(b *bytes.Buffer, v []byte, indent string, members bool) error {
	dec := json.NewDecoder(bytes.NewReader(v))
	if _, err := dec.Token(); err != nil { // { or [
		return err
	}
	b.WriteByte(v[0])
	for n := 0; dec.More(); n++ {
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString("\n" + indent + "  ")
		if members {
			key, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := json.Marshal(key)
			b.Write(append(k, ':', ' '))
		}
		var elem json.RawMessage
		if err := dec.Decode(&elem); err != nil {
			return err
		}
		if !members {
			b.Write(elem) // compact already
			continue
		}
		if err := layout(b, elem, indent+"  "); err != nil {
			return err
		}
	}
	b.WriteString("\n" + indent)
	b.WriteByte(v[len(v)-1])
	return nil
}
