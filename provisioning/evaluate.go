package provisioning

import "github.com/provisionrules/provisionrules/usertype"

// facts are what a decision knows of its inputs: everything the rules
// read, reduced to bits, so that deciding is a function of facts alone and
// the explanation can be written later without keeping the inputs.
type facts uint32

const (
	// Of the user's licenses (LIC-GUEST-TENANT: only those assigned in the
	// environment's tenant count).
	fPremium facts = 1 << iota // a premium license in the environment's tenant
	fFree                      // the free Dataverse plan in the environment's tenant
	fOther                     // a license of another plan, anywhere
	fForeign                   // a premium or free license in another tenant

	// Of the user's relation to the environment's security group.
	fDirect // direct member
	fOwner  // owner
	fNested // member only through nesting

	// Of the user.
	fEnabled     // accountEnabled
	fDeleted     // hard deleted
	fSoftDeleted // soft deleted
	fCreator     // created the environment
	fApp         // application user
	fAdmin       // holds any admin role
	fSGExempt    // Global or Power Platform admin

	// Of the environment.
	fDataverse // has Dataverse
	fGroup     // has a security group
	fAppPass   // has app-pass capacity
	fMarketing // its tenant has a Marketing license
	fDeveloper // developer environment
	fTrial     // trial environment
	fTeams     // Dataverse for Teams environment

	// Of the existing record.
	fRecord   // a record was given
	fRoles    // has a security role
	fKeepMode // has an access mode an administrator set (MODE-KEEP)
)

func (f facts) has(x facts) bool { return f&x != 0 }

// admissionRules are the rules whose failure refuses admission.
const admissionRules = ^RuleSet(0) &^ (1 << RuleLifeAccessNeedsRole)

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
// mode; and why, rule by rule. It checks every rule of the "Admission" and
// "Access mode on admission" sections of RULES.md, not only up to the first
// that fails, so that the decision lists everything that is wrong at once.
//
// Evaluate is pure and deterministic, and its answer does not depend on the
// order of the user's licenses or groups. It reads u and env and retains
// neither; they are pointers only because they are large and Evaluate is
// the hot path. Malformed input, nil included, is never admitted: the
// decision is then Never, and Err names the field. Evaluate makes no
// allocation for well-formed input.
func Evaluate(u *User, env *Environment) Decision {
	return evaluate(u, env, nil)
}

// EvaluateRecord is Evaluate for a user that already has record r in env.
// The record adds what only it can tell: a non-interactive mark
// (UT-NONINTERACTIVE, LIC-EXEMPT-NONINTERACTIVE), an access mode an
// administrator set (MODE-KEEP), a stub or well-known record that the
// directory never admits (UT-STUB, UT-SUPPORT, UT-DELEGATED-ADMIN,
// LIFE-NOT-SYNCED), and whether the user has a security role
// (LIFE-ACCESS-NEEDS-ROLE). The record must belong to u by object ID
// (LIFE-MATCH); one that does not is malformed input.
//
// Whether the record is enabled does not change the decision: Reconcile
// turns a decision into enabling or disabling the record.
//
// Like Evaluate, it retains none of its arguments. A nil r is the same as
// calling Evaluate.
func EvaluateRecord(u *User, env *Environment, r *Record) Decision {
	return evaluate(u, env, r)
}

// evaluate does not retain u, env or rec.
func evaluate(u *User, env *Environment, rec *Record) (d Decision) {
	switch {
	case env == nil:
		d.err = &FieldError{Record: "environment", Field: "*Environment", Value: "nil", Err: ErrMissing}
		return
	case u == nil:
		d.err = &FieldError{Record: "user", Field: "*User", Value: "nil", Err: ErrMissing}
		return
	}
	d.checked = checkedByEvaluate
	d.roles = u.Roles
	d.who = u.UPN
	if d.who == "" {
		d.who = u.ObjectID
	}
	d.env, d.tenant, d.group = env.ID, env.Tenant, env.SecurityGroup
	if rec != nil {
		d.checked |= checkedWithRecord
	}
	if d.err = env.validate(); d.err != nil {
		if d.err.Err == ErrDeveloperGroup {
			d.fail(RuleEnvNoGroup)
		}
		return
	}
	if d.facts, d.foreign, d.err = u.scan(env.Tenant, env.SecurityGroup); d.err != nil {
		return
	}
	d.facts |= env.facts(u)
	d.kind = usertype.KindRegular
	if rec != nil {
		if d.kind, d.err = rec.scan(u); d.err != nil {
			if d.err.Err == ErrRecordMismatch {
				d.fail(RuleLifeMatch)
			}
			return
		}
		d.facts |= rec.facts()
		d.recMode = rec.Mode
	}
	if d.facts.has(fApp) && d.kind.Synced() {
		d.kind = usertype.KindApplication
	}
	d.decide()
	return
}

// facts returns what the rules read of env, and whether u created it.
func (env *Environment) facts(u *User) facts {
	var f facts
	if env.Dataverse {
		f |= fDataverse
	}
	if env.SecurityGroup != "" {
		f |= fGroup
	}
	if env.AppPass {
		f |= fAppPass
	}
	if env.TenantMarketing {
		f |= fMarketing
	}
	switch env.Type {
	case Developer:
		f |= fDeveloper
	case Trial:
		f |= fTrial
	case Teams:
		f |= fTeams
	}
	if env.Creator != "" && env.Creator == u.ObjectID {
		f |= fCreator
	}
	return f
}

// outcomes are the rules passed, passed on demand only, and failed.
type outcomes struct{ passed, limited, failed RuleSet }

func (o *outcomes) pass(r Rule)  { o.passed = o.passed.With(r) }
func (o *outcomes) limit(r Rule) { o.limited = o.limited.With(r) }
func (o *outcomes) fail(r Rule)  { o.failed = o.failed.With(r) }

// fail records r as failed in d, for malformed input.
func (d *Decision) fail(r Rule) { d.failed = d.failed.With(r) }

// decide applies the admission and access-mode rules to d.facts. It is
// one function, by sections, because it is the hot path.
func (d *Decision) decide() {
	f, kind := d.facts, d.kind
	var o outcomes

	// The environment: ENV-DATAVERSE, ENV-DEVELOPER, ENV-NO-GROUP (Validate
	// refused a developer environment with a group), ENV-TRIAL, ENV-TEAMS.
	if f.has(fDataverse) {
		o.pass(RuleEnvDataverse)
	} else {
		o.fail(RuleEnvDataverse)
	}
	switch {
	case f.has(fDeveloper):
		o.pass(RuleEnvNoGroup)
		if f.has(fCreator) {
			o.pass(RuleEnvDeveloper)
		} else {
			o.fail(RuleEnvDeveloper)
		}
	case f.has(fTrial):
		o.limit(RuleEnvTrial)
	case f.has(fTeams):
		o.limit(RuleEnvTeams)
		o.limit(RuleOnDemandOnly)
	}

	// The directory: DIR-ENABLED.
	if f.has(fEnabled) && !f.has(fDeleted|fSoftDeleted) {
		o.pass(RuleDirEnabled)
	} else {
		o.fail(RuleDirEnabled)
	}

	// The kind of user: UT-APPLICATION (an administrator creates
	// application users, the user sync never does), UT-NONINTERACTIVE, and
	// the records the directory never admits: UT-STUB, UT-SUPPORT,
	// UT-DELEGATED-ADMIN, LIFE-NOT-SYNCED.
	switch kind {
	case usertype.KindApplication:
		o.limit(RuleUTApplication)
	case usertype.KindNonInteractive:
		o.pass(RuleUTNonInteractive)
	case usertype.KindStub, usertype.KindSupport, usertype.KindDelegatedAdmin:
		r := wellKnownRule[kind]
		d.checked = d.checked.With(r).With(RuleLifeNotSynced)
		o.fail(r)
		o.fail(RuleLifeNotSynced)
	}

	// The license: LIC-REQUIRED, LIC-GUEST-TENANT, the exemptions,
	// LIC-FREE-M365 and ON-DEMAND-ONLY.
	switch {
	case kind == usertype.KindApplication:
		// UT-APPLICATION: no license rule applies.
	case kind == usertype.KindNonInteractive:
		o.pass(RuleLicExemptNonInteractive)
	case f.has(fPremium):
		o.pass(RuleLicRequired)
		if f.has(fForeign) {
			o.pass(RuleLicGuestTenant)
		}
	case f.has(fAdmin):
		o.pass(RuleLicExemptAdmin)
	case f.has(fAppPass | fMarketing | fFree):
		o.limit(RuleLicRequired)
		if f.has(fForeign) {
			o.limit(RuleLicGuestTenant)
		}
		if f.has(fAppPass) {
			o.limit(RuleLicExemptAppPass)
		}
		if f.has(fMarketing) {
			o.limit(RuleLicExemptMarketing)
		}
		if f.has(fFree) {
			o.limit(RuleLicFreeM365)
		}
		o.limit(RuleOnDemandOnly)
	default:
		o.fail(RuleLicRequired)
		if f.has(fForeign) {
			o.fail(RuleLicGuestTenant)
		}
	}

	// The security group: SG-MEMBER, SG-NESTED, SG-OWNER. Application
	// users are exempt (UT-APPLICATION); Global and Power Platform admins
	// too; Dynamics 365 service admins are not.
	switch {
	case !f.has(fGroup) || kind == usertype.KindApplication:
	case f.has(fSGExempt | fDirect):
		o.pass(RuleSGMember)
	case f.has(fOwner):
		o.limit(RuleSGOwner)
	default:
		o.fail(RuleSGMember)
		if f.has(fNested) {
			o.fail(RuleSGNested)
		}
	}

	// A security role, for a record: LIFE-ACCESS-NEEDS-ROLE. It does not
	// change the admission.
	if f.has(fRecord) {
		o.pass(RuleLifeMatch) // evaluate refused a record of another object
		if f.has(fRoles) {
			o.pass(RuleLifeAccessNeedsRole)
		} else {
			o.fail(RuleLifeAccessNeedsRole)
		}
	}

	d.passed, d.limited, d.failed = o.passed, o.limited, o.failed
	switch {
	case o.failed&admissionRules != 0:
		d.admission = Never
		return
	case o.limited != 0:
		d.admission = OnDemand
	default:
		d.admission = Automatic
	}

	// The access mode: MODE-KEEP, UT-APPLICATION, MODE-READ-WRITE,
	// MODE-ADMINISTRATIVE. A user entitled by capacity or a free plan is a
	// licensed user on demand.
	switch {
	case f.has(fKeepMode):
		d.mode = d.recMode
		o.pass(RuleModeKeep)
	case kind == usertype.KindApplication:
		d.mode = usertype.NonInteractive
	case !f.has(fPremium) && f.has(fAdmin):
		d.mode = usertype.Administrative
		o.pass(RuleModeAdministrative)
	default:
		d.mode = usertype.ReadWrite
		o.pass(RuleModeReadWrite)
	}
	d.passed = o.passed
}

// wellKnownRule is the rule that keeps the directory from each record kind
// it never admits.
var wellKnownRule = [...]Rule{
	usertype.KindStub:           RuleUTStub,
	usertype.KindSupport:        RuleUTSupport,
	usertype.KindDelegatedAdmin: RuleUTDelegatedAdmin,
}
