package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
)

// report prints what apply plans to send and what it sent.
type report struct {
	flags    *flags
	env      string
	found    []tenant.Finding
	w        *writes
	todo     []int // the requests not done by an earlier run
	progress *progress
}

// writeVerbs are the verbs that write, in the plan's order of verbs.
var writeVerbs = []provisioning.Verb{provisioning.Create, provisioning.Enable, provisioning.Disable, provisioning.Update}

// plan prints the environment and trigger, the health check's counts, the
// plan's writes, what the progress file holds, the writes that cannot be
// made, and the batches that would be sent.
func (r *report) plan(out io.Writer) error {
	fmt.Fprintf(out, "Environment %s, %s plan.\n", r.env, r.flags.trigger)
	errs := 0
	for _, f := range r.found {
		if f.Severity == tenant.SeverityError {
			errs++
		}
	}
	switch {
	case len(r.found) == 0:
		fmt.Fprintln(out, "Health check: nothing found.")
	case errs > 0:
		fmt.Fprintf(out, "Health check: %s (accepted with -accept), %s, listed on standard error.\n", cli.Count(errs, "error"), cli.Count(len(r.found)-errs, "warning"))
	default:
		fmt.Fprintf(out, "Health check: %s, listed on standard error.\n", cli.Count(len(r.found), "warning"))
	}
	all := r.w.totals.All
	var writes []string
	for _, v := range writeVerbs {
		writes = append(writes, fmt.Sprintf("%d %s", all.Of(v), v))
	}
	fmt.Fprintf(out, "Plan: %s (%d requests); nothing to write: %d %s, %d %s.\n",
		strings.Join(writes, ", "), len(r.w.reqs), all.Of(provisioning.Leave), provisioning.Leave, all.Of(provisioning.NotAdded), provisioning.NotAdded)
	if r.flags.progress != "" {
		uncertain := 0
		for _, i := range r.todo {
			if r.w.jobs[i].uncertain {
				uncertain++
			}
		}
		if done := len(r.w.reqs) - len(r.todo); done > 0 {
			fmt.Fprintf(out, "Progress file %s: %d of these requests done by an earlier run, skipped", r.flags.progress, done)
		} else {
			fmt.Fprintf(out, "Progress file %s: none of these requests done yet", r.flags.progress)
		}
		if uncertain > 0 {
			fmt.Fprintf(out, "; %d creates sent without an answer, looked up by object ID before they are sent again", uncertain)
		}
		if r.progress.torn > 0 {
			fmt.Fprintf(out, "; a torn last line (%d bytes, a crash while writing it) ignored", r.progress.torn)
		}
		fmt.Fprintln(out, ".")
	}
	if len(r.w.unwritable) > 0 {
		what := "nothing is sent unless -skip-unwritable"
		if r.flags.skip {
			what = "skipped (-skip-unwritable)"
		}
		fmt.Fprintf(out, "\n%d writes cannot be made, %s:\n", len(r.w.unwritable), what)
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "USER\tVERB\tWHY")
		for _, u := range r.w.unwritable {
			fmt.Fprintf(tw, "%s\t%s\t%v\n", u.user, u.verb, u.err)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if len(r.todo) == 0 {
		return nil
	}
	batches, err := webapi.Batches(r.w.reqs, r.todo, webapi.BatchOptions{Boundary: boundary, Size: r.flags.batch, ContinueOnError: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%d $batch requests of at most %d requests each, with Prefer: odata.continue-on-error:\n", len(batches), r.flags.batch)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "BATCH\tREQUESTS\t")
	for _, v := range writeVerbs {
		fmt.Fprintf(tw, "%s\t", strings.ToUpper(v.String()))
	}
	fmt.Fprintln(tw, "BYTES\t")
	var total [4]int
	requests, size := 0, 0
	for k, b := range batches {
		var n [4]int
		for _, i := range b.Requests {
			n[slices.Index(writeVerbs, r.w.jobs[i].verb)]++
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", k+1, len(b.Requests), n[0], n[1], n[2], n[3], len(b.Body))
		for v := range n {
			total[v] += n[v]
		}
		requests += len(b.Requests)
		size += len(b.Body)
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\t%d\t\n", requests, total[0], total[1], total[2], total[3], size)
	return tw.Flush()
}

// dryRun says that nothing was sent, and what -apply would do.
func (r *report) dryRun(out io.Writer) error {
	to := "-url"
	if r.flags.url != "" {
		to = r.flags.url
	}
	_, err := fmt.Fprintf(out, "\nDry run: nothing was sent. -apply sends the requests to %s, with the bearer token in %s, and records each that succeeds in -progress FILE.\n", to, tokenVariable)
	return err
}

// summary prints what a run sent, and every request that failed, grouped
// by status and Dataverse error code, then one by one.
func (r *report) summary(out io.Writer, s *sender) error {
	fmt.Fprintf(out, "Sent %d $batch requests: %d of %d requests succeeded", s.stats.batches, s.stats.succeeded+s.stats.found, len(r.todo))
	if s.stats.found > 0 {
		fmt.Fprintf(out, " (%d creates found applied by an earlier attempt)", s.stats.found)
	}
	fmt.Fprintf(out, ", %d failed, %d sent again after a 429, a 5xx or no answer", len(s.failures), s.stats.retries)
	if s.stats.lookups > 0 {
		fmt.Fprintf(out, "; %d creates looked up by object ID", s.stats.lookups)
	}
	fmt.Fprintln(out, ".")
	if len(s.failures) == 0 {
		return nil
	}
	type group struct {
		status int
		code   string
		n      int
	}
	var groups []group
	for _, f := range s.failures {
		k := slices.IndexFunc(groups, func(g group) bool { return g.status == f.result.Status && g.code == f.result.Code })
		if k < 0 {
			groups = append(groups, group{status: f.result.Status, code: f.result.Code})
			k = len(groups) - 1
		}
		groups[k].n++
	}
	slices.SortFunc(groups, func(a, b group) int {
		return cmp.Or(cmp.Compare(b.n, a.n), cmp.Compare(a.status, b.status), cmp.Compare(a.code, b.code))
	})
	fmt.Fprintln(out, "\nFailures by status and Dataverse error code:")
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tCODE\tREQUESTS")
	for _, g := range groups {
		code := g.code
		if code == "" {
			code = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\n", describe(webapi.Response{Status: g.status}), code, g.n)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nFailed requests:")
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "USER\tVERB\tREQUEST\tANSWER")
	for _, f := range s.failures {
		j, req := &s.jobs[f.index], &s.reqs[f.index]
		answer := describe(f.result)
		if f.why != "" {
			answer += "; " + f.why
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\n", j.key.User, j.verb, req.Method, req.Path, answer)
	}
	return tw.Flush()
}
