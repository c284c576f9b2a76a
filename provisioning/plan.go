package provisioning

import (
	"cmp"
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"sync"
)

// Snapshot is a tenant at one moment: its directory users, its
// environments, and each environment's existing records by environment ID.
type Snapshot struct {
	Users        []User              `json:"users"`
	Environments []Environment       `json:"environments"`
	Records      map[string][]Record `json:"records"`
}

// Validate reports every malformed environment, user and record of s, and
// records listed for an environment s does not hold, as one error joining
// them (each a *FieldError or, for a record's columns, a
// *syncfields.ColumnError); nil when all are well formed. Plan does not
// need it: a malformed user or record gets an action with Err set. It is
// for callers that would rather refuse a bad snapshot whole.
func (s *Snapshot) Validate() error {
	if s == nil {
		return errNilSnapshot
	}
	var errs []error
	for i := range s.Environments {
		errs = append(errs, s.Environments[i].Validate())
	}
	for i := range s.Users {
		errs = append(errs, s.Users[i].Validate())
	}
	for _, id := range sortedKeys(s.Records) {
		if !slices.ContainsFunc(s.Environments, func(e Environment) bool { return e.ID == id }) {
			errs = append(errs, &FieldError{Record: "snapshot", Field: "Records", Value: id, Err: ErrNotFound})
		}
		for i := range s.Records[id] {
			errs = append(errs, s.Records[id][i].Validate())
		}
	}
	return errors.Join(errs...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

var errNilSnapshot = &FieldError{Record: "snapshot", Field: "*Snapshot", Value: "nil", Err: ErrMissing}

// Counts holds a number per verb, indexed by Verb.
type Counts [verbEnd]int

// Of returns the count of verb v.
func (c Counts) Of(v Verb) int {
	if !v.IsValid() {
		return 0
	}
	return c[v]
}

// Total returns the sum of every count.
func (c Counts) Total() int {
	n := 0
	for _, x := range c {
		n += x
	}
	return n
}

// Batch is the plan for a whole tenant: every action, ordered by
// environment ID and then by user key, with totals per environment (in the
// same order) and per verb.
type Batch struct {
	Trigger      Trigger
	Actions      []Action
	Environments []EnvironmentTotals
	Totals       Counts
}

// EnvironmentTotals counts one environment's actions by verb.
type EnvironmentTotals struct {
	Environment string
	Counts      Counts
}

// PlanOptions tunes Plan.
type PlanOptions struct {
	// Workers bounds how many environments are planned at once; 0 or less
	// means one.
	Workers int
}

// Plan reconciles every directory user with its record in every
// environment of s, under trigger t, and every record that no user matches
// by object ID (LIFE-MATCH). Its actions are exactly what Reconcile returns
// for each pair, in a stable order that does not depend on the order of the
// snapshot's users, environments or records.
//
// A snapshot that cannot be planned without guessing is refused with a
// *FieldError, and no plan: two users with one object ID, two environments
// with one ID, two records with one key in an environment, or records for
// an unknown environment. Malformed users and records are not refused here: each
// gets its own action with Err set and changes nothing.
func Plan(s *Snapshot, t Trigger, opts PlanOptions) (Batch, error) {
	if s == nil {
		return Batch{}, errNilSnapshot
	}
	// Sort entries that hold their key inline, so that comparisons do not
	// reach into the large User values; sorted, duplicates are neighbours.
	users := make([]userEntry, len(s.Users))
	for i := range s.Users {
		users[i] = userEntry{id: keyOf(s.Users[i].ObjectID), u: &s.Users[i]}
	}
	slices.SortFunc(users, func(a, b userEntry) int { return a.id.compare(b.id) })
	if i := duplicate(users, func(e userEntry) string { return e.id.s }); i >= 0 {
		return Batch{}, &FieldError{Record: "snapshot", Field: "Users[].ObjectID", Value: users[i].id.s, Err: ErrDuplicate}
	}
	envs := make([]*Environment, len(s.Environments))
	for i := range s.Environments {
		envs[i] = &s.Environments[i]
	}
	slices.SortFunc(envs, func(a, b *Environment) int { return cmp.Compare(a.ID, b.ID) })
	if i := duplicate(envs, func(e *Environment) string { return e.ID }); i >= 0 {
		return Batch{}, &FieldError{Record: "snapshot", Field: "Environments[].ID", Value: envs[i].ID, Err: ErrDuplicate}
	}
	for id := range s.Records {
		if _, found := slices.BinarySearchFunc(envs, id, func(e *Environment, id string) int { return cmp.Compare(e.ID, id) }); !found {
			return Batch{}, &FieldError{Record: "snapshot", Field: "Records", Value: id, Err: ErrNotFound}
		}
	}

	parts := make([][]Action, len(envs))
	errs := make([]error, len(envs))
	workers := max(1, min(opts.Workers, len(envs)))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				parts[i], errs[i] = planEnvironment(users, envs[i], s.Records[envs[i].ID], t)
			}
		}()
	}
	for i := range envs {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs { // the first in environment order
		if err != nil {
			return Batch{}, err
		}
	}

	b := Batch{Trigger: t, Environments: make([]EnvironmentTotals, len(envs))}
	if len(parts) == 1 {
		b.Actions = parts[0]
	} else {
		n := 0
		for _, p := range parts {
			n += len(p)
		}
		b.Actions = make([]Action, 0, n)
		for _, p := range parts {
			b.Actions = append(b.Actions, p...)
		}
	}
	for i, p := range parts {
		b.Environments[i].Environment = envs[i].ID
		for j := range p {
			b.Environments[i].Counts[p[j].Verb]++
		}
		for v, n := range b.Environments[i].Counts {
			b.Totals[v] += n
		}
	}
	return b, nil
}

type userEntry struct {
	id sortKey
	u  *User
}

type recordEntry struct {
	key sortKey
	r   *Record
}

// sortKey is a string with its first eight bytes held inline as a
// big-endian number, so that most comparisons of a large sort touch no
// string data. It orders exactly as the string does.
type sortKey struct {
	prefix uint64
	s      string
}

func keyOf(s string) sortKey {
	var b [8]byte
	copy(b[:], s)
	return sortKey{prefix: binary.BigEndian.Uint64(b[:]), s: s}
}

func (k sortKey) compare(o sortKey) int {
	if k.prefix != o.prefix {
		return cmp.Compare(k.prefix, o.prefix)
	}
	return strings.Compare(k.s, o.s)
}

// planEnvironment walks the users, sorted by object ID, and the records of
// one environment, sorted by key, side by side: a record whose key is a
// user's object ID is that user's (LIFE-MATCH; a stub never is), and every
// other record is an orphan, planned in its place in key order (after a
// user of the same key).
func planEnvironment(users []userEntry, env *Environment, records []Record, t Trigger) ([]Action, error) {
	recs := make([]recordEntry, len(records))
	for i := range records {
		recs[i] = recordEntry{key: keyOf(recordKey(nil, &records[i])), r: &records[i]}
	}
	slices.SortFunc(recs, func(a, b recordEntry) int { return a.key.compare(b.key) })
	if i := duplicate(recs, func(e recordEntry) string { return e.key.s }); i >= 0 {
		return nil, &FieldError{Record: "snapshot", Key: env.ID, Field: "Records[" + env.ID + "][].ObjectID", Value: recs[i].key.s, Err: ErrDuplicate}
	}
	out := make([]Action, 0, len(users)+len(recs))
	j := 0
	for _, e := range users {
		for j < len(recs) && recs[j].key.compare(e.id) < 0 {
			out = append(out, orphanAction(env, recs[j].r, t))
			j++
		}
		var rec *Record
		if j < len(recs) && recs[j].key.s == e.id.s && recs[j].r.ObjectID == e.id.s && !recs[j].r.Stub {
			rec = recs[j].r
			j++
		}
		a, _ := decide(e.u, env, rec, t)
		out = append(out, a)
	}
	for ; j < len(recs); j++ {
		out = append(out, orphanAction(env, recs[j].r, t))
	}
	return out, nil
}

func orphanAction(env *Environment, rec *Record, t Trigger) Action {
	a, _ := decide(nil, env, rec, t)
	return a
}

// duplicate returns the index of the first element of sorted whose key
// equals the one before it, or -1.
func duplicate[E any](sorted []E, key func(E) string) int {
	for i := 1; i < len(sorted); i++ {
		if key(sorted[i]) == key(sorted[i-1]) {
			return i
		}
	}
	return -1
}
