package tenant_test

import (
	"encoding/json"
	"fmt"

	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

func ExampleSnapshot_UnmarshalJSON() {
	var s tenant.Snapshot
	err := json.Unmarshal([]byte(`{"tenant": "contoso",
		"environments": [{"id": "sales-prod", "tenant": "contoso", "type": "production", "dataverse": true}],
		"users": [{"objectId": "u-ana", "upn": "ana@contoso.com", "enabled": true}]}`), &s)
	fmt.Println(len(s.Users), len(s.Environments), err)

	// Every problem of the whole, each once: the structure first, then
	// each malformed element.
	err = json.Unmarshal([]byte(`{"environments": [],
		"users": [{"objectId": "u-ana", "upn": "ana@contoso.com", "enabled": true, "guest": true},
		          {"objectId": "u-ana", "upn": "ana@contoso.com", "enabled": true}]}`), &s)
	fmt.Println(err)
	// Output:
	// 1 1 <nil>
	// user "u-ana": field users[1].objectId = "u-ana": key given twice
	// user "u-ana": field users[0].homeTenant: required value is missing
}

func ExampleChange_UnmarshalJSON() {
	var c tenant.Change
	err := json.Unmarshal([]byte(`{"environment": "sales-prod", "securityGroup": "g-sales", "appPass": false}`), &c)
	fmt.Println(c, err)
	fmt.Println(json.Unmarshal([]byte(`{"environment": "sales-prod", "type": "prod"}`), &c))
	// Output:
	// assigning group g-sales to and removing app-pass capacity from environment sales-prod <nil>
	// change "sales-prod": field type = "prod": unknown environment type "prod"; want one of production, sandbox, trial, developer, teams, default
}

func ExampleDelta_UnmarshalJSON() {
	var d tenant.Delta
	err := json.Unmarshal([]byte(`{"users": [{"objectId": "u-ana", "enabled": false}, {"objectId": "u-bob", "removed": "deleted"}],
		"groups": [{"group": "g-sales", "membersRemoved": ["u-cat"]}]}`), &d)
	fmt.Println(len(d.Users), d.Users[1].Removed, d.Groups[0].MembersRemoved, err)
	fmt.Println(json.Unmarshal([]byte(`{"users": [{"objectId": "u-ana", "removed": "gone"}]}`), &d))
	// Output:
	// 2 deleted [u-cat] <nil>
	// delta: field users[0].removed = "gone": unknown removal "gone"; want one of none, changed, deleted
}

func ExampleGroup_UnmarshalJSON() {
	var g tenant.Group
	fmt.Println(json.Unmarshal([]byte(`{"id": "g-sales", "kind": "security"}`), &g), g.Kind)
	fmt.Println(json.Unmarshal([]byte(`{"id": "g-sales", "kind": "distribution"}`), &g))
	// Output:
	// <nil> security
	// group "g-sales": field kind = "distribution": unknown group kind "distribution"; want one of security, microsoft-365
}

func ExampleFinding_UnmarshalJSON() {
	var f tenant.Finding
	err := json.Unmarshal([]byte(`{"rule": "CHK-TENANT", "severity": "error", "environment": "sales-prod",
		"object": "contoso.com", "reason": "the tenant is a domain name", "fix": "use the tenant ID"}`), &f)
	fmt.Println(f.Rule, f.Severity, err)
	// Output:
	// CHK-TENANT error <nil>
}
