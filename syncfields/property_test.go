package syncfields_test

import (
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/syncfields"
)

// drawSyncs draws a record and one to five later directory states of the
// user it belongs to.
func drawSyncs(t *rapid.T) (syncfields.Fields, []syncfields.Values) {
	rec := provisioningtest.Fields().Draw(t, "record")
	dirs := rapid.SliceOfN(provisioningtest.Attributes(), 1, 5).Draw(t, "directory")
	for i := range dirs {
		dirs[i].Set(syncfields.ObjectID, rec.Columns.Get(syncfields.ObjectID))
		if dirs[i].Get(syncfields.ObjectID) == "" {
			dirs[i].Set(syncfields.ObjectID, "u-1")
		}
		// The UPN, which provisioning writes from User.UPN, not from
		// Attributes: renamed or not from one sync to the next.
		dirs[i].Set(syncfields.DomainName, rapid.SampledFrom([]string{"", "ana@contoso.com", "ana.silva@contoso.com"}).Draw(t, "userPrincipalName"))
	}
	return rec, dirs
}

func update(t *rapid.T, p *syncfields.Profile, rec syncfields.Fields, d syncfields.Values) (syncfields.Fields, syncfields.Result) {
	out, res, err := p.Update(&rec, &d)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	return out, res
}

// Invariant 3: the sync never overwrites a non-empty or customer-edited
// Primary Email, whatever the directory says, over any sequence of syncs.
func TestPrimaryEmailNeverOverwritten(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec, dirs := drawSyncs(t)
		email := rec.Columns.Get(syncfields.InternalEmailAddress)
		protected := email != "" || rec.EmailEdited
		for _, d := range dirs {
			rec, _ = update(t, syncfields.Online(), rec, d)
			if protected && rec.Columns.Get(syncfields.InternalEmailAddress) != email {
				t.Fatalf("primary email %q overwritten with %q", email, rec.Columns.Get(syncfields.InternalEmailAddress))
			}
			// Once filled, it is protected from then on.
			if got := rec.Columns.Get(syncfields.InternalEmailAddress); got != "" && !protected {
				email, protected = got, true
			}
		}
	})
}

// Full Name never changes after creation, over any sequence of syncs.
func TestFullNameNeverChangesAfterCreation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec, dirs := drawSyncs(t)
		name := rec.Columns.Get(syncfields.FullName)
		for _, d := range dirs {
			rec, _ = update(t, syncfields.Online(), rec, d)
			if rec.Columns.Get(syncfields.FullName) != name {
				t.Fatalf("full name %q changed to %q", name, rec.Columns.Get(syncfields.FullName))
			}
		}
	})
}

// Invariant 8: custom columns are never changed by the sync.
func TestCustomColumnsUntouched(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec, dirs := drawSyncs(t)
		want := maps.Clone(rec.Custom)
		for _, d := range dirs {
			p := rapid.SampledFrom(syncfields.Profiles()).Draw(t, "profile")
			rec, _ = update(t, p, rec, d)
			if diff := cmp.Diff(want, rec.Custom); diff != "" {
				t.Fatalf("custom columns changed (-want +got):\n%s", diff)
			}
		}
	})
}

// Invariant 9 (sync): syncing the same directory user twice gives the same
// record as syncing it once, and the second sync changes nothing.
func TestSyncIdempotent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec, dirs := drawSyncs(t)
		p := rapid.SampledFrom(syncfields.Profiles()).Draw(t, "profile")
		once, _ := update(t, p, rec, dirs[0])
		twice, res := update(t, p, once, dirs[0])
		if diff := cmp.Diff(once, twice); diff != "" {
			t.Fatalf("second sync changed the record (-once +twice):\n%s", diff)
		}
		if !res.Unchanged() || len(res.Changes()) != 0 {
			t.Fatalf("second sync reports changes: %v", res.Changes())
		}
		// A created record is already in sync with its directory.
		created, _, err := p.Create(&dirs[0])
		if err != nil {
			t.Fatal(err)
		}
		if again, res := update(t, p, created, dirs[0]); !res.Unchanged() || !cmp.Equal(again, created) {
			t.Fatalf("syncing a new record changed it: %v", res.Changes())
		}
	})
}

// An on-premises update changes nothing (SYNC-ONPREM), and every column
// where the directory differs is reported as kept by SYNC-ONPREM.
func TestOnPremisesUpdateChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec, dirs := drawSyncs(t)
		got, res := update(t, syncfields.OnPremises(), rec, dirs[0])
		if diff := cmp.Diff(rec, got); diff != "" || !res.Unchanged() {
			t.Fatalf("on-premises update changed the record (-want +got):\n%s", diff)
		}
		for _, k := range res.KeptColumns() {
			if k.Rule != syncfields.RuleOnPremises && k.Rule != syncfields.RuleCustom {
				t.Fatalf("kept %v by %s", k, k.Rule)
			}
		}
	})
}

// Every change and every kept column of an update is explained by the rule
// of its row, and the record changes exactly where the changes say.
func TestChangesExplainTheRecord(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec, dirs := drawSyncs(t)
		got, res := update(t, syncfields.Online(), rec, dirs[0])
		want := rec
		for _, c := range res.Changes() {
			if c.Old != rec.Columns.Get(c.Column) || c.Old == c.New {
				t.Fatalf("change %v does not start from the record", c)
			}
			want.Columns.Set(c.Column, c.New)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("record differs from its changes (-want +got):\n%s", diff)
		}
	})
}

// Diff names exactly the columns that Update, or Create for a nil record,
// writes.
func TestDiffAgreesWithUpdate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec, dirs := drawSyncs(t)
		p := rapid.SampledFrom(syncfields.Profiles()).Draw(t, "profile")
		_, res, err := p.Update(&rec, &dirs[0])
		diff, derr := p.Diff(&rec, &dirs[0])
		if err != nil || derr != nil || diff != res.Changed() {
			t.Fatalf("Diff %v (%v), Update %v (%v)", diff, derr, res.Changed(), err)
		}
		_, res, err = p.Create(&dirs[0])
		diff, derr = p.Diff(nil, &dirs[0])
		if err != nil || derr != nil || diff != res.Changed() {
			t.Fatalf("Diff(nil) %v (%v), Create %v (%v)", diff, derr, res.Changed(), err)
		}
	})
}

// UpdateInto gives what Update gives, also in place over its own input,
// and leaves its destination alone on error.
func TestUpdateIntoAgreesWithUpdate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rec, dirs := drawSyncs(t)
		want, wantRes, err := syncfields.Online().Update(&rec, &dirs[0])
		if err != nil {
			t.Fatal(err)
		}
		var got syncfields.Fields
		var res syncfields.Result
		if err := syncfields.Online().UpdateInto(&got, &res, &rec, &dirs[0]); err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(want, got) || !cmp.Equal(wantRes.Changes(), res.Changes()) || !cmp.Equal(wantRes.KeptColumns(), res.KeptColumns()) {
			t.Fatalf("UpdateInto differs from Update")
		}
		inPlace := rec
		if err := syncfields.Online().UpdateInto(&inPlace, &res, &inPlace, &dirs[0]); err != nil || !cmp.Equal(want, inPlace) || !cmp.Equal(wantRes.Changes(), res.Changes()) {
			t.Fatalf("UpdateInto in place differs from Update")
		}
		bad := dirs[0]
		bad.Set(syncfields.ObjectID, "someone-else")
		kept := got
		if err := syncfields.Online().UpdateInto(&got, &res, &rec, &bad); err == nil && rec.Columns.Get(syncfields.ObjectID) != "" {
			t.Fatal("no error for another object")
		} else if err != nil && !cmp.Equal(kept, got) {
			t.Fatal("a refused UpdateInto changed its destination")
		}
	})
}

// Invariant 13: the sync never writes, and so never clears, a column whose
// source the directory object cannot carry. Over every profile and any
// sequence of syncs, a column is written after creation only when its row
// has a source the profile reads and a policy that writes it again; so a
// service principal's record (profile Application) is never written after
// creation, whatever values the directory holds.
func TestSyncNeverWritesUncarriedColumns(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := rapid.SampledFrom(syncfields.Profiles()).Draw(t, "profile")
		rec, dirs := drawSyncs(t)
		for _, d := range dirs {
			var res syncfields.Result
			rec, res = update(t, p, rec, d)
			for _, c := range res.Changed().Columns() {
				row, mapped := p.Row(c)
				switch {
				case !mapped:
					t.Fatalf("profile %s wrote %s, which it does not map", p.Name(), c)
				case row.Source == "":
					t.Fatalf("profile %s wrote %s after creation, which has no source", p.Name(), c)
				case p == syncfields.Application() && c != syncfields.ObjectID:
					t.Fatalf("an application user's %s was written after creation", c)
				}
			}
		}
	})
}
