// Command apply applies the plan of one environment to its Dataverse: it
// plans what a directory sync does to the environment's SystemUser
// records, as examples/plan does, makes the Web API request of every
// write, and sends them in $batch requests to the environment's URL. By
// default it is a dry run: it prints the health check and the batches it
// would send, and sends nothing. With no arguments it is a dry run of the
// sample tenant embedded in the program.
//
// Usage:
//
//	go run ./examples/apply                 # a dry run of the embedded sample
//	go run ./examples/apply -batch 3        # the same, in batches of 3 requests
//	go run ./examples/apply -tenant FILE -graph FILE -dataverse FILE -env ID   # a dry run of a real environment
//	DATAVERSE_TOKEN=... go run ./examples/apply -tenant FILE -graph FILE -dataverse FILE -env ID \
//	    -url https://org.crm.dynamics.com -apply -progress ID.progress         # send
//
// It refuses to plan, and sends nothing, when the health check of the
// environment has an error finding (unless -accept), when the plan would
// disable more records than -max-disables (500 by default), and when a
// write cannot be made: a record without its systemuserid, an environment
// without its root business unit (unless -skip-unwritable, which sends
// the others and lists those). It exits non-zero when any request failed.
//
// With -apply it reads the bearer token from the environment variable
// DATAVERSE_TOKEN (never from a flag, which other users of the machine can
// read), checks that the environment's root business unit is at -url,
// then sends the batches one at a time, each with Prefer:
// odata.continue-on-error, and records every request that succeeded in
// the progress file before it sends the next batch. A request throttled
// (429) or failed by the service (a 5xx) is sent again with the next
// requests, after its Retry-After or a growing backoff with jitter, at
// most -attempts times; any other 4xx is a failure, never sent again (404
// for a PATCH: the row is gone, and If-Match: * keeps Dataverse from
// creating it). An interrupt lets the batch in flight finish, then stops.
// A rerun with the same progress file skips what succeeded; a create
// whose answer was lost is looked up by its object ID before it is sent
// again. The README's section "Applying a plan" says more.
package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

//go:embed tenant.json
var sampleTenant []byte

// tokenVariable is the environment variable apply reads the bearer token
// from.
const tokenVariable = "DATAVERSE_TOKEN"

const about = `apply applies the plan of one environment to its Dataverse, in $batch
requests. By default it is a dry run: it prints the health check and the
batches it would send, and sends nothing; -apply sends them to -url, with
the bearer token in the environment variable ` + tokenVariable + `, and records
what succeeded in -progress FILE, which a rerun resumes from. With no flags
it is a dry run of the embedded sample tenant.`

// system is what apply takes from outside its flags: environment
// variables, the HTTP client, the clock, the sleeper and the random source
// of the backoff's jitter, and the context that stops it.
type system struct {
	getenv func(string) string
	client *http.Client
	now    func() time.Time
	// sleep waits for d, or returns the context's error when it is done
	// first.
	sleep func(ctx context.Context, d time.Duration) error
	// jitter returns a random number in [0, n).
	jitter func(n int64) int64
	// ctx stops apply between two batches when it is done.
	ctx context.Context
}

func main() {
	// The first interrupt stops apply once the batch in flight is answered
	// and recorded; a second one kills it.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	sys := system{
		getenv: os.Getenv,
		client: &http.Client{Timeout: 5 * time.Minute},
		now:    time.Now,
		sleep:  sleep,
		jitter: rand.Int64N,
		ctx:    ctx,
	}
	code := cli.Main("apply", os.Args[1:], os.Stdout, os.Stderr, sys.run)
	stop()
	os.Exit(code)
}

// sleep waits for d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// flags are apply's command line.
type flags struct {
	files    cli.Files
	guard    cli.Guard
	trigger  provisioning.Trigger
	env      string
	url      string
	batch    int
	attempts int
	apply    bool
	progress string
	skip     bool
}

func (f *flags) register(fs *flag.FlagSet) {
	f.trigger = provisioning.BackgroundSync
	cli.Enum(fs, "trigger", "what asks for the users", provisioning.Triggers(), func(t provisioning.Trigger) { f.trigger = t })
	fs.StringVar(&f.env, "env", "", "the environment to apply the plan to (required when the tenant has more than one)")
	fs.StringVar(&f.url, "url", "", "the environment's URL, such as https://contoso.crm.dynamics.com (required with -apply)")
	fs.IntVar(&f.batch, "batch", 100, "the most requests in one $batch, 1 to 1000: start small, as Microsoft advises")
	fs.IntVar(&f.attempts, "attempts", 6, "the most times a request is sent while it is throttled (429) or the service fails (5xx)")
	fs.BoolVar(&f.apply, "apply", false, "send the batches (without it, a dry run prints them and sends nothing); the token is read from "+tokenVariable)
	fs.StringVar(&f.progress, "progress", "", "the progress file: what succeeded is appended to it, and a rerun skips it (required with -apply; a dry run reads it when given)")
	fs.BoolVar(&f.skip, "skip-unwritable", false, "send the other writes when some cannot be made (a record without its systemuserid, an environment without its root business unit), listing those; without it apply sends nothing then")
	f.files.Register(fs)
	f.guard.Register(fs)
}

// check refuses a command line that cannot run, before anything is read.
func (f *flags) check(getenv func(string) string) (token string, api string, err error) {
	switch {
	case f.batch < 1 || f.batch > webapi.MaxBatch:
		return "", "", cli.Usage(fmt.Errorf("-batch %d: a $batch holds 1 to %d requests", f.batch, webapi.MaxBatch))
	case f.attempts < 1:
		return "", "", cli.Usage(fmt.Errorf("-attempts %d: a request is sent at least once", f.attempts))
	case f.apply && f.url == "":
		return "", "", cli.Usage(errors.New("-apply needs -url, the environment's URL (https://<org>.crm.dynamics.com)"))
	case f.apply && f.progress == "":
		return "", "", cli.Usage(errors.New("-apply needs -progress FILE, where what succeeded is recorded so that a rerun never sends it again"))
	}
	if f.url != "" {
		if api, err = apiURL(f.url); err != nil {
			return "", "", cli.Usage(err)
		}
	}
	if f.apply {
		token = strings.TrimSpace(getenv(tokenVariable))
		switch {
		case token == "":
			return "", "", fmt.Errorf("-apply needs a bearer token for %s in the environment variable %s (for example from az account get-access-token --resource %s --query accessToken -o tsv); nothing was sent", f.url, tokenVariable, strings.TrimSuffix(f.url, "/"))
		case strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
			return "", "", fmt.Errorf("the environment variable %s holds a space, a control or a non-ASCII character: it is not a bearer token; nothing was sent", tokenVariable)
		}
	}
	return token, api, nil
}

// apiURL returns the Web API root of an environment's URL, which must be
// https and name only a host: the token must never travel in clear.
func apiURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", fmt.Errorf("-url %q: %w", raw, err)
	case u.Scheme != "https":
		return "", fmt.Errorf("-url %q: the URL of an environment is https, so that the token is never sent in clear", raw)
	case u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
		return "", fmt.Errorf("-url %q: give the environment's URL alone, such as https://contoso.crm.dynamics.com", raw)
	}
	return "https://" + u.Host + "/api/data/v9.2/", nil
}

func (sys *system) run(args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	var f flags
	f.register(fs)
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	token, api, err := f.check(sys.getenv)
	if err != nil {
		return err
	}
	s, err := f.files.Load(sampleTenant)
	if err != nil {
		return err
	}
	one, err := environment(s, f.env)
	if err != nil {
		return err
	}
	env := &one.Environments[0]
	found, err := tenant.Diagnose(one)
	if err != nil {
		return err
	}
	opts, err := f.guard.Options(one, errOut, 2)
	if err != nil {
		return err
	}
	w, err := collect(one, f.trigger, opts)
	if err != nil {
		return err
	}
	p := &progress{done: map[progressKey]bool{}, sent: map[progressKey]bool{}}
	if f.progress != "" {
		if p, err = readProgress(f.progress); err != nil {
			return err
		}
	}
	var todo []int
	for i := range w.jobs {
		if !p.Done(w.jobs[i].key) {
			todo = append(todo, i)
			w.jobs[i].uncertain = p.Uncertain(w.jobs[i].key)
		}
	}
	rep := report{flags: &f, env: env.ID, found: found, w: &w, todo: todo, progress: p}
	if err := rep.plan(out); err != nil {
		return err
	}
	if len(w.unwritable) > 0 && !f.skip {
		return fmt.Errorf("%d writes of the plan cannot be made (listed above): nothing was sent; give the records their systemuserid (a Dataverse export carries it) and the environment its rootBusinessUnit, or -skip-unwritable to send the others", len(w.unwritable))
	}
	if !f.apply {
		return rep.dryRun(out)
	}
	if len(todo) == 0 {
		fmt.Fprintln(out, "Nothing to send.")
		return nil
	}
	snd := &sender{sys: sys, api: api, token: token, size: f.batch, attempts: f.attempts, progress: p, errOut: errOut, reqs: w.reqs, jobs: w.jobs}
	fmt.Fprintln(out)
	if env.RootBusinessUnit == "" {
		fmt.Fprintf(out, "Not checked that -url is environment %s: the tenant file gives it no rootBusinessUnit.\n", env.ID)
	} else {
		if err := snd.checkRoot(sys.ctx, env.ID, env.RootBusinessUnit); err != nil {
			return err
		}
		fmt.Fprintf(out, "Checked: business unit %s, the root business unit of environment %s, is the root at -url.\n", env.RootBusinessUnit, env.ID)
	}
	if err := p.open(); err != nil {
		return err
	}
	defer p.close()
	fmt.Fprintf(out, "Sending to %s$batch:\n", api)
	sendErr := snd.send(sys.ctx, todo)
	if err := rep.summary(out, snd); err != nil {
		return err
	}
	switch {
	case sendErr != nil:
		return fmt.Errorf("%w; %d requests succeeded, recorded in %s: rerun the same command to resume", sendErr, snd.stats.succeeded+snd.stats.found, f.progress)
	case len(snd.failures) > 0:
		return fmt.Errorf("%d of %d requests failed (listed above); the %d that succeeded are recorded in %s", len(snd.failures), len(todo), snd.stats.succeeded+snd.stats.found, f.progress)
	}
	return nil
}

// environment returns the snapshot of the one environment of s named id,
// with every user and only that environment's records: its plan is the
// whole tenant's plan for that environment, and the health check and the
// disable threshold apply to it alone. id may be empty when s has one
// environment.
func environment(s *tenant.Snapshot, id string) (*tenant.Snapshot, error) {
	var ids []string
	for _, e := range s.Environments {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	if id == "" {
		if len(ids) != 1 {
			return nil, cli.Usage(fmt.Errorf("the tenant has %d environments: -env names the one to apply the plan to (%s)", len(ids), strings.Join(ids, ", ")))
		}
		id = ids[0]
	}
	for _, e := range s.Environments {
		if e.ID == id {
			return &tenant.Snapshot{
				Tenant: s.Tenant, Groups: s.Groups, Users: s.Users,
				Environments: []provisioning.Environment{e},
				Records:      map[string][]provisioning.Record{id: s.Records[id]},
			}, nil
		}
	}
	return nil, cli.Usage(fmt.Errorf("-env %q: the tenant has no such environment; it has %s", id, strings.Join(ids, ", ")))
}
