package tenant

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/provisioning"
)

// This file holds the guards a plan passes before it hands out anything:
// every element well formed (MalformedError), and no more disables than
// the threshold (CHK-DISABLE-THRESHOLD). The health check is in
// health.go.

// MalformedError stops a plan whose snapshot holds malformed input: a
// user, environment or record that its Validate refuses, or a record that
// does not fit the user it belongs to. A malformed pair is never counted
// as a decision. It lists how many there are and the first few.
type MalformedError struct {
	// Count is how many elements or pairs are malformed.
	Count int
	// Errs are the first of them (at most ten), in the order environments,
	// users, records, each a *provisioning.FieldError naming the element
	// by its place in the snapshot and the field.
	Errs []error
}

// Error gives the count and the errors listed, after "tenant: ".
func (e *MalformedError) Error() string { return "tenant: " + e.body() }

// Format prints the error as Error does, and without "tenant: " under the
// flag '-' (%-v), as a report enclosing it prints it.
func (e *MalformedError) Format(f fmt.State, verb rune) {
	errtext.Format(f, verb, "tenant: ", e.body())
}

func (e *MalformedError) body() string {
	var b strings.Builder
	b.WriteString(plural(e.Count, "malformed input"))
	b.WriteString(", nothing planned:")
	for _, err := range e.Errs {
		b.WriteString("\n  ")
		b.WriteString(errtext.Inner(err))
	}
	if more := e.Count - len(e.Errs); more > 0 {
		b.WriteString("\n  and " + strconv.Itoa(more) + " more")
	}
	return b.String()
}

// Unwrap returns the errors listed, so that errors.Is finds their
// sentinels.
func (e *MalformedError) Unwrap() []error { return e.Errs }

// malformedShown is how many errors a *MalformedError lists.
const malformedShown = 10

// malformed counts errors and keeps the first few.
type malformed struct {
	n     int
	first []error
}

func (m *malformed) add(err error) {
	if err == nil {
		return
	}
	m.n++
	if len(m.first) < malformedShown {
		m.first = append(m.first, err)
	}
}

// merge adds o's errors after m's.
func (m *malformed) merge(o *malformed) {
	m.n += o.n
	for _, err := range o.first {
		if len(m.first) < malformedShown {
			m.first = append(m.first, err)
		}
	}
}

// err returns the *MalformedError of m, or nil when m holds none.
func (m *malformed) err() error {
	if m.n == 0 {
		return nil
	}
	return &MalformedError{Count: m.n, Errs: m.first}
}

// validate returns a *MalformedError of the elements that did not pass
// their checks, each with its Validate's error.
func (x *index) validate() error {
	var bad malformed
	// The index checked every element once; only those it found malformed
	// are checked again, for their errors.
	for k, env := range x.envs {
		if x.checked[k].Environment() == nil {
			bad.add(at("environment", env.ID, indexed("Environments", x.envPos[k]), env.Validate()))
		}
	}
	for _, e := range x.users {
		if e.c.User() == nil {
			bad.add(at("user", e.u.ObjectID, indexed("Users", e.pos), e.u.Validate()))
		}
	}
	for k, env := range x.envs {
		for _, e := range x.records[k] {
			if e.c.Record() == nil {
				bad.add(at("record", e.r.Key(), recordsField(env.ID, e.pos), e.r.Validate()))
			}
		}
	}
	return bad.err()
}

// tally counts a plan's disables, by environment and by the rules behind
// them, for the disable threshold (CHK-DISABLE-THRESHOLD).
type tally struct {
	n     int
	byEnv map[string]*envDisables
}

type envDisables struct {
	n     int
	rules [64]int // by provisioning.Rule
}

// add counts a when it disables a record.
func (t *tally) add(a *provisioning.Action) {
	if a.Err != nil || a.Verb != provisioning.Disable {
		return
	}
	t.n++
	if t.byEnv == nil {
		t.byEnv = map[string]*envDisables{}
	}
	e := t.byEnv[a.Environment]
	if e == nil {
		e = &envDisables{}
		t.byEnv[a.Environment] = e
	}
	e.n++
	for x := uint64(a.Rules); x != 0; x &= x - 1 {
		e.rules[bits.TrailingZeros64(x)]++
	}
}

func (t *tally) merge(o *tally) {
	for env, d := range o.byEnv {
		if t.byEnv == nil {
			t.byEnv = map[string]*envDisables{}
		}
		e := t.byEnv[env]
		if e == nil {
			e = &envDisables{}
			t.byEnv[env] = e
		}
		e.n += d.n
		for r, n := range d.rules {
			e.rules[r] += n
		}
	}
	t.n += o.n
}

// check returns the threshold's *FindingsError when t counts more
// disables than opts allows, with a finding per environment that would
// disable any: how many, and by which rules, most first.
func (t *tally) check(opts Options) error {
	limit := opts.maxDisables()
	if limit < 0 || t.n <= limit {
		return nil
	}
	// The rules a disable cites that are not its cause: that it disables
	// and does not delete, and what it says of the record's teams and roles.
	every := provisioning.RuleSetOf(provisioning.RuleLifeNeverDelete, provisioning.RuleLifeDisable, provisioning.RuleGTStale,
		provisioning.RuleGTAtAccess, provisioning.RuleLifeRolesNotDisable, provisioning.RuleLifeAccessNeedsRole)
	var out []Finding
	for _, env := range sortedKeys(t.byEnv) {
		e := t.byEnv[env]
		var rules []provisioning.Rule
		for _, r := range provisioning.Rules() {
			if e.rules[r] > 0 && !every.Has(r) {
				rules = append(rules, r)
			}
		}
		slices.SortStableFunc(rules, func(a, b provisioning.Rule) int { return cmp.Compare(e.rules[b], e.rules[a]) })
		var by []string
		for _, r := range rules {
			by = append(by, r.String()+" ("+strconv.Itoa(e.rules[r])+")")
		}
		out = append(out, Finding{
			Rule: RuleDisableThreshold, Severity: SeverityError, Environment: env,
			Reason: "the plan would disable " + plural(e.n, "record") + " of environment " + env + ", by " + strings.Join(by, ", ") +
				"; " + strconv.Itoa(t.n) + " in all, more than the threshold of " + strconv.Itoa(limit),
			Fix: "read the health check's findings and these rules' reasons first; if the disables are meant, raise Options.MaxDisables to " + strconv.Itoa(t.n) + " or more, or set it to NoDisableLimit",
		})
	}
	return &FindingsError{Err: ErrDisableThreshold, Findings: out}
}
