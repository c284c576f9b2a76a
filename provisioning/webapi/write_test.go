package webapi_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
	"github.com/provisionrules/provisionrules/provisioning/wire"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// The requests are Dataverse's documented shapes, written here by hand
// from Microsoft's pages: a create is a POST to the entity set that binds
// a single-valued navigation property as "<name>@odata.bind":
// "/<entity set>(<id>)" ("Create a table row using the Web API",
// "Associate table rows on create"); systemuser's businessunitid is a
// SystemRequired lookup to businessunit ("User (SystemUser) table/entity
// reference"); an update is a PATCH to the row's URI with "If-Match: *",
// which makes Dataverse answer 404 for a missing row rather than create it
// ("Perform conditional operations using the Web API", "Prevent create in
// upsert").
func TestEncodeWrite(t *testing.T) {
	const (
		bu  = "00000000-0000-0000-0000-00000000000b"
		row = "00000000-0000-0000-0000-000000000001"
	)
	var vals syncfields.Values
	vals.Set(syncfields.DomainName, "ana@contoso.com")
	vals.Set(syncfields.ObjectID, "u-1")
	vals.Set(syncfields.FirstName, "#")
	vals.Set(syncfields.JobTitle, `say "hi"`+"\n\x01")
	create := provisioning.Write{Verb: provisioning.Create, ObjectID: "u-1", BusinessUnit: bu, Columns: syncfields.ColumnSet(0).With(syncfields.DomainName).With(syncfields.ObjectID).With(syncfields.FirstName).With(syncfields.JobTitle), Values: vals, SetMode: true, Mode: usertype.ReadWrite}
	update := provisioning.Write{Verb: provisioning.Update, SystemUserID: row, ObjectID: "u-1", Columns: syncfields.ColumnSet(0).With(syncfields.City), SetMode: true, Mode: usertype.Administrative}
	enable := provisioning.Write{Verb: provisioning.Enable, SystemUserID: row, ObjectID: "u-1", SetDisabled: true}
	disable := provisioning.Write{Verb: provisioning.Disable, SystemUserID: row, SetDisabled: true, Disabled: true}
	app := provisioning.Write{Verb: provisioning.Create, ObjectID: "sp-1", BusinessUnit: bu, ApplicationID: "app-1", SetMode: true, Mode: usertype.NonInteractive}
	ifMatch := map[string]string{"If-Match": "*"}
	for _, c := range []struct {
		name    string
		w       provisioning.Write
		method  string
		path    string
		headers map[string]string
		body    map[string]any
	}{
		{"create", create, "POST", "systemusers", nil, map[string]any{
			"domainname": "ana@contoso.com", "azureactivedirectoryobjectid": "u-1", "firstname": "#", "jobtitle": "say \"hi\"\n\x01", "accessmode": 0.0,
			"businessunitid@odata.bind": "/businessunits(00000000-0000-0000-0000-00000000000b)"}},
		{"update", update, "PATCH", "systemusers(00000000-0000-0000-0000-000000000001)", ifMatch, map[string]any{"address1_city": nil, "accessmode": 1.0}},
		{"enable", enable, "PATCH", "systemusers(00000000-0000-0000-0000-000000000001)", ifMatch, map[string]any{"isdisabled": false}},
		{"disable", disable, "PATCH", "systemusers(00000000-0000-0000-0000-000000000001)", ifMatch, map[string]any{"isdisabled": true}},
		{"application user", app, "POST", "systemusers", nil, map[string]any{"accessmode": 4.0, "applicationid": "app-1",
			"businessunitid@odata.bind": "/businessunits(00000000-0000-0000-0000-00000000000b)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := webapi.EncodeWrite(c.w)
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
			if diff := cmp.Diff(c.headers, r.Headers); diff != "" {
				t.Errorf("headers mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.body, body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// A write EncodeWrite cannot address is an error naming the field, never a
// request with an empty or broken path.
func TestEncodeWriteRefuses(t *testing.T) {
	for _, c := range []struct {
		name  string
		w     provisioning.Write
		field string
		err   error
	}{
		{"leave", provisioning.Write{Verb: provisioning.Leave}, "Verb", provisioning.ErrUnknown},
		{"update without its row", provisioning.Write{Verb: provisioning.Update, ObjectID: "u-1"}, "SystemUserID", provisioning.ErrMissing},
		{"enable without its row", provisioning.Write{Verb: provisioning.Enable, ObjectID: "u-1", SetDisabled: true}, "SystemUserID", provisioning.ErrMissing},
		{"disable without its row", provisioning.Write{Verb: provisioning.Disable, SetDisabled: true, Disabled: true}, "SystemUserID", provisioning.ErrMissing},
		{"create without its business unit", provisioning.Write{Verb: provisioning.Create, ObjectID: "u-1", SetMode: true}, "BusinessUnit", provisioning.ErrMissing},
		{"a row ID that ends the request line", provisioning.Write{Verb: provisioning.Disable, SystemUserID: "1) HTTP/1.1\r\nGET /x", SetDisabled: true}, "SystemUserID", provisioning.ErrMalformed},
		{"a row ID that is a path", provisioning.Write{Verb: provisioning.Update, SystemUserID: "1)/../accounts(2"}, "SystemUserID", provisioning.ErrMalformed},
		{"a business unit ID with a quote", provisioning.Write{Verb: provisioning.Create, BusinessUnit: `b"`, SetMode: true}, "BusinessUnit", provisioning.ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, err := webapi.EncodeWrite(c.w)
			var we *wire.Error
			if !errors.As(err, &we) || we.Field != c.field || !errors.Is(err, c.err) || we.Index != -1 || we.Offset != -1 || we.Source != "write" {
				t.Fatalf("EncodeWrite = %+v, %v; want a write's error (no index, no offset) %v naming %s", r, err, c.err, c.field)
			}
			if r.Method != "" || r.Path != "" || r.Body != nil {
				t.Errorf("a request comes with the error: %+v", r)
			}
		})
	}
}

// json.Marshal gives a request's JSON form: its headers as an object and
// its body as a JSON value, not as base64 or escaped text.
func TestRequestJSON(t *testing.T) {
	r, err := webapi.EncodeWrite(provisioning.Write{Verb: provisioning.Disable, ObjectID: "u-1",
		SystemUserID: "00000000-0000-0000-0000-000000000001", SetDisabled: true, Disabled: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"method":"PATCH","path":"systemusers(00000000-0000-0000-0000-000000000001)","headers":{"If-Match":"*"},"objectId":"u-1","body":{"isdisabled":true}}`
	if string(got) != want {
		t.Errorf("json.Marshal = %s\nwant          %s", got, want)
	}
	var back webapi.Request
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("the JSON form read back differs (-encoded +read):\n%s", diff)
	}
	// Headers in name order; a body that is not JSON is json.Marshal's
	// error, not text in the output.
	two := webapi.Request{Method: "GET", Path: "systemusers", Headers: map[string]string{"Prefer": "odata.maxpagesize=10", "If-None-Match": "null"}}
	if got := string(two.AppendJSON(nil)); got != `{"method":"GET","path":"systemusers","headers":{"If-None-Match":"null","Prefer":"odata.maxpagesize=10"}}` {
		t.Errorf("AppendJSON = %s", got)
	}
	// AppendJSON allocates nothing for a request of one header, once the
	// buffer has room.
	buf := r.AppendJSON(nil)
	if n := testing.AllocsPerRun(100, func() { buf = r.AppendJSON(buf[:0]) }); n != 0 {
		t.Errorf("AppendJSON of a request of one header: %v allocations", n)
	}
	if _, err := json.Marshal(webapi.Request{Method: "POST", Path: "systemusers", Body: []byte(`{"a":`)}); err == nil {
		t.Error("json.Marshal of a request whose body is not JSON: no error")
	}
}

func ExampleEncodeWrite() {
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true,
		RootBusinessUnit: "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70"}
	ana := provisioning.User{ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", Enabled: true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	a, _ := provisioning.NextAction(&ana, &env, nil, provisioning.BackgroundSync)
	w, _ := a.Write(&ana, &env, nil)
	r, _ := webapi.EncodeWrite(w)
	fmt.Println(r.Method, r.Path, r.Headers, string(r.Body))

	// Ana's record once she is disabled in the directory: a PATCH of the
	// row, If-Match: * so that it never creates one.
	ana.Enabled = false
	rec := provisioning.Record{ObjectID: "7d2c1f0a", UPN: "ana@contoso.com", SystemUserID: "9b1d5e2c-0000-4000-8000-000000000001"}
	a, _ = provisioning.NextAction(&ana, &env, &rec, provisioning.BackgroundSync)
	w, _ = a.Write(&ana, &env, &rec)
	r, _ = webapi.EncodeWrite(w)
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
	// Output:
	// POST systemusers map[] {"domainname":"ana@contoso.com","firstname":"#","azureactivedirectoryobjectid":"7d2c1f0a","accessmode":0,"businessunitid@odata.bind":"/businessunits(3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70)"}
	// {"method":"PATCH","path":"systemusers(9b1d5e2c-0000-4000-8000-000000000001)","headers":{"If-Match":"*"},"objectId":"7d2c1f0a","body":{"isdisabled":true}}
}

// A row's key is any run of ASCII letters, digits and hyphens, the first
// and last of each range included; the bytes beside them are refused.
func TestEncodeWriteKeyCharacters(t *testing.T) {
	for _, id := range []string{"0", "9", "a", "z", "A", "Z", "-", "09azAZ-"} {
		if _, err := webapi.EncodeWrite(provisioning.Write{Verb: provisioning.Disable, SystemUserID: id, SetDisabled: true, Disabled: true}); err != nil {
			t.Errorf("row ID %q refused: %v", id, err)
		}
	}
	for _, id := range []string{"/", ":", "`", "{", "@", "[", "_", " "} {
		if _, err := webapi.EncodeWrite(provisioning.Write{Verb: provisioning.Disable, SystemUserID: id, SetDisabled: true, Disabled: true}); !errors.Is(err, provisioning.ErrMalformed) {
			t.Errorf("row ID %q: %v, want ErrMalformed", id, err)
		}
	}
}
