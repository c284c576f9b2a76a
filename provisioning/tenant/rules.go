package tenant

import "github.com/provisionrules/provisionrules/internal/enum"

// Rule is a tenant-health rule of the project's catalogue (the section
// "Tenant health" of the README's rule table), identified in text by its
// stable ID, such as "CHK-TENANT". The zero Rule is invalid. The
// catalogue's other rules are provisioning.Rule and syncfields.Rule values:
// the three types together are the one catalogue, split by the package
// that carries each rule out.
type Rule uint8

// The tenant-health rules.
const (
	RuleTenant           Rule = iota + 1 // CHK-TENANT
	RuleGroupExists                      // CHK-GROUP-EXISTS
	RuleGroupEmpty                       // CHK-GROUP-EMPTY
	RuleTeamGroup                        // CHK-TEAM-GROUP
	RuleTeamOutside                      // CHK-TEAM-OUTSIDE
	RuleRecordsForeign                   // CHK-RECORDS-FOREIGN
	RuleNonInteractive                   // CHK-NONINTERACTIVE
	RuleDisableThreshold                 // CHK-DISABLE-THRESHOLD
	RuleRootBusinessUnit                 // CHK-ROOT-BU

	ruleEnd
)

// RuleInfo describes one rule for people.
type RuleInfo struct {
	// Rule is the rule described.
	Rule Rule
	// ID is its stable ID, such as "CHK-TENANT".
	ID string
	// Severity is how much a finding of the rule weighs: an error stops a
	// plan, a warning does not.
	Severity Severity
	// Summary is the rule in one line.
	Summary string
	// Where names the code that carries it out.
	Where string
}

var ruleTable = [ruleEnd]RuleInfo{
	RuleTenant: {ID: "CHK-TENANT", Severity: SeverityError, Where: "tenant.Diagnose",
		Summary: "Every environment's tenant is the directory's tenant ID, not a domain name: otherwise every member's license counts as another tenant's."},
	RuleGroupExists: {ID: "CHK-GROUP-EXISTS", Severity: SeverityError, Where: "tenant.Diagnose",
		Summary: "An environment's security group exists in the directory and is a security group; a warning when the directory's groups are not given."},
	RuleGroupEmpty: {ID: "CHK-GROUP-EMPTY", Severity: SeverityWarning, Where: "tenant.Diagnose",
		Summary: "An environment's security group has a direct member that the rules admit, or the sync admits nobody through it."},
	RuleTeamGroup: {ID: "CHK-TEAM-GROUP", Severity: SeverityWarning, Where: "tenant.Diagnose",
		Summary: "A group team's group exists in the directory: a mistyped ID never fills the team, a deleted group empties it."},
	RuleTeamOutside: {ID: "CHK-TEAM-OUTSIDE", Severity: SeverityWarning, Where: "tenant.Diagnose",
		Summary: "A group team's group is a direct member of its environment's security group, or its members are refused at access."},
	RuleRecordsForeign: {ID: "CHK-RECORDS-FOREIGN", Severity: SeverityError, Where: "tenant.Diagnose",
		Summary: "At most 10 % (or fewer than 10) of an environment's enabled, directory-backed records carry object IDs the directory does not know."},
	RuleNonInteractive: {ID: "CHK-NONINTERACTIVE", Severity: SeverityError, Where: "tenant.Diagnose",
		Summary: "An environment holds at most 7 non-interactive users that are not application users."},
	RuleDisableThreshold: {ID: "CHK-DISABLE-THRESHOLD", Severity: SeverityError, Where: "tenant.Plan, tenant.Each, tenant.State.PlanChanges",
		Summary: "A plan disables at most the caller's threshold of records (500 unless set), or stops before handing out any action."},
	RuleRootBusinessUnit: {ID: "CHK-ROOT-BU", Severity: SeverityError, Where: "tenant.Diagnose",
		Summary: "An environment where the rules would add a user names its root business unit, which every create of a user record binds."},
}

var ruleNames = enum.Names(ruleEnd, ruleTable[:], func(r *RuleInfo) string { return r.ID })

// Rules lists every tenant-health rule in catalogue order.
func Rules() []Rule { return enum.All(ruleEnd) }

// Info describes r; the zero RuleInfo for an invalid r.
func (r Rule) Info() RuleInfo {
	if !r.IsValid() {
		return RuleInfo{}
	}
	info := ruleTable[r]
	info.Rule = r
	return info
}

// Severity returns how much a finding of r weighs; zero for an invalid r.
func (r Rule) Severity() Severity { return r.Info().Severity }

// IsValid reports whether r is a rule of the catalogue.
func (r Rule) IsValid() bool { return enum.Valid(ruleNames, r) }

// String returns the rule's ID, such as "CHK-TENANT".
func (r Rule) String() string { return enum.Name(ruleNames, "Rule", r) }

// MarshalText returns the rule's ID. It fails for an invalid rule.
func (r Rule) MarshalText() ([]byte, error) { return enum.Marshal(ruleNames, "tenant.Rule", r) }

// UnmarshalText accepts a rule ID in any case; anything else is an error
// wrapping provisioning.ErrUnknown and leaves r unchanged.
func (r *Rule) UnmarshalText(text []byte) error {
	return enum.Unmarshal(ruleNames, "tenant.Rule", text, r)
}

// Severity is how much a finding weighs. The zero Severity is invalid.
type Severity uint8

// The severities.
const (
	// SeverityWarning: worth reading; a plan runs.
	SeverityWarning Severity = iota + 1
	// SeverityError: the plan would act on a misconfiguration; Plan, Each,
	// WhatIf and NewState refuse to run unless the caller accepts the
	// finding (Options.Accept).
	SeverityError
)

var severityNames = []string{SeverityWarning: "warning", SeverityError: "error"}

// Severities lists every severity.
func Severities() []Severity { return []Severity{SeverityWarning, SeverityError} }

// IsValid reports whether s is one of the severities.
func (s Severity) IsValid() bool { return enum.Valid(severityNames, s) }

// String returns "warning" or "error".
func (s Severity) String() string { return enum.Name(severityNames, "Severity", s) }

// MarshalText returns the severity's name. It fails for an invalid value.
func (s Severity) MarshalText() ([]byte, error) {
	return enum.Marshal(severityNames, "tenant.Severity", s)
}

// UnmarshalText accepts a severity's name in any case; anything else is an
// error wrapping provisioning.ErrUnknown and leaves s unchanged.
func (s *Severity) UnmarshalText(text []byte) error {
	return enum.Unmarshal(severityNames, "tenant.Severity", text, s)
}
