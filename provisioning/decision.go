package provisioning

import (
	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/usertype"
)

// Decision is the answer of Evaluate for one user and one environment: the
// admission, the access mode of an admitted user, and the outcome of every
// rule that was checked. It is a value that costs no allocation to make,
// comparable with == when its inputs were well formed (Equal compares any
// two); the sentences that explain it are built only by Checks, Explain,
// AppendJSON and MarshalJSON, from the rows of the rule table.
type Decision struct {
	admission Admission
	mode      usertype.AccessMode
	recMode   usertype.AccessMode
	kind      usertype.Kind
	roles     AdminRoles
	// groupRoles are the admin roles the user holds only through a group,
	// which do not count; a decision says so.
	groupRoles AdminRoles
	facts      facts

	passed, onDemand, failed RuleSet

	// who is the user's UPN, or its object ID when it has none.
	who, env, tenant, group, foreign string
	// team names a group team that holds the user, roleTeam one that gives
	// its record roles.
	team, roleTeam string

	err *FieldError
}

// admissionRules are the rules whose failure refuses admission: all but
// LIFE-ACCESS-NEEDS-ROLE and GT-ROLES, which an admitted user may fail and
// keep its record.
const admissionRules = ^RuleSet(0) &^ (1<<RuleLifeAccessNeedsRole | 1<<RuleGTRoles)

// Equal reports whether d and o are the same decision: == for decisions
// of well-formed inputs; a malformed input's error is built afresh by
// every decision, and errors are compared by what they say, so that two
// decisions of equal malformed inputs are Equal. go-cmp uses it.
func (d Decision) Equal(o Decision) bool {
	de, oe := d.err, o.err
	d.err, o.err = nil, nil
	switch {
	case d != o:
		return false
	case de == nil || oe == nil:
		return de == oe
	}
	return de.Error() == oe.Error()
}

// Admission returns how the user is admitted: automatically, on demand
// only, or never.
func (d Decision) Admission() Admission { return d.admission }

// Admitted reports whether the user is admitted at all, automatically or on
// demand.
func (d Decision) Admitted() bool { return d.admission != AdmissionNever }

// AccessMode returns the access mode the user's record gets, and whether
// it gets one: a user not admitted gets none, and the mode is then
// usertype.NoAccessMode, which no caller can mistake for Read-Write.
func (d Decision) AccessMode() (usertype.AccessMode, bool) {
	if !d.Admitted() {
		return usertype.NoAccessMode, false
	}
	return d.mode, true
}

// Kind returns the kind of user the decision was made for: the kind of its
// record, or for a user without one, application for a service principal
// and regular otherwise. It is zero when the input was malformed.
func (d Decision) Kind() usertype.Kind { return d.kind }

// Admits reports whether trigger t adds the user: the background sync only
// for an automatic admission; an on-demand trigger for an automatic or
// on-demand one, except that only the user's own first access adds a user
// of a Dataverse for Teams environment (ENV-TEAMS) or one that a group
// team lets in (GT-SG, GT-JIT-ADD).
func (d Decision) Admits(t Trigger) bool {
	switch {
	case !t.IsValid() || d.admission == AdmissionNever:
		return false
	case d.admission == AdmissionAutomatic:
		return true
	case d.facts.has(fTeams) || d.onDemand.Has(RuleGTSG):
		return t == FirstAccess
	default:
		return t.OnDemand()
	}
}

// Err returns the error that made the decision Never without deciding: a
// malformed user, environment or record, as a *FieldError naming the
// field. It is nil when every input was well formed. It is the one way to
// tell malformed input from a rule's refusal: a malformed input's decision
// is refused by no rule (RefusedBy is empty), and its summary starts
// "malformed input".
func (d Decision) Err() error {
	if d.err == nil {
		return nil
	}
	return d.err
}

// Outcome returns the outcome of rule r in this decision; OutcomeUnchecked when r
// was not checked.
func (d Decision) Outcome(r Rule) Outcome {
	switch {
	case d.failed.Has(r):
		return OutcomeFailed
	case d.onDemand.Has(r):
		return OutcomePassedOnDemand
	case d.passed.Has(r):
		return OutcomePassed
	case d.checkedRules().Has(r):
		return OutcomeNotApplicable
	}
	return OutcomeUnchecked
}

// CheckedRules returns the rules that were checked.
func (d Decision) CheckedRules() RuleSet { return d.checkedRules() }

// checkedRules returns the rules the decision checked, which its facts
// and kind say: every rule of Evaluate, those of a record when it had
// one, the team rules when the environment has group teams, and the rule
// of a kind the sync never changes. A malformed input's decision, or one
// that decided nothing, checked none.
func (d *Decision) checkedRules() RuleSet {
	if d.err != nil || !d.kind.IsValid() {
		return 0
	}
	f := d.facts
	s := checkedByEvaluate
	if f.has(fRecord) {
		s |= checkedWithRecord
		if f.has(fRecordDeleted) {
			s = s.With(RuleDelSoftEffect)
		}
		if f.has(fTeamRoles) {
			s = s.With(RuleGTRoles)
		}
	}
	if f.has(fHasTeams) {
		s = s.With(RuleGTMatch)
		if f.has(fGroup) {
			s = s.With(RuleGTSG)
		}
		if !f.has(fRecord) {
			s = s.With(RuleGTJITAdd)
		}
	}
	if !d.kind.Synced() {
		s = s.With(notSyncedRule[d.kind]).With(RuleLifeNotSynced)
	}
	return s
}

// Failed returns every rule that failed. It holds the rules that refuse
// admission (RefusedBy) and LIFE-ACCESS-NEEDS-ROLE, which an admitted user
// may fail: it keeps its record but cannot use the apps.
func (d Decision) Failed() RuleSet { return d.failed }

// RefusedBy returns the failed rules that refuse admission; it is empty
// exactly when the user is admitted. Refusals lists them with their fixes,
// the most specific first.
func (d Decision) RefusedBy() RuleSet { return d.failed & admissionRules }

// Refusals returns the check of every rule that refuses admission, with
// its reason and fix, the most specific first (RuleSet.Specific): a
// refusal by a group team's group outside the security group says GT-SG,
// whose fix is to add the team's group, before SG-MEMBER. It is empty when
// the user is admitted.
func (d Decision) Refusals() []Check {
	refused := d.RefusedBy()
	if refused == 0 {
		return nil
	}
	all := d.Checks()
	out := make([]Check, 0, refused.Len())
	for _, r := range refused.Specific() {
		for _, c := range all {
			if c.Rule == r {
				out = append(out, c)
			}
		}
	}
	return out
}

// OnDemandBy returns the rules that hold an admitted user to on-demand
// admission; it is empty unless the admission is OnDemand.
func (d Decision) OnDemandBy() RuleSet {
	if d.admission != AdmissionOnDemand {
		return 0
	}
	return d.onDemand
}

// CanUseApps reports whether an admitted user can use the apps: it needs a
// security role, directly or through a group team (LIFE-ACCESS-NEEDS-ROLE).
// It is false for a user not admitted, and for one without a record, who
// has no role yet.
func (d Decision) CanUseApps() bool { return d.Admitted() && d.passed.Has(RuleLifeAccessNeedsRole) }

// String returns a one-line summary: the admission, the access mode of an
// admitted user, the rules that refuse it or hold it to on demand, the
// missing security role of an admitted user, and the input error.
func (d Decision) String() string { return string(d.appendSummary(nil)) }

func (d *Decision) appendSummary(b []byte) []byte {
	if d.err != nil {
		b = append(b, "malformed input, nothing decided: "...)
		return append(b, d.err.Error()...)
	}
	b = append(b, d.admission.String()...)
	if d.Admitted() {
		b = append(b, " as "...)
		b = append(b, d.mode.String()...)
	}
	if refused := d.RefusedBy(); refused != 0 {
		b = append(b, "; refused by: "...)
		for i, r := range refused.Specific() {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, ruleNames[r]...)
		}
	}
	if by := d.OnDemandBy(); by != 0 {
		b = append(b, "; on demand by: "...)
		b = by.appendIDs(b, ',')
	}
	if d.Admitted() && d.failed.Has(RuleLifeAccessNeedsRole) {
		b = append(b, "; cannot use the apps: LIFE-ACCESS-NEEDS-ROLE"...)
	}
	return b
}

// Outcome is the result of checking one rule.
type Outcome uint8

// The outcomes.
const (
	// OutcomeUnchecked: the rule was not part of the decision.
	OutcomeUnchecked Outcome = iota
	// OutcomeNotApplicable: the rule does not apply to this user here, or
	// was not needed because another rule already decided.
	OutcomeNotApplicable
	// OutcomePassed: the rule is met.
	OutcomePassed
	// OutcomePassedOnDemand: the rule is met for on-demand triggers only;
	// it keeps the background sync from adding the user.
	OutcomePassedOnDemand
	// OutcomeFailed: the rule is not met; the reason says what would fix
	// it.
	OutcomeFailed
	outcomeEnd
)

var outcomeNames = []string{
	OutcomeUnchecked:      "unchecked",
	OutcomeNotApplicable:  "n/a",
	OutcomePassed:         "pass",
	OutcomePassedOnDemand: "on-demand",
	OutcomeFailed:         "fail",
}

// Outcomes lists every outcome.
func Outcomes() []Outcome {
	return []Outcome{OutcomeUnchecked, OutcomeNotApplicable, OutcomePassed, OutcomePassedOnDemand, OutcomeFailed}
}

// IsValid reports whether o is one of the outcomes.
func (o Outcome) IsValid() bool { return enum.Valid(outcomeNames, o) }

// String returns the outcome's name: "pass", "fail", "on-demand", "n/a" or
// "unchecked".
func (o Outcome) String() string { return enum.Name(outcomeNames, "Outcome", o) }

// MarshalText returns the outcome's name. It fails for an invalid value.
func (o Outcome) MarshalText() ([]byte, error) {
	return enum.Marshal(outcomeNames, "provisioning.Outcome", o)
}

// UnmarshalText accepts an outcome's name in any case; anything else is an
// error wrapping ErrUnknown and leaves o unchanged.
func (o *Outcome) UnmarshalText(text []byte) error {
	return enum.Unmarshal(outcomeNames, "provisioning.Outcome", text, o)
}
