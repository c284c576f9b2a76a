package provisioning_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/provisionrules/provisionrules/provisioning"
)

func ExampleUser_UnmarshalJSON() {
	var ana provisioning.User
	err := json.Unmarshal([]byte(`{"objectId": "u-ana", "upn": "ana@contoso.com", "enabled": true,
		"licenses": [{"plan": "dynamics-365", "tenant": "contoso"}], "attributes": {"jobtitle": "Buyer"}}`), &ana)
	fmt.Println(ana.UPN, ana.Licenses[0].Plan, err)

	err = json.Unmarshal([]byte(`{"objectId": "u-ben", "upn": "ben@contoso.com", "enabled": true,
		"licenses": [{"plan": "gold", "tenant": "contoso"}]}`), &ana)
	fmt.Println(err)
	err = json.Unmarshal([]byte(`{"objectId": "u-ben", "upn": "ben@contoso.com", "enabled": true,
		"attributes": {"jobtitle": "Buyer", "JobTitle": "CEO"}}`), &ana)
	fmt.Println(err)
	fmt.Println(ana.UPN) // unchanged by the refusals
	// Output:
	// ana@contoso.com dynamics-365 <nil>
	// user "u-ben": field licenses[0].plan = "gold": unknown license plan "gold"; want one of dynamics-365, power-apps-premium, free-dataverse, other
	// user "u-ben": field attributes[JobTitle] = "\"CEO\"": key given twice: "JobTitle" and "jobtitle" differ only in case and name one column, given twice; logical names are lower-case
	// ana@contoso.com
}

func ExampleLicense_UnmarshalJSON() {
	var l provisioning.License
	fmt.Println(json.Unmarshal([]byte(`{"plan": "free-dataverse", "tenant": "contoso", "inactive": true}`), &l), l.Plan, l.Inactive)
	fmt.Println(json.Unmarshal([]byte(`{"plan": "other", "Tenant": "contoso"}`), &l))
	// Output:
	// <nil> free-dataverse true
	// license: field Tenant: unknown field "Tenant": field names are case-sensitive; did you mean "tenant"?
}

func ExampleEnvironment_UnmarshalJSON() {
	var env provisioning.Environment
	err := json.Unmarshal([]byte(`{"id": "sales-prod", "tenant": "contoso", "type": null, "dataverse": true}`), &env)
	fmt.Println(err)
	err = json.Unmarshal([]byte(`{"id": "dev", "tenant": "contoso", "type": "developer", "dataverse": true, "securityGroup": "g-sales"}`), &env)
	fmt.Println(errors.Is(err, provisioning.ErrDeveloperGroup), err)
	// Output:
	// environment "sales-prod": field type: null where a value is required; want one of production, sandbox, trial, developer, teams, default
	// true environment "dev": field securityGroup = "g-sales": a developer environment cannot have a security group (ENV-NO-GROUP)
}

func ExampleGroupTeam_UnmarshalJSON() {
	var team provisioning.GroupTeam
	err := json.Unmarshal([]byte(`{"group": "g-readers", "kind": "security", "rule": "assigned", "membership": "owners"}`), &team)
	fmt.Println(team.Membership, err)
	fmt.Println(json.Unmarshal([]byte(`{"group": "g-readers", "kind": "security", "rule": "assigned"}`), &team))
	// Output:
	// owners <nil>
	// team "g-readers": field membership: the required field "membership" is missing; want one of members-and-guests, members, owners, guests
}

func ExampleTeamRole_UnmarshalJSON() {
	var role provisioning.TeamRole
	fmt.Println(json.Unmarshal([]byte(`{"name": "Reader", "inherited": true}`), &role), role)
	fmt.Println(json.Unmarshal([]byte(`{"name": null}`), &role))
	// Output:
	// <nil> {Reader true}
	// role: field name: null where a value is required
}

func ExampleRecord_UnmarshalJSON() {
	var rec provisioning.Record
	// encoding/json would read a record without its access mode as
	// Read-Write.
	err := json.Unmarshal([]byte(`{"objectId": "u-ana", "upn": "ana@contoso.com"}`), &rec)
	fmt.Println(err)
	// Output:
	// record "u-ana": field accessMode: the required field "accessMode" is missing; want one of read-write, administrative, read, support-user, non-interactive, delegated-admin
}

// A decision's JSON explains it; it is not read back.
func ExampleDecision_UnmarshalJSON() {
	env := provisioning.Environment{ID: "web", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	data, _ := json.Marshal(provisioning.Evaluate(&ana, &env))

	var d provisioning.Decision
	err := json.Unmarshal(data, &d)
	fmt.Println(errors.Is(err, errors.ErrUnsupported))

	// A program reads the explanation as data.
	var explained struct {
		Admission string
		Checks    []provisioning.Check
	}
	fmt.Println(json.Unmarshal(data, &explained), explained.Admission, explained.Checks[0].Rule, explained.Checks[0].Outcome)
	// Output:
	// true
	// <nil> automatic ENV-DATAVERSE pass
}

func ExampleReconciliation_MarshalJSON() {
	env := provisioning.Environment{ID: "web", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, RootBusinessUnit: "bu-root"}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	r := provisioning.Reconcile(&ana, &env, nil, provisioning.BackgroundSync)
	data, _ := json.Marshal(r)

	var parts map[string]json.RawMessage
	_ = json.Unmarshal(data, &parts)
	fmt.Println(slices.Sorted(func(yield func(string) bool) {
		for k := range parts {
			if !yield(k) {
				return
			}
		}
	}))
	fmt.Println(string(parts["action"]))
	fmt.Println(string(parts["record"]))
	// Output:
	// [action after before record sync]
	// {"user":"u-ana","environment":"web","verb":"create","accessMode":"read-write","rules":["UT-REGULAR","ENV-DATAVERSE","DIR-ENABLED","LIC-REQUIRED","MODE-READ-WRITE"],"columns":["domainname","firstname","azureactivedirectoryobjectid"]}
	// {"objectId":"u-ana","upn":"ana@contoso.com","accessMode":"read-write","fields":{"columns":{"azureactivedirectoryobjectid":"u-ana","domainname":"ana@contoso.com","firstname":"#"}}}
}

func ExampleReconciliation_UnmarshalJSON() {
	var r provisioning.Reconciliation
	err := json.Unmarshal([]byte(`{"action":{}}`), &r)
	fmt.Println(errors.Is(err, errors.ErrUnsupported))
	// Output:
	// true
}

func ExampleAccessResult_MarshalJSON() {
	env := provisioning.Environment{ID: "web", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true,
		Teams: []provisioning.GroupTeam{{Group: "g-readers", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, Roles: []provisioning.TeamRole{{Name: "Reader"}}}}}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true, Groups: []string{"g-readers"},
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	_, res, _ := provisioning.Org{Environment: env}.Access(&ana)
	data, _ := json.Marshal(res)
	var teams struct{ Joined, RolesGained []string }
	_ = json.Unmarshal(data, &teams)
	fmt.Println(teams.Joined, teams.RolesGained)
	// Output:
	// [g-readers] [Reader]
}

func ExampleWrite_MarshalJSON() {
	env := provisioning.Environment{ID: "web", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: false}
	rec := provisioning.Record{ObjectID: "u-ana", UPN: "ana@contoso.com", SystemUserID: "9b1d5e2c"}
	a, _ := provisioning.NextAction(&ana, &env, &rec, provisioning.BackgroundSync)
	w, _ := a.Write(&ana, &env, &rec)
	data, _ := json.Marshal(w)
	fmt.Println(string(data))
	// Output:
	// {"verb":"disable","systemUserId":"9b1d5e2c","objectId":"u-ana","disabled":true}
}

func ExampleWrite_UnmarshalJSON() {
	var w provisioning.Write
	fmt.Println(json.Unmarshal([]byte(`{"verb":"update","systemUserId":"9b1d5e2c","accessMode":"administrative"}`), &w), w.SetMode, w.Mode)
	fmt.Println(json.Unmarshal([]byte(`{"verb":"update","objectId":"u-ana"}`), &w))
	// Output:
	// <nil> true administrative
	// write "u-ana": field systemUserId: required value is missing: a write to an existing row names it
}

func ExampleRuleSet_UnmarshalJSON() {
	var s provisioning.RuleSet
	fmt.Println(json.Unmarshal([]byte(`["SG-MEMBER","LIC-REQUIRED"]`), &s), s)
	fmt.Println(json.Unmarshal([]byte(`["SG-MEMBER","sg-member"]`), &s))
	// Output:
	// <nil> LIC-REQUIRED,SG-MEMBER
	// rules: field [1] = "SG-MEMBER": key given twice
}

func ExampleOrg_UnmarshalJSON() {
	var o provisioning.Org
	err := json.Unmarshal([]byte(`{"environment": {"id": "web", "tenant": "contoso", "type": "sandbox", "dataverse": true},
		"records": [{"upn": "crmoln@microsoft.com", "accessMode": "support-user"}, {"objectId": "u-ana", "upn": "ana@contoso.com", "accessMode": "4"}]}`), &o)
	fmt.Println(o.NonInteractiveCount(), err)
	err = json.Unmarshal([]byte(`{"environment": {"id": "web", "tenant": "contoso", "type": "sandbox", "dataverse": true},
		"records": [{"objectId": "u-ana", "accessMode": "read"}, {"objectId": "u-ana", "accessMode": "read-write"}]}`), &o)
	fmt.Println(err)
	// Output:
	// 1 <nil>
	// org "web": field records[1] = "u-ana": key given twice: records[0] has the key "u-ana" too
}
