package tenant

import (
	"encoding/json"
	"runtime"
	"slices"
	"sync"

	"github.com/provisionrules/provisionrules/provisioning"
)

// Counts holds a number per verb, and the number of pairs refused as
// malformed input, which are counted apart from every verb: an error is
// never a decision.
type Counts struct {
	n      [7]int // by provisioning.Verb; index 0 unused
	errors int
}

// Of returns the count of verb v; zero for an invalid verb.
func (c Counts) Of(v provisioning.Verb) int {
	if !v.IsValid() {
		return 0
	}
	return c.n[v]
}

// Errors returns the number of pairs refused as malformed input.
func (c Counts) Errors() int { return c.errors }

// Total returns the sum of every count, errors included: the number of
// pairs planned.
func (c Counts) Total() int {
	t := c.errors
	for _, x := range c.n {
		t += x
	}
	return t
}

// Equal reports whether c and o hold the same counts; go-cmp uses it.
func (c Counts) Equal(o Counts) bool { return c == o }

// Plus returns the sum of c and o, verb by verb: the totals of a tenant
// planned one environment at a time are the Plus of the plans' totals.
func (c Counts) Plus(o Counts) Counts {
	c.merge(o)
	return c
}

// add counts action a: as an error when it carries one, else by its verb.
func (c *Counts) add(a *provisioning.Action) {
	switch {
	case a.Err != nil:
		c.errors++
	case a.Verb.IsValid():
		c.n[a.Verb]++
	}
}

// merge adds o's counts to c.
func (c *Counts) merge(o Counts) {
	for i, x := range o.n {
		c.n[i] += x
	}
	c.errors += o.errors
}

// MarshalJSON writes the counts as an object keyed by verb, every verb
// present, then "errors": {"create":2,"enable":0,...,"errors":0}.
func (c Counts) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for _, v := range provisioning.Verbs() {
		b = append(b, '"')
		b = append(b, v.String()...)
		b = append(b, `":`...)
		b = append(b, itoa(c.n[v])...)
		b = append(b, ',')
	}
	b = append(b, `"errors":`...)
	b = append(b, itoa(c.errors)...)
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes; an unknown key is an error
// wrapping provisioning.ErrUnknown.
func (c *Counts) UnmarshalJSON(data []byte) error {
	var m map[string]int
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	var out Counts
	for _, name := range sortedKeys(m) {
		if name == "errors" {
			out.errors = m[name]
			continue
		}
		var v provisioning.Verb
		if err := v.UnmarshalText([]byte(name)); err != nil {
			return err
		}
		out.n[v] = m[name]
	}
	*c = out
	return nil
}

// Totals are the counts of a plan: per environment, in the plan's order,
// and in all.
type Totals struct {
	// Environments holds each environment's counts, ordered by ID.
	Environments []EnvironmentTotals `json:"environments"`
	// All is the sum over every environment.
	All Counts `json:"all"`
}

// EnvironmentTotals counts one environment's actions by verb.
type EnvironmentTotals struct {
	// Environment is the environment ID.
	Environment string `json:"environment"`
	// Counts are its actions by verb.
	Counts Counts `json:"counts"`
}

// PlanResult is the plan for a whole tenant: every action, ordered by
// environment ID and then by user key, and its totals.
type PlanResult struct {
	// Trigger is what the plan is for.
	Trigger provisioning.Trigger `json:"trigger"`
	// Actions are the actions in the plan's order.
	Actions []provisioning.Action `json:"actions"`
	// Totals count them.
	Totals Totals `json:"totals"`
}

// Options tunes Plan, Each, WhatIf and NewState. Its zero value is the
// safe default: one worker, at most DefaultMaxDisables records disabled,
// and no error finding accepted.
type Options struct {
	// Workers bounds how many goroutines plan at once; 0 or less means
	// one. Workers split the tenant into runs of users, within an
	// environment as well as across environments, so that one large
	// environment is planned in parallel too. The result does not depend
	// on it.
	Workers int
	// MaxDisables is the most records a plan may disable
	// (CHK-DISABLE-THRESHOLD): 0 means DefaultMaxDisables, and
	// NoDisableLimit turns the check off. A plan over it stops with a
	// *FindingsError wrapping ErrDisableThreshold, before any action is
	// handed out.
	MaxDisables int
	// Accept are the error findings of Diagnose that the caller has read
	// and accepts: a snapshot is planned only when every error finding
	// of its health check is among them. Accepting a finding accepts only
	// that finding: another error, or the same one about another object,
	// still stops the plan.
	Accept []Finding
}

// DefaultMaxDisables is the disable threshold of a plan whose
// Options.MaxDisables is 0: 500, as Microsoft Entra provisioning's
// accidental-deletions prevention does by default.
const DefaultMaxDisables = 500

// NoDisableLimit, as Options.MaxDisables, turns the disable threshold off.
const NoDisableLimit = -1

// maxDisables returns the threshold opts sets, or -1 for none.
func (opts *Options) maxDisables() int {
	switch {
	case opts.MaxDisables == 0:
		return DefaultMaxDisables
	case opts.MaxDisables < 0:
		return -1
	}
	return opts.MaxDisables
}

// Step is one action of a plan as Each visits it, with the inputs it was
// decided from: the environment, the directory user (nil for a record that
// no user matches, LIFE-MATCH) and the record (nil for a user without
// one). The pointers point into the snapshot; the Step itself is reused
// for the next action once the visit returns.
type Step struct {
	// Action is the action.
	Action provisioning.Action
	// Decision is the admission decision the action was decided on (the
	// second result of provisioning.NextAction): a caller counts a plan by
	// refusing rule (Decision.RefusedBy) without deciding again. It is the
	// zero Decision for a record no user matches.
	Decision provisioning.Decision
	// Environment is the environment of the action.
	Environment *provisioning.Environment
	// User is the directory user, or nil.
	User *provisioning.User
	// Record is the user's record before the action, or nil.
	Record *provisioning.Record
}

// Write returns the Dataverse write the step's action implies
// (provisioning.Action.Write), without deciding again.
func (s *Step) Write() (provisioning.Write, error) {
	return s.Action.Write(s.User, s.Environment, s.Record)
}

// Plan reconciles every directory user with its record in every
// environment of s, under trigger t, and every record that no user matches
// (LIFE-MATCH). Its actions are exactly what provisioning.NextAction
// returns for each pair, in a stable order that does not depend on the
// order of the snapshot's users, environments or records, nor on
// opts.Workers: by environment ID, then by user key, a record no user
// matches taking its place by its key.
//
// Nothing is planned, and the PlanResult is empty, when s fails Check (its
// error), when t is not a trigger, when the health check (Diagnose) has
// an error finding that opts.Accept does not hold (a *FindingsError
// wrapping ErrUnhealthy), and when the plan would disable more records
// than opts allows (CHK-DISABLE-THRESHOLD: a *FindingsError wrapping
// ErrDisableThreshold, with the count per environment and the rules
// behind them).
//
// A pair of malformed input (a user, environment or record that its
// Validate refuses, or a record that does not fit its user) gets an
// action with Err set that changes nothing, and is counted apart from
// every verb (Counts.Errors): an error is never a decision. Plan then
// returns the whole PlanResult, for the report, with a *MalformedError giving
// the count and the first few, each naming the element and the field.
// Apply none of a PlanResult that comes with an error.
func Plan(s *Snapshot, t provisioning.Trigger, opts Options) (PlanResult, error) {
	x, err := s.prepare(t, opts, false)
	if err != nil {
		return PlanResult{}, err
	}
	b := PlanResult{Trigger: t, Actions: make([]provisioning.Action, 0, x.size())}
	var disables tally
	var bad malformed
	b.Totals, err = x.each(t, opts, &bad, func(st *Step) error {
		b.Actions = append(b.Actions, st.Action)
		disables.add(&st.Action)
		return nil
	})
	if err == nil {
		err = disables.check(opts)
	}
	if err != nil {
		return PlanResult{}, err
	}
	return b, bad.err()
}

// Each is Plan for a caller that handles each action as it is produced,
// in the plan's order, and never holds the whole plan: visit is called
// once per action, from one goroutine at a time, while opts.Workers
// goroutines decide the actions ahead of it. An error from visit stops the
// plan and is returned. Each returns the plan's totals.
//
// Each refuses what Plan refuses, and malformed input too (a
// *MalformedError), before the first visit: it validates every element,
// and to know whether the plan stays within its disable threshold it
// decides every pair that has a record (only a record can be disabled)
// before it plans.
//
// The plan of an environment depends only on the users and that
// environment's records, so a tenant whose records are too many to hold
// at once can be planned one environment at a time, in ID order, each
// with all the users and only its own records: the actions are the whole
// plan's, in its order, and the totals add up with Counts.Plus. The
// health check and the disable threshold then apply to each call.
func Each(s *Snapshot, t provisioning.Trigger, opts Options, visit func(*Step) error) (Totals, error) {
	x, err := s.prepare(t, opts, true)
	if err != nil {
		return Totals{}, err
	}
	if err := x.recordsPass(t, opts); err != nil {
		return Totals{}, err
	}
	var bad malformed
	tot, err := x.each(t, opts, &bad, visit)
	if err == nil {
		err = bad.err() // after the passes above, a pair malformed only in combination
	}
	return tot, err
}

// prepare checks s and t for a plan under opts: the structure (Check),
// when validate is set every element (a *MalformedError), and the health
// check (a *FindingsError of the error findings opts does not accept). It
// returns s indexed.
func (s *Snapshot) prepare(t provisioning.Trigger, opts Options, validate bool) (*index, error) {
	if !t.IsValid() {
		return nil, &provisioning.FieldError{Input: "trigger", Field: "Trigger", Value: t.String(), Err: provisioning.ErrUnknown}
	}
	x, err := s.indexWith(opts.Workers)
	if err != nil {
		return nil, err
	}
	if validate {
		if err := x.validate(); err != nil {
			return nil, err
		}
	}
	if bad := unaccepted(x.diagnose(s), opts.Accept); len(bad) > 0 {
		return nil, &FindingsError{Err: ErrUnhealthy, Findings: bad}
	}
	return x, nil
}

// recordsPass decides, before a plan hands anything out, every pair of
// x that has a record: it returns a *MalformedError for the pairs refused
// as malformed (a record that does not fit its user) and the threshold's
// *FindingsError for too many disables.
func (x *index) recordsPass(t provisioning.Trigger, opts Options) error {
	// Runs of chunkUsers records, so that the workers share even one
	// environment; merged in order, they count and list as one pass would.
	type run struct{ k, lo, hi int }
	var runs []run
	for k := range x.envs {
		for lo := 0; lo < len(x.records[k]); lo += chunkUsers {
			runs = append(runs, run{k, lo, min(lo+chunkUsers, len(x.records[k]))})
		}
	}
	tallies := make([]tally, len(runs))
	errs := make([]malformed, len(runs))
	parallel(len(runs), opts.Workers, func(i int) {
		r := runs[i]
		x.recordPairs(r.k, r.lo, r.hi, func(u *userEntry, e *recordEntry) {
			a, _ := x.action(r.k, u, e, t)
			errs[i].add(a.Err)
			tallies[i].add(&a)
		})
	})
	var all tally
	var bad malformed
	for i := range runs {
		all.merge(&tallies[i])
		bad.merge(&errs[i])
	}
	if err := bad.err(); err != nil {
		return err
	}
	return all.check(opts)
}

// size is the number of actions of a plan of x, at most: every user in
// every environment, and every record.
func (x *index) size() int {
	n := len(x.users) * len(x.envs)
	for _, r := range x.records {
		n += len(r)
	}
	return n
}

// chunkUsers is how many users one task plans: large enough that handing
// tasks out costs little, small enough that two workers share even a
// small environment and a task's steps fit in a cache.
var chunkUsers = 4096

// task is a run of users of one environment, with the records whose keys
// fall among theirs.
type task struct {
	env     int
	users   []userEntry
	records []recordEntry
	steps   []Step
	counts  Counts
	done    chan struct{} // closed when a worker has run the task
}

// tasks splits x into runs of chunkUsers users per environment. A run's
// records are those whose keys are at least its first user's object ID and
// below the next run's, so that each run pairs users and records exactly
// as one pass over the whole environment would; the first run also takes
// the records before every user, the last those after.
func (x *index) tasks() []*task {
	var out []*task
	for k := range x.envs {
		recs := x.records[k]
		start := 0 // first record of the current run
		for lo := 0; lo < len(x.users) || lo == 0; lo += chunkUsers {
			hi := min(lo+chunkUsers, len(x.users))
			end := len(recs)
			if hi < len(x.users) {
				bound := x.users[hi].id
				end, _ = slices.BinarySearchFunc(recs, bound, func(e recordEntry, b sortKey) int { return e.key.compare(b) })
			}
			out = append(out, &task{env: k, users: x.users[lo:hi], records: recs[start:end]})
			start = end
			if hi == len(x.users) {
				break
			}
		}
	}
	return out
}

// run decides task tk: the users and records side by side, in key order.
// A record whose key is a user's object ID is that user's when it belongs
// to it (provisioning.Match); every other record has no directory user,
// and is planned in its place in key order (after a user of the same key).
func (x *index) run(tk *task, t provisioning.Trigger, buffers *sync.Pool) {
	env := x.envs[tk.env]
	if p, ok := buffers.Get().(*[]Step); ok {
		tk.steps = (*p)[:0]
	} else {
		tk.steps = make([]Step, 0, len(tk.users)+len(tk.records))
	}
	recs, j := tk.records, 0
	emit := func(u *userEntry, r *recordEntry) {
		a, d := x.action(tk.env, u, r, t)
		st := Step{Action: a, Decision: d, Environment: env}
		if u != nil {
			st.User = u.u
		}
		if r != nil {
			st.Record = r.r
		}
		tk.steps = append(tk.steps, st)
		tk.counts.add(&a)
	}
	for i := range tk.users {
		e := &tk.users[i]
		for j < len(recs) && recs[j].key.compare(e.id) < 0 {
			emit(nil, &recs[j])
			j++
		}
		var rec *recordEntry
		if j < len(recs) && recs[j].key.s == e.id.s && provisioning.Match(e.u, recs[j].r) {
			rec = &recs[j]
			j++
		}
		emit(e, rec)
	}
	for ; j < len(recs); j++ {
		emit(nil, &recs[j])
	}
}

// action decides the pair of user u and record r (either nil) in the
// environment at position k (decidePair).
func (x *index) action(k int, u *userEntry, r *recordEntry, t provisioning.Trigger) (provisioning.Action, provisioning.Decision) {
	var cu provisioning.CheckedUser
	var cr provisioning.CheckedRecord
	var user *provisioning.User
	var rec *provisioning.Record
	if u != nil {
		cu, user = u.c, u.u
	}
	if r != nil {
		cr, rec = r.c, r.r
	}
	return decidePair(x.checked[k], x.envs[k], cu, user, cr, rec, t)
}

// decidePair decides user u and record rec (either nil) in env, with the
// proofs of their checks (ce, cu, cr; zero for a value that failed its
// check): on the checked path when every value given passed, and
// otherwise on the unchecked one, which refuses the malformed input
// exactly as provisioning.NextAction does. Plan, Each and PlanChanges all
// decide here.
func decidePair(ce provisioning.CheckedEnvironment, env *provisioning.Environment, cu provisioning.CheckedUser, u *provisioning.User, cr provisioning.CheckedRecord, rec *provisioning.Record, t provisioning.Trigger) (provisioning.Action, provisioning.Decision) {
	if ce.Environment() != nil && (u == nil || cu.User() != nil) && (rec == nil || cr.Record() != nil) {
		return ce.NextAction(cu, cr, t)
	}
	return provisioning.NextAction(u, env, rec, t)
}

// each plans x with opts.Workers goroutines and visits the steps in order.
// At most twice as many tasks as workers are decided ahead of the visits,
// so that memory stays bounded by a few tasks whatever the tenant's size.
// A step refused as malformed is visited too, and kept in bad.
func (x *index) each(t provisioning.Trigger, opts Options, bad *malformed, visit func(*Step) error) (Totals, error) {
	tasks := x.tasks()
	tot := Totals{Environments: make([]EnvironmentTotals, len(x.envs))}
	for k, env := range x.envs {
		tot.Environments[k].Environment = env.ID
	}
	workers := max(1, min(opts.Workers, len(tasks), runtime.GOMAXPROCS(0)*4))

	// The steps of a task are written into a buffer that goes back to the
	// pool once visited: at most ahead+1 buffers are in use at a time.
	var buffers sync.Pool
	var wg sync.WaitGroup
	queue := make(chan *task)
	stop := make(chan struct{})
	if workers > 1 {
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for tk := range queue {
					x.run(tk, t, &buffers)
					close(tk.done)
				}
			}()
		}
	}
	// The feeder hands out tasks in order, at most ahead tasks beyond the
	// one being visited.
	ahead := 2 * workers
	slots := make(chan struct{}, ahead)
	if workers > 1 {
		for _, tk := range tasks {
			tk.done = make(chan struct{})
		}
		go func() {
			defer close(queue)
			for _, tk := range tasks {
				select {
				case slots <- struct{}{}:
				case <-stop:
					return
				}
				select {
				case queue <- tk:
				case <-stop:
					return
				}
			}
		}()
	}
	finish := func(err error) (Totals, error) {
		close(stop)
		wg.Wait()
		return tot, err
	}
	for _, tk := range tasks {
		if workers > 1 {
			<-tk.done
		} else {
			x.run(tk, t, &buffers)
		}
		for i := range tk.steps {
			st := &tk.steps[i]
			bad.add(st.Action.Err)
			if err := visit(st); err != nil {
				return finish(err)
			}
		}
		tot.Environments[tk.env].Counts.merge(tk.counts)
		tot.All.merge(tk.counts)
		// The pool lives only as long as this call, so the buffer needs no
		// clearing: what it points to is the snapshot's, alive till then.
		steps := tk.steps
		buffers.Put(&steps)
		tk.steps = nil
		if workers > 1 {
			<-slots
		}
	}
	return finish(nil)
}
