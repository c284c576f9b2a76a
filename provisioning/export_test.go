package provisioning

import "github.com/provisionrules/provisionrules/usertype"

// Shape is all that a decision's words depend on: two decisions of one
// shape are explained by the same sayings.
type Shape struct {
	facts                             facts
	kind                              usertype.Kind
	admission                         Admission
	checked, passed, onDemand, failed RuleSet
}

// ShapeOf returns d's shape.
func ShapeOf(d Decision) Shape {
	return Shape{d.facts, d.kind, d.admission, d.checkedRules(), d.passed, d.onDemand, d.failed}
}

const modeRules = 1<<RuleModeReadWrite | 1<<RuleModeAdministrative | 1<<RuleModeKeep

// SayingProblems lists what is wrong with d's explanation: a checked rule
// whose outcome has no saying in the rule table, a failed or on-demand
// check that says no fix, a check that does not apply but says one, and
// an admission that its checks contradict.
func SayingProblems(d Decision) []string {
	var out []string
	d.eachCheck(func(r Rule, _ Area, o Outcome) {
		s := d.sayingFor(r, o)
		switch {
		case s == &unsaid:
			out = append(out, r.String()+": no sentence for outcome "+o.String())
		case d.err != nil:
		case (o == OutcomeFailed || o == OutcomePassedOnDemand) && len(s.fix) == 0:
			out = append(out, r.String()+": "+o.String()+" without a fix")
		case o == OutcomeNotApplicable && len(s.fix) > 0:
			out = append(out, r.String()+": n/a with a fix")
		}
	})
	refused := d.RefusedBy() != 0
	switch {
	case d.err != nil:
	case refused != (d.admission == AdmissionNever):
		out = append(out, "admission "+d.admission.String()+" but refused by "+d.RefusedBy().String())
	case d.admission == AdmissionOnDemand && d.onDemand == 0:
		out = append(out, "on-demand admission with no rule that holds it to on demand")
	case d.admission == AdmissionAutomatic && d.onDemand != 0:
		out = append(out, "automatic admission held to on demand by "+d.onDemand.String())
	case d.Admitted() && d.kind != usertype.KindApplication && d.passed&modeRules == 0:
		out = append(out, "an admitted user with no access-mode rule passed")
	case !d.Admitted() && d.passed&modeRules != 0:
		out = append(out, "a user not admitted passed an access-mode rule")
	}
	return out
}
