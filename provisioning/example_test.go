package provisioning_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

func ExampleEvaluate() {
	env := provisioning.Environment{
		ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction,
		Dataverse: true, SecurityGroup: "g-sales",
	}
	ana := provisioning.User{
		ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}},
		Groups:   []string{"g-sales"},
	}
	d := provisioning.Evaluate(&ana, &env)
	mode, _ := d.AccessMode()
	fmt.Println(d.Admission(), mode, d.Admits(provisioning.BackgroundSync))

	// The same user, reaching the group only through a nested group.
	ana.Groups, ana.NestedGroups = nil, []string{"g-sales"}
	fmt.Println(provisioning.Evaluate(&ana, &env))

	// An unlicensed Power Platform admin is a setup user.
	bob := provisioning.User{ObjectID: "91aa03be", UPN: "bob@contoso.com", Enabled: true, Roles: provisioning.PowerPlatformAdmin}
	fmt.Println(provisioning.Evaluate(&bob, &env))
	// Output:
	// automatic read-write true
	// never; refused by: SG-NESTED,SG-MEMBER
	// automatic as administrative
}

func ExampleDecision_Checks() {
	env := provisioning.Environment{ID: "hr-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, SecurityGroup: "g-hr"}
	guest := provisioning.User{
		ObjectID: "5be0c6d4", UPN: "kim_fabrikam.com#EXT#@contoso.com", Enabled: true,
		Guest: true, HomeTenant: "fabrikam",
		Licenses: []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "fabrikam"}},
		Groups:   []string{"g-hr"},
	}
	for _, c := range provisioning.Evaluate(&guest, &env).Checks() {
		if c.Outcome == provisioning.OutcomeFailed {
			fmt.Printf("%s [%s]: %s\n  fix: %s\n", c.Rule, c.Area, c.Reason, c.Fix)
		}
	}
	// Output:
	// LIC-REQUIRED [license]: kim_fabrikam.com#EXT#@contoso.com holds no Power Apps premium or Dynamics 365 license in tenant contoso
	//   fix: assign a Power Apps premium or Dynamics 365 license in tenant contoso
	// LIC-GUEST-TENANT [license]: the license assigned in tenant fabrikam does not count in tenant contoso
	//   fix: assign the license in tenant contoso, not in the guest's home tenant
}

func ExampleEvaluateRecord() {
	env := provisioning.Environment{ID: "ops", Tenant: "contoso", Type: provisioning.EnvSandbox, Dataverse: true, SecurityGroup: "g-ops"}
	etl := provisioning.User{ObjectID: "c0ffee01", UPN: "etl@contoso.com", Enabled: true, Groups: []string{"g-ops"}}
	rec := provisioning.Record{ObjectID: "c0ffee01", UPN: "etl@contoso.com", Mode: usertype.NonInteractive, Roles: []string{"Integration"}}

	d := provisioning.EvaluateRecord(&etl, &env, &rec)
	fmt.Println(d)
	fmt.Println(d.Outcome(provisioning.RuleLicExemptNonInteractive), d.Outcome(provisioning.RuleModeKeep))
	// Output:
	// automatic as non-interactive
	// pass pass
}

func ExampleDecision_Err() {
	env := provisioning.Environment{ID: "dev-1", Tenant: "contoso", Type: provisioning.EnvDeveloper, Dataverse: true, Creator: "u-1", SecurityGroup: "g-dev"}
	d := provisioning.Evaluate(&provisioning.User{ObjectID: "u-1", UPN: "ana@contoso.com", Enabled: true}, &env)
	fmt.Println(d.Admitted(), errors.Is(d.Err(), provisioning.ErrDeveloperGroup))
	fmt.Println(d.Err())
	// Output:
	// false true
	// environment "dev-1": field SecurityGroup = "g-dev": a developer environment cannot have a security group (ENV-NO-GROUP)
}

func ExampleRules() {
	for _, r := range provisioning.Rules()[7:10] {
		info := r.Info()
		fmt.Printf("%s (%s): %s\n", info.ID, info.Section, info.Summary)
	}
	// Output:
	// ENV-DATAVERSE (Admission): An environment without a Dataverse database admits nobody.
	// ENV-DEVELOPER (Admission): A developer environment admits only the user who created it.
	// ENV-TRIAL (Admission): A trial environment adds users on demand only; the background sync adds nobody new.
}

func ExampleReconcile() {
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, SecurityGroup: "g-sales"}
	ana := provisioning.User{
		ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}},
		Groups:   []string{"g-sales"},
	}
	created := provisioning.Reconcile(&ana, &env, nil, provisioning.BackgroundSync)
	fmt.Println(created.Action.Verb, created.Record.Mode, created.Record.Disabled)

	// Later Ana leaves the group: the sync disables her record, never deletes it.
	ana.Groups = nil
	r := provisioning.Reconcile(&ana, &env, &created.Record, provisioning.BackgroundSync)
	fmt.Println(r.Action.Verb, r.Action.Rules, r.Record.Disabled)
	// Output:
	// create read-write false
	// disable SG-MEMBER,LIFE-NEVER-DELETE,LIFE-DISABLE true
}

func ExampleOrg_MarkNonInteractive() {
	o := provisioning.Org{Environment: provisioning.Environment{ID: "ops", Tenant: "contoso", Type: provisioning.EnvSandbox, Dataverse: true}}
	for i := range 8 {
		o.Records = append(o.Records, provisioning.Record{ObjectID: fmt.Sprintf("svc-%d", i), UPN: fmt.Sprintf("svc-%d@contoso.com", i)})
	}
	var err error
	for i := range 8 {
		if o, err = o.MarkNonInteractive(fmt.Sprintf("svc-%d", i)); err != nil {
			fmt.Println(err)
		}
	}
	fmt.Println(o.NonInteractiveCount(), errors.Is(err, provisioning.ErrNonInteractiveLimit))
	// Output:
	// MarkNonInteractive "svc-7": the environment already has 7 non-interactive users (UT-NONINTERACTIVE-LIMIT)
	// 7 true
}

func ExampleOrg_ImportStub() {
	o := provisioning.Org{Environment: provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, DynamicsApps: true}}
	o, _ = o.ImportStub("former.rep@contoso.com")
	stub := o.Records[0]
	k, _ := stub.Kind()
	fmt.Println(k, stub.Disabled, stub.Roles, k.Synced())

	_, err := o.AssignRole("former.rep@contoso.com", "Sales Manager")
	fmt.Println(err)
	// Output:
	// stub true [Salesperson] false
	// AssignRole "former.rep@contoso.com": a security role cannot be assigned to a disabled user (LIFE-ROLE-ON-DISABLED)
}

func ExampleOrg_Sync() {
	o := provisioning.Org{Environment: provisioning.Environment{ID: "hr", Tenant: "contoso", Type: provisioning.EnvSandbox, Dataverse: true, AppPass: true}}
	ned := provisioning.User{ObjectID: "u-ned", UPN: "ned@contoso.com", Enabled: true} // no license: app pass only

	o, r := o.Sync(&ned, provisioning.BackgroundSync)
	fmt.Println(r.Action.Verb, len(o.Records)) // the background sync adds nobody entitled only on demand
	o, r = o.Sync(&ned, provisioning.FirstAccess)
	fmt.Println(r.Action.Verb, len(o.Records), o.Records[0].OnDemand)
	for _, c := range r.Sync.Changes()[:2] {
		fmt.Println(c.Column, c.New, c.Rule)
	}
	// Output:
	// not-added 0
	// create 1 true
	// domainname ned@contoso.com SYNC-ALWAYS
	// firstname # SYNC-FIRSTNAME
}

func ExampleOrg_SyncGone() {
	env := provisioning.Environment{ID: "hr", Tenant: "contoso", Type: provisioning.EnvSandbox, Dataverse: true}
	o := provisioning.Org{Environment: env, Records: []provisioning.Record{{ObjectID: "u-old", UPN: "old@contoso.com"}}}

	// No directory user has object ID u-old any more.
	o, r := o.SyncGone("u-old", provisioning.BackgroundSync)
	fmt.Println(r.Action.Verb, r.Action.Rules, o.Records[0].Disabled, len(o.Records))
	// Output:
	// disable LIFE-NEVER-DELETE,LIFE-DISABLE,LIFE-MATCH,DEL-DIRECTORY true 1
}

func ExampleMatch() {
	ana := provisioning.User{ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", Enabled: true}
	fmt.Println(provisioning.Match(&ana, &provisioning.Record{ObjectID: "7d2c1f0a", UPN: "ana.old@contoso.com"}))
	// The same UPN on another object's record is not Ana's (LIFE-MATCH).
	fmt.Println(provisioning.Match(&ana, &provisioning.Record{ObjectID: "0bad0bad", UPN: "ana@contoso.com"}))
	// Output:
	// true
	// false
}

func ExampleNextAction() {
	env := provisioning.Environment{ID: "eval", Tenant: "contoso", Type: provisioning.EnvTrial, Dataverse: true}
	ana := provisioning.User{
		ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}},
	}
	for _, t := range []provisioning.Trigger{provisioning.BackgroundSync, provisioning.FirstAccess} {
		a, d := provisioning.NextAction(&ana, &env, nil, t)
		fmt.Println(t, a.Verb, d.Admission(), a.Rules)
	}
	// Output:
	// background-sync not-added on-demand ENV-TRIAL,LIFE-ON-DEMAND-KEEP
	// first-access create on-demand UT-REGULAR,ENV-DATAVERSE,ENV-TRIAL,DIR-ENABLED,LIC-REQUIRED,MODE-READ-WRITE
}

func ExampleDecision_AppendJSON() {
	env := provisioning.Environment{ID: "web", Tenant: "contoso", Type: provisioning.EnvProduction}
	ana := provisioning.User{ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", Enabled: true}
	var buf []byte // reused for every decision of a stream
	buf = provisioning.Evaluate(&ana, &env).AppendJSON(buf[:0])
	var d struct {
		Admission string
		Failed    []string
		Checks    []struct{ Rule, Outcome, Reason, Fix string }
	}
	if err := json.Unmarshal(buf, &d); err != nil {
		fmt.Println(err)
	}
	fmt.Println(d.Admission, d.Failed)
	fmt.Println(d.Checks[0].Rule, d.Checks[0].Outcome, "-", d.Checks[0].Fix)
	// Output:
	// never [ENV-DATAVERSE LIC-REQUIRED]
	// ENV-DATAVERSE fail - add a Dataverse database to the environment
}

func ExampleDecision_Explain() {
	env := provisioning.Environment{ID: "hr", Tenant: "contoso", Type: provisioning.EnvTrial, Dataverse: true}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	explanation := provisioning.Evaluate(&ana, &env).Explain()
	first, _, _ := strings.Cut(explanation, "\n")
	fmt.Println(first)
	for _, line := range strings.Split(explanation, "\n")[1:] {
		if strings.Contains(line, "ENV-TRIAL") {
			fmt.Println(line)
		}
	}
	// Output:
	// ana@contoso.com in hr: on-demand as read-write; on demand by: ENV-TRIAL
	//     on-demand ENV-TRIAL                 trial environment hr adds users on demand only; its background sync adds nobody new
}

func ExampleCheckDeletion() {
	env := provisioning.Environment{ID: "sales", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true}
	rec := provisioning.Record{ObjectID: "u-lou", UPN: "lou@contoso.com", Disabled: true, SoftDeleted: true, OwnedRecords: 12}
	d := provisioning.CheckDeletion(&env, &rec, nil) // no directory user has u-lou's object ID
	fmt.Println(d.Stage, d.Allowed())
	for _, b := range d.Blocks {
		fmt.Printf("%s: %s\n  fix: %s\n", b.Rule, b.Reason, b.Fix)
	}
	// Output:
	// permanent-delete false
	// DEL-PERMANENT: the user still owns 12 records
	//   fix: reassign the 12 records this user owns
	// DEL-PERMANENT: the Enable delete disabled users setting of environment sales is off
	//   fix: turn on Enable delete disabled users in the environment's feature settings
}

func ExampleOrg_SoftDelete() {
	env := provisioning.Environment{ID: "sales", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true,
		Settings: provisioning.OrgSettings{DeleteDisabledUsers: true}}
	o := provisioning.Org{Environment: env, Records: []provisioning.Record{
		{ObjectID: "u-max", UPN: "max@contoso.com", Disabled: true, Roles: []string{"Salesperson"}},
	}}
	// Max still exists in the directory, soft-deleted: the record stays.
	max := provisioning.User{ObjectID: "u-max", UPN: "max@contoso.com", SoftDeleted: true}
	_, err := o.SoftDelete("u-max", &max)
	fmt.Println(err)

	// Deleted for good: no directory user has the object ID any more.
	o, _ = o.SoftDelete("u-max", nil)
	fmt.Println(o.Records[0].SoftDeleted, o.Records[0].Roles)
	o, err = o.PermanentDelete("u-max")
	fmt.Println(len(o.Records), err)
	// Output:
	// SoftDelete "u-max": the directory user still exists (DEL-SOFT)
	// true []
	// 0 <nil>
}

func ExampleOrg_Access() {
	env := provisioning.Environment{ID: "hr", Tenant: "contoso", Type: provisioning.EnvSandbox, Dataverse: true, SecurityGroup: "g-hr",
		Teams: []provisioning.GroupTeam{{Group: "g-readers", Name: "Readers", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned,
			InSecurityGroup: true, Roles: []provisioning.TeamRole{{Name: "HR Reader"}}}}}
	rae := provisioning.User{ObjectID: "u-rae", UPN: "rae@contoso.com", Enabled: true, Groups: []string{"g-readers"},
		Licenses: []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "contoso"}}}
	o := provisioning.Org{Environment: env}

	// The background sync never adds a user because a team holds it...
	_, sync := o.Sync(&rae, provisioning.BackgroundSync)
	fmt.Println(sync.Action.Verb)
	// ...its own first access does, in the team, with the team's role.
	o, access, err := o.Access(&rae)
	fmt.Println(access.Action.Verb, access.Joined, access.RolesGained, err)
	d := provisioning.EvaluateRecord(&rae, &o.Environment, &o.Records[0])
	fmt.Println(d.CanUseApps(), d.Outcome(provisioning.RuleGTRoles))
	// Output:
	// not-added
	// create [g-readers] [HR Reader] <nil>
	// true fail
}

func ExampleOrg_DeleteTeamGroup() {
	env := provisioning.Environment{ID: "hr", Tenant: "contoso", Type: provisioning.EnvSandbox, Dataverse: true,
		Teams: []provisioning.GroupTeam{{Group: "g-temps", Kind: provisioning.GroupKindMicrosoft365, Rule: provisioning.DynamicUser,
			Roles: []provisioning.TeamRole{{Name: "Basic User", Inherited: true}}}}}
	o := provisioning.Org{Environment: env, Records: []provisioning.Record{
		{ObjectID: "u-1", UPN: "one@contoso.com", Teams: []string{"g-temps"}},
		{ObjectID: "u-2", UPN: "two@contoso.com", Teams: []string{"g-temps"}},
	}}
	o, _ = o.DeleteTeamGroup("g-temps")
	fmt.Println(o.Records[0].Teams, o.Records[1].Teams, o.Environment.Teams[0].GroupDeleted)
	// Output:
	// [] [] true
}

func ExampleEnvironment_TeamsOf() {
	env := provisioning.Environment{ID: "hr", Tenant: "contoso", Type: provisioning.EnvSandbox, Dataverse: true,
		Teams: []provisioning.GroupTeam{
			{Group: "g-hr", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, Membership: provisioning.MembersOnly},
			{Group: "g-partners", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, Membership: provisioning.GuestsOnly},
		}}
	guest := provisioning.User{ObjectID: "u-kim", UPN: "kim_fabrikam.com#EXT#@contoso.com", Enabled: true,
		Guest: true, HomeTenant: "fabrikam", Groups: []string{"g-hr", "g-partners"}}
	fmt.Println(env.TeamsOf(&guest)) // a guest: only the guests' team holds it
	// Output:
	// [g-partners]
}

func ExampleAction_Write() {
	env := provisioning.Environment{ID: "sales", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	ana.Attributes.Set(syncfields.JobTitle, "Head Buyer")
	rec := provisioning.Record{ObjectID: "u-ana", UPN: "ana@contoso.com", SystemUserID: "5a1e", Roles: []string{"Salesperson"}}
	rec.Fields.Columns.Set(syncfields.FirstName, "#")
	rec.Fields.Columns.Set(syncfields.JobTitle, "Buyer")
	a, _ := provisioning.NextAction(&ana, &env, &rec, provisioning.BackgroundSync)
	w, _ := a.Write(&ana, &env, &rec)
	fmt.Println(w.Verb, w.SystemUserID, w.Columns.Columns(), w.Values.Get(syncfields.JobTitle))

	// A write to an existing row names it: without the record's
	// systemuserid there is no write, only an error saying so.
	rec.SystemUserID = ""
	_, err := a.Write(&ana, &env, &rec)
	fmt.Println(err)
	// Output:
	// update 5a1e [jobtitle] Head Buyer
	// record "u-ana": field SystemUserID = "": required value is missing
}

func ExampleCheckEnvironment() {
	// Check once, where the values enter; decide many times on the proofs.
	env := provisioning.Environment{ID: "sales", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, SecurityGroup: "g-sales"}
	ce, err := provisioning.CheckEnvironment(&env)
	if err != nil {
		panic(err)
	}
	for _, u := range []provisioning.User{
		{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true, Groups: []string{"g-sales"},
			Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}},
		{ObjectID: "u-bo", UPN: "bo@contoso.com", Enabled: true,
			Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}},
		{ObjectID: "u-\u202ecy", UPN: "cy@contoso.com", Enabled: true},
	} {
		cu, err := provisioning.CheckUser(&u)
		if err != nil {
			fmt.Println("refused:", err)
			continue
		}
		d := ce.Evaluate(cu)
		fmt.Printf("%s: %s [%v]\n", u.UPN, d.Admission(), d.RefusedBy())
	}
	// Output:
	// ana@contoso.com: automatic []
	// bo@contoso.com: never [SG-MEMBER]
	// refused: user "u-\u202ecy": field ObjectID = "u-\u202ecy": malformed value: it holds a control character, an invisible formatting character or bytes that are not UTF-8
}

func ExampleCheckedEnvironment_Reconcile() {
	env := provisioning.Environment{ID: "sales", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, RootBusinessUnit: "b-root"}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	ce, _ := provisioning.CheckEnvironment(&env)
	cu, _ := provisioning.CheckUser(&ana)
	r := ce.Reconcile(cu, provisioning.CheckedRecord{}, provisioning.BackgroundSync) // no record yet
	fmt.Println(r.Action.Verb, r.Record.UPN, r.Record.Disabled, r.After.CanUseApps())
	// Output:
	// create ana@contoso.com false false
}

// The background sync creates Ana's record; her own first access then
// finds it enabled. ReconcileInto returns the proof of the record it made,
// so the second trigger needs no check.
func ExampleCheckedEnvironment_ReconcileInto() {
	env := provisioning.Environment{ID: "sales", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, RootBusinessUnit: "b-root"}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	ce, _ := provisioning.CheckEnvironment(&env)
	cu, _ := provisioning.CheckUser(&ana)
	var synced, access provisioning.Reconciliation
	made := ce.ReconcileInto(&synced, cu, provisioning.CheckedRecord{}, provisioning.BackgroundSync)
	ce.ReconcileInto(&access, cu, made, provisioning.FirstAccess)
	fmt.Println(synced.Action.Verb, made.Record().UPN, access.Action.Verb, access.Record.Disabled)
	// Output:
	// create ana@contoso.com leave false
}

// Where does Ana stand once the background sync has run, and after her
// own access? Settle answers without the field sync: the decision and
// the record's state, not the columns.
func ExampleCheckedEnvironment_Settle() {
	env := provisioning.Environment{ID: "sales", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, RootBusinessUnit: "b-root", SecurityGroup: "g-sales"}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true, Groups: []string{"g-other"},
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	rec := provisioning.Record{ObjectID: "u-ana", UPN: "ana@contoso.com"}
	ce, _ := provisioning.CheckEnvironment(&env)
	cu, _ := provisioning.CheckUser(&ana)
	cr, _ := provisioning.CheckRecord(&rec)
	var after provisioning.Record
	d, proof, err := ce.Settle(&after, cu, cr, provisioning.BackgroundSync)
	fmt.Println(d.Admission(), proof.Record() != nil, after.Disabled, err)
	// Output:
	// never true true <nil>
}
