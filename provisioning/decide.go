package provisioning

import "github.com/provisionrules/provisionrules/usertype"

// checkedByEvaluate are the rules every decision checks.
var checkedByEvaluate = RuleSetOf(
	RuleEnvDataverse, RuleEnvDeveloper, RuleEnvTrial, RuleEnvTeams, RuleEnvNoGroup,
	RuleDirEnabled, RuleUTApplication, RuleUTNonInteractive,
	RuleLicRequired, RuleLicGuestTenant, RuleLicExemptAdmin, RuleLicExemptAppPass,
	RuleLicExemptMarketing, RuleLicExemptNonInteractive, RuleLicFreeM365,
	RuleSGMember, RuleSGNested, RuleSGOwner, RuleOnDemandOnly,
	RuleModeReadWrite, RuleModeAdministrative, RuleModeKeep,
)

// checkedWithRecord are the further rules checked when a record is given.
var checkedWithRecord = RuleSetOf(RuleLifeMatch, RuleLifeAccessNeedsRole)

// Evaluate decides whether u is admitted to env when u has no record
// there yet: automatically, on demand only, or never; with which access
// mode; and why, rule by rule. It checks every rule of the "Admission"
// and "Access mode on admission" sections of the catalogue, not only up
// to the first that fails, so that the decision lists everything that is
// wrong at once.
//
// Evaluate is pure and deterministic, and its answer does not depend on the
// order of the user's licenses or groups. It reads u and env and retains
// neither; they are pointers only because they are large and Evaluate is
// the hot path. Malformed input, nil included, is never admitted: the
// decision is then Never, and Err names the field: Evaluate refuses
// whatever Validate refuses, an identifier's characters included. It makes
// no allocation for well-formed input.
func Evaluate(u *User, env *Environment) Decision {
	return evaluate(u, env, nil)
}

// EvaluateRecord is Evaluate for a user that already has record r in env.
// The record adds what only it can tell: a non-interactive mark
// (UT-NONINTERACTIVE, LIC-EXEMPT-NONINTERACTIVE), an access mode an
// administrator set (MODE-KEEP), a stub or well-known record that the
// directory never admits (UT-STUB, UT-SUPPORT, UT-DELEGATED-ADMIN,
// LIFE-NOT-SYNCED), and whether the user has a security role
// (LIFE-ACCESS-NEEDS-ROLE). The record must belong to u (Match,
// LIFE-MATCH); one that does not is malformed input.
//
// Whether the record is enabled does not change the decision: Reconcile
// turns a decision into enabling or disabling the record.
//
// Like Evaluate, it retains none of its arguments. A nil r is the same as
// calling Evaluate.
func EvaluateRecord(u *User, env *Environment, r *Record) Decision {
	return evaluate(u, env, r)
}

// evaluate checks u, env and rec and decides on them. It does not retain
// its arguments.
func evaluate(u *User, env *Environment, rec *Record) Decision {
	ce, cu, cr, err := check(u, env, rec)
	if err != nil {
		return refused(u, env, rec, err)
	}
	return ce.decide(&cu, &cr)
}

// check checks env, u and rec (either of which may be nil where the
// caller allows it), in that order, and returns the proofs or the first
// error.
func check(u *User, env *Environment, rec *Record) (ce CheckedEnvironment, cu CheckedUser, cr CheckedRecord, err *FieldError) {
	if env == nil {
		return ce, cu, cr, missing("environment", "*Environment")
	}
	if err = env.validate(); err != nil {
		return ce, cu, cr, err
	}
	ce = CheckedEnvironment{env: env, f: env.ownFacts()}
	if u != nil {
		if err = u.validate(env.Tenant); err != nil {
			return ce, cu, cr, err
		}
		cu = CheckedUser{u: u, f: u.ownFacts()}
	}
	if rec != nil {
		var k usertype.Kind
		if k, err = rec.validate(); err != nil {
			return ce, cu, cr, err
		}
		cr = CheckedRecord{r: rec, kind: k, f: rec.facts()}
	}
	return ce, cu, cr, nil
}

// refused is the decision of malformed input: Never, with err, saying what
// it can of the inputs, and refused by no rule: a malformed input is told
// apart from a rule's refusal by Err alone (a developer environment with a
// security group is malformed, and its error says ENV-NO-GROUP).
func refused(u *User, env *Environment, rec *Record, err *FieldError) (d Decision) {
	d.err = err
	if u == nil || env == nil {
		return d
	}
	d.describe(u, env)
	return d
}

// decide applies the rules to d.facts and d.kind: it is the one place
// where each rule's logic lives, by sections, in one function because it
// is the hot path. It records every checked rule's outcome, then the
// admission and access mode.
func (d *Decision) decide() {
	f, kind := d.facts, d.kind
	var passed, onDemand, failed RuleSet

	// The environment: ENV-DATAVERSE, ENV-DEVELOPER, ENV-NO-GROUP (Validate
	// refused a developer environment with a group), ENV-TRIAL, ENV-TEAMS.
	if f.has(fDataverse) {
		passed = passed.With(RuleEnvDataverse)
	} else {
		failed = failed.With(RuleEnvDataverse)
	}
	switch {
	case f.has(fDeveloper):
		passed = passed.With(RuleEnvNoGroup)
		if f.has(fCreator) {
			passed = passed.With(RuleEnvDeveloper)
		} else {
			failed = failed.With(RuleEnvDeveloper)
		}
	case f.has(fTrial):
		onDemand = onDemand.With(RuleEnvTrial)
	case f.has(fTeams):
		onDemand = onDemand.With(RuleEnvTeams).With(RuleOnDemandOnly)
	}

	// The directory: DIR-ENABLED.
	if f.has(fEnabled) && !f.has(fDeleted|fSoftDeleted) {
		passed = passed.With(RuleDirEnabled)
	} else {
		failed = failed.With(RuleDirEnabled)
	}

	// The kind of user: UT-APPLICATION (an administrator creates
	// application users, the user sync never does), UT-NONINTERACTIVE, and
	// the records the directory never admits (usertype.Kind.Synced):
	// UT-STUB, UT-SUPPORT, UT-DELEGATED-ADMIN, LIFE-NOT-SYNCED.
	switch {
	case kind == usertype.KindApplication:
		onDemand = onDemand.With(RuleUTApplication)
	case kind == usertype.KindNonInteractive:
		passed = passed.With(RuleUTNonInteractive)
	case !kind.Synced():
		r := notSyncedRule[kind]
		failed = failed.With(r).With(RuleLifeNotSynced)
	}

	// The license: LIC-REQUIRED, LIC-GUEST-TENANT, the exemptions,
	// LIC-FREE-M365 and ON-DEMAND-ONLY.
	switch {
	case kind == usertype.KindApplication:
		// UT-APPLICATION: no license rule applies.
	case kind == usertype.KindNonInteractive:
		passed = passed.With(RuleLicExemptNonInteractive)
	case f.has(fPremium):
		passed = passed.With(RuleLicRequired)
		if f.has(fForeign) {
			passed = passed.With(RuleLicGuestTenant)
		}
	case f.has(fAdmin):
		passed = passed.With(RuleLicExemptAdmin)
	case f.has(fAppPass | fMarketing | fFree):
		onDemand = onDemand.With(RuleLicRequired).With(RuleOnDemandOnly)
		if f.has(fForeign) {
			onDemand = onDemand.With(RuleLicGuestTenant)
		}
		if f.has(fAppPass) {
			onDemand = onDemand.With(RuleLicExemptAppPass)
		}
		if f.has(fMarketing) {
			onDemand = onDemand.With(RuleLicExemptMarketing)
		}
		if f.has(fFree) {
			onDemand = onDemand.With(RuleLicFreeM365)
		}
	default:
		failed = failed.With(RuleLicRequired)
		if f.has(fForeign) {
			failed = failed.With(RuleLicGuestTenant)
		}
	}

	// The security group: SG-MEMBER, SG-NESTED, SG-OWNER, and GT-SG: a
	// group team whose group is a direct member of the security group lets
	// the users it holds in at their own access. Application users are
	// exempt (UT-APPLICATION); Global and Power Platform admins too;
	// Dynamics 365 service admins are not.
	switch {
	case !f.has(fGroup) || kind == usertype.KindApplication:
	case f.has(fSGExempt | fDirect):
		passed = passed.With(RuleSGMember)
	case f.has(fOwner):
		onDemand = onDemand.With(RuleSGOwner)
	case f.has(fTeamInSG):
		onDemand = onDemand.With(RuleGTSG)
	default:
		failed = failed.With(RuleSGMember)
		if f.has(fNested) {
			failed = failed.With(RuleSGNested)
		}
		if f.has(fTeamHeld) {
			failed = failed.With(RuleGTSG)
		}
	}

	// The group teams that hold the user: GT-MATCH.
	if f.has(fHasTeams) {
		if f.has(fTeamHeld) {
			passed = passed.With(RuleGTMatch)
		}
	}

	// A record: LIFE-MATCH (evaluate refused a record of another object);
	// DEL-SOFT-EFFECT, a record deleted by an administrator, which nothing
	// enables again; and LIFE-ACCESS-NEEDS-ROLE and GT-ROLES, which do not
	// change the admission: a role of its own or a team's counts.
	if f.has(fRecord) {
		passed = passed.With(RuleLifeMatch)
		if f.has(fRecordDeleted) {
			failed = failed.With(RuleDelSoftEffect)
		}
		if f.has(fRoles | fTeamRoles) {
			passed = passed.With(RuleLifeAccessNeedsRole)
		} else {
			failed = failed.With(RuleLifeAccessNeedsRole)
		}
		if f.has(fTeamRoles) {
			if f.has(fRoles | fTeamRoleInherited) {
				passed = passed.With(RuleGTRoles)
			} else {
				failed = failed.With(RuleGTRoles)
			}
		}
	}

	// A rule that refuses leaves the admission Never, the zero Admission.
	if failed&admissionRules == 0 {
		d.admission = AdmissionAutomatic
		if onDemand != 0 {
			d.admission = AdmissionOnDemand
		}
	}

	// GT-JIT-ADD: a team adds the user it holds at the user's own first
	// access when the user is admitted; only then when the team is what
	// lets it in (GT-SG). The background sync never adds it for the team.
	if !f.has(fRecord) && f.has(fTeamHeld) && d.admission != AdmissionNever {
		if onDemand.Has(RuleGTSG) {
			onDemand = onDemand.With(RuleGTJITAdd)
		} else {
			passed = passed.With(RuleGTJITAdd)
		}
	}

	// The access mode of an admitted user: MODE-KEEP, UT-APPLICATION,
	// MODE-ADMINISTRATIVE, MODE-READ-WRITE. A user entitled by capacity or
	// a free plan is a licensed user on demand.
	if d.admission != AdmissionNever {
		switch {
		case f.has(fKeepMode):
			d.mode = d.recMode
			passed = passed.With(RuleModeKeep)
		case kind == usertype.KindApplication:
			d.mode = usertype.NonInteractive
		case !f.has(fPremium) && f.has(fAdmin):
			d.mode = usertype.Administrative
			passed = passed.With(RuleModeAdministrative)
		default:
			d.mode = usertype.ReadWrite
			passed = passed.With(RuleModeReadWrite)
		}
	}
	d.passed, d.onDemand, d.failed = passed, onDemand, failed
}

// notSyncedRule is the rule that keeps the directory from each record kind
// the sync never changes.
var notSyncedRule = [...]Rule{
	usertype.KindStub:           RuleUTStub,
	usertype.KindSupport:        RuleUTSupport,
	usertype.KindDelegatedAdmin: RuleUTDelegatedAdmin,
}
