package tenant_test

import (
	"errors"
	"fmt"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

func ExampleWhatIf() {
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, RootBusinessUnit: "bu-sales"}
	lic := []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true, Licenses: lic, Groups: []string{"g-sales"}}
	bob := provisioning.User{ObjectID: "u-bob", UPN: "bob@contoso.com", Enabled: true, Licenses: lic}
	s := tenant.Snapshot{
		Users:        []provisioning.User{ana, bob},
		Environments: []provisioning.Environment{env},
		Records: map[string][]provisioning.Record{env.ID: {
			{ObjectID: "u-ana", UPN: "ana@contoso.com"}, {ObjectID: "u-bob", UPN: "bob@contoso.com"},
		}},
	}
	group := "g-sales"
	rep, _ := tenant.WhatIf(&s, tenant.Change{Environment: env.ID, SecurityGroup: &group}, tenant.Options{})
	fmt.Println(rep.Change)
	for _, i := range rep.Impacts {
		fmt.Println(i.UPN, i.Verb, i.Before.Record, "->", i.After.Record, i.Rules)
	}
	// Output:
	// assigning group g-sales to environment sales-prod
	// bob@contoso.com disable enabled -> disabled SG-MEMBER,LIFE-NEVER-DELETE,LIFE-DISABLE
}

func ExampleEach() {
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true,
		RootBusinessUnit: "b-root"}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	s := tenant.Snapshot{Users: []provisioning.User{ana}, Environments: []provisioning.Environment{env},
		Records: map[string][]provisioning.Record{env.ID: {{ObjectID: "u-gone", UPN: "gone@contoso.com", SystemUserID: "5a1e"}}}}
	// A caller that writes each action out never holds the whole plan.
	totals, err := tenant.Each(&s, provisioning.BackgroundSync, tenant.Options{Workers: 2}, func(st *tenant.Step) error {
		w, _ := st.Write()
		fmt.Println(st.Action.Verb, st.Action.User, w.Columns.Len() > 0, w.SetDisabled)
		return nil
	})
	fmt.Println(totals.All.Total(), err)
	// Output:
	// create u-ana true false
	// disable u-gone false true
	// 2 <nil>
}

// A tenant too large to hold every environment's records at once is
// planned one environment at a time, in ID order: the same actions as one
// plan of the whole tenant, in the same order, with the directory held
// once and one environment's records at a time.
func ExampleEach_byEnvironment() {
	lic := []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}
	users := []provisioning.User{
		{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true, Licenses: lic},
		{ObjectID: "u-bob", UPN: "bob@contoso.com", Enabled: false, Licenses: lic},
	}
	// records stands for reading one environment's Dataverse export
	// (wire.ReadDataverseExport) just before its plan.
	records := func(env string) []provisioning.Record {
		return []provisioning.Record{{ObjectID: "u-bob", UPN: "bob@contoso.com"}}
	}
	var all tenant.Counts
	for _, id := range []string{"hr-prod", "sales-prod"} { // in ID order
		env := provisioning.Environment{ID: id, Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, RootBusinessUnit: "bu-" + id}
		s := tenant.Snapshot{Users: users, Environments: []provisioning.Environment{env},
			Records: map[string][]provisioning.Record{id: records(id)}}
		totals, err := tenant.Each(&s, provisioning.BackgroundSync, tenant.Options{Workers: 2}, func(st *tenant.Step) error {
			fmt.Println(st.Environment.ID, st.Action.User, st.Action.Verb)
			return nil
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		all = all.Plus(totals.All)
	}
	fmt.Println("create:", all.Of(provisioning.Create), "disable:", all.Of(provisioning.Disable))
	// Output:
	// hr-prod u-ana create
	// hr-prod u-bob disable
	// sales-prod u-ana create
	// sales-prod u-bob disable
	// create: 2 disable: 2
}

func ExampleSnapshot_Check() {
	u := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true}
	s := tenant.Snapshot{Users: []provisioning.User{u, u}}
	err := s.Check()
	fmt.Println(errors.Is(err, provisioning.ErrDuplicate))
	fmt.Println(err)
	// Output:
	// true
	// user "u-ana": field Users[1].ObjectID = "u-ana": key given twice
}
