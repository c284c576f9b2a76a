package tenant_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// A fresh read of the roles that names a user the state does not hold
// cannot add one: the change is ignored, and counted.
func TestApplyRoleReadOfAStranger(t *testing.T) {
	s := tenant.Snapshot{Users: []provisioning.User{licensed()}, Environments: []provisioning.Environment{production()}}
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	read := provisioning.DirectoryRoles{Roles: map[string]provisioning.AdminRoles{"u-stranger": provisioning.GlobalAdmin}}
	next, a, err := st.Apply(tenant.Delta{Roles: &read})
	if err != nil || a.Ignored != 1 || a.Added != 0 || next.User("u-stranger") != nil || slices.Contains(a.Users, "u-stranger") {
		t.Fatalf("Apply = %+v, %v; want the stranger's roles ignored and counted", a, err)
	}
}

// A plan refuses to run when a record does not fit its user, in any
// environment, not only the first, before it hands out any action.
func TestPlanRefusesAMisfitInAnyEnvironment(t *testing.T) {
	u := licensed()
	first, second := production(), production()
	first.ID, second.ID = "env-a", "env-b"
	rec := provisioning.Record{ObjectID: u.ObjectID, UPN: u.UPN, ApplicationID: "app-x", SystemUserID: "5a1e"}
	s := tenant.Snapshot{
		Users:        []provisioning.User{u},
		Environments: []provisioning.Environment{first, second},
		Records:      map[string][]provisioning.Record{"env-b": {rec}},
	}
	steps := 0
	_, err := tenant.Each(&s, provisioning.BackgroundSync, tenant.Options{}, func(*tenant.Step) error { steps++; return nil })
	var me *tenant.MalformedError
	if !errors.As(err, &me) || steps != 0 {
		t.Fatalf("Each = %v after %d steps; want a *tenant.MalformedError for the record of env-b before any step", err, steps)
	}
}

// With no tenant given, the directory's tenant is inferred from where the
// members' licenses were assigned, the least ID on a tie: an environment
// in the other tenant gets a CHK-TENANT finding.
func TestDiagnoseInfersTheLeastTenantOnATie(t *testing.T) {
	a, b := licensed(), licensed()
	b.ObjectID, b.UPN = "u-other", "other@contoso.com"
	a.Licenses[0].Tenant, b.Licenses[0].Tenant = "t-a", "t-b"
	for _, c := range []struct {
		env     string
		finding bool
	}{{"t-a", false}, {"t-b", true}} {
		env := production()
		env.Tenant = c.env
		s := tenant.Snapshot{Users: []provisioning.User{a, b}, Environments: []provisioning.Environment{env}}
		found := false
		fs, _ := tenant.Diagnose(&s)
		for _, f := range fs {
			found = found || f.Rule == tenant.RuleTenant
		}
		if found != c.finding {
			t.Errorf("environment in %s: CHK-TENANT found %v, want %v (%v)", c.env, found, c.finding, fs)
		}
	}
}
