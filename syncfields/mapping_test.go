package syncfields_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/syncfields"
)

// The online mapping, copied by hand from the "Field sync" table of
// RULES.md: form label, logical name, Graph property, policy.
func TestOnlineMappingMatchesRules(t *testing.T) {
	type row struct{ Label, Column, Source, Policy string }
	want := []row{
		{"User Name", "domainname", "userPrincipalName", "always"},
		{"Full Name", "fullname", "displayName", "on-create"},
		{"Title", "jobtitle", "jobTitle", "always"},
		{"First Name", "firstname", "givenName", "always"},
		{"Last Name", "lastname", "surname", "always"},
		{"Primary Email", "internalemailaddress", "mail", "never-overwrite"},
		{"Main Phone", "address1_telephone1", "businessPhones[0]", "always"},
		{"Mobile Phone", "mobilephone", "mobilePhone", "always"},
		{"Street", "address1_line1", "streetAddress", "always"},
		{"City", "address1_city", "city", "always"},
		{"State/Province", "address1_stateorprovince", "state", "always"},
		{"Postal Code", "address1_postalcode", "postalCode", "always"},
		{"Country", "address1_country", "country", "always"},
		{"(object ID)", "azureactivedirectoryobjectid", "id", "always"},
	}
	var got []row
	for _, r := range syncfields.Online().Rows() {
		got = append(got, row{r.Label, r.Column.String(), r.Source, r.Policy.String()})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("online mapping mismatch (-want +got):\n%s", diff)
	}
	first, _ := syncfields.Online().Row(syncfields.FirstName)
	if first.IfBlank != "#" { // SYNC-FIRSTNAME
		t.Errorf("first name IfBlank = %q, want #", first.IfBlank)
	}
}

// The on-premises mapping of SYNC-ONPREM: every column filled at creation
// only.
func TestOnPremisesMappingMatchesRules(t *testing.T) {
	want := map[string]string{
		"domainname": "userPrincipalName", "firstname": "givenName", "lastname": "sn",
		"address1_telephone1": "telephoneNumber", "internalemailaddress": "mail",
		"address1_city": "l", "address1_stateorprovince": "st", "homephone": "homePhone",
	}
	got := map[string]string{}
	for _, r := range syncfields.OnPremises().Rows() {
		got[r.Column.String()] = r.Source
		if r.Policy != syncfields.OnCreate || r.Rule != syncfields.RuleOnPremises {
			t.Errorf("%s: policy %s rule %s, want on-create by SYNC-ONPREM", r.Column, r.Policy, r.Rule)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("on-premises mapping mismatch (-want +got):\n%s", diff)
	}
}

func TestRowsAreCopies(t *testing.T) {
	rows := syncfields.Online().Rows()
	rows[0].Policy = syncfields.OnCreate
	if r, _ := syncfields.Online().Row(syncfields.DomainName); r.Policy != syncfields.Always {
		t.Error("changing the result of Rows changed the profile")
	}
	if _, ok := syncfields.Online().Row(syncfields.HomePhone); ok {
		t.Error("the online profile maps homephone")
	}
}

func TestRuleIDs(t *testing.T) {
	var ids []string
	for _, r := range syncfields.Rules() {
		info := r.Info()
		if info.Rule != r {
			t.Errorf("%s.Info().Rule = %v", info.ID, info.Rule)
		}
		ids = append(ids, info.ID)
	}
	if info := syncfields.Rule(0).Info(); info != (syncfields.RuleInfo{}) {
		t.Errorf("the invalid rule's Info = %+v, want the zero RuleInfo", info)
	}
	want := []string{"SYNC-ALWAYS", "SYNC-FULLNAME", "SYNC-EMAIL", "SYNC-CUSTOM", "SYNC-FIRSTNAME", "SYNC-ONPREM", "SYNC-IDEMPOTENT", "SYNC-APPLICATION"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("rule IDs mismatch (-want +got):\n%s", diff)
	}
	var r syncfields.Rule
	if err := r.UnmarshalText([]byte("sync-email")); err != nil || r != syncfields.RuleEmail {
		t.Errorf("UnmarshalText(sync-email) = %v, %v", r, err)
	}
}
