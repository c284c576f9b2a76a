package tenant_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/usertype"
)

// deletionSnapshot: one environment with Enable delete disabled users on;
// u-ana is in the directory, the others are gone from it.
func deletionSnapshot() tenant.Snapshot {
	env := production()
	env.Settings.DeleteDisabledUsers = true
	return tenant.Snapshot{
		Users:        []provisioning.User{licensed()},
		Environments: []provisioning.Environment{env},
		Records: map[string][]provisioning.Record{env.ID: {
			{ObjectID: "u-ana", UPN: "ana@contoso.com", Disabled: true},
			{ObjectID: "u-gone", UPN: "gone@contoso.com", Disabled: true},
			{ObjectID: "u-left", UPN: "left@contoso.com", Disabled: true, SoftDeleted: true, OwnedRecords: 12},
			{ObjectID: "u-old", UPN: "old@contoso.com", Disabled: true, SoftDeleted: true},
			{ObjectID: "u-on", UPN: "on@contoso.com"},
			{UPN: usertype.SupportUPN, Mode: usertype.SupportUser},
		}},
	}
}

func TestDeletions(t *testing.T) { // DEL-SOFT, DEL-PERMANENT
	s := deletionSnapshot()
	rep, err := tenant.Deletions(&s)
	if err != nil {
		t.Fatal(err)
	}
	if rep.SoftDeletable != 1 || rep.PermanentlyDeletable != 1 || rep.Blocked != 4 || len(rep.Deletions) != 6 {
		t.Fatalf("report counts: %+v", rep)
	}
	var got []string
	for _, d := range rep.Deletions {
		line := d.Key + " " + d.Stage.String()
		for _, b := range d.Blocks {
			line += " | " + b.Rule.String() + ": " + b.Fix
		}
		got = append(got, line)
	}
	want := []string{
		"crmoln@microsoft.com soft-delete | DEL-SOFT: none: keep it",
		"u-ana soft-delete | DEL-SOFT: delete the user from Microsoft Entra ID, then permanently from its deleted users",
		"u-gone soft-delete",
		"u-left permanent-delete | DEL-PERMANENT: reassign the 12 records this user owns",
		"u-old permanent-delete",
		"u-on soft-delete | DEL-SOFT: disable it first: delete the user in Microsoft Entra ID and let the sync disable the record",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	bad := tenant.Snapshot{Users: []provisioning.User{licensed(), licensed()}}
	if _, err := tenant.Deletions(&bad); !errors.Is(err, provisioning.ErrDuplicate) {
		t.Errorf("Deletions of a snapshot that fails Check: %v", err)
	}
}

func ExampleDeletions() {
	s := deletionSnapshot()
	rep, _ := tenant.Deletions(&s)
	fmt.Println(rep.SoftDeletable, "to soft-delete,", rep.PermanentlyDeletable, "to delete permanently,", rep.Blocked, "blocked")
	for _, d := range rep.Deletions {
		if d.Allowed() {
			fmt.Println(d.Stage, d.Key)
		}
	}
	// Output:
	// 1 to soft-delete, 1 to delete permanently, 4 blocked
	// soft-delete u-gone
	// permanent-delete u-old
}
