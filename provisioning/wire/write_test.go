package wire_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

func TestEncodeWrite(t *testing.T) {
	var vals syncfields.Values
	vals[syncfields.DomainName], vals[syncfields.ObjectID], vals[syncfields.FirstName] = "ana@contoso.com", "u-1", "#"
	vals[syncfields.JobTitle] = `say "hi"` + "\n\x01"
	create := provisioning.Write{Verb: provisioning.Create, ObjectID: "u-1", Columns: syncfields.ColumnSet(0).With(syncfields.DomainName).With(syncfields.ObjectID).With(syncfields.FirstName).With(syncfields.JobTitle), Values: vals, SetMode: true, Mode: usertype.ReadWrite}
	update := provisioning.Write{Verb: provisioning.Update, SystemUserID: "s-1", ObjectID: "u-1", Columns: syncfields.ColumnSet(0).With(syncfields.City), SetMode: true, Mode: usertype.Administrative}
	enable := provisioning.Write{Verb: provisioning.Enable, ObjectID: "u-1", SetDisabled: true}
	disable := provisioning.Write{Verb: provisioning.Disable, SystemUserID: "s-1", SetDisabled: true, Disabled: true}
	app := provisioning.Write{Verb: provisioning.Create, ObjectID: "sp-1", ApplicationID: "app-1", SetMode: true, Mode: usertype.NonInteractive}
	for _, c := range []struct {
		name   string
		w      provisioning.Write
		method string
		path   string
		body   map[string]any
	}{
		{"create", create, "POST", "systemusers", map[string]any{"domainname": "ana@contoso.com", "azureactivedirectoryobjectid": "u-1", "firstname": "#", "jobtitle": "say \"hi\"\n\x01", "accessmode": 0.0}},
		{"update", update, "PATCH", "systemusers(s-1)", map[string]any{"address1_city": nil, "accessmode": 1.0}},
		{"enable of a row whose ID is not known", enable, "PATCH", "", map[string]any{"isdisabled": false}},
		{"disable", disable, "PATCH", "systemusers(s-1)", map[string]any{"isdisabled": true}},
		{"application user", app, "POST", "systemusers", map[string]any{"accessmode": 4.0, "applicationid": "app-1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := wire.EncodeWrite(c.w)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("body %s: %v", r.Body, err)
			}
			if r.Method != c.method || r.Path != c.path {
				t.Errorf("%s %s, want %s %s", r.Method, r.Path, c.method, c.path)
			}
			if diff := cmp.Diff(c.body, body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := wire.EncodeWrite(provisioning.Write{Verb: provisioning.Leave}); !errors.Is(err, provisioning.ErrUnknown) {
		t.Errorf("a write of Leave: %v", err)
	}
}

func ExampleEncodeWrite() {
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.Production, Dataverse: true,
		RootBusinessUnit: "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70"}
	ana := provisioning.User{ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	a, _ := provisioning.NextAction(&ana, &env, nil, provisioning.BackgroundSync)
	w, _ := a.Write(&ana, &env, nil)
	r, _ := wire.EncodeWrite(w)
	fmt.Println(r.Method, r.Path, string(r.Body))
	// Output:
	// POST systemusers {"domainname":"ana@contoso.com","firstname":"#","azureactivedirectoryobjectid":"7d2c1f0a","accessmode":0}
}
