package provisioning_test

import (
	"errors"
	"strings"
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
		out.Fields.Columns.Set(syncfields.ObjectID, rec.ObjectID)
		out.Fields.Columns.Set(syncfields.DomainName, rec.UPN)
	}
	for _, c := range w.Columns.Columns() {
		out.Fields.Columns.Set(c, w.Values.Get(c))
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
		env.RootBusinessUnit = "b-root"
		u.Attributes = provisioningtest.Attributes().Draw(t, "attributes")
		var rec *provisioning.Record
		if rapid.Bool().Draw(t, "record?") {
			r := edge.Records().Draw(t, "record")
			r.ObjectID, r.ApplicationID, r.SystemUserID = u.ObjectID, u.ApplicationID, "5a1e"
			r.Fields.Columns.Set(syncfields.ObjectID, u.ObjectID)
			rec = &r
		}
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		r := provisioning.Reconcile(&u, &env, rec, tr)
		w, err := r.Action.Write(&u, &env, rec)
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
		want.Fields.Columns.Set(syncfields.ObjectID, want.ObjectID)
		want.Fields.Columns.Set(syncfields.DomainName, want.UPN)
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

// A write is addressed, or there is none: a write to an existing row names
// its systemuserid and a create the environment's root business unit; an
// action whose inputs lack them gets ErrMissing naming the field, never a
// write Dataverse would have to find the row of (or, for an update without
// If-Match, create).
func TestWriteIsAddressed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		env.RootBusinessUnit = rapid.SampledFrom([]string{"", "b-root"}).Draw(t, "root business unit")
		var rec *provisioning.Record
		if rapid.Bool().Draw(t, "record?") {
			r := edge.Records().Draw(t, "record")
			r.ObjectID, r.ApplicationID = u.ObjectID, u.ApplicationID
			r.Fields.Columns.Set(syncfields.ObjectID, u.ObjectID)
			r.SystemUserID = rapid.SampledFrom([]string{"", "5a1e"}).Draw(t, "systemuserid")
			rec = &r
		}
		a, _ := provisioning.NextAction(&u, &env, rec, rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger"))
		if !a.Writes() {
			return
		}
		w, err := a.Write(&u, &env, rec)
		missing := func(field string) {
			var fe *provisioning.FieldError
			if !errors.As(err, &fe) || fe.Field != field || !errors.Is(err, provisioning.ErrMissing) || w != (provisioning.Write{}) {
				t.Fatalf("%s without %s: Write = %+v, %v; want ErrMissing naming %s", a.Verb, field, w, err, field)
			}
		}
		switch {
		case a.Verb == provisioning.Create && env.RootBusinessUnit == "":
			missing("RootBusinessUnit")
		case a.Verb != provisioning.Create && rec.SystemUserID == "":
			missing("SystemUserID")
		case err != nil:
			t.Fatal(err)
		case a.Verb == provisioning.Create && (w.BusinessUnit != "b-root" || w.SystemUserID != "" || w.ObjectID != u.ObjectID):
			t.Fatalf("create write %+v: want business unit b-root, no systemuserid and the user's object ID %q", w, u.ObjectID)
		case a.Verb != provisioning.Create && (w.SystemUserID != "5a1e" || w.BusinessUnit != ""):
			t.Fatalf("%s write %+v: want systemuserid 5a1e and no business unit", a.Verb, w)
		}
	})
}

func TestWriteNeedsItsInputs(t *testing.T) {
	u, env := licensed(), production()
	a, _ := provisioning.NextAction(&u, &env, nil, bg)
	if _, err := a.Write(nil, &env, nil); !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("create without its user: %v", err)
	}
	if _, err := a.Write(&u, nil, nil); !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("create without its environment: %v", err)
	}
	env.RootBusinessUnit = "b-root"
	other := env
	other.ID = "env-other"
	if _, err := a.Write(&u, &other, nil); !errors.Is(err, provisioning.ErrContradiction) || !strings.Contains(err.Error(), "env-other") {
		t.Errorf("create with another environment: %v", err)
	}
	if w, err := a.Write(&u, &env, nil); err != nil || w.Verb != provisioning.Create || w.BusinessUnit != "b-root" {
		t.Errorf("create write = %+v, %v", w, err)
	}
	rec := anaRecord()
	rec.Disabled = true
	a, _ = provisioning.NextAction(&u, &env, &rec, bg)
	if _, err := a.Write(&u, &env, nil); a.Verb != provisioning.Enable || !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("%s without its record: %v", a.Verb, err)
	}
	rec.SystemUserID = "a1b2"
	// A write to an existing row needs no environment.
	w, err := a.Write(&u, nil, &rec)
	if err != nil || w.SystemUserID != "a1b2" || !w.SetDisabled || w.Disabled {
		t.Errorf("enable write = %+v, %v", w, err)
	}
}

// The identifiers a write puts in a request's address are checked where
// they enter, like every identifier: a control character in an
// environment's root business unit or a record's systemuserid (a line
// break could end a request line of a $batch) is malformed, and an action
// on such input refuses.
func TestWriteIdentifiersValidated(t *testing.T) {
	u, env := licensed(), production()
	env.RootBusinessUnit = "b-root\r\nGET /"
	var fe *provisioning.FieldError
	if err := env.Validate(); !errors.As(err, &fe) || fe.Field != "RootBusinessUnit" || !errors.Is(err, provisioning.ErrMalformed) {
		t.Errorf("Validate of a root business unit with a line break: %v", err)
	}
	if a, _ := provisioning.NextAction(&u, &env, nil, bg); a.Writes() || !errors.Is(a.Err, provisioning.ErrMalformed) {
		t.Errorf("NextAction with that environment: %+v", a)
	}
	env.RootBusinessUnit = "b-root"
	rec := anaRecord()
	rec.SystemUserID = "5a1e\x00"
	if err := rec.Validate(); !errors.As(err, &fe) || fe.Field != "SystemUserID" || !errors.Is(err, provisioning.ErrMalformed) {
		t.Errorf("Validate of a systemuserid with a NUL: %v", err)
	}
	if a, _ := provisioning.NextAction(&u, &env, &rec, bg); a.Writes() || !errors.Is(a.Err, provisioning.ErrMalformed) {
		t.Errorf("NextAction with that record: %+v", a)
	}
}

// No empty PATCH: a user let in only by the free Microsoft 365 plan, with
// an enabled record as a Dataverse export gives it (no OnDemand mark, which
// no column holds), is left as it is by the background sync, sync after
// sync, with nothing to write; an update that changes nothing is refused
// by Write.
func TestNoEmptyUpdate(t *testing.T) { // LIFE-ON-DEMAND-KEEP
	u, env := licensed(), production()
	u.Licenses = []provisioning.License{{Plan: provisioning.PlanFreeDataverse, Tenant: tenant}}
	rec := provisioning.Reconcile(&u, &env, nil, provisioning.AdminCenter).Record
	rec.OnDemand, rec.SystemUserID = false, "0f0e0d0c-0000-4000-8000-000000000001"
	for range 2 {
		r := provisioning.Reconcile(&u, &env, &rec, bg)
		if r.Action.Verb != provisioning.Leave || r.Action.Writes() || !r.Record.OnDemand {
			t.Fatalf("%v (writes %v), marked %v: want leave, nothing written, the mark set", r.Action.Verb, r.Action.Writes(), r.Record.OnDemand)
		}
		rec = r.Record
	}
	empty := provisioning.Action{User: u.ObjectID, Environment: env.ID, Verb: provisioning.Update, Mode: rec.Mode}
	if _, err := empty.Write(&u, &env, &rec); !errors.Is(err, provisioning.ErrNothingToWrite) {
		t.Errorf("Write of an update that changes nothing = %v, want ErrNothingToWrite", err)
	}
}
