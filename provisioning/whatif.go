package provisioning

import (
	"cmp"
	"slices"

	"github.com/provisionrules/provisionrules/internal/enum"

	"github.com/provisionrules/provisionrules/usertype"
)

// Change is a proposed change to one environment, for WhatIf. A nil field
// leaves that setting as it is.
type Change struct {
	// Environment is the ID of the environment to change.
	Environment string `json:"environment"`
	// SecurityGroup sets the security group; a pointer to "" clears it.
	SecurityGroup *string `json:"securityGroup,omitempty"`
	// Type changes the environment type.
	Type *EnvironmentType `json:"type,omitempty"`
	// AppPass adds or removes app-pass capacity.
	AppPass *bool `json:"appPass,omitempty"`
	// TenantMarketing toggles the tenant-level Marketing license.
	TenantMarketing *bool `json:"tenantMarketing,omitempty"`
}

// Apply returns env with the change made.
func (c Change) Apply(env Environment) Environment {
	if c.SecurityGroup != nil {
		env.SecurityGroup = *c.SecurityGroup
	}
	if c.Type != nil {
		env.Type = *c.Type
	}
	if c.AppPass != nil {
		env.AppPass = *c.AppPass
	}
	if c.TenantMarketing != nil {
		env.TenantMarketing = *c.TenantMarketing
	}
	return env
}

// String describes the change in words, such as "assigning group g-sales
// to environment sales-prod".
func (c Change) String() string {
	var parts []string
	if c.SecurityGroup != nil {
		if *c.SecurityGroup == "" {
			parts = append(parts, "clearing the security group of")
		} else {
			parts = append(parts, "assigning group "+*c.SecurityGroup+" to")
		}
	}
	if c.Type != nil {
		parts = append(parts, "making a "+c.Type.String()+" environment of")
	}
	if c.AppPass != nil {
		parts = append(parts, onOff(*c.AppPass, "adding app-pass capacity to", "removing app-pass capacity from"))
	}
	if c.TenantMarketing != nil {
		parts = append(parts, onOff(*c.TenantMarketing, "turning on the tenant Marketing license for", "turning off the tenant Marketing license for"))
	}
	if len(parts) == 0 {
		return "leaving environment " + c.Environment + " as it is"
	}
	s := ""
	for i, p := range parts {
		switch {
		case i == 0:
		case i == len(parts)-1:
			s += " and "
		default:
			s += ", "
		}
		s += p
	}
	return s + " environment " + c.Environment
}

func onOff(on bool, yes, no string) string {
	if on {
		return yes
	}
	return no
}

// RecordState is whether a user has a record, and whether it is enabled.
type RecordState uint8

// The record states.
const (
	NoRecord RecordState = iota
	RecordEnabled
	RecordDisabled
)

var recordStateNames = []string{NoRecord: "no record", RecordEnabled: "enabled", RecordDisabled: "disabled"}

// IsValid reports whether s is one of the record states.
func (s RecordState) IsValid() bool { return enum.Valid(recordStateNames, s) }

// String returns "no record", "enabled" or "disabled".
func (s RecordState) String() string { return enum.Name(recordStateNames, "RecordState", s) }

// MarshalText returns the state's name. It fails for an invalid state.
func (s RecordState) MarshalText() ([]byte, error) {
	return enum.Marshal(recordStateNames, "provisioning.RecordState", s)
}

// UnmarshalText accepts a state's name in any case; anything else is an
// error wrapping ErrUnknown and leaves s unchanged.
func (s *RecordState) UnmarshalText(text []byte) error {
	return enum.Unmarshal(recordStateNames, "provisioning.RecordState", text, s)
}

// State is where a user stands in an environment once the background sync
// has run: its admission, the access mode of its record, and the record's
// state.
type State struct {
	Admission Admission           `json:"admission"`
	Mode      usertype.AccessMode `json:"accessMode"`
	Record    RecordState         `json:"record"`
}

// Impact is how a change affects one user of the environment.
type Impact struct {
	User   string `json:"user"`
	UPN    string `json:"upn,omitempty"`
	Before State  `json:"before"`
	After  State  `json:"after"`
	// Verb is what the background sync does to the user's record after the
	// change.
	Verb Verb `json:"verb"`
	// Rules are the rules that decide the new state: those that fail for a
	// refused user, those that hold it to on demand, those the action
	// cites otherwise.
	Rules RuleSet `json:"rules"`
}

// Report is what WhatIf found: the users whose admission, access mode or
// record state the change would change, ordered by the background sync's
// verb after the change and then by user.
type Report struct {
	Change  Change   `json:"change"`
	Impacts []Impact `json:"impacts"`
}

// ByVerb returns the impacts whose verb is v.
func (r Report) ByVerb(v Verb) []Impact {
	var out []Impact
	for _, i := range r.Impacts {
		if i.Verb == v {
			out = append(out, i)
		}
	}
	return out
}

// WhatIf answers "who would this change lock out, or let in?": for every
// directory user of s, it compares where the user stands in the changed
// environment after the background sync, before and after the change, and
// reports those whose admission, access mode or record state would change,
// with the rules that decide it. s is not modified.
//
// An environment that s does not hold, or a change that would make the
// environment malformed (a security group on a developer environment,
// ENV-NO-GROUP; a developer environment without a creator), is an error.
func WhatIf(s *Snapshot, c Change) (Report, error) {
	if s == nil {
		return Report{}, errNilSnapshot
	}
	i := slices.IndexFunc(s.Environments, func(e Environment) bool { return e.ID == c.Environment })
	if i < 0 {
		return Report{}, &FieldError{Record: "change", Field: "Environment", Value: c.Environment, Err: ErrNotFound}
	}
	before := s.Environments[i]
	after := c.Apply(before)
	if err := after.validate(); err != nil {
		err.Record = "changed environment"
		return Report{}, err
	}
	records := s.Records[before.ID]
	byID := make(map[string]*Record, len(records))
	for j := range records {
		if r := &records[j]; r.ObjectID != "" && !r.Stub {
			byID[r.ObjectID] = r
		}
	}
	rep := Report{Change: c}
	for j := range s.Users {
		u := &s.Users[j]
		rec := byID[u.ObjectID]
		was, _, _ := standing(u, &before, rec)
		now, a, d := standing(u, &after, rec)
		if was == now {
			continue
		}
		rules := a.Rules
		switch d.admission {
		case Never:
			rules |= d.failed & admissionRules
		case OnDemand:
			rules |= d.limited
		}
		rep.Impacts = append(rep.Impacts, Impact{User: u.ObjectID, UPN: u.UPN, Before: was, After: now, Verb: a.Verb, Rules: rules})
	}
	slices.SortFunc(rep.Impacts, func(x, y Impact) int {
		if x.Verb != y.Verb {
			return cmp.Compare(x.Verb, y.Verb)
		}
		return cmp.Compare(x.User, y.User)
	})
	return rep, nil
}

// standing is where u stands in env after the background sync.
func standing(u *User, env *Environment, rec *Record) (State, Action, Decision) {
	a, d := decide(u, env, rec, BackgroundSync)
	st := State{Admission: d.admission}
	if d.Admitted() {
		st.Mode = d.mode
	}
	switch {
	case a.Verb == Create || a.Verb == Enable:
		st.Record = RecordEnabled
	case a.Verb == Disable:
		st.Record = RecordDisabled
	case rec == nil:
		st.Record = NoRecord
	case rec.Disabled:
		st.Record = RecordDisabled
	default:
		st.Record = RecordEnabled
	}
	return st, a, d
}
