package syncfields_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/internal/jsoncheck"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/syncfields"
)

// FuzzParseFields: ParseRecord never panics; it accepts a record only when
// the record validates, and refuses with a *ColumnError naming a column.
func FuzzParseFields(f *testing.F) {
	f.Add("fullname", "Ana Silva", "new_badge", "B-17", true)
	f.Add("Full Name", "x", "", "", false)
	f.Add("internalemailaddress", "\xff", "fullname", "y", false)
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string, edited bool) {
		rec, err := syncfields.ParseFields(map[string]string{k1: v1, k2: v2}, edited)
		if err != nil {
			var ce *syncfields.ColumnError
			if !errors.As(err, &ce) || (ce.Column != k1 && ce.Column != k2) {
				t.Fatalf("error %v names no given column", err)
			}
			return
		}
		if err := rec.Validate(); err != nil {
			t.Fatalf("accepted a record that does not validate: %v", err)
		}
		if rec.EmailEdited != edited {
			t.Fatal("EmailEdited lost")
		}
	})
}

// FuzzSource: Source never panics and accepts only the profile's attribute
// names.
func FuzzSource(f *testing.F) {
	f.Add("givenName", "Ana", true)
	f.Add("sn", "Silva", false)
	f.Add("colour", "teal", true)
	f.Fuzz(func(t *testing.T, name, value string, online bool) {
		p := syncfields.OnPremises()
		if online {
			p = syncfields.Online()
		}
		v, err := p.Source(map[string]string{name: value})
		mapped := false
		for _, r := range p.Rows() {
			if r.Source == name {
				mapped = true
				if err == nil && v.Get(r.Column) != value {
					t.Fatalf("attribute %s landed as %q", name, v.Get(r.Column))
				}
			}
		}
		if !mapped && !errors.Is(err, syncfields.ErrUnmapped) {
			t.Fatalf("unmapped attribute %q: %v", name, err)
		}
	})
}

// FuzzUpdate: Update never panics; a refused update writes nothing; an
// accepted one never overwrites a non-empty or edited primary email or the
// full name.
func FuzzUpdate(f *testing.F) {
	f.Add("ana@contoso.com", "new@contoso.com", "Ana", "", "u-1", "u-1", false)
	f.Add("", "x\xff", "\x00", "B", "u-1", "u-2", true)
	f.Fuzz(func(t *testing.T, oldMail, newMail, fullName, first, recID, dirID string, edited bool) {
		var rec syncfields.Fields
		rec.Columns.Set(syncfields.InternalEmailAddress, oldMail)
		rec.Columns.Set(syncfields.FullName, fullName)
		rec.Columns.Set(syncfields.ObjectID, recID)
		rec.EmailEdited = edited
		var d syncfields.Values
		d.Set(syncfields.InternalEmailAddress, newMail)
		d.Set(syncfields.FullName, strings.ToUpper(fullName)+"!")
		d.Set(syncfields.FirstName, first)
		d.Set(syncfields.ObjectID, dirID)
		got, res, err := syncfields.Online().Update(&rec, &d)
		if err != nil {
			var ce *syncfields.ColumnError
			if !errors.As(err, &ce) || got.Columns != (syncfields.Values{}) || !res.Unchanged() {
				t.Fatalf("refused update: %v, %v", err, got)
			}
			return
		}
		if (oldMail != "" || edited) && got.Columns.Get(syncfields.InternalEmailAddress) != oldMail {
			t.Fatalf("primary email overwritten")
		}
		if got.Columns.Get(syncfields.FullName) != fullName {
			t.Fatalf("full name overwritten")
		}
		if first == "" && got.Columns.Get(syncfields.FirstName) != "#" {
			t.Fatalf("blank first name written as %q", got.Columns.Get(syncfields.FirstName))
		}
	})
}

// FuzzValuesJSON: UnmarshalJSON never panics; it refuses with a
// *ColumnError and leaves the values alone, or reads values that pass
// Validate and write back to JSON that reads the same.
func FuzzValuesJSON(f *testing.F) {
	for _, s := range []string{
		`{"jobtitle":"Buyer","firstname":"Ana"}`, `{"jobtitle":"Buyer","JobTitle":"CEO"}`, "{\"jobtitle\":\"g-\xffsales\"}",
		`{"colour":"teal"}`, `{"fullname":7}`, `[]`, `null`, `{"jobtitle":null}`, `{"mobilephone":"\ud83d\ude00"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v syncfields.Values
		fuzzRead(t, data, &v, new(syncfields.Values), func() error { return v.Validate() })
	})
}

// FuzzFieldsJSON: Fields.UnmarshalJSON never panics; it refuses with a
// *ColumnError and leaves the fields alone, or reads fields that pass
// Validate and write back to JSON that reads the same.
func FuzzFieldsJSON(f *testing.F) {
	for _, s := range []string{
		`{"columns":{"fullname":"Ana Silva"},"emailEdited":true,"custom":{"new_badge":"B-17"}}`,
		`{"columns":{"jobtitle":"a","JobTitle":"b"}}`, `{"custom":{"New Badge":"x"}}`, `{"custom":{"fullname":"x"}}`, `{}`, `{"emailEdited":null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v syncfields.Fields
		fuzzRead(t, data, &v, new(syncfields.Fields), func() error { return v.Validate() })
	})
}

// FuzzColumnSetJSON: ColumnSet.UnmarshalJSON never panics; it refuses
// with a *ColumnError, or reads a set that writes back to JSON that reads
// the same.
func FuzzColumnSetJSON(f *testing.F) {
	for _, s := range []string{`["jobtitle","firstname"]`, `["JOBTITLE","jobtitle"]`, `[]`, `null`, `[null]`, `["colour"]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v syncfields.ColumnSet
		fuzzRead(t, data, &v, new(syncfields.ColumnSet), nil)
	})
}

// FuzzResultJSON: Result.UnmarshalJSON never panics; it refuses with a
// *ColumnError and leaves the result alone, or reads a result that writes
// back to JSON that reads into a result Equal to it. The seeds are the
// JSON of real results of every profile.
func FuzzResultJSON(f *testing.F) {
	d := directory()
	rec, created, _ := syncfields.Online().Create(&d)
	rec.Custom = map[string]string{"new_badge": "B-17"}
	d.Set(syncfields.JobTitle, "Head Buyer")
	d.Set(syncfields.FullName, "Ana Silva-Jones")
	d.Set(syncfields.FirstName, " ")
	_, updated, _ := syncfields.Online().Update(&rec, &d)
	_, onprem, _ := syncfields.OnPremises().Create(&d)
	_, app, _ := syncfields.Application().Create(&d)
	for _, r := range []syncfields.Result{created, updated, onprem, app, {}} {
		data, err := json.Marshal(r)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"profile":"online","kept":[{"name":"x","value":"","rule":"SYNC-CUSTOM"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var v syncfields.Result
		fuzzRead(t, data, &v, new(syncfields.Result), nil)
	})
}

// fuzzRead is jsoncheck.ReadBack for the package: a refusal is a
// *ColumnError.
func fuzzRead[T any, P interface {
	*T
	json.Unmarshaler
}](t *testing.T, data []byte, v P, again P, valid func() error) {
	c := jsoncheck.Checks[T]{
		Refusal: func(err error) error {
			var ce *syncfields.ColumnError
			if !errors.As(err, &ce) {
				return errors.New("not a *ColumnError")
			}
			return nil
		},
		Diff: func(a, b T) string { return cmp.Diff(a, b, emptyMapsEqual) },
	}
	if valid != nil {
		c.Valid = func(*T) error { return valid() }
	}
	jsoncheck.ReadBack(t, data, v, again, c)
}
