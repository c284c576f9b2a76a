package provisioning_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

func state(n int) provisioning.Org {
	s := provisioning.Org{Environment: production()}
	for i := range n {
		id := "u-" + strconv.Itoa(i)
		s.Records = append(s.Records, provisioning.Record{ObjectID: id, UPN: id + "@contoso.com"})
	}
	return s
}

func TestNonInteractiveLimit(t *testing.T) { // UT-NONINTERACTIVE-LIMIT
	s := state(10)
	s.Records[9].ApplicationID, s.Records[9].UPN, s.Records[9].Mode = "app", "", usertype.NonInteractive // not counted
	s.Records[0].Disabled = true                                                                         // counted all the same
	var err error
	for i := range 7 {
		if s, err = s.MarkNonInteractive("u-" + strconv.Itoa(i)); err != nil {
			t.Fatalf("marking user %d: %v", i, err)
		}
	}
	if s.NonInteractiveCount() != 7 {
		t.Fatalf("count = %d, want 7", s.NonInteractiveCount())
	}
	before := s
	got, err := s.MarkNonInteractive("u-7")
	var op *provisioning.OpError
	if !errors.Is(err, provisioning.ErrNonInteractiveLimit) || !errors.As(err, &op) || op.Rule != provisioning.RuleUTNonInteractiveLimit {
		t.Fatalf("eighth: %v, want ErrNonInteractiveLimit citing UT-NONINTERACTIVE-LIMIT", err)
	}
	if diff := cmp.Diff(before, got); diff != "" {
		t.Errorf("refused operation changed the state (-before +after):\n%s", diff)
	}
	// Marking one already marked is no change, not a refusal.
	if _, err := s.MarkNonInteractive("u-3"); err != nil {
		t.Errorf("re-marking: %v", err)
	}
	// Freeing a place lets the next one in.
	s, _ = s.SetAccessMode("u-0", usertype.ReadWrite)
	if _, err := s.MarkNonInteractive("u-7"); err != nil {
		t.Errorf("after freeing a place: %v", err)
	}
}

func TestSetAccessModeRefusesFixedRecords(t *testing.T) {
	s := state(1)
	s.Records = append(s.Records,
		provisioning.Record{UPN: usertype.SupportUPN, Mode: usertype.SupportUser},
		provisioning.Record{UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin},
		provisioning.Record{ObjectID: "sp", ApplicationID: "app", Mode: usertype.NonInteractive},
		provisioning.Record{UPN: "gone@contoso.com", Stub: true, Disabled: true},
	)
	for _, c := range []struct {
		key  string
		mode usertype.AccessMode
		rule provisioning.Rule
	}{
		{usertype.SupportUPN, usertype.ReadWrite, provisioning.RuleUTSupport},
		{usertype.DelegatedAdminUPN, usertype.Read, provisioning.RuleUTDelegatedAdmin},
		{"sp", usertype.ReadWrite, provisioning.RuleUTApplication},
		{"gone@contoso.com", usertype.ReadWrite, provisioning.RuleUTStub},
		{"u-0", usertype.SupportUser, provisioning.RuleUTSupport},
		{"u-0", usertype.DelegatedAdmin, provisioning.RuleUTDelegatedAdmin},
	} {
		got, err := s.SetAccessMode(c.key, c.mode)
		var op *provisioning.OpError
		if !errors.As(err, &op) || op.Rule != c.rule || !errors.Is(err, provisioning.ErrFixedRecord) {
			t.Errorf("SetAccessMode(%s, %s) = %v, want ErrFixedRecord by %s", c.key, c.mode, err, c.rule)
		}
		if !cmp.Equal(s, got) {
			t.Errorf("refused SetAccessMode(%s) changed the state", c.key)
		}
	}
	if _, err := s.SetAccessMode("nobody", usertype.Read); !errors.Is(err, provisioning.ErrNoRecord) {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := s.SetAccessMode("u-0", 8); !errors.Is(err, provisioning.ErrUnknown) {
		t.Errorf("unknown mode: %v", err)
	}
	got, err := s.SetAccessMode("u-0", usertype.Administrative)
	if err != nil || got.Records[0].Mode != usertype.Administrative || s.Records[0].Mode != usertype.ReadWrite {
		t.Errorf("SetAccessMode changed the receiver or failed: %v", err)
	}
}

func TestAssignRole(t *testing.T) { // LIFE-ROLE-ON-DISABLED
	s := state(2)
	s.Records[1].Disabled = true
	got, err := s.AssignRole("u-0", "Salesperson")
	if err != nil || !cmp.Equal(got.Records[0].Roles, []string{"Salesperson"}) || len(s.Records[0].Roles) != 0 {
		t.Fatalf("AssignRole to an enabled user: %v, %v", got.Records[0].Roles, err)
	}
	got, err = s.AssignRole("u-1", "Salesperson")
	var op *provisioning.OpError
	if !errors.Is(err, provisioning.ErrRoleOnDisabled) || !errors.As(err, &op) || op.Rule != provisioning.RuleLifeRoleOnDisabled || !cmp.Equal(s, got) {
		t.Fatalf("AssignRole to a disabled user: %v", err)
	}
	s.Environment.Settings.AllowRoleAssignmentOnDisabledUsers = true
	if got, err = s.AssignRole("u-1", "Salesperson"); err != nil || len(got.Records[1].Roles) != 1 {
		t.Fatalf("AssignRole with allowRoleAssignmentOnDisabledUsers: %v", err)
	}
}

// Two Orgs made from one by AssignRole do not share a role list, however
// much room the receiver's list has.
func TestAssignRoleLeavesReceiver(t *testing.T) {
	s := state(1)
	s.Records[0].Roles = append(make([]string, 0, 4), "Basic User")
	a, errA := s.AssignRole("u-0", "Salesperson")
	b, errB := s.AssignRole("u-0", "Sales Manager")
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if want := []string{"Basic User", "Salesperson"}; !cmp.Equal(a.Records[0].Roles, want) {
		t.Errorf("first Org's roles %v, want %v", a.Records[0].Roles, want)
	}
	if want := []string{"Basic User"}; !cmp.Equal(s.Records[0].Roles, want) {
		t.Errorf("receiver's roles %v, want %v", s.Records[0].Roles, want)
	}
	if len(b.Records[0].Roles) != 2 {
		t.Errorf("second Org's roles %v", b.Records[0].Roles)
	}
}

func TestRemoveRolesKeepsUserEnabled(t *testing.T) { // LIFE-ROLES-NOT-DISABLE, LIFE-ACCESS-NEEDS-ROLE
	s := state(1)
	s, _ = s.AssignRole("u-0", "Salesperson")
	s, err := s.RemoveRoles("u-0")
	if err != nil || s.Records[0].Disabled || len(s.Records[0].Roles) != 0 {
		t.Fatalf("RemoveRoles: %+v, %v", s.Records[0], err)
	}
	u := licensed()
	u.ObjectID = "u-0"
	d := provisioning.EvaluateRecord(&u, &s.Environment, &s.Records[0])
	if !d.Admitted() || d.Outcome(provisioning.RuleLifeAccessNeedsRole) != provisioning.OutcomeFailed {
		t.Errorf("after RemoveRoles: %v", d)
	}
}

func TestImportStub(t *testing.T) { // UT-STUB
	for _, c := range []struct {
		dynamics bool
		role     string
	}{{true, "Salesperson"}, {false, "Basic User"}} {
		s := state(1)
		s.Environment.DynamicsApps = c.dynamics
		got, err := s.ImportStub("gone@contoso.com")
		if err != nil {
			t.Fatal(err)
		}
		want := provisioning.Record{UPN: "gone@contoso.com", Stub: true, Disabled: true, Roles: []string{c.role}}
		if diff := cmp.Diff(want, got.Records[1]); diff != "" {
			t.Errorf("stub mismatch (-want +got):\n%s", diff)
		}
		if k, _ := got.Records[1].Kind(); k != usertype.KindStub || k.Synced() {
			t.Errorf("stub kind %s", k)
		}
		if _, err := got.ImportStub("gone@contoso.com"); !errors.Is(err, provisioning.ErrRecordExists) {
			t.Errorf("second import: %v", err)
		}
		if _, err := s.ImportStub("u-0@contoso.com"); !errors.Is(err, provisioning.ErrRecordExists) {
			t.Errorf("import of a known user: %v", err)
		}
	}
}
