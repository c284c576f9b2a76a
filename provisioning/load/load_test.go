package load_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

func file(t testing.TB, name string) load.Source {
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return load.Source{Name: name, Reader: bytes.NewReader(data)}
}

func text(name, s string) load.Source { return load.Source{Name: name, Reader: strings.NewReader(s)} }

// The three inputs meet: the tenant file's environments, the directory
// export's users, tenant ID and live groups, and the Dataverse export's
// records and group teams, completed from the directory's groups.
func TestSnapshot(t *testing.T) {
	s, err := load.Read(load.Files{Tenant: file(t, "tenant.json"), Directory: file(t, "directory.json"), Dataverse: []load.Source{file(t, "dataverse.json")}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Tenant != "contoso-tenant" || len(s.Users) != 2 || len(s.Environments) != 2 {
		t.Errorf("tenant %q, %d users, %d environments; want contoso-tenant, 2, 2", s.Tenant, len(s.Users), len(s.Environments))
	}
	// The deleted group is not one of the directory's.
	var groups []string
	for _, g := range s.Groups {
		groups = append(groups, g.ID+" "+g.Kind.String())
	}
	want := "02bd9fd6-8f93-4758-87c3-1fb73740a315 security,b7c8d9e0-2222-4333-8444-555566667777 microsoft-365,f1a2b3c4-6666-4777-8888-999900001111 security"
	if strings.Join(groups, ",") != want {
		t.Errorf("groups %v, want %s", groups, want)
	}
	if recs := s.Records["sales-prod"]; len(recs) != 2 || recs[0].SystemUserID == "" {
		t.Errorf("sales-prod's records: %+v", recs)
	}
	teams := s.Environments[0].Teams
	if len(teams) != 2 || teams[0].Name != "Sales team" || !teams[0].InSecurityGroup || !teams[1].InSecurityGroup || teams[1].Kind != provisioning.GroupKindMicrosoft365 {
		t.Errorf("sales-prod's group teams: %+v", teams)
	}
	if len(s.Environments[1].Teams) != 0 || s.Records["hr-sandbox"] != nil {
		t.Error("hr-sandbox, with no export of its own, got teams or records")
	}
	if found, err := tenant.Diagnose(s); err != nil {
		t.Fatal(err)
	} else {
		for _, f := range found {
			if f.Severity == tenant.SeverityError {
				t.Errorf("the test tenant has an error finding: %v", f)
			}
		}
	}
}

// Every mistake of an administrator's files is refused, naming the file,
// the place and what is wrong, before anything is planned.
func TestSnapshotRefuses(t *testing.T) {
	const env = `{"id":"sales-prod","tenant":"contoso-tenant","type":"production","dataverse":true}`
	for _, c := range []struct {
		name string
		f    load.Files
		says string
	}{
		{"no tenant file", load.Files{Directory: file(t, "directory.json")}, "no tenant file"},
		{"a misspelled field", load.Files{Tenant: text("t.json", `{"environments":[{"id":"e","tenant":"c","type":"production","dataverse":true,"securityGoup":"g"}]}`)},
			`t.json: snapshot: field environments[0].securityGoup: unknown field "securityGoup"; the fields here are id, tenant, type, dataverse, securityGroup,`},
		{"a field in the wrong case", load.Files{Tenant: text("t.json", `{"environments":[{"id":"e","tenant":"c","type":"production","dataverse":true,"SecurityGroup":"g"}]}`)},
			`did you mean "securityGroup"?`},
		{"an unknown type", load.Files{Tenant: text("t.json", `{"environments":[{"id":"e","tenant":"c","type":"prod","dataverse":true}]}`)},
			`field environments[0].type = "prod": unknown environment type "prod"; want one of production, sandbox, trial, developer, teams, default`},
		{"a null type", load.Files{Tenant: text("t.json", `{"environments":[{"id":"e","tenant":"c","type":null,"dataverse":true}]}`)},
			`field environments[0].type: null where a value is required; want one of production, sandbox, trial, developer, teams, default`},
		{"a missing access mode", load.Files{Tenant: text("t.json", `{"environments":[`+env+`],"records":{"sales-prod":[{"objectId":"u"}]}}`)},
			`records[sales-prod][0].accessMode: the required field "accessMode" is missing`},
		{"a byte-order mark", load.Files{Tenant: text("t.json", "\ufeff{}")}, "starts with a UTF-8 byte-order mark; save the file as UTF-8"},
		{"UTF-16", load.Files{Tenant: text("t.json", "\xff\xfe{\x00}\x00")}, "the file is UTF-16"},
		{"UTF-16 without a mark", load.Files{Tenant: text("t.json", "{\x00}\x00")}, "looks like UTF-16"},
		{"an empty file", load.Files{Tenant: text("t.json", " ")}, "the file is empty"},
		{"two environments, one ID", load.Files{Tenant: text("t.json", `{"environments":[`+env+`,`+env+`]}`)}, `field environments[1].id = "sales-prod": key given twice`},
		{"a directory of another tenant", load.Files{Tenant: text("t.json", `{"tenant":"fabrikam","environments":[`+env+`]}`), Directory: file(t, "directory.json")},
			"directory.json is an export of tenant contoso-tenant, but the tenant file is of tenant fabrikam"},
		{"an export of an environment the tenant lacks", load.Files{Tenant: text("t.json", `{"environments":[{"id":"other","tenant":"c","type":"sandbox","dataverse":true}]}`), Dataverse: []load.Source{file(t, "dataverse.json")}},
			"dataverse.json is an export of environment sales-prod, which the tenant file does not hold; it holds other"},
		{"two exports of one environment", load.Files{Tenant: file(t, "tenant.json"), Directory: file(t, "directory.json"), Dataverse: []load.Source{file(t, "dataverse.json"), text("again.json", `{"environmentId":"sales-prod","systemusers":{"value":[]}}`)}},
			"dataverse.json and again.json are both exports of environment sales-prod"},
		{"a malformed user", load.Files{Tenant: text("t.json", `{"environments":[`+env+`],"users":[{"objectId":"u","upn":"u@c","enabled":true,"deleted":true,"softDeleted":true}]}`)},
			`user "u": field users[0].softDeleted = "true": contradicts another field`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := load.Read(c.f)
			if err == nil || !strings.Contains(err.Error(), c.says) || !strings.HasPrefix(err.Error(), "load: ") {
				t.Errorf("Snapshot = %v, want an error saying %q", err, c.says)
			}
		})
	}
	if _, err := load.TenantFile(strings.NewReader(`{"environments":[` + env + `],"tenant":"x","tenant":"y"}`)); !errors.Is(err, provisioning.ErrDuplicate) || !strings.Contains(err.Error(), `field tenant: the key "tenant" is given twice`) {
		t.Errorf("TenantFile with a key twice = %v", err)
	}
}

// FuzzTenantFile: whatever TenantFile reads passes Check, and it never
// panics.
func FuzzTenantFile(f *testing.F) {
	for _, s := range []string{
		`{"tenant":"c","environments":[{"id":"e","tenant":"c","type":"production","dataverse":true}],"users":[{"objectId":"u","upn":"u@c","enabled":true}],"records":{"e":[{"objectId":"u","accessMode":"read-write"}]}}`,
		`{"environments":[{"id":"e","tenant":"c","type":"production","dataverse":true,"securityGoup":"g"}]}`,
		"\ufeff{}", `{"groups":[{"id":"g","kind":"security"}],"environments":[]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := load.TenantFile(bytes.NewReader(data))
		if err != nil {
			return
		}
		if err := s.Check(); err != nil {
			t.Fatalf("TenantFile(%q) read a snapshot that fails Check: %v", data, err)
		}
	})
}

func ExampleSnapshot() {
	tenantFile := `{
	  "tenant": "contoso-tenant",
	  "environments": [{"id": "sales-prod", "tenant": "contoso.onmicrosoft.com", "type": "production", "dataverse": true}]
	}`
	s, err := load.Read(load.Files{Tenant: load.Source{Name: "tenant.json", Reader: strings.NewReader(tenantFile)}})
	if err != nil {
		fmt.Println(err)
		return
	}
	found, _ := tenant.Diagnose(s)
	for _, f := range found {
		fmt.Println(f.Severity, f.Rule, f.Environment, "-", f.Fix)
	}
	// Output:
	// error CHK-TENANT sales-prod - set the environment's tenant to the directory's tenant ID contoso-tenant
}

func ExampleTenantFile() {
	_, err := load.TenantFile(strings.NewReader(`{"environments": [{"id": "sales-prod", "tenant": "contoso", "type": "production", "dataverse": true, "securityGoup": "g-sales"}]}`))
	fmt.Println(err)
	// Output:
	// load: snapshot: field environments[0].securityGoup: unknown field "securityGoup"; the fields here are id, tenant, type, dataverse, securityGroup, appPass, tenantMarketing, creator, dynamicsApps, rootBusinessUnit, settings, teams
}

// A tenant file's GUIDs are read in their canonical, lower-case form: a
// record of 7D2C… is the record of user 7d2c…, not another user's.
func TestTenantFileCanonicalIDs(t *testing.T) {
	s, err := load.TenantFile(strings.NewReader(`{"tenant":"6F1C2B3A-0000-4000-8000-00000000C0DE",
	  "environments":[{"id":"E","tenant":"6f1c2b3a-0000-4000-8000-00000000c0de","type":"production","dataverse":true}],
	  "users":[{"objectId":"7D2C1F0A-1B2C-4D5E-8F90-123456789ABC","upn":"a@c","enabled":true}],
	  "records":{"E":[{"objectId":"7d2c1f0a-1b2c-4d5e-8f90-123456789abc","accessMode":"read-write"}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if !provisioning.Match(&s.Users[0], &s.Records["E"][0]) || s.Tenant != s.Environments[0].Tenant || s.Environments[0].ID != "E" {
		t.Errorf("ids not canonical: %+v", s)
	}
}
