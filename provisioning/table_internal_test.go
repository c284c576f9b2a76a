package provisioning

import (
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/internal/jsontext"
)

// The rule table's own words need no escaping in JSON (AppendJSON writes
// them as they are), every saying can be reached, and every rule that a
// decision checks has sayings.
func TestRuleTableSentences(t *testing.T) {
	for r := Rule(1); r < ruleEnd; r++ {
		row := &ruleTable[r]
		if row.id == "" || row.summary == "" || row.where == "" || !row.area.IsValid() || row.section == "" {
			t.Errorf("rule %d: incomplete row %+v", r, row)
		}
		for i, s := range sayings[r] {
			for _, p := range append(append(sentence{}, s.reason...), s.fix...) {
				if strings.ContainsAny(p.text, "\"\\\n\t{}") {
					t.Errorf("%s saying %d: %q needs escaping or holds a stray brace", row.id, i, p.text)
				}
			}
			if len(s.reason) == 0 || !s.outcome.IsValid() || s.outcome == OutcomeUnchecked {
				t.Errorf("%s saying %d: no reason or a bad outcome %v", row.id, i, s.outcome)
			}
			// A saying after one of the same outcome that asks for no
			// more facts is never said.
			for j := range i {
				e := sayings[r][j]
				if e.outcome == s.outcome && e.when&^s.when == 0 && e.unless&^s.unless == 0 {
					t.Errorf("%s saying %d is shadowed by saying %d", row.id, i, j)
				}
			}
		}
		if (checkedByEvaluate | checkedWithRecord).Has(r) && len(sayings[r]) == 0 {
			t.Errorf("%s is checked by every decision but has no sayings", row.id)
		}
	}
	for _, name := range []string{"{nobody}", "{user", "}"} {
		func() {
			defer func() {
				if recover() == nil && name != "}" {
					t.Errorf("compile(%q) did not panic", name)
				}
			}()
			compile("a " + name)
		}()
	}
}

// needsEscape is true exactly for the strings appendEscaped changes.
func TestNeedsEscape(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"ana@contoso.com", false},
		{"", false},
		{"~!#$%&'()*+,-./:;<=>?@[]^_`{|}", false},
		{`a"b`, true},
		{`a\b`, true},
		{"a\nb", true},
		{"\x1f", true},
		{"é", true},
		{"\x7f", false},
	} {
		if got := jsontext.NeedsEscape(c.s); got != c.want {
			t.Errorf("jsontext.NeedsEscape(%q) = %v, want %v", c.s, got, c.want)
		}
		if changed := string(jsontext.Escape(nil, c.s)) != c.s; changed && !c.want {
			t.Errorf("appendEscaped changes %q, which needsEscape says needs nothing", c.s)
		}
	}
}
