package provisioning_test

import (
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/provisionrules/provisionrules/internal/jsoncheck"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// configs are the mixes the round trips draw from: plain values only,
// and every edge case often.
var configs = []provisioningtest.Config{{}, provisioningtest.EdgeCases()}

func drawConfig(t *rapid.T) provisioningtest.Config {
	return rapid.SampledFrom(configs).Draw(t, "config")
}

// sameJSON compares values read back from JSON: a nil list or map and an
// empty one are the same (JSON writes neither), and errors are compared
// by their text, which is all JSON carries of them.
var sameJSON = cmp.Options{cmpopts.EquateEmpty(), errText}

// roundTrip writes v with encoding/json and reads it back the same way,
// as a service does: the value read must equal v, and write the same
// JSON again.
func roundTrip[T any](t *rapid.T, v T) {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%+v): %v", v, err)
	}
	var back T
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatalf("%s is refused: %v", data, err)
	}
	if diff := cmp.Diff(v, back, sameJSON); diff != "" {
		t.Fatalf("%s: mismatch (-want +got):\n%s", data, diff)
	}
	if again, err := json.Marshal(back); err != nil || string(again) != string(data) {
		t.Fatalf("written again as %s (%v), first as %s", again, err, data)
	}
}

func TestUserJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u := drawConfig(t).Users().Draw(t, "user")
		roundTrip(t, u)
		for _, l := range u.Licenses {
			roundTrip(t, l)
		}
	})
}

func TestEnvironmentJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		env := drawConfig(t).Environments().Draw(t, "environment")
		roundTrip(t, env)
		for _, team := range env.Teams {
			roundTrip(t, team)
			for _, r := range team.Roles {
				roundTrip(t, r)
			}
		}
	})
}

func TestRecordJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		roundTrip(t, drawConfig(t).Records().Draw(t, "record"))
	})
}

func TestOrgJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		roundTrip(t, drawConfig(t).Orgs().Draw(t, "org"))
	})
}

// drawReconciliation draws what Reconcile does with a pair under a
// trigger, and the record it was given (nil for none); one time in five
// the pair is malformed, one time in five its user is gone.
func drawReconciliation(t *rapid.T) (provisioningtest.Pair, *provisioning.Record, provisioning.Reconciliation) {
	c := drawConfig(t)
	tr := provisioningtest.Triggers().Draw(t, "trigger")
	switch rapid.IntRange(0, 4).Draw(t, "kind") {
	case 0:
		m := c.Malformed().Draw(t, "malformed")
		if m.Input == "trigger" {
			tr = m.Trigger
		}
		return m.Pair, &m.Record, provisioning.Reconcile(&m.User, &m.Environment, &m.Record, tr)
	case 1:
		p := c.Pairs().Draw(t, "pair")
		return p, &p.Record, provisioning.Reconcile(nil, &p.Environment, &p.Record, tr)
	}
	p := c.Pairs().Draw(t, "pair")
	if rapid.Bool().Draw(t, "no record") {
		return p, nil, provisioning.Reconcile(&p.User, &p.Environment, nil, tr)
	}
	return p, &p.Record, provisioning.Reconcile(&p.User, &p.Environment, &p.Record, tr)
}

// Every action, a malformed input's and a gone user's among them, reads
// back from its JSON.
func TestActionJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		_, _, r := drawReconciliation(t)
		roundTrip(t, asWritten(r.Action))
	})
}

// asWritten is a as its JSON carries it: malformed input that left a
// record of an access mode that is none has no access mode in JSON, and
// reads back with usertype.NoAccessMode.
func asWritten(a provisioning.Action) provisioning.Action {
	if a.Err != nil && !a.Mode.IsValid() {
		a.Mode = usertype.NoAccessMode
	}
	return a
}

// Every write an action implies reads back from its JSON.
func TestWriteJSONRoundTrip(t *testing.T) {
	var writes atomic.Int64
	rapid.Check(t, func(t *rapid.T) {
		p, rec, r := drawReconciliation(t)
		var u *provisioning.User
		if r.Action.User == p.User.ObjectID {
			u = &p.User
		}
		w, err := r.Action.Write(u, &p.Environment, rec)
		if err != nil {
			return // it writes nothing, or lacks its address
		}
		writes.Add(1)
		roundTrip(t, w)
	})
	if writes.Load() == 0 {
		t.Error("no write was drawn")
	}
}

// A reconciliation's JSON carries its action, both decisions as they
// write themselves, the record after the action and the field sync's
// result, each of which reads back; the reconciliation itself is not
// read, since its decisions are not.
func TestReconciliationJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		_, _, r := drawReconciliation(t)
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var parts map[string]json.RawMessage
		if err := json.Unmarshal(data, &parts); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		var action provisioning.Action
		if err := json.Unmarshal(parts["action"], &action); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(asWritten(r.Action), action, sameJSON); diff != "" {
			t.Fatalf("action (-want +got):\n%s", diff)
		}
		for name, d := range map[string]provisioning.Decision{"before": r.Before, "after": r.After} {
			want := ""
			if d != (provisioning.Decision{}) {
				want = string(d.AppendJSON(nil))
			}
			if got := string(parts[name]); got != want {
				t.Fatalf("%s = %s, want %s", name, got, want)
			}
		}
		if _, has := parts["record"]; has != (r.Action.HasRecord() && r.Action.Err == nil) {
			t.Fatalf("%s action: record present %v", r.Action.Verb, has)
		} else if has {
			var rec provisioning.Record
			if err := json.Unmarshal(parts["record"], &rec); err != nil {
				t.Fatalf("record %s: %v", parts["record"], err)
			}
			if diff := cmp.Diff(r.Record, rec, sameJSON); diff != "" {
				t.Fatalf("record (-want +got):\n%s", diff)
			}
		}
		raw, has := parts["sync"]
		if has != !r.Sync.Equal(syncfields.Result{}) {
			t.Fatalf("sync present %v for %+v", has, r.Sync)
		}
		if has {
			var sync syncfields.Result
			if err := json.Unmarshal(raw, &sync); err != nil || !sync.Equal(r.Sync) {
				t.Fatalf("sync %s read as %+v, %v", raw, sync, err)
			}
		}
		for name := range parts {
			switch name {
			case "action", "before", "after", "record", "sync":
			default:
				t.Fatalf("unexpected member %q in %s", name, data)
			}
		}
		var back provisioning.Reconciliation
		if err := json.Unmarshal(data, &back); !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("reading a reconciliation = %v, want an error wrapping errors.ErrUnsupported", err)
		}
	})
}

// A decision's JSON is never read back as a decision, least of all as a
// silent never: encoding/json returns the error, and the decision is
// left as it was.
func TestDecisionJSONIsNotRead(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		d := provisioning.Evaluate(&u, &env)
		data, err := json.Marshal(d)
		if err != nil || string(data) != string(d.AppendJSON(nil)) {
			t.Fatalf("MarshalJSON = %s, %v; AppendJSON writes %s", data, err, d.AppendJSON(nil))
		}
		back := d
		err = json.Unmarshal(data, &back)
		if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "a Decision is not read from JSON") {
			t.Fatalf("Unmarshal = %v, want an error wrapping errors.ErrUnsupported", err)
		}
		if back != d {
			t.Fatal("a refused read changed the decision")
		}
	})
}

// The result of an access writes its reconciliation and the teams and
// roles it gained and lost.
func TestAccessResultJSON(t *testing.T) {
	env := provisioning.Environment{ID: "sales", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true,
		Teams: []provisioning.GroupTeam{{Group: "g-readers", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, Roles: []provisioning.TeamRole{{Name: "Reader"}}}}}
	ana := provisioning.User{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true, Groups: []string{"g-readers"},
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
	_, res, err := provisioning.Org{Environment: env}.Access(&ana)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	recon, _ := json.Marshal(res.Reconciliation)
	want := strings.TrimSuffix(string(recon), "}") + `,"joined":["g-readers"],"rolesGained":["Reader"]}`
	if string(data) != want {
		t.Errorf("AccessResult JSON\n%s\nwant\n%s", data, want)
	}
	if err := json.Unmarshal(data, &res); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("reading an access result = %v, want errors.ErrUnsupported", err)
	}
}

// The cases, and every other mistake the readers refuse: each is
// a *provisioning.FieldError whose Field is the JSON path, wrapping the
// sentinel that says what is wrong, read through encoding/json as a
// service reads it; the value read into is left as it was.
func TestReadJSONRefuses(t *testing.T) {
	const (
		user   = `"objectId":"u-1","upn":"ana@contoso.com","enabled":true`
		env    = `"id":"sales","tenant":"contoso","dataverse":true`
		record = `"objectId":"u-1","upn":"ana@contoso.com"`
	)
	for _, c := range []struct {
		name, in string
		into     json.Unmarshaler
		err      error
		field    string
		says     string
	}{
		{"invalid UTF-8 in a group", "{" + user + ",\"groups\":[\"g-\xffsales\"]}", new(provisioning.User), provisioning.ErrMalformed, "", "user: the text is not valid UTF-8 at byte 70"},
		{"other invalid UTF-8 in a group", "{" + user + ",\"groups\":[\"g-\xfesales\"]}", new(provisioning.User), provisioning.ErrMalformed, "", "user: the text is not valid UTF-8 at byte 70"},
		{"a lone surrogate", `{` + user + `,"groups":["g-\udc00sales"]}`, new(provisioning.User), provisioning.ErrMalformed, "", "half of a UTF-16 surrogate pair"},
		{"attribute keys that differ only in case", `{` + user + `,"attributes":{"jobtitle":"Buyer","JobTitle":"CEO"}}`, new(provisioning.User), provisioning.ErrDuplicate, "attributes[JobTitle]", `"JobTitle" and "jobtitle" differ only in case`},
		{"an unknown plan", `{` + user + `,"licenses":[{"plan":"gold","tenant":"contoso"}]}`, new(provisioning.User), provisioning.ErrUnknown, "licenses[0].plan", `unknown license plan "gold"; want one of dynamics-365, power-apps-premium, free-dataverse, other`},
		{"a license without a tenant", `{` + user + `,"licenses":[{"plan":"other"}]}`, new(provisioning.User), provisioning.ErrMissing, "licenses[0].tenant", `the required field "tenant" is missing`},
		{"unknown admin roles", `{` + user + `,"roles":"global+owner"}`, new(provisioning.User), provisioning.ErrUnknown, "roles", `unknown admin roles "owner"`},
		{"a field in another case", `{` + user + `,"Guest":true}`, new(provisioning.User), provisioning.ErrUnknown, "Guest", `did you mean "guest"?`},
		{"a key twice", `{` + user + `,"enabled":false}`, new(provisioning.User), provisioning.ErrDuplicate, "enabled", `the key "enabled" is given twice`},
		{"enabled left out", `{"objectId":"u-1","upn":"a@b"}`, new(provisioning.User), provisioning.ErrMissing, "enabled", `the required field "enabled" is missing`},
		{"a GUID in upper case", `{"objectId":"7D2C1F0A-1B2C-4D5E-8F90-123456789ABC","upn":"a@c","enabled":true}`, new(provisioning.User), provisioning.ErrMalformed, "objectId", "a GUID in upper case"},
		{"a user Validate refuses", `{` + user + `,"deleted":true,"softDeleted":true}`, new(provisioning.User), provisioning.ErrContradiction, "softDeleted", ""},
		{"attributes of another user", `{` + user + `,"attributes":{"azureactivedirectoryobjectid":"u-2"}}`, new(provisioning.User), provisioning.ErrContradiction, "attributes[azureactivedirectoryobjectid]", ""},
		{"a null type", `{` + env + `,"type":null}`, new(provisioning.Environment), provisioning.ErrMissing, "type", "null where a value is required; want one of production, sandbox, trial, developer, teams, default"},
		{"no type", `{` + env + `}`, new(provisioning.Environment), provisioning.ErrMissing, "type", `the required field "type" is missing; want one of production, sandbox, trial, developer, teams, default`},
		{"an unknown type", `{` + env + `,"type":"prod"}`, new(provisioning.Environment), provisioning.ErrUnknown, "type", `unknown environment type "prod"; want one of production,`},
		{"a team's unknown kind", `{` + env + `,"type":"sandbox","teams":[{"group":"g","kind":"distribution","rule":"assigned","membership":"members"}]}`, new(provisioning.Environment), provisioning.ErrUnknown, "teams[0].kind", "want one of security, microsoft-365"},
		{"a team's role without a name", `{` + env + `,"type":"sandbox","teams":[{"group":"g","kind":"security","rule":"assigned","membership":"members","roles":[{"inherited":true}]}]}`, new(provisioning.Environment), provisioning.ErrMissing, "teams[0].roles[0].name", `the required field "name" is missing`},
		{"a developer environment with a group", `{` + env + `,"type":"developer","creator":"u-1","securityGroup":"g"}`, new(provisioning.Environment), provisioning.ErrDeveloperGroup, "securityGroup", ""},
		{"no access mode", `{` + record + `}`, new(provisioning.Record), provisioning.ErrMissing, "accessMode", `the required field "accessMode" is missing; want one of read-write,`},
		{"a null access mode", `{` + record + `,"accessMode":null}`, new(provisioning.Record), provisioning.ErrMissing, "accessMode", "null where a value is required; want one of read-write,"},
		{"a record's columns in two cases", `{` + record + `,"accessMode":"read","fields":{"columns":{"jobtitle":"a","JobTitle":"b"}}}`, new(provisioning.Record), provisioning.ErrDuplicate, "fields.columns[JobTitle]", "differ only in case"},
		{"a record of a bad custom column", `{` + record + `,"accessMode":"read","fields":{"custom":{"Bad Name":"x"}}}`, new(provisioning.Record), provisioning.ErrMalformed, "fields.custom[Bad Name]", ""},
		{"a record Validate refuses", `{"upn":"a@contoso.com","accessMode":"read"}`, new(provisioning.Record), provisioning.ErrMissing, "objectId", ""},
		{"a record of a duplicate role", `{` + record + `,"accessMode":"read","roles":[""]}`, new(provisioning.Record), provisioning.ErrMissing, "roles[0]", ""},
		{"an action without its access mode", `{"user":"u","environment":"e","verb":"create","rules":[]}`, new(provisioning.Action), provisioning.ErrMissing, "accessMode", "names"},
		{"a refusal with an access mode", `{"user":"u","environment":"e","verb":"not-added","accessMode":"read","rules":[]}`, new(provisioning.Action), provisioning.ErrContradiction, "accessMode", "no record"},
		{"an action's rule twice", `{"user":"u","environment":"e","verb":"not-added","rules":["SG-MEMBER","sg-member"]}`, new(provisioning.Action), provisioning.ErrDuplicate, "rules[1]", ""},
		{"an action's unknown rule", `{"user":"u","environment":"e","verb":"not-added","rules":["SG-GOLD"]}`, new(provisioning.Action), provisioning.ErrUnknown, "rules[0]", `unknown rule "SG-GOLD"`},
		{"an action's column twice", `{"user":"u","environment":"e","verb":"update","accessMode":"read","rules":[],"columns":["jobtitle","jobtitle"]}`, new(provisioning.Action), provisioning.ErrDuplicate, "columns[1]", "listed twice"},
		{"a write of nothing", `{"verb":"leave","systemUserId":"s"}`, new(provisioning.Write), provisioning.ErrNothingToWrite, "verb", ""},
		{"a write without its row", `{"verb":"update","objectId":"u"}`, new(provisioning.Write), provisioning.ErrMissing, "systemUserId", ""},
		{"a create without its business unit", `{"verb":"create","objectId":"u","accessMode":"read-write"}`, new(provisioning.Write), provisioning.ErrMissing, "businessUnit", ""},
		{"an enable that disables", `{"verb":"enable","systemUserId":"s","disabled":true}`, new(provisioning.Write), provisioning.ErrContradiction, "disabled", ""},
		{"a value of a column not written", `{"verb":"update","systemUserId":"s","columns":["jobtitle"],"values":{"jobtitle":"a","address1_city":"b"}}`, new(provisioning.Write), provisioning.ErrContradiction, "values[address1_city]", ""},
		{"a write's SetMode in JSON", `{"verb":"update","systemUserId":"s","setMode":true}`, new(provisioning.Write), provisioning.ErrUnknown, "setMode", "the fields here are verb, systemUserId,"},
		{"an org's records of one key", `{"environment":{` + env + `,"type":"sandbox"},"records":[{` + record + `,"accessMode":"read"},{` + record + `,"accessMode":"administrative"}]}`, new(provisioning.Org), provisioning.ErrDuplicate, "records[1]", `records[0] has the key "u-1" too`},
		{"an org's record refused", `{"environment":{` + env + `,"type":"sandbox"},"records":[{` + record + `}]}`, new(provisioning.Org), provisioning.ErrMissing, "records[0].accessMode", "is missing"},
		{"null for a user", `null`, new(provisioning.User), provisioning.ErrMissing, "", "null where a value is required"},
		// encoding/json refuses this itself; UnmarshalJSON called alone
		// does too.
		{"data after a record", `{` + record + `,"accessMode":"read"} {}`, new(provisioning.Record), provisioning.ErrMalformed, "", "data after the end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := cmp.Diff(nil, c.into)
			err := json.Unmarshal([]byte(c.in), c.into)
			if strings.HasPrefix(c.name, "data after") {
				err = c.into.UnmarshalJSON([]byte(c.in))
			}
			var fe *provisioning.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("Unmarshal = %v, want a *FieldError of field %q wrapping %v saying %q", err, c.field, c.err, c.says)
			}
			if !strings.HasPrefix(err.Error(), fe.Input) || c.field != "" && strings.Count(err.Error(), c.field) > 2 {
				t.Errorf("the error %q does not start with its input, or says the path more than twice", err)
			}
			if cmp.Diff(nil, c.into) != before {
				t.Error("a refused read changed the value")
			}
		})
	}
}

// What a reader reads, it reads exactly: a field's JSON name in another
// case is never matched, as encoding/json would match it.
func TestReadJSONKeysExact(t *testing.T) {
	var r provisioning.Record
	if err := json.Unmarshal([]byte(`{"objectId":"u","upn":"a@b","accessMode":"read","AccessMode":"administrative"}`), &r); err == nil {
		t.Errorf("read %+v", r)
	}
	if err := json.Unmarshal([]byte(`{"objectId":"u","upn":"a@b","accessMode":"READ"}`), &r); err != nil || r.Mode != usertype.Read {
		t.Errorf("an enum's name in any case is read, as UnmarshalText reads it: %v, %v", r.Mode, err)
	}
}

// The README's tenant file's user, environment and record, the seeds of
// the fuzz targets with the cases.
const (
	seedUser = `{"objectId": "u-ana", "upn": "ana@contoso.com", "enabled": true,
	 "licenses": [{"plan": "dynamics-365", "tenant": "contoso"}], "groups": ["g-sales"],
	 "attributes": {"fullname": "Ana Silva", "firstname": "Ana", "jobtitle": "Buyer"}}`
	seedEnvironment = `{"id": "sales-prod", "tenant": "contoso", "type": "production", "dataverse": true,
	 "securityGroup": "g-sales", "settings": {"deleteDisabledUsers": true},
	 "rootBusinessUnit": "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70",
	 "teams": [{"group": "g-readers", "name": "Readers", "kind": "security", "rule": "assigned",
	            "membership": "members-and-guests", "inSecurityGroup": true,
	            "roles": [{"name": "Reader", "inherited": true}]}]}`
	seedRecord = `{"objectId": "u-ana", "upn": "ana@contoso.com", "accessMode": "read-write",
	 "systemUserId": "9b1d5e2c-0000-4000-8000-000000000001",
	 "roles": ["Salesperson"], "teams": ["g-readers"],
	 "fields": {"columns": {"fullname": "Ana Silva"}, "emailEdited": true, "custom": {"new_badge": "B-17"}}}`
)

// fuzzRead is jsoncheck.ReadBack for the package: a refusal is a
// *FieldError whose text starts with its input.
func fuzzRead[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, data []byte, v, again P, valid func(P) error) {
	c := jsoncheck.Checks[T]{
		Refusal: func(err error) error {
			var fe *provisioning.FieldError
			if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), fe.Input) {
				return errors.New("not a *FieldError starting with its input")
			}
			return nil
		},
		Diff: func(a, b T) string { return cmp.Diff(a, b, sameJSON) },
	}
	if valid != nil {
		c.Valid = func(v *T) error { return valid(v) }
	}
	jsoncheck.ReadBack(t, data, v, again, c)
}

// FuzzUserJSON: User.UnmarshalJSON never panics; whatever it reads passes
// Validate and reads back the same from the JSON written of it.
func FuzzUserJSON(f *testing.F) {
	for _, s := range []string{
		seedUser, "{\"objectId\":\"u\",\"upn\":\"a@b\",\"enabled\":true,\"groups\":[\"g-\xffsales\"]}",
		`{"objectId":"u","upn":"a@b","enabled":true,"attributes":{"jobtitle":"Buyer","JobTitle":"CEO"}}`,
		`{"objectId":"u","upn":"a@b","enabled":true,"licenses":[{"plan":"gold","tenant":"c"}]}`,
		`{"objectId":"sp","applicationId":"app-sp","enabled":true,"roles":"global+power-platform","groupRoles":"none"}`,
		`{"objectId":"u","upn":"a_b.com#EXT#@c","enabled":false,"guest":true,"homeTenant":"b","nestedGroups":["g"],"ownedGroups":["g"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, new(provisioning.User), new(provisioning.User), (*provisioning.User).Validate)
	})
}

// FuzzEnvironmentJSON: Environment.UnmarshalJSON never panics; whatever
// it reads passes Validate and reads back the same.
func FuzzEnvironmentJSON(f *testing.F) {
	for _, s := range []string{
		seedEnvironment, `{"id":"e","tenant":"c","type":null,"dataverse":true}`,
		`{"id":"dev","tenant":"c","type":"developer","dataverse":true,"creator":"u-1","appPass":true,"tenantMarketing":true,"dynamicsApps":true}`,
		`{"id":"e","tenant":"c","type":"teams","dataverse":false,"teams":[{"group":"g","kind":"microsoft-365","rule":"dynamic-user","membership":"2","groupDeleted":true}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, new(provisioning.Environment), new(provisioning.Environment), (*provisioning.Environment).Validate)
	})
}

// FuzzRecordJSON: Record.UnmarshalJSON never panics; whatever it reads
// passes Validate and reads back the same.
func FuzzRecordJSON(f *testing.F) {
	for _, s := range []string{
		seedRecord, `{"upn":"crmoln@microsoft.com","accessMode":"support-user"}`, `{"objectId":"u"}`, `{"objectId":"u","accessMode":null}`,
		`{"upn":"stub@contoso.com","accessMode":"0","stub":true,"disabled":true,"roles":["Basic User"]}`,
		`{"applicationId":"app-1","accessMode":"non-interactive","fields":{"columns":{"firstname":"#","lastname":"Svc"}},"softDeleted":true,"disabled":true,"ownedRecords":12,"onDemand":true}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, new(provisioning.Record), new(provisioning.Record), (*provisioning.Record).Validate)
	})
}

// FuzzActionJSON: Action.UnmarshalJSON never panics; whatever it reads
// reads back the same.
func FuzzActionJSON(f *testing.F) {
	for _, s := range []string{
		`{"user":"u-hal","environment":"hr-sandbox","verb":"enable","accessMode":"read-write","rules":["UT-REGULAR","ENV-DATAVERSE","DIR-ENABLED"],"columns":["firstname","lastname"]}`,
		`{"user":"u","environment":"e","verb":"not-added","rules":["SG-MEMBER"]}`,
		`{"user":"u","environment":"e","verb":"leave","rules":[],"error":"record \"u\": field Mode = \"AccessMode(6)\": unknown access mode"}`,
		`{"user":"u","environment":"e","verb":"create","rules":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead[provisioning.Action](t, data, new(provisioning.Action), new(provisioning.Action), nil)
	})
}

// FuzzWriteJSON: Write.UnmarshalJSON never panics; whatever it reads
// reads back the same.
func FuzzWriteJSON(f *testing.F) {
	for _, s := range []string{
		`{"verb":"create","businessUnit":"3f2a8c10","objectId":"u-1","columns":["domainname","firstname"],"values":{"domainname":"a@b","firstname":"#"},"accessMode":"read-write"}`,
		`{"verb":"disable","systemUserId":"9b1d5e2c","objectId":"u-1","disabled":true}`,
		`{"verb":"enable","systemUserId":"9b1d5e2c","objectId":"u-1","columns":["jobtitle"],"values":{"jobtitle":"Buyer"},"disabled":false}`,
		`{"verb":"update","systemUserId":"9b1d5e2c","accessMode":"administrative"}`,
		`{"verb":"create","applicationId":"app","businessUnit":"b","accessMode":"non-interactive"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead[provisioning.Write](t, data, new(provisioning.Write), new(provisioning.Write), nil)
	})
}

// FuzzOrgJSON: Org.UnmarshalJSON never panics; whatever it reads holds
// records that pass Validate and reads back the same.
func FuzzOrgJSON(f *testing.F) {
	for _, s := range []string{
		`{"environment":` + seedEnvironment + `,"records":[` + seedRecord + `,{"upn":"crmoln@microsoft.com","accessMode":"support-user"}]}`,
		`{"environment":` + seedEnvironment + `,"records":[` + seedRecord + `,` + seedRecord + `]}`,
		`{"environment":null,"records":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, new(provisioning.Org), new(provisioning.Org), func(o *provisioning.Org) error {
			errs := []error{o.Environment.Validate()}
			for i := range o.Records {
				errs = append(errs, o.Records[i].Validate())
			}
			return errors.Join(errs...)
		})
	})
}

// A write is written only when it reads back: MarshalJSON refuses what
// UnmarshalJSON refuses, and what JSON would lose.
func TestWriteMarshalRefuses(t *testing.T) {
	for _, c := range []struct {
		w     provisioning.Write
		err   error
		field string
	}{
		{provisioning.Write{Verb: provisioning.Leave, SystemUserID: "s"}, provisioning.ErrNothingToWrite, "verb"},
		{provisioning.Write{Verb: provisioning.Update}, provisioning.ErrMissing, "systemUserId"},
		{provisioning.Write{Verb: provisioning.Create, BusinessUnit: "b"}, provisioning.ErrMissing, "accessMode"},
		{provisioning.Write{Verb: provisioning.Update, SystemUserID: "s", Mode: usertype.Read}, provisioning.ErrContradiction, "accessMode"},
		{provisioning.Write{Verb: provisioning.Update, SystemUserID: "s", Disabled: true}, provisioning.ErrContradiction, "disabled"},
		{provisioning.Write{Verb: provisioning.Disable, SystemUserID: "s", SetDisabled: true}, provisioning.ErrContradiction, "disabled"},
		{provisioning.Write{Verb: provisioning.Update, SystemUserID: "s", SetMode: true, Mode: usertype.NoAccessMode}, provisioning.ErrUnknown, "accessMode"},
	} {
		_, err := json.Marshal(c.w)
		var fe *provisioning.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.err) {
			t.Errorf("Marshal(%+v) = %v, want a *FieldError of %s wrapping %v", c.w, err, c.field, c.err)
		}
	}
}
