package provisioning

import (
	"cmp"
	"slices"
	"strings"

	"github.com/provisionrules/provisionrules/internal/jsontext"
	"github.com/provisionrules/provisionrules/usertype"
)

// Check is one checked rule of a decision, explained for people.
type Check struct {
	// Rule is the rule checked.
	Rule Rule `json:"rule"`
	// Area is where a diagnosis lists the check.
	Area Area `json:"area"`
	// Outcome is the rule's outcome.
	Outcome Outcome `json:"outcome"`
	// Reason says, in one sentence, why the rule had this outcome.
	Reason string `json:"reason"`
	// Fix says what would change a failed or on-demand outcome; empty when
	// nothing needs fixing.
	Fix string `json:"fix,omitempty"`
}

// hook is a detail of a decision that a sentence of the rule table can
// name between braces.
type hook uint8

const (
	literal hook = iota
	hookUser
	hookEnv
	hookTenant
	hookGroup
	hookRoles      // the admin roles the user holds
	hookGroupRoles // the admin roles the user holds only through a group
	hookForeign    // the tenant of a license assigned elsewhere
	hookMode       // the access mode the record keeps
	hookCauses     // why ON-DEMAND-ONLY holds the user to on demand
	hookTeam       // a group team that holds the user
	hookRoleTeam   // a group team that gives the record roles
	hookRule       // the rule's ID
	hookOutcome    // the check's outcome
)

var hookNames = map[string]hook{
	"user": hookUser, "env": hookEnv, "tenant": hookTenant, "group": hookGroup,
	"roles": hookRoles, "grouproles": hookGroupRoles, "foreign": hookForeign, "mode": hookMode, "causes": hookCauses,
	"team": hookTeam, "roleteam": hookRoleTeam,
}

// piece is a literal run of a sentence, or a hook.
type piece struct {
	hook hook
	text string
}

// sentence is a compiled template of the rule table.
type sentence []piece

// compile splits a template into pieces. A brace that names no hook is a
// mistake in the table, caught by every test that loads the package.
func compile(tmpl string) sentence {
	var s sentence
	for tmpl != "" {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			s = append(s, piece{text: tmpl})
			break
		}
		if i > 0 {
			s = append(s, piece{text: tmpl[:i]})
		}
		j := strings.IndexByte(tmpl[i:], '}')
		h, ok := hookNames[tmpl[i+1:i+max(j, 1)]]
		if j < 0 || !ok {
			panic("provisioning: rule table: bad placeholder in " + tmpl)
		}
		s = append(s, piece{hook: h})
		tmpl = tmpl[i+j+1:]
	}
	return s
}

// said is a saying of the rule table, compiled.
type said struct {
	outcome      Outcome
	when, unless facts
	reason, fix  sentence
}

// sayings holds each rule's sayings, compiled once.
var sayings = func() (out [ruleEnd][]said) {
	for r := Rule(1); r < ruleEnd; r++ {
		for _, s := range ruleTable[r].says {
			out[r] = append(out[r], said{outcome: s.outcome, when: s.when, unless: s.unless, reason: compile(s.reason), fix: compile(s.fix)})
		}
	}
	return out
}()

// unsaid stands in for a saying the table lacks; the exhaustive test
// proves that no reachable outcome needs it.
var unsaid = said{reason: sentence{{hook: hookRule}, {text: ": "}, {hook: hookOutcome}}}

// sayingFor returns the saying that explains rule r's outcome o: the first
// of r's sayings for o that fits the decision's facts.
func (d *Decision) sayingFor(r Rule, o Outcome) *said {
	f := d.facts
	switch d.kind {
	case usertype.KindApplication:
		f |= fKindApplication
	case usertype.KindNonInteractive:
		f |= fKindNonInteractive
	}
	if d.Admitted() {
		f |= fAdmitted
	}
	for i := range sayings[r] {
		s := &sayings[r][i]
		if s.outcome == o && f&s.when == s.when && f&s.unless == 0 {
			return s
		}
	}
	return &unsaid
}

// escapes is a set of hooks whose values need escaping in JSON.
type escapes uint16

// jsonEscapes returns the hooks of d whose values hold a character that a
// JSON string must escape: the table's own words need none
// (TestRuleTableSentences), and most names none either, so that most
// sentences are copied as they are.
func (d *Decision) jsonEscapes() escapes {
	var e escapes
	for _, v := range [...]struct {
		h hook
		s string
	}{{hookUser, d.who}, {hookEnv, d.env}, {hookTenant, d.tenant}, {hookGroup, d.group}, {hookForeign, d.foreign}, {hookTeam, d.team}, {hookRoleTeam, d.roleTeam}} {
		if jsontext.NeedsEscape(v.s) {
			e |= 1 << v.h
		}
	}
	return e
}

// appendSentence appends s for rule r's check with outcome o, its hooks
// filled from d; the values of the hooks in esc escaped for the inside of
// a JSON string.
func (d *Decision) appendSentence(b []byte, s sentence, r Rule, o Outcome, esc escapes) []byte {
	for _, p := range s {
		var v string
		switch p.hook {
		case literal:
			b = append(b, p.text...)
			continue
		case hookRoles:
			b = d.roles.appendText(b) // a decision's roles are valid
			continue
		case hookGroupRoles:
			b = d.groupRoles.appendText(b)
			continue
		case hookMode:
			b = append(b, d.mode.String()...)
			continue
		case hookCauses:
			b = d.appendCauses(b)
			continue
		case hookRule:
			b = append(b, r.String()...)
			continue
		case hookOutcome:
			b = append(b, o.String()...)
			continue
		case hookUser:
			v = d.who
		case hookEnv:
			v = d.env
		case hookTenant:
			v = d.tenant
		case hookGroup:
			v = d.group
		case hookForeign:
			v = d.foreign
		case hookTeam:
			v = d.team
		case hookRoleTeam:
			v = d.roleTeam
		}
		if esc&(1<<p.hook) != 0 {
			b = jsontext.Escape(b, v)
		} else {
			b = append(b, v...)
		}
	}
	return b
}

// appendCauses says what makes ON-DEMAND-ONLY hold the user to on demand.
func (d *Decision) appendCauses(b []byte) []byte {
	if d.facts.has(fTeams) {
		b = append(b, "a Dataverse for Teams environment"...)
		if d.onDemand.Has(RuleLicRequired) {
			b = append(b, "; "...)
		}
	}
	if d.onDemand.Has(RuleLicRequired) {
		b = append(b, "entitled only by app pass, a tenant Marketing license or the free Microsoft 365 plan"...)
	}
	return b
}

// diagnosisOrder lists the rules grouped by area in diagnosis order, and
// in catalogue order within an area.
var diagnosisOrder = func() []Rule {
	out := Rules()
	slices.SortStableFunc(out, func(a, b Rule) int { return cmp.Compare(ruleTable[a].area, ruleTable[b].area) })
	return out
}()

// eachCheck calls yield for every checked rule in diagnosis order.
func (d *Decision) eachCheck(yield func(Rule, Area, Outcome)) {
	checked := d.checkedRules()
	for _, r := range diagnosisOrder {
		if checked.Has(r) {
			yield(r, ruleTable[r].area, d.Outcome(r))
		}
	}
}

// Checks returns every checked rule, grouped by area in diagnosis order and
// by catalogue order within an area, each with its reason and fix. It
// allocates the list and one string that holds all the sentences; a stream
// of many decisions should use AppendJSON instead.
func (d Decision) Checks() []Check {
	out := make([]Check, 0, d.checkedRules().Len())
	var text []byte
	var ends []int // per check: where its reason ends, where its fix ends
	d.eachCheck(func(r Rule, a Area, o Outcome) {
		s := d.sayingFor(r, o)
		text = d.appendSentence(text, s.reason, r, o, 0)
		ends = append(ends, len(text))
		text = d.appendSentence(text, s.fix, r, o, 0)
		ends = append(ends, len(text))
		out = append(out, Check{Rule: r, Area: a, Outcome: o})
	})
	all := string(text)
	start := 0
	for i := range out {
		mid, end := ends[2*i], ends[2*i+1]
		out[i].Reason, out[i].Fix = all[start:mid], all[mid:end]
		start = end
	}
	return out
}

// Explain returns the whole diagnosis as text: a heading line, then the
// checks grouped by area, one line per check with its outcome, rule ID and
// reason, and an indented "fix:" line under every check that has one.
func (d Decision) Explain() string {
	b := append([]byte(d.who), " in "...)
	b = append(b, d.env...)
	b = append(b, ": "...)
	b = d.appendSummary(b)
	b = append(b, '\n')
	var area Area
	d.eachCheck(func(r Rule, a Area, o Outcome) {
		if a != area {
			area = a
			b = append(b, "  ["...)
			b = append(b, a.String()...)
			b = append(b, "]\n"...)
		}
		b = append(b, "    "...)
		b = pad(append(b, o.String()...), len(b)+10)
		b = pad(append(b, ruleNames[r]...), len(b)+26)
		s := d.sayingFor(r, o)
		b = append(d.appendSentence(b, s.reason, r, o, 0), '\n')
		if len(s.fix) > 0 {
			b = append(b, "                                        fix: "...)
			b = append(d.appendSentence(b, s.fix, r, o, 0), '\n')
		}
	})
	return string(b)
}

// pad appends spaces to b up to length n, and at least one.
func pad(b []byte, n int) []byte {
	b = append(b, ' ')
	for len(b) < n {
		b = append(b, ' ')
	}
	return b
}

// MarshalJSON writes the decision with its checks, as AppendJSON does.
func (d Decision) MarshalJSON() ([]byte, error) { return d.AppendJSON(nil), nil }

// AppendJSON appends the decision as one JSON object to dst: "user",
// "environment", "admission", "accessMode" (only when admitted: a refused
// user has none), "failed" (every failed rule), "onDemandBy" (only for an
// on-demand admission), "error" (only for malformed input) and "checks",
// each with "rule", "area", "outcome", "reason" and "fix" (only when there
// is one). It allocates nothing once dst has room, so that a stream of
// explained decisions can reuse one buffer.
func (d Decision) AppendJSON(dst []byte) []byte {
	b := append(dst, `{"user":`...)
	b = jsontext.Append(b, d.who)
	b = append(b, `,"environment":`...)
	b = jsontext.Append(b, d.env)
	b = append(b, `,"admission":"`...)
	b = append(b, d.admission.String()...)
	b = append(b, '"')
	if d.Admitted() {
		b = append(b, `,"accessMode":"`...)
		b = append(b, d.mode.String()...)
		b = append(b, '"')
	}
	b = append(b, `,"failed":[`...)
	b = appendRuleList(b, d.failed)
	b = append(b, ']')
	if by := d.OnDemandBy(); by != 0 {
		b = append(b, `,"onDemandBy":[`...)
		b = appendRuleList(b, by)
		b = append(b, ']')
	}
	if d.err != nil {
		b = append(b, `,"error":`...)
		b = jsontext.Append(b, d.err.Error())
	}
	b = append(b, `,"checks":[`...)
	esc := d.jsonEscapes()
	first := true
	d.eachCheck(func(r Rule, a Area, o Outcome) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `{"rule":"`...)
		b = append(b, ruleNames[r]...)
		b = append(b, `","area":"`...)
		b = append(b, areaNames[a]...)
		b = append(b, `","outcome":"`...)
		b = append(b, outcomeNames[o]...)
		b = append(b, `","reason":"`...)
		s := d.sayingFor(r, o)
		b = d.appendSentence(b, s.reason, r, o, esc)
		if len(s.fix) > 0 {
			b = append(b, `","fix":"`...)
			b = d.appendSentence(b, s.fix, r, o, esc)
		}
		b = append(b, `"}`...)
	})
	return append(b, "]}"...)
}

// appendRuleList appends the IDs of s as JSON strings separated by commas.
func appendRuleList(b []byte, s RuleSet) []byte {
	first := true
	for r := Rule(1); r < ruleEnd; r++ {
		if !s.Has(r) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, ruleNames[r]...)
		b = append(b, '"')
	}
	return b
}
