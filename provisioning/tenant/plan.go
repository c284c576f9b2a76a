package tenant

import (
	"encoding/json"
	"runtime"
	"slices"
	"sync"

	"github.com/provisionrules/provisionrules/provisioning"
)

// Counts holds a number per verb.
type Counts struct {
	n [7]int // by provisioning.Verb; index 0 unused
}

// Of returns the count of verb v; zero for an invalid verb.
func (c Counts) Of(v provisioning.Verb) int {
	if !v.IsValid() {
		return 0
	}
	return c.n[v]
}

// Total returns the sum of every count.
func (c Counts) Total() int {
	t := 0
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

// add counts one action of verb v.
func (c *Counts) add(v provisioning.Verb) {
	if v.IsValid() {
		c.n[v]++
	}
}

// merge adds o's counts to c.
func (c *Counts) merge(o Counts) {
	for i, x := range o.n {
		c.n[i] += x
	}
}

// MarshalJSON writes the counts as an object keyed by verb, every verb
// present: {"create":2,"enable":0,...}.
func (c Counts) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, v := range provisioning.Verbs() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, v.String()...)
		b = append(b, `":`...)
		b = append(b, itoa(c.n[v])...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads what MarshalJSON writes; an unknown verb is an error
// wrapping provisioning.ErrUnknown.
func (c *Counts) UnmarshalJSON(data []byte) error {
	var m map[string]int
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	var out Counts
	for name, n := range m {
		var v provisioning.Verb
		if err := v.UnmarshalText([]byte(name)); err != nil {
			return err
		}
		out.n[v] = n
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

// Batch is the plan for a whole tenant: every action, ordered by
// environment ID and then by user key, and its totals.
type Batch struct {
	// Trigger is what the plan is for.
	Trigger provisioning.Trigger `json:"trigger"`
	// Actions are the actions in the plan's order.
	Actions []provisioning.Action `json:"actions"`
	// Totals count them.
	Totals Totals `json:"totals"`
}

// Options tunes Plan and Each.
type Options struct {
	// Workers bounds how many goroutines plan at once; 0 or less means
	// one. Workers split the tenant into runs of users, within an
	// environment as well as across environments, so that one large
	// environment is planned in parallel too. The result does not depend
	// on it.
	Workers int
}

// Step is one action of a plan as Each visits it, with the inputs it was
// decided from: the environment, the directory user (nil for a record that
// no user matches, LIFE-MATCH) and the record (nil for a user without
// one). The pointers point into the snapshot; the Step itself is reused
// for the next action once the visit returns.
type Step struct {
	// Action is the action.
	Action provisioning.Action
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
// A snapshot that fails Check is refused with its error, and no plan.
// Users and records that are otherwise malformed are not refused here:
// each gets its own action with Err set and changes nothing.
func Plan(s *Snapshot, t provisioning.Trigger, opts Options) (Batch, error) {
	x, err := s.indexWith(opts.Workers)
	if err != nil {
		return Batch{}, err
	}
	b := Batch{Trigger: t, Actions: make([]provisioning.Action, 0, x.size())}
	b.Totals, err = x.each(t, opts, func(st *Step) error {
		b.Actions = append(b.Actions, st.Action)
		return nil
	})
	return b, err
}

// Each is Plan for a caller that handles each action as it is produced,
// in the plan's order, and never holds the whole plan: visit is called
// once per action, from one goroutine at a time, while opts.Workers
// goroutines decide the actions ahead of it. An error from visit stops the
// plan and is returned. Each returns the plan's totals.
//
// The plan of an environment depends only on the users and that
// environment's records, so a tenant whose records are too many to hold
// at once can be planned one environment at a time, in ID order, each
// with all the users and only its own records: the actions are the whole
// plan's, in its order, and the totals add up with Counts.Plus.
func Each(s *Snapshot, t provisioning.Trigger, opts Options, visit func(*Step) error) (Totals, error) {
	x, err := s.indexWith(opts.Workers)
	if err != nil {
		return Totals{}, err
	}
	return x.each(t, opts, visit)
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
	emit := func(u *provisioning.User, r *provisioning.Record) {
		a, _ := provisioning.NextAction(u, env, r, t)
		tk.steps = append(tk.steps, Step{Action: a, Environment: env, User: u, Record: r})
		tk.counts.add(a.Verb)
	}
	for _, e := range tk.users {
		for j < len(recs) && recs[j].key.compare(e.id) < 0 {
			emit(nil, recs[j].r)
			j++
		}
		var rec *provisioning.Record
		if j < len(recs) && recs[j].key.s == e.id.s && provisioning.Match(e.u, recs[j].r) {
			rec = recs[j].r
			j++
		}
		emit(e.u, rec)
	}
	for ; j < len(recs); j++ {
		emit(nil, recs[j].r)
	}
}

// each plans x with opts.Workers goroutines and visits the steps in order.
// At most twice as many tasks as workers are decided ahead of the visits,
// so that memory stays bounded by a few tasks whatever the tenant's size.
func (x *index) each(t provisioning.Trigger, opts Options, visit func(*Step) error) (Totals, error) {
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
			if err := visit(&tk.steps[i]); err != nil {
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
