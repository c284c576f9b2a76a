package tenant_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/internal/jsoncheck"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// configs are the mixes the round trips draw from: plain values only,
// and every edge case often.
var configs = []provisioningtest.Config{{}, provisioningtest.EdgeCases()}

// sameJSON holds a nil list or map and an empty one the same: JSON writes
// neither. Snapshot.Groups, where the two differ, is checked apart.
var sameJSON = cmpopts.EquateEmpty()

// roundTrip writes v with encoding/json and reads it back the same way,
// as a service does: the value read must equal v, and write the same
// JSON again.
func roundTrip[T any](t *rapid.T, v T) T {
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
	return back
}

// Every snapshot, change, delta, group, finding and what-if report reads
// back from its JSON; a snapshot's groups left out (nil, not given) stay left out, and
// an empty list stays an empty list.
func TestSnapshotJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.SampledFrom(configs).Draw(t, "config")
		s := c.Snapshots().Draw(t, "snapshot")
		if s.Groups != nil && rapid.Bool().Draw(t, "no groups") {
			s.Groups = []tenant.Group{}
		}
		back := roundTrip(t, s)
		if (back.Groups == nil) != (s.Groups == nil) {
			t.Fatalf("groups %#v read back as %#v", s.Groups, back.Groups)
		}
		for _, g := range s.Groups {
			roundTrip(t, g)
		}
		change := roundTrip(t, c.Changes(&s).Draw(t, "change"))
		roundTrip(t, c.Deltas(&s).Draw(t, "delta"))
		if rep, err := tenant.WhatIf(&s, change, lax(&s, tenant.Options{})); err == nil {
			roundTrip(t, rep) // standings: an access mode exactly for those admitted
		}
		found, err := tenant.Diagnose(&s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range found {
			roundTrip(t, f)
		}
	})
}

// The snapshot cases and the other mistakes a snapshot's reader
// refuses: each is reported once, as a *provisioning.FieldError whose
// Field is the JSON path.
func TestSnapshotJSONRefuses(t *testing.T) {
	const (
		env  = `{"id":"sales","tenant":"contoso","type":"production","dataverse":true}`
		user = `{"objectId":"u-1","upn":"ana@contoso.com","enabled":true}`
	)
	for _, c := range []struct {
		name, in string
		err      error
		fields   []string // every error's, in order
		says     string
	}{
		{"a duplicate user", `{"environments":[` + env + `],"users":[` + user + `,` + user + `]}`, provisioning.ErrDuplicate, []string{"users[1].objectId"}, `user "u-1": field users[1].objectId = "u-1": key given twice`},
		{"a user without an object ID", `{"environments":[` + env + `],"users":[{"objectId":"","upn":"a@b","enabled":true}]}`, provisioning.ErrMissing, []string{"users[0].objectId"}, "required value is missing"},
		{"a record without an object ID", `{"environments":[` + env + `],"records":{"sales":[{"upn":"a@contoso.com","accessMode":"read"}]}}`, provisioning.ErrMissing, []string{"records[sales][0].objectId"}, "required value is missing"},
		{"a structural error and two malformed elements", `{"environments":[` + env + `,` + env + `],"users":[{"objectId":"u-1","upn":"a@b","enabled":true,"guest":true},{"objectId":"u-2","enabled":true}]}`,
			provisioning.ErrDuplicate, []string{"environments[1].id", "users[0].homeTenant", "users[1].upn"}, "key given twice"},
		{"invalid UTF-8", "{\"environments\":[],\"users\":[{\"objectId\":\"u-\xff\",\"enabled\":true}]}", provisioning.ErrMalformed, []string{""}, "snapshot: the text is not valid UTF-8 at byte 43"},
		{"an unknown plan", `{"environments":[],"users":[{"objectId":"u","upn":"a@b","enabled":true,"licenses":[{"plan":"gold","tenant":"c"}]}]}`, provisioning.ErrUnknown, []string{"users[0].licenses[0].plan"}, "want one of dynamics-365, power-apps-premium, free-dataverse, other"},
		{"a record's null access mode", `{"environments":[` + env + `],"records":{"sales":[{"objectId":"u","accessMode":null}]}}`, provisioning.ErrMissing, []string{"records[sales][0].accessMode"}, "want one of read-write,"},
		{"attribute keys that differ only in case", `{"environments":[],"users":[{"objectId":"u","upn":"a@b","enabled":true,"attributes":{"jobtitle":"Buyer","JobTitle":"CEO"}}]}`, provisioning.ErrDuplicate, []string{"users[0].attributes[JobTitle]"}, "differ only in case"},
		{"a group's null kind", `{"environments":[],"groups":[{"id":"g","kind":null}]}`, provisioning.ErrMissing, []string{"groups[0].kind"}, "want one of security, microsoft-365"},
		{"records of no environment", `{"environments":[],"records":{"elsewhere":[]}}`, tenant.ErrNoEnvironment, []string{"records[elsewhere]"}, ""},
		{"no environments", `{"users":[]}`, provisioning.ErrMissing, []string{"environments"}, `the required field "environments" is missing`},
		{"records under two keys of one ID", `{"environments":[{"id":"6f1c2b3a-0000-4000-8000-00000000c0de","tenant":"c","type":"sandbox","dataverse":true}],` +
			`"records":{"6F1C2B3A-0000-4000-8000-00000000C0DE":[],"6f1c2b3a-0000-4000-8000-00000000c0de":[]}}`,
			provisioning.ErrDuplicate, []string{"records[6f1c2b3a-0000-4000-8000-00000000c0de]"}, "given under two keys that differ only in letter case"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s tenant.Snapshot
			err := json.Unmarshal([]byte(c.in), &s)
			if !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("Unmarshal = %v, want an error wrapping %v saying %q", err, c.err, c.says)
			}
			var fields []string
			for _, e := range unjoin(err) {
				var fe *provisioning.FieldError
				if !errors.As(e, &fe) {
					t.Fatalf("%v is not a *provisioning.FieldError", e)
				}
				fields = append(fields, fe.Field)
			}
			if diff := cmp.Diff(c.fields, fields); diff != "" {
				t.Errorf("%v: fields (-want +got):\n%s", err, diff)
			}
			if s.Environments != nil || s.Users != nil {
				t.Error("a refused read changed the snapshot")
			}
		})
	}
}

// A snapshot's IDs are read in their canonical, lower-case form: a record
// of 7D2C… is the record of user 7d2c….
func TestSnapshotJSONCanonicalIDs(t *testing.T) {
	var s tenant.Snapshot
	err := json.Unmarshal([]byte(`{"tenant":"6F1C2B3A-0000-4000-8000-00000000C0DE",
	  "environments":[{"id":"E","tenant":"6f1c2b3a-0000-4000-8000-00000000c0de","type":"production","dataverse":true}],
	  "users":[{"objectId":"7D2C1F0A-1B2C-4D5E-8F90-123456789ABC","upn":"a@c","enabled":true,
	    "groups":["0A1B2C3D-0000-4000-8000-00000000000A"],"nestedGroups":["0A1B2C3D-0000-4000-8000-00000000000B"],"ownedGroups":["0A1B2C3D-0000-4000-8000-00000000000C"]}],
	  "records":{"E":[{"objectId":"7d2c1f0a-1b2c-4d5e-8f90-123456789abc","accessMode":"read-write"}]}}`), &s)
	if err != nil {
		t.Fatal(err)
	}
	if !provisioning.Match(&s.Users[0], &s.Records["E"][0]) || s.Tenant != s.Environments[0].Tenant {
		t.Errorf("IDs not canonical: %+v", s)
	}
	u := s.Users[0]
	for _, g := range [][]string{u.Groups, u.NestedGroups, u.OwnedGroups} {
		if len(g) != 1 || g[0] != strings.ToLower(g[0]) {
			t.Errorf("a group ID not canonical: %q", g)
		}
	}
}

// unjoin returns the errors err joins, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// Validate reports each problem once: an element's error that Check
// reports already is not reported again.
func TestSnapshotValidateReportsOnce(t *testing.T) {
	env := production()
	s := tenant.Snapshot{
		Users:        []provisioning.User{{UPN: "a@contoso.com", Enabled: true}, {ObjectID: "u-2", Enabled: true}},
		Environments: []provisioning.Environment{env},
	}
	err := s.Validate()
	var fields []string
	for _, e := range unjoin(err) {
		var fe *provisioning.FieldError
		if errors.As(e, &fe) {
			fields = append(fields, fe.Field)
		}
	}
	if diff := cmp.Diff([]string{"Users[0].ObjectID", "Users[1].UPN"}, fields); diff != "" {
		t.Errorf("Validate = %v: fields (-want +got):\n%s", err, diff)
	}
}

// Changes, deltas, groups and findings are read as strictly, naming the
// JSON path.
func TestChangeDeltaJSONRefuse(t *testing.T) {
	for _, c := range []struct {
		name, in string
		into     json.Unmarshaler
		err      error
		field    string
		says     string
	}{
		{"a change's null type", `{"environment":"e","type":null}`, new(tenant.Change), nil, "", ""},
		{"a change's unknown type", `{"environment":"e","type":"prod"}`, new(tenant.Change), provisioning.ErrUnknown, "type", "want one of production,"},
		{"a change without its environment", `{"appPass":true}`, new(tenant.Change), provisioning.ErrMissing, "environment", "is missing"},
		{"a team added of no kind", `{"environment":"e","addTeam":{"group":"g","rule":"assigned","membership":"members"}}`, new(tenant.Change), provisioning.ErrMissing, "addTeam.kind", "want one of security, microsoft-365"},
		{"a team's roles in another case", `{"environment":"e","teamRoles":{"group":"g","Roles":[]}}`, new(tenant.Change), provisioning.ErrUnknown, "teamRoles.Roles", `did you mean "roles"?`},
		{"a delta's unknown plan", `{"users":[{"objectId":"u","licenses":[{"plan":"gold","tenant":"c"}]}]}`, new(tenant.Delta), provisioning.ErrUnknown, "users[0].licenses[0].plan", "want one of dynamics-365,"},
		{"a delta's unknown removal", `{"users":[{"objectId":"u","removed":"gone"}]}`, new(tenant.Delta), provisioning.ErrUnknown, "users[0].removed", "want one of none, changed, deleted"},
		{"a delta's attributes in two cases", `{"users":[{"objectId":"u","columns":["jobtitle"],"attributes":{"jobtitle":"a","JobTitle":"b"}}]}`, new(tenant.Delta), provisioning.ErrDuplicate, "users[0].attributes[JobTitle]", ""},
		{"a delta's group change twice keyed", `{"groups":[{"group":"g","group":"h"}]}`, new(tenant.Delta), provisioning.ErrDuplicate, "groups[0].group", "given twice"},
		{"a role read of unknown roles", `{"roles":{"roles":{"u":"owner"}}}`, new(tenant.Delta), provisioning.ErrUnknown, "roles.roles[u]", `unknown admin roles "owner"`},
		{"a group of no ID", `{"kind":"security"}`, new(tenant.Group), provisioning.ErrMissing, "id", "is missing"},
		{"a finding's unknown rule", `{"rule":"CHK-GOLD","severity":"error","environment":"e","reason":"r","fix":"f"}`, new(tenant.Finding), provisioning.ErrUnknown, "rule", "want one of CHK-TENANT,"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(c.in), c.into)
			if c.err == nil {
				if err != nil {
					t.Fatalf("Unmarshal = %v, want nil", err)
				}
				return
			}
			var fe *provisioning.FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("Unmarshal = %v, want a *FieldError of field %q wrapping %v saying %q", err, c.field, c.err, c.says)
			}
		})
	}
}

// seedSnapshot is the README's tenant file.
const seedSnapshot = `{
  "tenant": "contoso",
  "groups": [{"id": "g-sales", "kind": "security"}, {"id": "g-readers", "kind": "security"}],
  "environments": [
    {"id": "sales-prod", "tenant": "contoso", "type": "production", "dataverse": true,
     "securityGroup": "g-sales", "settings": {"deleteDisabledUsers": true},
     "rootBusinessUnit": "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70",
     "teams": [{"group": "g-readers", "name": "Readers", "kind": "security", "rule": "assigned",
                "membership": "members-and-guests", "inSecurityGroup": true,
                "roles": [{"name": "Reader", "inherited": true}]}]}
  ],
  "users": [
    {"objectId": "u-ana", "upn": "ana@contoso.com", "enabled": true,
     "licenses": [{"plan": "dynamics-365", "tenant": "contoso"}], "groups": ["g-sales"],
     "attributes": {"fullname": "Ana Silva", "firstname": "Ana", "jobtitle": "Buyer"}},
    {"objectId": "u-rae", "upn": "rae@contoso.com", "enabled": true, "roles": "power-platform",
     "groups": ["g-readers"]}
  ],
  "records": {
    "sales-prod": [
      {"upn": "crmoln@microsoft.com", "accessMode": "support-user"},
      {"objectId": "u-ana", "upn": "ana@contoso.com", "accessMode": "read-write",
       "systemUserId": "9b1d5e2c-0000-4000-8000-000000000001",
       "roles": ["Salesperson"], "teams": ["g-readers"],
       "fields": {"columns": {"fullname": "Ana Silva"}, "emailEdited": true, "custom": {"new_badge": "B-17"}}}
    ]
  }
}`

// fuzzRead is jsoncheck.ReadBack for the package: a refusal is (or joins)
// *provisioning.FieldError values.
func fuzzRead[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, data []byte, v, again P, valid func(P) error) {
	c := jsoncheck.Checks[T]{
		Refusal: func(err error) error {
			for _, e := range unjoin(err) {
				var fe *provisioning.FieldError
				if !errors.As(e, &fe) {
					return fmt.Errorf("%v is not a *FieldError", e)
				}
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

// FuzzSnapshotJSON: Snapshot.UnmarshalJSON never panics; whatever it
// reads passes Validate and reads back the same.
func FuzzSnapshotJSON(f *testing.F) {
	for _, s := range []string{
		seedSnapshot, `{"environments":[]}`, `{"environments":[],"groups":[]}`, `{"environments":null}`,
		`{"environments":[{"id":"e","tenant":"c","type":"production","dataverse":true}],"users":[{"objectId":"u","upn":"a@b","enabled":true},{"objectId":"u","upn":"a@b","enabled":true}]}`,
		"{\"environments\":[],\"users\":[{\"objectId\":\"g-\xffsales\",\"enabled\":true}]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, new(tenant.Snapshot), new(tenant.Snapshot), (*tenant.Snapshot).Validate)
	})
}

// FuzzDeltaJSON: Delta.UnmarshalJSON never panics; whatever it reads
// reads back the same.
func FuzzDeltaJSON(f *testing.F) {
	for _, s := range []string{
		`{"users":[{"objectId":"u-1","upn":"ana@contoso.com","enabled":false,"licenses":[{"plan":"other","tenant":"c"}],"columns":["jobtitle"],"attributes":{"jobtitle":"Buyer"}},{"objectId":"u-2","removed":"deleted"}],"groups":[{"group":"g","membersAdded":["u-1"],"ownersRemoved":["u-2"]}],"roles":{"roles":{"u-1":"global"},"groupRoles":{}},"usersLink":"https://graph","groupsLink":"l"}`,
		`{"users":[{"objectId":"u","guest":true,"homeTenant":"h","upn":null}]}`, `{}`, `{"roles":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead[tenant.Delta](t, data, new(tenant.Delta), new(tenant.Delta), nil)
	})
}

// FuzzChangeJSON: Change.UnmarshalJSON never panics; whatever it reads
// reads back the same.
func FuzzChangeJSON(f *testing.F) {
	for _, s := range []string{
		`{"environment":"sales-prod","securityGroup":"","type":"developer","creator":"u-1","appPass":true,"tenantMarketing":false}`,
		`{"environment":"e","addTeam":{"group":"g","kind":"security","rule":"assigned","membership":"members"},"teamRoles":{"group":"g","roles":[{"name":"Reader"}]},"deleteTeamGroup":"h"}`,
		`{"environment":"e","type":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead[tenant.Change](t, data, new(tenant.Change), new(tenant.Change), nil)
	})
}
