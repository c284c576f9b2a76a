package provisioning_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// anaRecord is licensed()'s enabled record in production(), with a role.
// Its columns are those a sync of licensed() writes.
func anaRecord() provisioning.Record {
	var dir syncfields.Values
	dir.Set(syncfields.ObjectID, "u-ana")
	dir.Set(syncfields.DomainName, "ana@contoso.com")
	fields, _, err := syncfields.Online().Create(&dir)
	if err != nil {
		panic(err)
	}
	return provisioning.Record{ObjectID: "u-ana", UPN: "ana@contoso.com", Roles: []string{"Salesperson"}, Fields: fields}
}

type lifeCase struct {
	name    string
	rule    provisioning.Rule
	user    func(*provisioning.User) // nil user when noUser
	noUser  bool
	env     func(*provisioning.Environment)
	record  func(*provisioning.Record) // nil record when noRecord
	none    bool
	trigger provisioning.Trigger
	verb    provisioning.Verb
	mode    *usertype.AccessMode
	check   func(*testing.T, provisioning.Reconciliation)
}

var (
	bg     = provisioning.BackgroundSync
	access = provisioning.FirstAccess
)

// lifeCases has, for every rule of the sections "User types" and
// "Lifecycle of an existing record" of RULES.md, MODE-KEEP and
// LIC-EXEMPT-NONINTERACTIVE, a case the rule lets through and one where it
// refuses or changes the record. Expectations come from RULES.md.
var lifeCases = []lifeCase{
	{name: "regular user created by the sync", rule: provisioning.RuleUTRegular, none: true, trigger: bg, verb: provisioning.Create, mode: mode(usertype.ReadWrite)},
	{name: "regular record updated from the directory", rule: provisioning.RuleUTRegular, user: func(u *provisioning.User) { u.Attributes.Set(syncfields.JobTitle, "Buyer") }, trigger: bg, verb: provisioning.Update,
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if r.Record.Fields.Columns.Get(syncfields.JobTitle) != "Buyer" {
				t.Errorf("title not synced: %q", r.Record.Fields.Columns.Get(syncfields.JobTitle))
			}
		}},

	{name: "application user created enabled with first name #", rule: provisioning.RuleUTApplication, user: application, none: true, trigger: provisioning.AdminCenter, verb: provisioning.Create, mode: mode(usertype.NonInteractive),
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if r.Record.Disabled || r.Record.Fields.Columns.Get(syncfields.FirstName) != "#" || r.Record.ApplicationID != "app-1" {
				t.Errorf("application record = %+v", r.Record)
			}
		}},
	{name: "application user never created by the background sync", rule: provisioning.RuleUTApplication, user: application, none: true, trigger: bg, verb: provisioning.NotAdded},

	{name: "non-interactive record kept without a license", rule: provisioning.RuleUTNonInteractive, user: noLicense, record: nonInteractive, trigger: bg, verb: provisioning.Leave, mode: mode(usertype.NonInteractive)},
	{name: "non-interactive record disabled outside the group", rule: provisioning.RuleUTNonInteractive, user: func(u *provisioning.User) { u.Licenses, u.Groups = nil, nil }, record: nonInteractive, trigger: bg, verb: provisioning.Disable},
	{name: "LIC-EXEMPT-NONINTERACTIVE keeps the unlicensed record", rule: provisioning.RuleLicExemptNonInteractive, user: noLicense, record: nonInteractive, trigger: bg, verb: provisioning.Leave},
	{name: "LIC-EXEMPT-NONINTERACTIVE does not cover a regular record", rule: provisioning.RuleLicExemptNonInteractive, user: noLicense, trigger: bg, verb: provisioning.Disable},

	{name: "support record left", rule: provisioning.RuleUTSupport, record: func(r *provisioning.Record) {
		*r = provisioning.Record{UPN: usertype.SupportUPN, Mode: usertype.SupportUser}
	}, noUser: true, trigger: bg, verb: provisioning.Leave},
	{name: "support record left even for a disabled user", rule: provisioning.RuleUTSupport, user: func(u *provisioning.User) { u.Enabled = false }, record: func(r *provisioning.Record) { r.UPN, r.Mode = usertype.SupportUPN, usertype.SupportUser }, trigger: bg, verb: provisioning.Leave},
	{name: "delegated-admin record left", rule: provisioning.RuleUTDelegatedAdmin, record: func(r *provisioning.Record) {
		*r = provisioning.Record{UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin}
	}, noUser: true, trigger: bg, verb: provisioning.Leave},
	{name: "delegated-admin record left on access", rule: provisioning.RuleUTDelegatedAdmin, record: func(r *provisioning.Record) { r.UPN, r.Mode = usertype.DelegatedAdminUPN, usertype.DelegatedAdmin }, trigger: access, verb: provisioning.Leave},
	{name: "stub never enabled, even for an entitled user at access", rule: provisioning.RuleUTStub, record: func(r *provisioning.Record) { r.Stub, r.Disabled = true, true }, trigger: access, verb: provisioning.Leave,
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if !r.Record.Disabled {
				t.Error("stub enabled")
			}
		}},
	{name: "unmatched stub left", rule: provisioning.RuleUTStub, record: func(r *provisioning.Record) {
		*r = provisioning.Record{UPN: "gone@contoso.com", Stub: true, Disabled: true}
	}, noUser: true, trigger: bg, verb: provisioning.Leave},
	{name: "LIFE-NOT-SYNCED: stub columns untouched", rule: provisioning.RuleLifeNotSynced, user: func(u *provisioning.User) { u.Attributes.Set(syncfields.City, "Oslo") }, record: func(r *provisioning.Record) { r.Stub, r.Disabled = true, true }, trigger: bg, verb: provisioning.Leave,
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if r.Record.Fields.Columns.Get(syncfields.City) != "" {
				t.Error("stub synced")
			}
		}},
	{name: "LIFE-NOT-SYNCED: support record untouched on access", rule: provisioning.RuleLifeNotSynced, record: func(r *provisioning.Record) { r.UPN, r.Mode = usertype.SupportUPN, usertype.SupportUser }, trigger: access, verb: provisioning.Leave},

	{name: "MODE-KEEP keeps read", rule: provisioning.RuleModeKeep, record: func(r *provisioning.Record) { r.Mode = usertype.Read }, trigger: bg, verb: provisioning.Leave, mode: mode(usertype.Read)},
	{name: "MODE-KEEP does not keep read-write for an unlicensed admin", rule: provisioning.RuleModeKeep, user: admin(provisioning.GlobalAdmin), trigger: bg, verb: provisioning.Update, mode: mode(usertype.Administrative)},

	{name: "LIFE-NEVER-DELETE: a deleted user's record is disabled", rule: provisioning.RuleLifeNeverDelete, user: func(u *provisioning.User) { u.Deleted = true }, trigger: bg, verb: provisioning.Disable},
	{name: "LIFE-NEVER-DELETE: a vanished user's record is disabled", rule: provisioning.RuleLifeNeverDelete, noUser: true, trigger: bg, verb: provisioning.Disable},

	{name: "LIFE-DISABLE: license removed", rule: provisioning.RuleLifeDisable, user: noLicense, trigger: bg, verb: provisioning.Disable},
	{name: "LIFE-DISABLE: removed from the group", rule: provisioning.RuleLifeDisable, user: func(u *provisioning.User) { u.Groups = nil }, trigger: bg, verb: provisioning.Disable},
	{name: "LIFE-DISABLE: a disabled record stays disabled", rule: provisioning.RuleLifeDisable, user: func(u *provisioning.User) { u.Enabled = false }, record: disabled, trigger: bg, verb: provisioning.Leave},
	{name: "LIFE-DISABLE: an entitled user is not disabled", rule: provisioning.RuleLifeDisable, trigger: bg, verb: provisioning.Leave},

	{name: "LIFE-ENABLE-ON-ACCESS: entitled at access", rule: provisioning.RuleLifeEnableOnAccess, record: disabled, trigger: access, verb: provisioning.Enable},
	{name: "LIFE-ENABLE-ON-ACCESS: restored from soft delete", rule: provisioning.RuleLifeEnableOnAccess, record: disabled, trigger: bg, verb: provisioning.Enable},
	{name: "LIFE-ENABLE-ON-ACCESS: not entitled at access", rule: provisioning.RuleLifeEnableOnAccess, user: noLicense, record: disabled, trigger: access, verb: provisioning.Leave},
	{name: "LIFE-ENABLE-ON-ACCESS: soft-deleted user not enabled", rule: provisioning.RuleLifeEnableOnAccess, user: func(u *provisioning.User) { u.SoftDeleted = true }, record: disabled, trigger: access, verb: provisioning.Leave},

	{name: "LIFE-ON-DEMAND-KEEP: app pass user not disabled by the sync", rule: provisioning.RuleLifeOnDemandKeep, user: noLicense, env: appPass, record: func(r *provisioning.Record) { r.OnDemand = true }, trigger: bg, verb: provisioning.Leave},
	{name: "LIFE-ON-DEMAND-KEEP: app pass user's record marked by the sync", rule: provisioning.RuleLifeOnDemandKeep, user: noLicense, env: appPass, trigger: bg, verb: provisioning.Leave, // the mark is this library's: nothing to write to Dataverse
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if !r.Record.OnDemand || r.Record.Disabled {
				t.Errorf("record = %+v", r.Record)
			}
		}},
	{name: "LIFE-ON-DEMAND-KEEP: app pass user not created by the sync", rule: provisioning.RuleLifeOnDemandKeep, user: noLicense, env: appPass, none: true, trigger: bg, verb: provisioning.NotAdded},
	{name: "LIFE-ON-DEMAND-KEEP: losing app pass does not disable a user it let in", rule: provisioning.RuleLifeOnDemandKeep, user: noLicense, record: func(r *provisioning.Record) { r.OnDemand = true }, trigger: bg, verb: provisioning.Leave},
	{name: "LIFE-ON-DEMAND-KEEP: but leaving the group does", rule: provisioning.RuleLifeOnDemandKeep, user: func(u *provisioning.User) { u.Licenses, u.Groups = nil, nil }, record: func(r *provisioning.Record) { r.OnDemand = true }, trigger: bg, verb: provisioning.Disable},
	{name: "LIFE-DISABLE: a record of unknown origin losing its license is disabled", rule: provisioning.RuleLifeOnDemandKeep, user: noLicense, trigger: bg, verb: provisioning.Disable},
	{name: "LIFE-ON-DEMAND-KEEP: created at access by app pass, marked", rule: provisioning.RuleLifeOnDemandKeep, user: noLicense, env: appPass, none: true, trigger: access, verb: provisioning.Create,
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if !r.Record.OnDemand {
				t.Error("record created by app pass is not marked OnDemand")
			}
		}},
	{name: "LIFE-ON-DEMAND-KEEP: a license unmarks it", rule: provisioning.RuleLifeOnDemandKeep, record: func(r *provisioning.Record) { r.OnDemand = true }, trigger: bg, verb: provisioning.Leave,
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if r.Record.OnDemand {
				t.Error("a licensed user's record is still marked OnDemand")
			}
		}},
	{name: "LIFE-ON-DEMAND-KEEP: app pass user created at access", rule: provisioning.RuleLifeOnDemandKeep, user: noLicense, env: appPass, none: true, trigger: access, verb: provisioning.Create},
	{name: "ENV-TRIAL: trial sync updates existing users", rule: provisioning.RuleLifeOnDemandKeep, user: func(u *provisioning.User) { u.Attributes.Set(syncfields.City, "Oslo") }, env: trial, trigger: bg, verb: provisioning.Update},
	{name: "ENV-TRIAL: trial sync creates nobody", rule: provisioning.RuleLifeOnDemandKeep, env: trial, none: true, trigger: bg, verb: provisioning.NotAdded},

	{name: "LIFE-MATCH: matched by object ID despite another UPN", rule: provisioning.RuleLifeMatch, record: func(r *provisioning.Record) { r.UPN = "ana.old@contoso.com" }, trigger: bg, verb: provisioning.Update,
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if r.Record.UPN != "ana@contoso.com" {
				t.Errorf("UPN not synced: %q", r.Record.UPN)
			}
		}},
	{name: "LIFE-MATCH: a record of the same UPN and another object is not the user's", rule: provisioning.RuleLifeMatch, record: func(r *provisioning.Record) { r.ObjectID = "u-old"; r.Fields.Columns.Set(syncfields.ObjectID, "u-old") }, trigger: bg, verb: provisioning.Leave,
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if !errors.Is(r.Action.Err, provisioning.ErrObjectMismatch) {
				t.Errorf("Err = %v, want ErrRecordMismatch", r.Action.Err)
			}
		}},

	{name: "LIFE-ROLES-NOT-DISABLE: no role, still enabled", rule: provisioning.RuleLifeRolesNotDisable, record: func(r *provisioning.Record) { r.Roles = nil }, trigger: bg, verb: provisioning.Leave,
		check: func(t *testing.T, r provisioning.Reconciliation) {
			if r.Record.Disabled {
				t.Error("disabled for lack of a role")
			}
		}},
	{name: "LIFE-ROLES-NOT-DISABLE: a role, nothing to say", rule: provisioning.RuleLifeRolesNotDisable, trigger: bg, verb: provisioning.Leave},
	{name: "LIFE-ACCESS-NEEDS-ROLE: a team role counts", rule: provisioning.RuleLifeAccessNeedsRole, env: withTeam(salesTeam), record: func(r *provisioning.Record) { r.Roles, r.Teams = nil, []string{"g-sales"} }, trigger: bg, verb: provisioning.Leave},
	{name: "LIFE-ACCESS-NEEDS-ROLE: no role at all", rule: provisioning.RuleLifeAccessNeedsRole, record: func(r *provisioning.Record) { r.Roles = nil }, trigger: bg, verb: provisioning.Leave},
}

func nonInteractive(r *provisioning.Record) { r.Mode = usertype.NonInteractive }
func disabled(r *provisioning.Record)       { r.Disabled = true }
func appPass(e *provisioning.Environment)   { e.AppPass = true }
func trial(e *provisioning.Environment)     { e.Type = provisioning.EnvTrial }

func (c lifeCase) reconcile() provisioning.Reconciliation {
	u, env, rec := licensed(), production(), anaRecord()
	if c.user != nil {
		c.user(&u)
	}
	if c.env != nil {
		c.env(&env)
	}
	if c.record != nil {
		c.record(&rec)
	}
	var up *provisioning.User
	if !c.noUser {
		up = &u
	}
	var rp *provisioning.Record
	if !c.none {
		rp = &rec
	}
	return provisioning.Reconcile(up, &env, rp, c.trigger)
}

// namedRules are the rules a lifecycle case must see cited in its action
// (or, for LIFE-MATCH refusals, in its error) when the case is about them.
func TestLifecycleRules(t *testing.T) {
	for _, c := range lifeCases {
		t.Run(c.rule.String()+"/"+c.name, func(t *testing.T) {
			r := c.reconcile()
			if r.Action.Verb != c.verb {
				t.Fatalf("verb = %s, want %s (rules %s, err %v)\n%s", r.Action.Verb, c.verb, r.Action.Rules, r.Action.Err, r.Before.Explain())
			}
			if c.mode != nil && r.Action.Mode != *c.mode {
				t.Errorf("mode = %s, want %s", r.Action.Mode, *c.mode)
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

// Every rule of these sections has at least two cases, and in at least one
// of them the action cites it.
func TestLifecycleCasesCiteTheirRules(t *testing.T) {
	cases, cited := map[provisioning.Rule]int{}, map[provisioning.Rule]bool{}
	for _, c := range lifeCases {
		cases[c.rule]++
		r := c.reconcile()
		if r.Action.Rules.Has(c.rule) || r.Before.Outcome(c.rule) == provisioning.OutcomePassed || r.Before.Outcome(c.rule) == provisioning.OutcomeFailed {
			cited[c.rule] = true
		}
	}
	// Cited by the operations' tests in users_test.go.
	for _, r := range []provisioning.Rule{provisioning.RuleUTNonInteractiveLimit, provisioning.RuleLifeRoleOnDisabled} {
		cited[r], cases[r] = true, 2
	}
	for _, info := range ruleInfos() {
		switch {
		case info.Section == "User types" || info.Section == "Lifecycle of an existing record",
			info.Rule == provisioning.RuleModeKeep, info.Rule == provisioning.RuleLicExemptNonInteractive:
			if cases[info.Rule] < 2 || !cited[info.Rule] {
				t.Errorf("%s: %d cases, cited %v", info.ID, cases[info.Rule], cited[info.Rule])
			}
		}
	}
}

func TestReconcileNeverChangesOnMalformedInput(t *testing.T) {
	u, env, rec := licensed(), production(), anaRecord()
	u.Attributes.Set(syncfields.City, "\xff")
	r := provisioning.Reconcile(&u, &env, &rec, bg)
	if r.Action.Verb != provisioning.Leave || r.Action.Err == nil || r.Record.Fields.Columns.Get(syncfields.City) != "" {
		t.Errorf("malformed attribute: %+v", r.Action)
	}
	r = provisioning.Reconcile(&u, &env, &rec, provisioning.Trigger(9))
	if r.Action.Verb != provisioning.Leave || !errors.Is(r.Action.Err, provisioning.ErrUnknown) {
		t.Errorf("unknown trigger: %+v", r.Action)
	}
	r = provisioning.Reconcile(nil, &env, nil, bg)
	if r.Action.Verb != provisioning.NotAdded || r.Action.Err == nil {
		t.Errorf("nothing to reconcile: %+v", r.Action)
	}
}

func TestTeamsRecordEnabledOnlyAtFirstAccess(t *testing.T) { // ENV-TEAMS, LIFE-ENABLE-ON-ACCESS
	u, env, rec := licensed(), production(), anaRecord()
	env.Type = provisioning.EnvTeams
	rec.Disabled = true
	for _, tr := range provisioning.Triggers() {
		want := provisioning.Leave
		if tr == provisioning.FirstAccess {
			want = provisioning.Enable
		}
		a := provisioning.Reconcile(&u, &env, &rec, tr).Action
		if a.Verb != want || !a.Rules.Has(provisioning.RuleEnvTeams) {
			t.Errorf("%s: %s %s, want %s citing ENV-TEAMS", tr, a.Verb, a.Rules, want)
		}
	}
}

// A record created or updated for a user entitled only on demand is marked
// OnDemand, whichever on-demand-only entitlement it is (LIFE-ON-DEMAND-KEEP);
// one entitled by a license is not.
func TestOnDemandMark(t *testing.T) { // LIFE-ON-DEMAND-KEEP, ON-DEMAND-ONLY
	for name, c := range map[string]struct {
		user func(*provisioning.User)
		env  func(*provisioning.Environment)
		want bool
	}{
		"app pass":         {noLicense, appPass, true},
		"tenant Marketing": {noLicense, func(e *provisioning.Environment) { e.TenantMarketing = true }, true},
		"free plan":        {plan(provisioning.PlanFreeDataverse, tenant), nil, true},
		"licensed":         {nil, nil, false},
		"trial":            {nil, trial, false},
	} {
		u, env := licensed(), production()
		if c.user != nil {
			c.user(&u)
		}
		if c.env != nil {
			c.env(&env)
		}
		r := provisioning.Reconcile(&u, &env, nil, access)
		if r.Action.Verb != provisioning.Create || r.Record.OnDemand != c.want {
			t.Errorf("%s: %s, OnDemand %v, want create marked %v", name, r.Action.Verb, r.Record.OnDemand, c.want)
		}
	}
}

// SYNC-APPLICATION and invariant 13: a service principal carries none of
// a user's profile attributes, so its application user's record, once
// created, is never written by the sync: not when its record's columns
// differ from anything the principal holds, not when the application is
// renamed, under any trigger.
func TestApplicationRecordNeverWrittenAfterCreation(t *testing.T) {
	sp := provisioning.User{ObjectID: "sp-erp", ApplicationID: "app-erp", Enabled: true}
	sp.Attributes.Set(syncfields.LastName, "ERP Integration")
	env := production()

	created := provisioning.Reconcile(&sp, &env, nil, provisioning.AdminCenter)
	if created.Action.Verb != provisioning.Create {
		t.Fatalf("an administrator's add of a service principal: %v, want create", created.Action.Verb)
	}
	var want syncfields.Values
	want.Set(syncfields.ObjectID, "sp-erp")
	want.Set(syncfields.FirstName, "#")
	want.Set(syncfields.LastName, "ERP Integration")
	if diff := cmp.Diff(want, created.Record.Fields.Columns); diff != "" {
		t.Errorf("the application user's new record (-want +got):\n%s", diff)
	}

	// The record as Dataverse holds it: a domain name and a full name
	// that Dataverse filled, which no directory attribute backs.
	rec := created.Record
	rec.Fields.Columns.Set(syncfields.FullName, "# ERP Integration")
	rec.UPN = "app-erp@contoso.onmicrosoft.com"
	for _, rename := range []string{"ERP Integration", "ERP Integration v2", ""} {
		sp.Attributes.Set(syncfields.LastName, rename)
		for _, tr := range provisioning.Triggers() {
			r := provisioning.Reconcile(&sp, &env, &rec, tr)
			if r.Action.Columns != 0 || r.Action.Verb != provisioning.Leave {
				t.Errorf("%s with display name %q: %v of %v, want leave with no column", tr, rename, r.Action.Verb, r.Action.Columns.Columns())
			}
			if diff := cmp.Diff(rec.Fields, r.Record.Fields, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s with display name %q changed the record (-before +after):\n%s", tr, rename, diff)
			}
		}
	}
}

// A user's object ID and UPN have one home, ObjectID and UPN (issue 21):
// renaming a user is setting UPN, and the next sync writes the new name
// to the record's domainname, as SYNC-ALWAYS says; Attributes that carry
// either identity, even the user's own, are refused by name.
func TestRenameIsSettingUPN(t *testing.T) {
	u, env, rec := licensed(), production(), anaRecord()
	u.UPN = "ana.silva@contoso.com"
	r := provisioning.Reconcile(&u, &env, &rec, bg)
	if r.Action.Err != nil || r.Action.Verb != provisioning.Update || !r.Action.Columns.Has(syncfields.DomainName) {
		t.Fatalf("the sync of a renamed user: %+v", r.Action)
	}
	if r.Record.UPN != u.UPN || r.Record.Fields.Columns.Get(syncfields.DomainName) != u.UPN || r.Record.ObjectID != u.ObjectID {
		t.Errorf("record after the rename: UPN %q, domainname %q, object ID %q", r.Record.UPN, r.Record.Fields.Columns.Get(syncfields.DomainName), r.Record.ObjectID)
	}
	again := provisioning.Reconcile(&u, &env, &r.Record, bg)
	if again.Action.Verb != provisioning.Leave {
		t.Errorf("a second sync after the rename: %s %v, want leave", again.Action.Verb, again.Action.Columns)
	}

	for _, c := range []struct {
		column syncfields.Column
		value  string
		field  string
	}{
		{syncfields.DomainName, u.UPN, "Attributes[domainname]"},
		{syncfields.DomainName, "ana@contoso.com", "Attributes[domainname]"},
		{syncfields.ObjectID, u.ObjectID, "Attributes[azureactivedirectoryobjectid]"},
	} {
		v := u
		v.Attributes.Set(c.column, c.value)
		err := v.Validate()
		var fe *provisioning.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || fe.Value != c.value || !errors.Is(err, provisioning.ErrContradiction) {
			t.Errorf("Attributes carrying %s = %q: Validate = %v, want a FieldError of %s", c.column, c.value, err, c.field)
		}
		if a, _ := provisioning.NextAction(&v, &env, &rec, bg); a.Err == nil || a.Verb != provisioning.Leave {
			t.Errorf("Attributes carrying %s: %s, %v; want leave with the error", c.column, a.Verb, a.Err)
		}
	}
}
