package provisioning_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/syncfields"
)

// applyWrite is what Dataverse does with w to the row rec (nil: none).
func applyWrite(rec *provisioning.Record, w provisioning.Write) provisioning.Record {
	var out provisioning.Record
	if rec != nil {
		out = *rec
		out.Fields.Columns[syncfields.ObjectID], out.Fields.Columns[syncfields.DomainName] = rec.ObjectID, rec.UPN
	}
	for _, c := range w.Columns.Columns() {
		out.Fields.Columns[c] = w.Values[c]
	}
	if w.SetMode {
		out.Mode = w.Mode
	}
	if w.SetDisabled {
		out.Disabled = w.Disabled
	}
	return out
}

// The write of an action, applied to the record it was decided from, gives
// the columns, access mode and state that Reconcile's record has.
func TestWriteAppliesTheAction(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		u.Attributes = provisioningtest.Attributes().Draw(t, "attributes")
		u.Attributes[syncfields.ObjectID], u.Attributes[syncfields.DomainName] = u.ObjectID, u.UPN
		var rec *provisioning.Record
		if rapid.Bool().Draw(t, "record?") {
			r := edge.Records().Draw(t, "record")
			r.ObjectID, r.ApplicationID = u.ObjectID, u.ApplicationID
			r.Fields.Columns[syncfields.ObjectID] = u.ObjectID
			rec = &r
		}
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		r := provisioning.Reconcile(&u, &env, rec, tr)
		w, err := r.Action.Write(&u, rec)
		if !r.Action.Writes() {
			if !errors.Is(err, provisioning.ErrNothingToWrite) {
				t.Fatalf("%s writes nothing, but Write = %+v, %v", r.Action.Verb, w, err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		got := applyWrite(rec, w)
		want := r.Record
		want.Fields.Columns[syncfields.ObjectID], want.Fields.Columns[syncfields.DomainName] = want.ObjectID, want.UPN
		if diff := cmp.Diff(want.Fields.Columns, got.Fields.Columns); diff != "" {
			t.Fatalf("%s: columns after the write differ (-reconcile +write):\n%s", r.Action.Verb, diff)
		}
		if got.Mode != want.Mode || got.Disabled != want.Disabled {
			t.Fatalf("%s: mode %s disabled %v after the write, Reconcile says %s %v", r.Action.Verb, got.Mode, got.Disabled, want.Mode, want.Disabled)
		}
		if w.Verb == provisioning.Create && (w.SetDisabled || !w.SetMode || w.ApplicationID != u.ApplicationID) {
			t.Fatalf("create write %+v: isdisabled is not set on create, accessmode always", w)
		}
		// A write to an existing row carries accessmode only when it changes
		// it: a PATCH holds what changes and nothing else.
		if w.Verb != provisioning.Create && w.SetMode && w.Mode == rec.Mode {
			t.Fatalf("%s write %+v sets accessmode %s, which the row has already", w.Verb, w, w.Mode)
		}
	})
}

func TestWriteNeedsItsInputs(t *testing.T) {
	u, env := licensed(), production()
	a, _ := provisioning.NextAction(&u, &env, nil, bg)
	if _, err := a.Write(nil, nil); !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("create without its user: %v", err)
	}
	rec := anaRecord()
	rec.Disabled = true
	a, _ = provisioning.NextAction(&u, &env, &rec, bg)
	if _, err := a.Write(&u, nil); a.Verb != provisioning.Enable || !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("%s without its record: %v", a.Verb, err)
	}
	rec.SystemUserID = "a1b2"
	w, err := a.Write(&u, &rec)
	if err != nil || w.SystemUserID != "a1b2" || !w.SetDisabled || w.Disabled {
		t.Errorf("enable write = %+v, %v", w, err)
	}
}
