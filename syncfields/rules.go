package syncfields

import "github.com/provisionrules/provisionrules/internal/enum"

// Rule is a field-sync rule of the project's catalogue (the README's rule
// table),
// identified in text by its stable ID, such as "SYNC-EMAIL". The zero Rule
// is invalid. The catalogue's other rules are provisioning.Rule values:
// the two types together are the one catalogue, split by the package that
// carries each rule out.
type Rule uint8

// The field-sync rules.
const (
	RuleAlways      Rule = iota + 1 // SYNC-ALWAYS
	RuleFullName                    // SYNC-FULLNAME
	RuleEmail                       // SYNC-EMAIL
	RuleCustom                      // SYNC-CUSTOM
	RuleFirstName                   // SYNC-FIRSTNAME
	RuleOnPremises                  // SYNC-ONPREM
	RuleIdempotent                  // SYNC-IDEMPOTENT
	RuleApplication                 // SYNC-APPLICATION

	ruleEnd
)

// RuleInfo describes one rule for people.
type RuleInfo struct {
	// Rule is the rule described.
	Rule Rule
	// ID is its stable ID, such as "SYNC-EMAIL".
	ID string
	// Summary is the rule in one line.
	Summary string
	// Where names the code that carries it out.
	Where string
}

var ruleTable = [ruleEnd]RuleInfo{
	RuleAlways:      {ID: "SYNC-ALWAYS", Summary: "Every mapped column is written from the directory on every sync, except those below.", Where: "syncfields.Online(), syncfields.Profile.Update"},
	RuleFullName:    {ID: "SYNC-FULLNAME", Summary: "Full Name is set at creation and never updated by the sync.", Where: "syncfields.Online() (policy OnCreate)"},
	RuleEmail:       {ID: "SYNC-EMAIL", Summary: "Primary Email is set at creation and never overwritten once it holds a value or the customer edited it.", Where: "syncfields.Online() (policy NeverOverwrite)"},
	RuleCustom:      {ID: "SYNC-CUSTOM", Summary: "Custom columns are never synchronized, in either direction.", Where: "syncfields.Fields.Custom, syncfields.Profile.Update"},
	RuleFirstName:   {ID: "SYNC-FIRSTNAME", Summary: "A blank first name is written as #.", Where: "syncfields.Row.IfBlank"},
	RuleOnPremises:  {ID: "SYNC-ONPREM", Summary: "On-premises, AD DS fills the record at creation and nothing is synchronized after.", Where: "syncfields.OnPremises()"},
	RuleIdempotent:  {ID: "SYNC-IDEMPOTENT", Summary: "Syncing the same directory user twice gives the same record as syncing it once.", Where: "syncfields.Profile.Update"},
	RuleApplication: {ID: "SYNC-APPLICATION", Summary: "An application user's record is created with # as first name and the application's display name as last name; the sync writes none of its profile columns after that.", Where: "syncfields.Application(), provisioning.Reconcile"},
}

var ruleNames = enum.Names(ruleEnd, ruleTable[:], func(r *RuleInfo) string { return r.ID })

// Rules lists every field-sync rule in catalogue order.
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

// IsValid reports whether r is a rule of the catalogue.
func (r Rule) IsValid() bool { return enum.Valid(ruleNames, r) }

// String returns the rule's ID, such as "SYNC-EMAIL".
func (r Rule) String() string { return enum.Name(ruleNames, "Rule", r) }

// MarshalText returns the rule's ID. It fails for an invalid rule.
func (r Rule) MarshalText() ([]byte, error) { return enum.Marshal(ruleNames, "syncfields.Rule", r) }

// UnmarshalText accepts a rule ID in any case; anything else is an error
// wrapping sentinel.ErrUnknown and leaves r unchanged.
func (r *Rule) UnmarshalText(text []byte) error {
	return enum.Unmarshal(ruleNames, "syncfields.Rule", text, r)
}
