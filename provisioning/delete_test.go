package provisioning_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// deletable is an environment where Enable delete disabled users is on,
// holding a disabled record of user u-gone (no longer in the directory)
// that owns nothing, and the support record.
func deletable() provisioning.Org {
	env := production()
	env.Settings.DeleteDisabledUsers = true
	return provisioning.Org{Environment: env, Records: []provisioning.Record{
		{ObjectID: "u-gone", UPN: "gone@contoso.com", Disabled: true, Roles: []string{"Salesperson"}, Teams: []string{"g-sales"}},
		{UPN: usertype.SupportUPN, Mode: usertype.SupportUser, Disabled: true},
	}}
}

func TestSoftDelete(t *testing.T) { // DEL-SOFT, DEL-SOFT-EFFECT
	org := deletable()
	soft, err := org.SoftDelete("u-gone", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := soft.Records[0]
	if !r.SoftDeleted || !r.Disabled || len(r.Roles) != 0 || len(r.Teams) != 0 || len(soft.Records) != 2 {
		t.Errorf("soft-deleted record = %+v, want it kept, disabled, without roles or teams", r)
	}
	if org.Records[0].SoftDeleted || len(org.Records[0].Roles) != 1 {
		t.Error("SoftDelete changed the state it came from")
	}

	present := licensed()
	present.ObjectID, present.UPN = "u-gone", "gone@contoso.com"
	softDeleted, disabledUser := present, present
	softDeleted.SoftDeleted = true
	disabledUser.Enabled = false
	hardDeleted := present
	hardDeleted.Deleted = true
	enabled := deletable()
	enabled.Records[0].Disabled = false
	for _, c := range []struct {
		name   string
		org    provisioning.Org
		key    string
		user   *provisioning.User
		want   error // nil: allowed
		fix    string
		reason string
	}{
		{"user hard-deleted (absent)", deletable(), "u-gone", nil, nil, "", ""},
		{"user hard-deleted (marked)", deletable(), "u-gone", &hardDeleted, nil, "", ""},
		{"user still present", deletable(), "u-gone", &present, provisioning.ErrUserExists, "delete the user from Microsoft Entra ID", "u-gone exists in"},
		{"user soft-deleted in the directory", deletable(), "u-gone", &softDeleted, provisioning.ErrUserExists, "permanently delete the user", "is soft-deleted and can still be restored"},
		{"user disabled in the directory", deletable(), "u-gone", &disabledUser, provisioning.ErrUserExists, "delete the user from Microsoft Entra ID", "is disabled but still exists"},
		{"record enabled", enabled, "u-gone", nil, provisioning.ErrRecordEnabled, "disable it first", "the record is enabled"},
		{"support record", deletable(), usertype.SupportUPN, nil, provisioning.ErrNeverDeleted, "", ""},
		{"already soft-deleted", soft, "u-gone", nil, provisioning.ErrSoftDeleted, "", ""},
		{"no such record", deletable(), "u-none", nil, provisioning.ErrNoRecord, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			next, err := c.org.SoftDelete(c.key, c.user)
			if c.want == nil {
				if err != nil || !next.Records[0].SoftDeleted {
					t.Fatalf("SoftDelete = %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) || !sameOrg(next, c.org) {
				t.Fatalf("SoftDelete = %v, want %v and no change", err, c.want)
			}
			if c.fix != "" {
				i := 0
				d := provisioning.CheckDeletion(&c.org.Environment, &c.org.Records[i], c.user)
				if d.Allowed() || !strings.Contains(d.Blocks[0].Fix, c.fix) || !strings.Contains(d.Blocks[0].Reason, c.reason) || d.Blocks[0].Rule != provisioning.RuleDelSoft {
					t.Errorf("CheckDeletion = %+v, want a DEL-SOFT block saying %q and the fix %q", d, c.reason, c.fix)
				}
			}
		})
	}
}

// Application and stub records are not bound by the directory condition
// of DEL-SOFT; a disabled one is soft-deleted even while a directory object
// has its ID.
func TestSoftDeleteApplicationAndStub(t *testing.T) { // DEL-SOFT
	env := production()
	app := provisioning.User{ObjectID: "sp-1", ApplicationID: "app-1", Enabled: true}
	org := provisioning.Org{Environment: env, Records: []provisioning.Record{
		{ObjectID: "sp-1", ApplicationID: "app-1", Mode: usertype.NonInteractive, Disabled: true},
		{ObjectID: "u-ana", UPN: "former@contoso.com", Stub: true, Disabled: true, Roles: []string{"Basic User"}},
	}}
	org, err := org.SoftDelete("sp-1", &app)
	if err != nil {
		t.Fatalf("application record: %v", err)
	}
	ana := licensed()
	if _, err := org.SoftDelete("u-ana", &ana); err != nil {
		t.Fatalf("stub record: %v", err)
	}
}

func TestPermanentDelete(t *testing.T) { // DEL-PERMANENT
	soft, err := deletable().SoftDelete("u-gone", nil)
	if err != nil {
		t.Fatal(err)
	}
	gone, err := soft.PermanentDelete("u-gone")
	if err != nil || len(gone.Records) != 1 || gone.Records[0].UPN != usertype.SupportUPN {
		t.Fatalf("PermanentDelete = %v, records %+v", err, gone.Records)
	}
	owns := soft
	owns.Records = append([]provisioning.Record(nil), soft.Records...)
	owns.Records[0].OwnedRecords = 12
	off := soft
	off.Environment.Settings.DeleteDisabledUsers = false
	for _, c := range []struct {
		name string
		org  provisioning.Org
		key  string
		want error
		fix  string
	}{
		{"not soft-deleted", deletable(), "u-gone", provisioning.ErrNotSoftDeleted, ""},
		{"owns records", owns, "u-gone", provisioning.ErrOwnsRecords, "reassign the 12 records this user owns"},
		{"setting off", off, "u-gone", provisioning.ErrDeleteDisabledUsersOff, "turn on Enable delete disabled users"},
		{"support record", deletable(), usertype.SupportUPN, provisioning.ErrNeverDeleted, ""},
		{"no such record", soft, "u-none", provisioning.ErrNoRecord, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			next, err := c.org.PermanentDelete(c.key)
			var oe *provisioning.OpError
			if !errors.Is(err, c.want) || !errors.As(err, &oe) || !sameOrg(next, c.org) {
				t.Fatalf("PermanentDelete = %v, want %v and no change", err, c.want)
			}
			if c.fix != "" {
				d := provisioning.CheckDeletion(&c.org.Environment, &c.org.Records[0], nil)
				if d.Stage != provisioning.PermanentDeletion || !strings.Contains(d.Blocks[0].Fix, c.fix) || d.Blocks[0].Rule != provisioning.RuleDelPermanent {
					t.Errorf("CheckDeletion = %+v, want a DEL-PERMANENT block whose fix says %q", d, c.fix)
				}
			}
		})
	}
	// Both blocks at once: CheckDeletion lists every one.
	both := owns
	both.Environment.Settings.DeleteDisabledUsers = false
	if d := provisioning.CheckDeletion(&both.Environment, &both.Records[0], nil); len(d.Blocks) != 2 {
		t.Errorf("CheckDeletion = %+v, want two blocks", d)
	}
	// One record: "1 record".
	owns.Records[0].OwnedRecords = 1
	if d := provisioning.CheckDeletion(&owns.Environment, &owns.Records[0], nil); !strings.Contains(d.Blocks[0].Fix, "reassign the 1 record this") {
		t.Errorf("fix for one owned record: %q", d.Blocks[0].Fix)
	}
}

// DEL-SOFT-EFFECT everywhere: a soft-deleted record is never enabled,
// given a role, changed by the sync or by any operation.
func TestSoftDeletedRecordIsNeverChanged(t *testing.T) { // DEL-SOFT-EFFECT
	soft, err := deletable().SoftDelete("u-gone", nil)
	if err != nil {
		t.Fatal(err)
	}
	env := soft.Environment
	env.Settings.AllowRoleAssignmentOnDisabledUsers = true
	soft.Environment = env
	back := licensed()
	back.ObjectID, back.UPN = "u-gone", "gone@contoso.com"
	for _, tr := range provisioning.Triggers() {
		next, r := soft.Sync(&back, tr)
		if r.Action.Verb != provisioning.Leave || !r.Action.Rules.Has(provisioning.RuleDelSoftEffect) || !sameOrg(next, soft) {
			t.Errorf("%s of a soft-deleted record: %s %s", tr, r.Action.Verb, r.Action.Rules)
		}
		if _, r := soft.SyncGone("u-gone", tr); r.Action.Verb != provisioning.Leave || !r.Action.Rules.Has(provisioning.RuleDelSoftEffect) {
			t.Errorf("%s of a soft-deleted record with no user: %s %s", tr, r.Action.Verb, r.Action.Rules)
		}
	}
	d := provisioning.EvaluateRecord(&back, &soft.Environment, &soft.Records[0])
	if d.Admitted() || d.Outcome(provisioning.RuleDelSoftEffect) != provisioning.OutcomeFailed {
		t.Errorf("decision for a soft-deleted record:\n%s", d.Explain())
	}
	ops := map[string]func() error{
		"AssignRole":         func() error { _, err := soft.AssignRole("u-gone", "Basic User"); return err },
		"RemoveRoles":        func() error { _, err := soft.RemoveRoles("u-gone"); return err },
		"SetAccessMode":      func() error { _, err := soft.SetAccessMode("u-gone", usertype.Read); return err },
		"MarkNonInteractive": func() error { _, err := soft.MarkNonInteractive("u-gone"); return err },
		"Access":             func() error { _, _, err := soft.Access(&back); return err },
		"RemoveTeamMember": func() error {
			o, _ := soft.AddTeam(salesTeam)
			_, err := o.RemoveTeamMember("u-gone", "g-sales")
			return err
		},
		"SoftDelete": func() error { _, err := soft.SoftDelete("u-gone", nil); return err },
	}
	for name, op := range ops {
		var oe *provisioning.OpError
		if err := op(); !errors.Is(err, provisioning.ErrSoftDeleted) || !errors.As(err, &oe) || oe.Rule != provisioning.RuleDelSoftEffect {
			t.Errorf("%s on a soft-deleted record: %v", name, err)
		}
	}
	bad := soft.Records[0]
	bad.Disabled = false
	if err := bad.Validate(); !errors.Is(err, provisioning.ErrContradiction) {
		t.Errorf("an enabled soft-deleted record validates: %v", err)
	}
	bad = soft.Records[0]
	bad.Roles = []string{"x"}
	if err := bad.Validate(); !errors.Is(err, provisioning.ErrContradiction) {
		t.Errorf("a soft-deleted record with a role validates: %v", err)
	}
}

// DEL-DIRECTORY: deleting, restoring and relicensing a directory user
// gives its record disabled, disabled, enabled; a deleted user without a
// record gets none.
func TestDirectoryDeletion(t *testing.T) { // DEL-DIRECTORY
	ana := licensed()
	org := provisioning.Org{Environment: production()}
	org, created := org.Sync(&ana, bg)
	if created.Action.Verb != provisioning.Create {
		t.Fatalf("create: %s", created.Action.Verb)
	}
	ana.SoftDeleted, ana.Licenses = true, nil // deleted: restorable for 30 days, licenses taken
	org, r := org.Sync(&ana, bg)
	if !org.Records[0].Disabled || !r.Action.Rules.Has(provisioning.RuleDelDirectory) || len(org.Records) != 1 {
		t.Fatalf("after deletion: %+v, rules %s", org.Records, r.Action.Rules)
	}
	ana.SoftDeleted = false // restored, not yet licensed
	org, r = org.Sync(&ana, bg)
	if !org.Records[0].Disabled || r.Action.Rules.Has(provisioning.RuleDelDirectory) {
		t.Fatalf("after restoring: disabled %v, rules %s", org.Records[0].Disabled, r.Action.Rules)
	}
	ana.Licenses = licensed().Licenses // licensed again
	org, r = org.Sync(&ana, bg)
	if org.Records[0].Disabled || r.Action.Verb != provisioning.Enable {
		t.Fatalf("after relicensing: %s", r.Action.Verb)
	}
	// A deleted user without a record gets none.
	bob := licensed()
	bob.ObjectID, bob.UPN, bob.Deleted = "u-bob", "bob@contoso.com", true
	next, r := org.Sync(&bob, access)
	if r.Action.Verb != provisioning.NotAdded || !r.Action.Rules.Has(provisioning.RuleDelDirectory) || len(next.Records) != 1 {
		t.Errorf("deleted user without a record: %s %s", r.Action.Verb, r.Action.Rules)
	}
}

// sameOrg reports whether two states hold the same environment and
// records.
func sameOrg(a, b provisioning.Org) bool { return same(a, b) }
