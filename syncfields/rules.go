package syncfields

import "github.com/provisionrules/provisionrules/internal/enum"

// Rule is a field-sync rule of the catalogue, identified in text by its
// stable ID from RULES.md, such as "SYNC-EMAIL". The zero Rule is invalid.
type Rule uint8

// The field-sync rules.
const (
	RuleAlways     Rule = iota + 1 // SYNC-ALWAYS
	RuleFullName                   // SYNC-FULLNAME
	RuleEmail                      // SYNC-EMAIL
	RuleCustom                     // SYNC-CUSTOM
	RuleFirstName                  // SYNC-FIRSTNAME
	RuleOnPremises                 // SYNC-ONPREM
	RuleIdempotent                 // SYNC-IDEMPOTENT

	ruleEnd
)

// RuleInfo describes one rule for people: its ID, the rule in one line,
// and where the library implements it.
type RuleInfo struct {
	Rule    Rule
	ID      string
	Summary string
	Where   string
}

var ruleTable = [ruleEnd]RuleInfo{
	RuleAlways:     {ID: "SYNC-ALWAYS", Summary: "Every mapped column is written from the directory on every sync, except those below.", Where: "syncfields.Online, syncfields.Profile.Update"},
	RuleFullName:   {ID: "SYNC-FULLNAME", Summary: "Full Name is set at creation and never updated by the sync.", Where: "syncfields.Online (policy OnCreate)"},
	RuleEmail:      {ID: "SYNC-EMAIL", Summary: "Primary Email is set at creation and never overwritten once it holds a value or the customer edited it.", Where: "syncfields.Online (policy NeverOverwrite)"},
	RuleCustom:     {ID: "SYNC-CUSTOM", Summary: "Custom columns are never synchronized, in either direction.", Where: "syncfields.Record.Custom, syncfields.Profile.Update"},
	RuleFirstName:  {ID: "SYNC-FIRSTNAME", Summary: "A blank first name is written as #.", Where: "syncfields.Row.IfBlank"},
	RuleOnPremises: {ID: "SYNC-ONPREM", Summary: "On-premises, AD DS fills the record at creation and nothing is synchronized after.", Where: "syncfields.OnPremises"},
	RuleIdempotent: {ID: "SYNC-IDEMPOTENT", Summary: "Syncing the same directory user twice gives the same record as syncing it once.", Where: "syncfields.Profile.Update"},
}

var ruleNames = func() []string {
	names := make([]string, ruleEnd)
	for r := Rule(1); r < ruleEnd; r++ {
		names[r] = ruleTable[r].ID
	}
	return names
}()

// Rules returns every field-sync rule in RULES.md order.
func Rules() []RuleInfo {
	out := make([]RuleInfo, 0, ruleEnd-1)
	for r := Rule(1); r < ruleEnd; r++ {
		info := ruleTable[r]
		info.Rule = r
		out = append(out, info)
	}
	return out
}

// IsValid reports whether r is a rule of the catalogue.
func (r Rule) IsValid() bool { return enum.Valid(ruleNames, r) }

// String returns the rule's ID, such as "SYNC-EMAIL".
func (r Rule) String() string { return enum.Name(ruleNames, "Rule", r) }

// MarshalText returns the rule's ID. It fails for an invalid rule.
func (r Rule) MarshalText() ([]byte, error) { return enum.Marshal(ruleNames, "syncfields.Rule", r) }

// UnmarshalText accepts a rule ID in any case; anything else is an error
// wrapping ErrUnknown and leaves r unchanged.
func (r *Rule) UnmarshalText(text []byte) error {
	return enum.Unmarshal(ruleNames, "syncfields.Rule", text, r)
}
