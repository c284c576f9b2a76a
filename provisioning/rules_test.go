package provisioning_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

const tenant = "contoso"

// licensed is a member of tenant contoso with a Power Apps premium license
// and a direct member of group g-sales.
func licensed() provisioning.User {
	return provisioning.User{
		ObjectID: "u-ana",
		UPN:      "ana@contoso.com",
		Enabled:  true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: tenant}},
		Groups:   []string{"g-sales"},
	}
}

// production is a production environment with Dataverse and group g-sales.
func production() provisioning.Environment {
	return provisioning.Environment{ID: "env-prod", Tenant: tenant, Type: provisioning.EnvProduction, Dataverse: true, SecurityGroup: "g-sales"}
}

type ruleCase struct {
	name   string
	rule   provisioning.Rule
	user   func(*provisioning.User)
	env    func(*provisioning.Environment)
	record *provisioning.Record // EvaluateRecord when set
	want   provisioning.Outcome
	admit  provisioning.Admission
	mode   *usertype.AccessMode // checked when set
	// malformed, when set, is the error the rule refuses the input with:
	// the decision is malformed, refused by no rule, its error naming the
	// rule, and checks nothing.
	malformed error
}

func mode(m usertype.AccessMode) *usertype.AccessMode { return &m }

func noLicense(u *provisioning.User) { u.Licenses = nil }

// ruleCases has, for every rule of the sections "Admission" and "Access
// mode on admission" of RULES.md (and the user-type and lifecycle rules
// that a record brings to a decision), a case the rule lets through and a
// case it refuses or holds to on-demand. Expectations come from RULES.md.
var ruleCases = []ruleCase{
	{name: "dataverse admits", rule: provisioning.RuleEnvDataverse, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "no dataverse refuses", rule: provisioning.RuleEnvDataverse, env: func(e *provisioning.Environment) { e.Dataverse = false }, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},

	{name: "developer creator admitted", rule: provisioning.RuleEnvDeveloper, env: developer("u-ana"), want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "developer non-creator refused", rule: provisioning.RuleEnvDeveloper, env: developer("u-bob"), want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},

	{name: "production not trial", rule: provisioning.RuleEnvTrial, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic},
	{name: "trial on demand only", rule: provisioning.RuleEnvTrial, env: func(e *provisioning.Environment) { e.Type = provisioning.EnvTrial }, want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand},

	{name: "production not teams", rule: provisioning.RuleEnvTeams, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic},
	{name: "teams first access only", rule: provisioning.RuleEnvTeams, env: func(e *provisioning.Environment) { e.Type = provisioning.EnvTeams }, want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand},

	{name: "developer without group", rule: provisioning.RuleEnvNoGroup, env: developer("u-ana"), want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "developer with group invalid", rule: provisioning.RuleEnvNoGroup, env: func(e *provisioning.Environment) { e.Type, e.Creator = provisioning.EnvDeveloper, "u-ana" }, malformed: provisioning.ErrDeveloperGroup, admit: provisioning.AdmissionNever},

	{name: "enabled", rule: provisioning.RuleDirEnabled, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "disabled", rule: provisioning.RuleDirEnabled, user: func(u *provisioning.User) { u.Enabled = false }, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},
	{name: "deleted", rule: provisioning.RuleDirEnabled, user: func(u *provisioning.User) { u.Deleted = true }, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},
	{name: "soft deleted", rule: provisioning.RuleDirEnabled, user: func(u *provisioning.User) { u.SoftDeleted = true }, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},

	{name: "premium license", rule: provisioning.RuleLicRequired, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "dynamics 365 license", rule: provisioning.RuleLicRequired, user: plan(provisioning.PlanDynamics365, tenant), want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "office license only", rule: provisioning.RuleLicRequired, user: plan(provisioning.PlanOther, tenant), want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},
	{name: "no license", rule: provisioning.RuleLicRequired, user: noLicense, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},

	{name: "guest licensed in resource tenant", rule: provisioning.RuleLicGuestTenant, user: guest(provisioning.License{Plan: provisioning.PlanDynamics365, Tenant: tenant}), want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "guest licensed only at home", rule: provisioning.RuleLicGuestTenant, user: guest(), want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},

	{name: "global admin without license", rule: provisioning.RuleLicExemptAdmin, user: admin(provisioning.GlobalAdmin), want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.Administrative)},
	{name: "power platform admin without license", rule: provisioning.RuleLicExemptAdmin, user: admin(provisioning.PowerPlatformAdmin), want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "dynamics 365 admin without license", rule: provisioning.RuleLicExemptAdmin, user: admin(provisioning.Dynamics365Admin), want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "no role without license", rule: provisioning.RuleLicExemptAdmin, user: noLicense, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionNever},

	{name: "app pass on demand", rule: provisioning.RuleLicExemptAppPass, user: noLicense, env: func(e *provisioning.Environment) { e.AppPass = true }, want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand, mode: mode(usertype.ReadWrite)},
	{name: "no app pass", rule: provisioning.RuleLicExemptAppPass, user: noLicense, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionNever},

	{name: "tenant marketing on demand", rule: provisioning.RuleLicExemptMarketing, user: noLicense, env: func(e *provisioning.Environment) { e.TenantMarketing = true }, want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand},
	{name: "no tenant marketing", rule: provisioning.RuleLicExemptMarketing, user: noLicense, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionNever},

	{name: "non-interactive needs no license", rule: provisioning.RuleLicExemptNonInteractive, user: noLicense, record: &provisioning.Record{ObjectID: "u-ana", Mode: usertype.NonInteractive, Roles: []string{"Basic User"}}, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.NonInteractive)},
	{name: "non-interactive still needs the group", rule: provisioning.RuleLicExemptNonInteractive, user: func(u *provisioning.User) { u.Licenses, u.Groups = nil, nil }, record: &provisioning.Record{ObjectID: "u-ana", Mode: usertype.NonInteractive}, want: provisioning.OutcomePassed, admit: provisioning.AdmissionNever},
	{name: "regular record needs a license", rule: provisioning.RuleLicExemptNonInteractive, user: noLicense, record: &provisioning.Record{ObjectID: "u-ana"}, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionNever},

	{name: "free plan on demand", rule: provisioning.RuleLicFreeM365, user: plan(provisioning.PlanFreeDataverse, tenant), want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand},
	{name: "free plan of another tenant", rule: provisioning.RuleLicFreeM365, user: plan(provisioning.PlanFreeDataverse, "fabrikam"), want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionNever},

	{name: "direct member", rule: provisioning.RuleSGMember, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "not a member", rule: provisioning.RuleSGMember, user: func(u *provisioning.User) { u.Groups = []string{"g-hr"} }, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},
	{name: "global admin not a member", rule: provisioning.RuleSGMember, user: func(u *provisioning.User) { u.Groups, u.Roles = nil, provisioning.GlobalAdmin }, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "power platform admin not a member", rule: provisioning.RuleSGMember, user: func(u *provisioning.User) { u.Groups, u.Roles = nil, provisioning.PowerPlatformAdmin }, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "dynamics 365 admin not a member", rule: provisioning.RuleSGMember, user: func(u *provisioning.User) { u.Groups, u.Roles = nil, provisioning.Dynamics365Admin }, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},
	{name: "no group set", rule: provisioning.RuleSGMember, user: func(u *provisioning.User) { u.Groups = nil }, env: func(e *provisioning.Environment) { e.SecurityGroup = "" }, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic},

	{name: "nested and direct", rule: provisioning.RuleSGNested, user: func(u *provisioning.User) { u.NestedGroups = []string{"g-sales"} }, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic},
	{name: "nested only", rule: provisioning.RuleSGNested, user: func(u *provisioning.User) { u.Groups, u.NestedGroups = nil, []string{"g-sales"} }, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},

	{name: "owner on demand", rule: provisioning.RuleSGOwner, user: func(u *provisioning.User) { u.Groups, u.OwnedGroups = nil, []string{"g-sales"} }, want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand},
	{name: "owner of another group", rule: provisioning.RuleSGOwner, user: func(u *provisioning.User) { u.Groups, u.OwnedGroups = nil, []string{"g-hr"} }, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionNever},

	{name: "licensed is automatic", rule: provisioning.RuleOnDemandOnly, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic},
	{name: "app pass only is on demand", rule: provisioning.RuleOnDemandOnly, user: noLicense, env: func(e *provisioning.Environment) { e.AppPass = true }, want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand},
	{name: "teams is on demand", rule: provisioning.RuleOnDemandOnly, env: func(e *provisioning.Environment) { e.Type = provisioning.EnvTeams }, want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand},

	{name: "licensed read-write", rule: provisioning.RuleModeReadWrite, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.ReadWrite)},
	{name: "unlicensed admin not read-write", rule: provisioning.RuleModeReadWrite, user: admin(provisioning.GlobalAdmin), want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.Administrative)},

	{name: "unlicensed admin is setup user", rule: provisioning.RuleModeAdministrative, user: admin(provisioning.Dynamics365Admin), env: func(e *provisioning.Environment) { e.AppPass = true }, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.Administrative)},
	{name: "licensed admin is read-write", rule: provisioning.RuleModeAdministrative, user: func(u *provisioning.User) { u.Roles = provisioning.GlobalAdmin }, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.ReadWrite)},

	{name: "read mode kept", rule: provisioning.RuleModeKeep, record: &provisioning.Record{ObjectID: "u-ana", Mode: usertype.Read, Roles: []string{"Basic User"}}, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.Read)},
	{name: "administrative mode kept", rule: provisioning.RuleModeKeep, record: &provisioning.Record{ObjectID: "u-ana", Mode: usertype.Administrative}, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.Administrative)},
	{name: "read-write record follows the license", rule: provisioning.RuleModeKeep, user: admin(provisioning.GlobalAdmin), record: &provisioning.Record{ObjectID: "u-ana", Mode: usertype.ReadWrite}, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic, mode: mode(usertype.Administrative)},

	{name: "application user", rule: provisioning.RuleUTApplication, user: application, want: provisioning.OutcomePassedOnDemand, admit: provisioning.AdmissionOnDemand, mode: mode(usertype.NonInteractive)},
	{name: "not an application user", rule: provisioning.RuleUTApplication, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic},
	{name: "non-interactive record", rule: provisioning.RuleUTNonInteractive, record: &provisioning.Record{ObjectID: "u-ana", Mode: usertype.NonInteractive}, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "interactive record", rule: provisioning.RuleUTNonInteractive, record: &provisioning.Record{ObjectID: "u-ana"}, want: provisioning.OutcomeNotApplicable, admit: provisioning.AdmissionAutomatic},
	{name: "stub record never admitted", rule: provisioning.RuleUTStub, record: &provisioning.Record{ObjectID: "u-ana", UPN: "old@contoso.com", Stub: true}, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},
	{name: "support record never admitted", rule: provisioning.RuleUTSupport, record: &provisioning.Record{ObjectID: "u-ana", UPN: usertype.SupportUPN, Mode: usertype.SupportUser}, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},
	{name: "delegated-admin record never admitted", rule: provisioning.RuleUTDelegatedAdmin, record: &provisioning.Record{ObjectID: "u-ana", UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin}, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},
	{name: "well-known records not synced", rule: provisioning.RuleLifeNotSynced, record: &provisioning.Record{ObjectID: "u-ana", UPN: usertype.SupportUPN, Mode: usertype.SupportUser}, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionNever},

	{name: "record matched by object ID", rule: provisioning.RuleLifeMatch, record: &provisioning.Record{ObjectID: "u-ana", UPN: "someone-else@contoso.com"}, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "record of the same UPN but another object", rule: provisioning.RuleLifeMatch, record: &provisioning.Record{ObjectID: "u-old", UPN: "ana@contoso.com"}, malformed: provisioning.ErrObjectMismatch, admit: provisioning.AdmissionNever},
	{name: "record with a team role", rule: provisioning.RuleLifeAccessNeedsRole, env: withTeam(salesTeam), record: &provisioning.Record{ObjectID: "u-ana", Teams: []string{"g-sales"}}, want: provisioning.OutcomePassed, admit: provisioning.AdmissionAutomatic},
	{name: "record without a role stays admitted", rule: provisioning.RuleLifeAccessNeedsRole, record: &provisioning.Record{ObjectID: "u-ana"}, want: provisioning.OutcomeFailed, admit: provisioning.AdmissionAutomatic},
}

func developer(creator string) func(*provisioning.Environment) {
	return func(e *provisioning.Environment) {
		e.Type, e.SecurityGroup, e.Creator = provisioning.EnvDeveloper, "", creator
	}
}

func plan(p provisioning.LicensePlan, tenant string) func(*provisioning.User) {
	return func(u *provisioning.User) { u.Licenses = []provisioning.License{{Plan: p, Tenant: tenant}} }
}

func admin(r provisioning.AdminRoles) func(*provisioning.User) {
	return func(u *provisioning.User) { u.Licenses, u.Roles = nil, r }
}

// guest makes the user a guest from fabrikam holding a Dynamics 365 license
// assigned at home, plus extra.
func guest(extra ...provisioning.License) func(*provisioning.User) {
	return func(u *provisioning.User) {
		u.UPN = "ana_fabrikam.com#EXT#@contoso.com"
		u.Guest, u.HomeTenant = true, "fabrikam"
		u.Licenses = append([]provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "fabrikam"}}, extra...)
	}
}

func application(u *provisioning.User) {
	u.UPN, u.ApplicationID, u.Licenses, u.Groups = "", "app-1", nil, nil
}

func (c ruleCase) decide() provisioning.Decision {
	u, env := licensed(), production()
	if c.user != nil {
		c.user(&u)
	}
	if c.env != nil {
		c.env(&env)
	}
	if c.record != nil {
		return provisioning.EvaluateRecord(&u, &env, c.record)
	}
	return provisioning.Evaluate(&u, &env)
}

func TestRules(t *testing.T) {
	for _, c := range ruleCases {
		t.Run(c.rule.String()+"/"+c.name, func(t *testing.T) {
			d := c.decide()
			if c.malformed != nil {
				if !errors.Is(d.Err(), c.malformed) || !strings.Contains(d.Err().Error(), c.rule.String()) || d.RefusedBy() != 0 || len(d.Checks()) != 0 ||
					d.Admission() != c.admit || !strings.Contains(d.String(), "malformed input") {
					t.Errorf("a decision refused as malformed by %s: err %v, refused by %v, %d checks:\n%s", c.rule, d.Err(), d.RefusedBy(), len(d.Checks()), d.Explain())
				}
				return
			}
			if got := d.Outcome(c.rule); got != c.want {
				t.Errorf("outcome of %s = %s, want %s\n%s", c.rule, got, c.want, d.Explain())
			}
			if got := d.Admission(); got != c.admit {
				t.Errorf("admission = %s, want %s\n%s", got, c.admit, d.Explain())
			}
			if c.mode != nil && modeOf(d) != *c.mode {
				t.Errorf("access mode = %s, want %s", modeOf(d), *c.mode)
			}
			check, ok := findCheck(d.Checks(), c.rule)
			if !ok {
				t.Fatalf("explanation lists no check %s:\n%s", c.rule, d.Explain())
			}
			if check.Outcome != c.want || check.Reason == "" {
				t.Errorf("check %s = %+v, want outcome %s with a reason", c.rule, check, c.want)
			}
			if c.want == provisioning.OutcomeFailed && check.Fix == "" && d.Err() == nil {
				t.Errorf("failed check %s says no fix", c.rule)
			}
			if !strings.Contains(d.Explain(), c.rule.String()) {
				t.Errorf("Explain does not name %s", c.rule)
			}
		})
	}
}

func findCheck(checks []provisioning.Check, r provisioning.Rule) (provisioning.Check, bool) {
	for _, c := range checks {
		if c.Rule == r {
			return c, true
		}
	}
	return provisioning.Check{}, false
}

// TestRuleCasesCoverSections makes sure every rule of the two sections
// has a case it lets in and, for the admission rules, a case the
// background sync does not add.
func TestRuleCasesCoverSections(t *testing.T) {
	admitted := map[provisioning.Rule]bool{} // the rule let the user in, by some trigger
	refused := map[provisioning.Rule]bool{}  // the background sync does not add the user
	for _, c := range ruleCases {
		d := c.decide()
		if d.Admitted() && d.Outcome(c.rule) != provisioning.OutcomeFailed && c.malformed == nil {
			admitted[c.rule] = true
		}
		if !d.Admits(provisioning.BackgroundSync) {
			refused[c.rule] = true
		}
	}
	for _, info := range ruleInfos() {
		if info.Section != "Admission" && info.Section != "Access mode on admission" {
			continue
		}
		if !admitted[info.Rule] || !refused[info.Rule] && info.Section == "Admission" {
			t.Errorf("%s: want a case let in (%v) and one the background sync refuses (%v)", info.ID, admitted[info.Rule], refused[info.Rule])
		}
	}
}

func TestTeamsAdmitsOnlyFirstAccess(t *testing.T) { // ENV-TEAMS
	env := production()
	env.Type = provisioning.EnvTeams
	d := provisioning.Evaluate(ptr(licensed()), &env)
	got := map[provisioning.Trigger]bool{}
	for _, tr := range provisioning.Triggers() {
		got[tr] = d.Admits(tr)
	}
	want := map[provisioning.Trigger]bool{provisioning.BackgroundSync: false, provisioning.FirstAccess: true, provisioning.AdminAPI: false, provisioning.AdminCenter: false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ENV-TEAMS triggers mismatch (-want +got):\n%s", diff)
	}
}

func TestTrialAdmitsEveryOnDemandTrigger(t *testing.T) { // ENV-TRIAL
	env := production()
	env.Type = provisioning.EnvTrial
	d := provisioning.Evaluate(ptr(licensed()), &env)
	for _, tr := range provisioning.Triggers() {
		if got, want := d.Admits(tr), tr != provisioning.BackgroundSync; got != want {
			t.Errorf("Admits(%s) = %v, want %v", tr, got, want)
		}
	}
}

func TestDeveloperGroupIsInvalid(t *testing.T) { // ENV-NO-GROUP
	env := production()
	env.Type, env.Creator = provisioning.EnvDeveloper, "u-ana"
	err := env.Validate()
	if !errors.Is(err, provisioning.ErrDeveloperGroup) {
		t.Fatalf("Validate = %v, want ErrDeveloperGroup", err)
	}
	var fe *provisioning.FieldError
	if !errors.As(err, &fe) || fe.Field != "SecurityGroup" || fe.Value != "g-sales" {
		t.Errorf("error %v does not name field SecurityGroup and value g-sales", err)
	}
	d := provisioning.Evaluate(ptr(licensed()), &env)
	if d.Admitted() || !errors.Is(d.Err(), provisioning.ErrDeveloperGroup) {
		t.Errorf("Evaluate = %v, want refused with ErrDeveloperGroup", d)
	}
}

func ptr[T any](v T) *T { return &v }

func TestNilInputsFailClosed(t *testing.T) {
	u, env := licensed(), production()
	for name, d := range map[string]provisioning.Decision{
		"nil user":        provisioning.Evaluate(nil, &env),
		"nil environment": provisioning.Evaluate(&u, nil),
		"nil both":        provisioning.EvaluateRecord(nil, nil, nil),
	} {
		if d.Admitted() || !errors.Is(d.Err(), provisioning.ErrMissing) {
			t.Errorf("%s: %v, want refused with ErrMissing", name, d)
		}
	}
	if d := provisioning.EvaluateRecord(&u, &env, nil); d != provisioning.Evaluate(&u, &env) {
		t.Errorf("EvaluateRecord with a nil record differs from Evaluate: %v", d)
	}
}

// Nil arguments are malformed input: an error naming them, never a panic.
func TestNilArgumentsAreErrors(t *testing.T) {
	var (
		u   *provisioning.User
		env *provisioning.Environment
		r   *provisioning.Record
	)
	errs := map[string]error{
		"User.Validate":        u.Validate(),
		"Environment.Validate": env.Validate(),
		"Record.Validate":      r.Validate(),
	}
	_, errs["Record.Kind"] = r.Kind()
	_, sync := provisioning.Org{}.Sync(nil, bg)
	errs["Org.Sync"] = sync.Action.Err
	for name, err := range errs {
		if !errors.Is(err, provisioning.ErrMissing) || !strings.Contains(err.Error(), "nil") {
			t.Errorf("%s(nil) = %v, want ErrMissing naming nil", name, err)
		}
	}
}

// modeOf is the access mode of d, zero for a user not admitted.
func modeOf(d provisioning.Decision) usertype.AccessMode {
	m, _ := d.AccessMode()
	return m
}

// ruleInfos describes every rule of the catalogue.
func ruleInfos() []provisioning.RuleInfo {
	var out []provisioning.RuleInfo
	for _, r := range provisioning.Rules() {
		out = append(out, r.Info())
	}
	return out
}

// salesTeam is a group team of group g-sales, which licensed() is a
// direct member of, with a role that has member's privilege inheritance.
var salesTeam = provisioning.GroupTeam{
	Group: "g-sales", Name: "Sales", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned,
	Roles: []provisioning.TeamRole{{Name: "Salesperson", Inherited: true}},
}

// withTeam gives the environment group team t.
func withTeam(t provisioning.GroupTeam) func(*provisioning.Environment) {
	return func(e *provisioning.Environment) { e.Teams = append(e.Teams, t) }
}

// A license that is assigned but not active never counts, and the
// explanation says it is there but not active (LIC-REQUIRED).
func TestInactiveLicenseNeverCounts(t *testing.T) { // LIC-REQUIRED
	u, env := licensed(), production()
	u.Licenses[0].Inactive = true
	d := provisioning.Evaluate(&u, &env)
	if d.Admitted() || d.Outcome(provisioning.RuleLicRequired) != provisioning.OutcomeFailed {
		t.Fatalf("an inactive license admits:\n%s", d.Explain())
	}
	if c, _ := findCheck(d.Checks(), provisioning.RuleLicRequired); !strings.Contains(c.Reason, "not active") {
		t.Errorf("LIC-REQUIRED says %q", c.Reason)
	}
	free := provisioning.License{Plan: provisioning.PlanFreeDataverse, Tenant: tenant, Inactive: true}
	u.Licenses = []provisioning.License{free}
	env.AppPass = false
	if d := provisioning.Evaluate(&u, &env); d.Admitted() {
		t.Errorf("an inactive free plan admits on demand:\n%s", d.Explain())
	}
	u.Licenses = []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: tenant}, {Plan: provisioning.PlanDynamics365, Tenant: tenant, Inactive: true}}
	if d := provisioning.Evaluate(&u, &env); d.Admission() != provisioning.AdmissionAutomatic {
		t.Errorf("an active license beside an inactive one:\n%s", d.Explain())
	}
}

// A UPN longer than Microsoft Entra ID allows (113 characters) is
// malformed, refused by Validate and never admitted; one of 113 is not.
func TestUPNLength(t *testing.T) {
	env := production()
	for _, c := range []struct {
		upn string
		ok  bool
	}{
		{strings.Repeat("a", 64) + "@" + strings.Repeat("b", 44) + ".com", true},
		{strings.Repeat("a", 65) + "@" + strings.Repeat("b", 44) + ".com", false},
		{strings.Repeat("é", 102) + "@contoso.com", false},
		{strings.Repeat("é", 100) + "@c.com", true},
	} {
		u := licensed()
		u.UPN = c.upn
		err := u.Validate()
		d := provisioning.Evaluate(&u, &env)
		if c.ok != (err == nil) || c.ok != d.Admitted() {
			t.Errorf("UPN of %d characters: Validate %v, admitted %v; want ok %v", len([]rune(c.upn)), err, d.Admitted(), c.ok)
		}
		if !c.ok && (!errors.Is(err, provisioning.ErrMalformed) || !strings.Contains(err.Error(), "113 characters") || len(err.Error()) > 300) {
			t.Errorf("the error %q does not say the limit, or repeats the value whole", err)
		}
	}
}

// Identifiers as the directory has them (issue 22): an invisible
// formatting character makes an identifier malformed, so that
// "g-sa\u200bles" never passes for "g-sales"; a GUID is compared in its
// canonical lower-case form, and a GUID in upper case is malformed, so
// that a record of 7d2c… and a user 7D2C… never become a disable and a
// second create; CanonicalID gives the form; an identifier longer than
// 256 characters is malformed, and its error says so without repeating
// it whole.
func TestIdentifiersAsTheDirectoryHasThem(t *testing.T) {
	env := production()
	for _, c := range []struct {
		name string
		user func(*provisioning.User)
		says string
	}{
		{"a zero-width space in a group", func(u *provisioning.User) { u.Groups = []string{"g-sa\u200bles"} }, "invisible formatting character"},
		{"a byte-order mark in the object ID", func(u *provisioning.User) { u.ObjectID = "\ufeffu-ana" }, "invisible formatting character"},
		{"a tag character in a license's tenant", func(u *provisioning.User) { u.Licenses[0].Tenant = "contoso\U000e0041" }, "invisible formatting character"},
		{"an upper-case GUID", func(u *provisioning.User) { u.ObjectID = "7D2C1F0A-1B2C-4D5E-8F90-123456789ABC" }, "GUID in upper case"},
		{"a 300-character group", func(u *provisioning.User) { u.Groups = []string{strings.Repeat("g", 300)} }, "longer than the 256 characters"},
	} {
		u := licensed()
		c.user(&u)
		err := u.Validate()
		d := provisioning.Evaluate(&u, &env)
		if !errors.Is(err, provisioning.ErrMalformed) || !strings.Contains(err.Error(), c.says) || d.Admitted() || len(err.Error()) > 400 {
			t.Errorf("%s: Validate = %v, admitted %v", c.name, err, d.Admitted())
		}
	}
	guid := "7D2C1F0A-1B2C-4D5E-8F90-123456789ABC"
	u := licensed()
	u.ObjectID = provisioning.CanonicalID(guid)
	rec := provisioning.Record{ObjectID: provisioning.CanonicalID(strings.ToLower(guid)), UPN: u.UPN}
	if u.ObjectID != strings.ToLower(guid) || !provisioning.Match(&u, &rec) || u.Validate() != nil {
		t.Errorf("CanonicalID(%q) = %q: the user and its record are one", guid, u.ObjectID)
	}
	if got := provisioning.CanonicalID("u-ANA"); got != "u-ANA" {
		t.Errorf("CanonicalID of a name that is no GUID = %q", got)
	}
}

// MODE-KEEP's sentence names the access mode the record keeps.
func TestModeKeepNamesTheMode(t *testing.T) {
	n := 0
	for _, c := range ruleCases {
		if c.rule != provisioning.RuleModeKeep || c.want != provisioning.OutcomePassed {
			continue
		}
		n++
		check, ok := findCheck(c.decide().Checks(), c.rule)
		if want := "keeps access mode " + c.mode.String() + ","; !ok || !strings.Contains(check.Reason, want) {
			t.Errorf("%s: MODE-KEEP says %q; want it to say %q", c.name, check.Reason, want)
		}
	}
	if n < 2 {
		t.Fatalf("%d MODE-KEEP cases", n)
	}
}
