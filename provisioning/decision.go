package provisioning

import (
	"encoding/json"
	"strings"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/usertype"
)

// Decision is the answer of Evaluate for one user and one environment: the
// admission, the access mode of an admitted user, and the outcome of every
// rule that was checked. It is a comparable value that costs no allocation
// to make; the sentences that explain it are built only by Checks, Explain
// and MarshalJSON.
type Decision struct {
	admission Admission
	mode      usertype.AccessMode
	recMode   usertype.AccessMode
	kind      usertype.Kind
	roles     AdminRoles
	facts     facts

	checked, passed, limited, failed RuleSet

	// who is the user's UPN, or its object ID when it has none.
	who, env, tenant, group, foreign string

	err *FieldError
}

// Admission returns how the user is admitted: automatically, on demand
// only, or never.
func (d Decision) Admission() Admission { return d.admission }

// Admitted reports whether the user is admitted at all, automatically or on
// demand.
func (d Decision) Admitted() bool { return d.admission != Never }

// AccessMode returns the access mode the user's record gets. It means
// something only when the user is admitted.
func (d Decision) AccessMode() usertype.AccessMode { return d.mode }

// Admits reports whether trigger t adds the user: the background sync only
// for an automatic admission; an on-demand trigger for an automatic or
// on-demand one, except that in a Dataverse for Teams environment only the
// user's own first access does (ENV-TEAMS).
func (d Decision) Admits(t Trigger) bool {
	switch {
	case !t.IsValid() || d.admission == Never:
		return false
	case d.admission == Automatic:
		return true
	case d.facts.has(fTeams):
		return t == FirstAccess
	default:
		return t.OnDemand()
	}
}

// Err returns the error that made the decision Never without deciding: a
// malformed user, environment or record, as a *FieldError naming the
// field. It is nil when every input was well formed.
func (d Decision) Err() error {
	if d.err == nil {
		return nil
	}
	return d.err
}

// Outcome returns the outcome of rule r in this decision; Unchecked when r
// was not checked.
func (d Decision) Outcome(r Rule) Outcome {
	switch {
	case d.failed.Has(r):
		return Failed
	case d.limited.Has(r):
		return PassedOnDemand
	case d.passed.Has(r):
		return Passed
	case d.checked.Has(r):
		return NotApplicable
	}
	return Unchecked
}

// Checked returns the rules that were checked.
func (d Decision) Checked() RuleSet { return d.checked }

// Failed returns the rules that failed. The user is admitted when none of
// the admission rules failed; LIFE-ACCESS-NEEDS-ROLE may fail for an
// admitted user, who then keeps its record but cannot use the apps.
func (d Decision) Failed() RuleSet { return d.failed }

// Limiting returns the rules that hold an otherwise admitted user to
// on-demand admission.
func (d Decision) Limiting() RuleSet { return d.limited }

// Outcome is the result of checking one rule.
type Outcome uint8

// The outcomes.
const (
	// Unchecked: the rule was not part of the decision.
	Unchecked Outcome = iota
	// NotApplicable: the rule does not apply to this user here, or was not
	// needed because another rule already decided.
	NotApplicable
	// Passed: the rule is met.
	Passed
	// PassedOnDemand: the rule is met for on-demand triggers only; it keeps
	// the background sync from adding the user.
	PassedOnDemand
	// Failed: the rule is not met; the reason says what would fix it.
	Failed
)

var outcomeNames = []string{
	Unchecked:      "unchecked",
	NotApplicable:  "n/a",
	Passed:         "pass",
	PassedOnDemand: "on-demand",
	Failed:         "fail",
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

// Area groups the checks of a decision the way the Power Platform admin
// center's "Run diagnostics" does: the environment itself; the user
// enabled in the directory; the user's kind; a license or capacity;
// membership of the security group; the access mode; a security role.
type Area uint8

// The areas, in the order a diagnosis lists them.
const (
	AreaEnvironment Area = iota + 1
	AreaDirectory
	AreaUserType
	AreaLicense
	AreaSecurityGroup
	AreaAccessMode
	AreaSecurityRole
	AreaLifecycle
	areaEnd
)

var areaNames = []string{
	AreaEnvironment:   "environment",
	AreaDirectory:     "directory",
	AreaUserType:      "user type",
	AreaLicense:       "license",
	AreaSecurityGroup: "security group",
	AreaAccessMode:    "access mode",
	AreaSecurityRole:  "security role",
	AreaLifecycle:     "lifecycle",
}

// String returns the area's name, such as "security group".
func (a Area) String() string { return enum.Name(areaNames, "Area", a) }

// IsValid reports whether a is one of the areas.
func (a Area) IsValid() bool { return enum.Valid(areaNames, a) }

// MarshalText returns the area's name. It fails for an invalid value.
func (a Area) MarshalText() ([]byte, error) { return enum.Marshal(areaNames, "provisioning.Area", a) }

// UnmarshalText accepts an area's name in any case; anything else is an
// error wrapping ErrUnknown and leaves a unchanged.
func (a *Area) UnmarshalText(text []byte) error {
	return enum.Unmarshal(areaNames, "provisioning.Area", text, a)
}

// Area returns the area of a diagnosis that r belongs to.
func (r Rule) Area() Area {
	switch {
	case r >= RuleEnvDataverse && r <= RuleEnvNoGroup:
		return AreaEnvironment
	case r == RuleDirEnabled:
		return AreaDirectory
	case r >= RuleUTRegular && r <= RuleUTStub:
		return AreaUserType
	case r >= RuleLicRequired && r <= RuleLicFreeM365 || r == RuleOnDemandOnly:
		return AreaLicense
	case r >= RuleSGMember && r <= RuleSGOwner:
		return AreaSecurityGroup
	case r >= RuleModeReadWrite && r <= RuleModeKeep:
		return AreaAccessMode
	case r == RuleLifeAccessNeedsRole || r == RuleLifeRoleOnDisabled || r == RuleLifeRolesNotDisable:
		return AreaSecurityRole
	case r.IsValid():
		return AreaLifecycle
	}
	return 0
}

// Check is one checked rule of a decision, explained for people.
type Check struct {
	Rule    Rule    `json:"rule"`
	Area    Area    `json:"area"`
	Outcome Outcome `json:"outcome"`
	// Reason says, in one sentence, why the rule had this outcome.
	Reason string `json:"reason"`
	// Fix says what would change a failed or on-demand outcome; empty when
	// nothing needs fixing.
	Fix string `json:"fix,omitempty"`
}

// Checks returns every checked rule, grouped by area in diagnosis order and
// by catalogue order within an area, each with its reason and fix.
func (d Decision) Checks() []Check {
	out := make([]Check, 0, d.checked.Len())
	for a := AreaEnvironment; a < areaEnd; a++ {
		for r := Rule(1); r < ruleEnd; r++ {
			if r.Area() != a || !d.checked.Has(r) {
				continue
			}
			o := d.Outcome(r)
			reason, fix := d.explain(r, o)
			out = append(out, Check{Rule: r, Area: a, Outcome: o, Reason: reason, Fix: fix})
		}
	}
	return out
}

// String returns a one-line summary: the admission, the access mode of an
// admitted user, and the failed or limiting rules.
func (d Decision) String() string {
	var b strings.Builder
	b.WriteString(d.admission.String())
	if d.Admitted() {
		b.WriteString(" as ")
		b.WriteString(d.mode.String())
	}
	if d.failed != 0 {
		b.WriteString("; failed: ")
		b.WriteString(d.failed.String())
	}
	if d.admission == OnDemand {
		b.WriteString("; on demand because of: ")
		b.WriteString(d.limited.String())
	}
	if d.err != nil {
		b.WriteString("; invalid input: ")
		b.WriteString(d.err.Error())
	}
	return b.String()
}

// Explain returns the whole diagnosis as text: a heading line, then one
// line per check with its outcome, rule ID and reason, and an indented
// "fix:" line under every check that has one.
func (d Decision) Explain() string {
	var b strings.Builder
	b.WriteString(d.who)
	b.WriteString(" in ")
	b.WriteString(d.env)
	b.WriteString(": ")
	b.WriteString(d.String())
	b.WriteByte('\n')
	var area Area
	for _, c := range d.Checks() {
		if c.Area != area {
			area = c.Area
			b.WriteString("  [")
			b.WriteString(area.String())
			b.WriteString("]\n")
		}
		b.WriteString("    ")
		b.WriteString(pad(c.Outcome.String(), 10))
		b.WriteString(pad(c.Rule.String(), 26))
		b.WriteString(c.Reason)
		b.WriteByte('\n')
		if c.Fix != "" {
			b.WriteString(strings.Repeat(" ", 40))
			b.WriteString("fix: ")
			b.WriteString(c.Fix)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func pad(s string, n int) string {
	if len(s) >= n {
		return s + " "
	}
	return s + strings.Repeat(" ", n-len(s))
}

// decisionJSON is the wire form of a Decision.
type decisionJSON struct {
	User        string               `json:"user"`
	Environment string               `json:"environment"`
	Admission   Admission            `json:"admission"`
	AccessMode  *usertype.AccessMode `json:"accessMode,omitempty"`
	Failed      []Rule               `json:"failed"`
	OnDemandBy  []Rule               `json:"onDemandBecause,omitempty"`
	Error       string               `json:"error,omitempty"`
	Checks      []Check              `json:"checks"`
}

// MarshalJSON writes the decision with its checks: user, environment,
// admission, accessMode (only when admitted), failed and onDemandBecause
// rule IDs, error (for malformed input) and checks.
func (d Decision) MarshalJSON() ([]byte, error) {
	w := decisionJSON{
		User:        d.who,
		Environment: d.env,
		Admission:   d.admission,
		Failed:      d.failed.Rules(),
		OnDemandBy:  d.limited.Rules(),
		Checks:      d.Checks(),
	}
	if d.Admitted() {
		m := d.mode
		w.AccessMode = &m
	}
	if d.err != nil {
		w.Error = d.err.Error()
	}
	return json.Marshal(w)
}
