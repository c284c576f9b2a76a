package syncfields_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// ChangeOf and KeptOf find one column's entry of Changes and KeptColumns,
// and report the columns that are in neither.
func TestResultLookupByColumn(t *testing.T) {
	rec := created(t)
	d := directory()
	d.Set(syncfields.JobTitle, "Lead Buyer")
	d.Set(syncfields.FullName, "Ana Silva-Jones")
	_, res, err := syncfields.Online().Update(&rec, &d)
	if err != nil {
		t.Fatal(err)
	}
	ch, ok := res.ChangeOf(syncfields.JobTitle)
	if want := change(syncfields.JobTitle, "Title", "Buyer", "Lead Buyer", syncfields.RuleAlways); !ok || ch != want {
		t.Errorf("ChangeOf(jobtitle) = %+v, %v; want %+v", ch, ok, want)
	}
	if _, ok := res.ChangeOf(syncfields.FullName); ok {
		t.Error("ChangeOf(fullname) found a change the sync did not make (SYNC-FULLNAME)")
	}
	k, ok := res.KeptOf(syncfields.FullName)
	want := syncfields.ColumnKept{Column: syncfields.FullName, Name: "fullname", Label: "Full Name", Value: "Ana Silva", Directory: "Ana Silva-Jones", Rule: syncfields.RuleFullName}
	if !ok || k != want {
		t.Errorf("KeptOf(fullname) = %+v, %v; want %+v", k, ok, want)
	}
	if _, ok := res.KeptOf(syncfields.JobTitle); ok {
		t.Error("KeptOf(jobtitle) found a column the sync wrote")
	}
	if got := res.Kept(); got != 0|1<<syncfields.FullName {
		t.Errorf("Kept() = %v, want fullname alone", got.Columns())
	}
	var zero syncfields.Result
	if _, ok := zero.ChangeOf(syncfields.JobTitle); ok {
		t.Error("the zero Result has a change")
	}
	if _, ok := zero.KeptOf(syncfields.FullName); ok {
		t.Error("the zero Result kept a column")
	}
}

// SourceGraph reads a Graph user as encoding/json decodes it: strings,
// nulls, businessPhones as a list, and properties the profile does not map.
func TestSourceGraph(t *testing.T) {
	user := map[string]any{
		"id":                "7d2c1f0a",
		"userPrincipalName": "ana@contoso.com",
		"displayName":       "Ana Silva",
		"givenName":         nil,
		"businessPhones":    []any{"+1 425 555 0100", "+1 425 555 0199"},
		"accountEnabled":    true, // not mapped: ignored
		"mail":              "ana@contoso.com",
	}
	got, err := syncfields.Online().SourceGraph(user)
	if err != nil {
		t.Fatal(err)
	}
	var want syncfields.Values
	want.Set(syncfields.ObjectID, "7d2c1f0a")
	want.Set(syncfields.DomainName, "ana@contoso.com")
	want.Set(syncfields.FullName, "Ana Silva")
	want.Set(syncfields.Telephone1, "+1 425 555 0100")
	want.Set(syncfields.InternalEmailAddress, "ana@contoso.com")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("SourceGraph mismatch (-want +got):\n%s", diff)
	}
	for name, object := range map[string]map[string]any{
		"empty phone list": {"businessPhones": []any{}},
		"typed phone list": {"businessPhones": []string{}},
	} {
		v, err := syncfields.Online().SourceGraph(object)
		if err != nil || v.Get(syncfields.Telephone1) != "" {
			t.Errorf("%s: %q, %v; want a blank phone", name, v.Get(syncfields.Telephone1), err)
		}
	}
	v, err := syncfields.Online().SourceGraph(map[string]any{"businessPhones": []string{"+1 1"}})
	if err != nil || v.Get(syncfields.Telephone1) != "+1 1" {
		t.Errorf("[]string phones: %q, %v", v.Get(syncfields.Telephone1), err)
	}
	for name, object := range map[string]map[string]any{
		"number":           {"jobTitle": 7.0},
		"phone not a list": {"businessPhones": "+1 1"},
		"phone of numbers": {"businessPhones": []any{1.0}},
		"object":           {"city": map[string]any{}},
		"boolean":          {"surname": false},
		"list":             {"country": []any{}},
		"NUL in a value":   {"city": "a\x00b"},
	} {
		_, err := syncfields.Online().SourceGraph(object)
		var ce *syncfields.ColumnError
		if !errors.As(err, &ce) || !errors.Is(err, provisioning.ErrMalformed) {
			t.Errorf("%s: error %v, want a *ColumnError wrapping ErrMalformed", name, err)
		}
	}
}

func TestValuesValidate(t *testing.T) {
	var v syncfields.Values
	if err := v.Validate(); err != nil {
		t.Errorf("blank values: %v", err)
	}
	// A byte that is no UTF-8 start, at the end, in the middle, after a
	// whole word of ASCII, and alone.
	for _, bad := range []string{"bad\xff", "bad\x80", "a\x80b", "Springfield\x80", "\x80", "\xbf", "\xc3"} {
		v.Set(syncfields.City, bad)
		if err := v.Validate(); !errors.Is(err, provisioning.ErrMalformed) {
			t.Errorf("invalid UTF-8 %q: %v, want ErrMalformed", bad, err)
		}
	}
	var nilValues *syncfields.Values
	if err := nilValues.Validate(); !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("nil values: %v, want ErrMissing", err)
	}
}

// A set holds columns only: Has is false for a value that is no column,
// whatever bits the set holds, With adds none, and Len counts columns.
func TestColumnSetHoldsOnlyColumns(t *testing.T) {
	all := ^syncfields.ColumnSet(0)
	for _, c := range []int{0, syncfields.ColumnCount, syncfields.ColumnCount + 1, 31, 200} {
		if all.Has(syncfields.Column(c)) {
			t.Errorf("Has(%d) is true on a full set; %d is not a column", c, c)
		}
		if got := syncfields.ColumnSet(0).With(syncfields.Column(c)); got != 0 {
			t.Errorf("With(%d) = %b, want the empty set", c, got)
		}
	}
	if got, want := all.Len(), len(syncfields.Columns()); got != want || len(all.Columns()) != want {
		t.Errorf("a full set: Len %d, Columns %v; want the %d columns", got, all.Columns(), want)
	}
	for _, c := range syncfields.Columns() {
		if !syncfields.ColumnSet(0).With(c).Has(c) {
			t.Errorf("With(%s) lacks %s", c, c)
		}
	}
}

// Custom column names are Dataverse logical names: lower-case letters a
// to z, digits and underscores, from the first letter of the alphabet to
// the last.
func TestParseFieldsCustomNames(t *testing.T) {
	for name, ok := range map[string]bool{
		"address2_line1": true, "zip_extra": true, "new_badge": true, "a": true, "z9": true,
		"_private": false, "9lives": false, "Badge": false, "new-badge": false, "": false,
	} {
		_, err := syncfields.ParseFields(map[string]string{name: "x"}, false)
		if (err == nil) != ok {
			t.Errorf("ParseFields with column %q: %v, want accepted %v", name, err, ok)
		}
	}
}

// Of several malformed columns, ParseFields and Validate name the first in
// name order, whatever the order of the map: the same record gives the
// same error every time.
func TestMalformedColumnErrorDeterministic(t *testing.T) {
	columns := map[string]string{"Badge": "x", "": "7", "new_note": "ok", "Zone": "y", "new_\x00": "z", "fullname": "Ana"}
	custom := map[string]string{"Badge": "x", "": "7", "new_note": "ok", "Zone": "y", "fullname": "Ana", "new_bad": "\xff"}
	for range 50 {
		_, err := syncfields.ParseFields(columns, false)
		var ce *syncfields.ColumnError
		if !errors.As(err, &ce) || ce.Column != "" || !errors.Is(err, provisioning.ErrMalformed) {
			t.Fatalf("ParseFields: %v, want the column named \"\"", err)
		}
		f := syncfields.Fields{Custom: custom}
		err = f.Validate()
		if !errors.As(err, &ce) || ce.Column != "" || !errors.Is(err, provisioning.ErrMalformed) {
			t.Fatalf("Validate: %v, want the column named \"\"", err)
		}
		delete(f.Custom, "")
		err = f.Validate()
		if !errors.As(err, &ce) || ce.Column != "Badge" {
			t.Fatalf("Validate without it: %v, want Badge", err)
		}
		f.Custom[""] = "7"
	}
}
