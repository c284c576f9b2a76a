package syncfields_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/syncfields"
)

// drawResult draws a Result of any profile, of a create or an update, of
// directory values whose first name is now and then blank, white space or
// "#" itself, so that the "#" of SYNC-FIRSTNAME is written and told apart
// from a "#" the directory holds.
func drawResult(t *rapid.T) syncfields.Result {
	rec, dirs := drawSyncs(t)
	d := dirs[0]
	d.Set(syncfields.FirstName, rapid.SampledFrom([]string{"", " \t", "#", "Ana", d.Get(syncfields.FirstName)}).Draw(t, "first name"))
	d.Set(syncfields.HomePhone, rapid.SampledFrom([]string{"", "+1 425 555 0199"}).Draw(t, "home phone"))
	p := rapid.SampledFrom(syncfields.Profiles()).Draw(t, "profile")
	if rapid.Bool().Draw(t, "create") {
		_, res, err := p.Create(&d)
		if err != nil {
			t.Fatalf("Create: %v", err)
		}
		return res
	}
	_, res := update(t, p, rec, d)
	return res
}

// Every Result, of every profile, reads back from its JSON into one that
// Equal holds the same, and writes the same JSON again.
func TestResultJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		res := drawResult(t)
		data, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		var back syncfields.Result
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if diff := cmp.Diff(res, back); diff != "" {
			t.Fatalf("%s: mismatch (-want +got):\n%s", data, diff)
		}
		if again, _ := json.Marshal(back); string(again) != string(data) {
			t.Fatalf("written again as %s, first as %s", again, data)
		}
	})
	// No sync at all: a result that names no profile, and reads back.
	data, err := json.Marshal(syncfields.Result{})
	var back syncfields.Result
	if err != nil || json.Unmarshal(data, &back) != nil || !back.Equal(syncfields.Result{}) {
		t.Errorf("the zero Result as %s (%v) reads back as %+v", data, err, back)
	}
}

// Equal tells results apart by everything their methods say.
func TestResultEqual(t *testing.T) {
	d := directory()
	_, created, _ := syncfields.Online().Create(&d)
	rec := created
	if !created.Equal(rec) || created.Equal(syncfields.Result{}) {
		t.Error("Equal does not hold a result equal to itself alone")
	}
	f, _, _ := syncfields.Online().Create(&d)
	d.Set(syncfields.JobTitle, "Head Buyer")
	_, a, _ := syncfields.Online().Update(&f, &d)
	d.Set(syncfields.JobTitle, "Chief Buyer")
	_, b, _ := syncfields.Online().Update(&f, &d)
	_, c, _ := syncfields.OnPremises().Update(&f, &d)
	if a.Equal(b) || b.Equal(c) || !a.Equal(a) {
		t.Error("Equal holds results of other values or profiles the same")
	}
}

// Values, Fields and ColumnSet read back from their JSON into equal
// values.
func TestValuesFieldsColumnSetJSONRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		attrs := provisioningtest.Attributes().Draw(t, "attributes")
		fields := provisioningtest.Fields().Draw(t, "fields")
		set := syncfields.ColumnSet(rapid.Uint32().Draw(t, "set"))
		for _, c := range []struct {
			in  any
			out any
		}{{attrs, new(syncfields.Values)}, {fields.Columns, new(syncfields.Values)}, {fields, new(syncfields.Fields)}, {set, new(syncfields.ColumnSet)}} {
			data, err := json.Marshal(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, c.out); err != nil {
				t.Fatalf("%s: %v", data, err)
			}
			want := c.in
			if s, ok := want.(syncfields.ColumnSet); ok {
				want = syncfields.ColumnSet(0)
				for _, col := range s.Columns() {
					want = want.(syncfields.ColumnSet).With(col)
				}
			}
			if diff := cmp.Diff(want, deref(c.out), emptyMapsEqual); diff != "" {
				t.Fatalf("%s: mismatch (-want +got):\n%s", data, diff)
			}
		}
	})
}

// emptyMapsEqual holds a nil and an empty map of custom columns the same:
// JSON writes neither.
var emptyMapsEqual = cmp.FilterValues(func(a, b map[string]string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Comparer(func(_, _ map[string]string) bool { return true }))

func deref(v any) any {
	switch v := v.(type) {
	case *syncfields.Values:
		return *v
	case *syncfields.Fields:
		return *v
	case *syncfields.ColumnSet:
		return *v
	}
	return v
}

// The cases and every other mistake a reader of Values must not
// let through: each is a *ColumnError naming the key, with the sentinel
// that says what is wrong, and the values read are unchanged.
func TestValuesJSONRefuses(t *testing.T) {
	for _, c := range []struct {
		name, in string
		err      error
		column   string
		says     string
	}{
		{"keys that differ only in case", `{"jobtitle":"Buyer","JobTitle":"CEO"}`, provisioning.ErrDuplicate, "JobTitle", `"JobTitle" and "jobtitle" differ only in case`},
		{"the same, the other way round", `{"JobTitle":"CEO","jobtitle":"Buyer"}`, provisioning.ErrDuplicate, "JobTitle", "differ only in case"},
		{"a key in another case", `{"JobTitle":"CEO"}`, provisioning.ErrUnknown, "JobTitle", `logical names are lower-case: "jobtitle", not "JobTitle"`},
		{"a key twice", `{"jobtitle":"Buyer","jobtitle":"CEO"}`, provisioning.ErrDuplicate, "jobtitle", `the key "jobtitle" is given twice`},
		{"an unknown key, the first of two", `{"colour":"teal","Fullname":"x"}`, provisioning.ErrUnknown, "colour", "is not the logical name of a mapped column"},
		{"invalid UTF-8", "{\"jobtitle\":\"g-\xffsales\"}", provisioning.ErrMalformed, "", "not valid UTF-8 at byte 15"},
		{"another invalid UTF-8", "{\"jobtitle\":\"g-\xfesales\"}", provisioning.ErrMalformed, "", "not valid UTF-8 at byte 15"},
		{"a lone surrogate", `{"jobtitle":"g-\ud800sales"}`, provisioning.ErrMalformed, "", "half of a UTF-16 surrogate pair"},
		{"a number", `{"fullname":7}`, provisioning.ErrMalformed, "fullname", "a JSON number where a string belongs"},
		{"a NUL", `{"address1_city":"a\u0000b"}`, provisioning.ErrMalformed, "address1_city", "NUL"},
		{"a list", `["jobtitle"]`, provisioning.ErrMalformed, "", "a JSON list where an object belongs"},
		{"data after it", `{} {}`, provisioning.ErrMalformed, "", "data after the end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := directory()
			err := v.UnmarshalJSON([]byte(c.in))
			var ce *syncfields.ColumnError
			if !errors.As(err, &ce) || ce.What != "values" || ce.Column != c.column || !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("UnmarshalJSON = %#v (%v), want a *ColumnError of column %q wrapping %v saying %q", err, err, c.column, c.err, c.says)
			}
			if v != directory() {
				t.Error("a refused read changed the values")
			}
		})
	}
	var v syncfields.Values
	if err := v.UnmarshalJSON([]byte(`{"jobtitle":null,"fullname":""}`)); err != nil || v != (syncfields.Values{}) {
		t.Errorf("null and the empty string are blank: %v, %v", v, err)
	}
	v = directory()
	if err := v.UnmarshalJSON([]byte(`null`)); err != nil || v != (syncfields.Values{}) {
		t.Errorf("null is blank values: %v, %v", v, err)
	}
}

// A reader of Fields, Result and ColumnSet names the JSON path of a
// mistake within what it reads.
func TestFieldsResultColumnSetJSONRefuse(t *testing.T) {
	online := `"profile":"online"`
	for _, c := range []struct {
		name, in string
		into     json.Unmarshaler
		err      error
		column   string
		says     string
	}{
		{"fields: keys of a column in two cases", `{"columns":{"jobtitle":"a","JobTitle":"b"}}`, new(syncfields.Fields), provisioning.ErrDuplicate, "columns[JobTitle]", "differ only in case"},
		{"fields: an unknown field", `{"columns":{},"Custom":{}}`, new(syncfields.Fields), provisioning.ErrUnknown, "Custom", `did you mean "custom"?`},
		{"fields: a custom name that is none", `{"custom":{"new_badge":"1","New Badge":"2"}}`, new(syncfields.Fields), provisioning.ErrMalformed, "custom[New Badge]", ""},
		{"fields: a custom column named like a mapped one", `{"custom":{"fullname":"x"}}`, new(syncfields.Fields), provisioning.ErrDuplicate, "custom[fullname]", ""},
		{"fields: a custom key twice", `{"custom":{"a":"1","a":"2"}}`, new(syncfields.Fields), provisioning.ErrDuplicate, "custom[a]", "given twice"},
		{"fields: a null custom value", `{"custom":{"a":null}}`, new(syncfields.Fields), provisioning.ErrMissing, "custom[a]", "null where a value is required"},
		{"set: a column twice", `["jobtitle","JOBTITLE"]`, new(syncfields.ColumnSet), provisioning.ErrDuplicate, "[1]", "listed twice"},
		{"set: an unknown column", `["jobtitle","colour"]`, new(syncfields.ColumnSet), provisioning.ErrUnknown, "[1]", `unknown column "colour"; want one of domainname,`},
		{"set: null in it", `[null]`, new(syncfields.ColumnSet), provisioning.ErrMissing, "[0]", "null where a value is required; want one of domainname,"},
		{"result: no profile", `{"created":true}`, new(syncfields.Result), provisioning.ErrMissing, "profile", "names its profile"},
		{"result: an unknown profile", `{"profile":"cloud"}`, new(syncfields.Result), provisioning.ErrUnknown, "profile", "want one of online, on-premises, application"},
		{"result: a column the profile does not map", `{` + online + `,"changes":[{"column":"homephone","label":"Home Phone","old":"","new":"1","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrUnknown, "changes[0].column", "profile online does not map column homephone"},
		{"result: another label", `{` + online + `,"changes":[{"column":"jobtitle","label":"Job","old":"","new":"1","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "changes[0].label", `the label of jobtitle is "Title"`},
		{"result: another rule", `{` + online + `,"changes":[{"column":"jobtitle","label":"Title","old":"","new":"1","rule":"SYNC-EMAIL"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "changes[0].rule", "writes jobtitle by SYNC-ALWAYS"},
		{"result: a rule that names no rule", `{` + online + `,"changes":[{"column":"jobtitle","label":"Title","old":"","new":"1","rule":"SYNC-GOLD"}]}`, new(syncfields.Result), provisioning.ErrUnknown, "changes[0].rule", "want one of SYNC-ALWAYS,"},
		{"result: a column twice", `{` + online + `,"changes":[{"column":"jobtitle","label":"Title","old":"","new":"1","rule":"SYNC-ALWAYS"},{"column":"jobtitle","label":"Title","old":"","new":"2","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrDuplicate, "changes[1].column", "listed twice"},
		{"result: a blank first name not written as #", `{` + online + `,"changes":[{"column":"firstname","label":"First Name","old":"Ana","new":" ","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "changes[0].new", `a blank firstname is written as "#"`},
		{"result: # by SYNC-FIRSTNAME of something else", `{` + online + `,"changes":[{"column":"firstname","label":"First Name","old":"Ana","new":"Bo","rule":"SYNC-FIRSTNAME"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "changes[0].new", `written as "#"`},
		{"result: a change that changes nothing", `{` + online + `,"changes":[{"column":"jobtitle","label":"Title","old":"a","new":"a","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "changes[0].new", "differs from the value before"},
		{"result: a value before a create", `{` + online + `,"created":true,"changes":[{"column":"jobtitle","label":"Title","old":"a","new":"b","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "changes[0].old", "no value before"},
		{"result: a create that keeps", `{` + online + `,"created":true,"kept":[{"column":"fullname","name":"fullname","label":"Full Name","value":"a","directory":"b","rule":"SYNC-FULLNAME"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "kept[0]", "a create keeps no column"},
		{"result: a column always written, kept", `{` + online + `,"kept":[{"column":"jobtitle","name":"jobtitle","label":"Title","value":"a","directory":"b","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "kept[0].column", "always writes jobtitle"},
		{"result: a kept column of another name", `{` + online + `,"kept":[{"column":"fullname","name":"jobtitle","label":"Full Name","value":"a","directory":"b","rule":"SYNC-FULLNAME"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "kept[0].name", ""},
		{"result: a custom column named like a mapped one", `{` + online + `,"kept":[{"name":"fullname","value":"a","rule":"SYNC-CUSTOM"}]}`, new(syncfields.Result), provisioning.ErrDuplicate, "kept[0].name", ""},
		{"result: a custom column kept by another rule", `{` + online + `,"kept":[{"name":"new_badge","value":"a","rule":"SYNC-EMAIL"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "kept[0].rule", "kept by SYNC-CUSTOM"},
		{"result: a custom column twice", `{` + online + `,"kept":[{"name":"new_badge","value":"a","rule":"SYNC-CUSTOM"},{"name":"new_badge","value":"b","rule":"SYNC-CUSTOM"}]}`, new(syncfields.Result), provisioning.ErrDuplicate, "kept[1].name", "listed twice"},
		{"result: a NUL", `{` + online + `,"changes":[{"column":"jobtitle","label":"Title","old":"","new":"a\u0000","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "changes[0].new", "NUL"},
		{"result: a NUL in a kept value", `{` + online + `,"kept":[{"column":"fullname","name":"fullname","label":"Full Name","value":"a\u0000","directory":"b","rule":"SYNC-FULLNAME"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "kept[0].value", "NUL"},
		{"result: a NUL in a kept column's directory value", `{` + online + `,"kept":[{"column":"fullname","name":"fullname","label":"Full Name","value":"a","directory":"b\u0000","rule":"SYNC-FULLNAME"}]}`, new(syncfields.Result), provisioning.ErrMalformed, "kept[0].directory", "NUL"},
		{"result: a field left out", `{` + online + `,"changes":[{"column":"jobtitle","label":"Title","new":"a","rule":"SYNC-ALWAYS"}]}`, new(syncfields.Result), provisioning.ErrMissing, "changes[0].old", `the required field "old" is missing`},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.into.UnmarshalJSON([]byte(c.in))
			var ce *syncfields.ColumnError
			if !errors.As(err, &ce) || ce.Column != c.column || !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("UnmarshalJSON = %v, want a *ColumnError of column %q wrapping %v saying %q", err, c.column, c.err, c.says)
			}
		})
	}
}

// Fields.Validate reports the first malformed custom column by name,
// whatever the map's order.
func TestFieldsValidateIsDeterministic(t *testing.T) {
	f := syncfields.Fields{Custom: map[string]string{"z bad": "", "b bad": "", "a_good": "", "c bad": "", "fullname": ""}}
	for range 20 {
		var ce *syncfields.ColumnError
		if err := f.Validate(); !errors.As(err, &ce) || ce.Column != "b bad" {
			t.Fatalf("Validate = %v, want the error of %q", err, "b bad")
		}
	}
}
