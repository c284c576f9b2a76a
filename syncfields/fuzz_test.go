package syncfields_test

import (
	"errors"
	"strings"
	"testing"

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
				if err == nil && v[r.Column] != value {
					t.Fatalf("attribute %s landed as %q", name, v[r.Column])
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
		rec.Columns[syncfields.InternalEmailAddress] = oldMail
		rec.Columns[syncfields.FullName] = fullName
		rec.Columns[syncfields.ObjectID] = recID
		rec.EmailEdited = edited
		var d syncfields.Values
		d[syncfields.InternalEmailAddress] = newMail
		d[syncfields.FullName] = strings.ToUpper(fullName) + "!"
		d[syncfields.FirstName] = first
		d[syncfields.ObjectID] = dirID
		got, res, err := syncfields.Online().Update(&rec, &d)
		if err != nil {
			var ce *syncfields.ColumnError
			if !errors.As(err, &ce) || got.Columns != (syncfields.Values{}) || !res.Unchanged() {
				t.Fatalf("refused update: %v, %v", err, got)
			}
			return
		}
		if (oldMail != "" || edited) && got.Columns[syncfields.InternalEmailAddress] != oldMail {
			t.Fatalf("primary email overwritten")
		}
		if got.Columns[syncfields.FullName] != fullName {
			t.Fatalf("full name overwritten")
		}
		if first == "" && got.Columns[syncfields.FirstName] != "#" {
			t.Fatalf("blank first name written as %q", got.Columns[syncfields.FirstName])
		}
	})
}

// FuzzValuesJSON: UnmarshalJSON never panics; what it accepts writes back
// to the same values.
func FuzzValuesJSON(f *testing.F) {
	f.Add(`{"jobtitle":"Buyer","firstname":"Ana"}`)
	f.Add(`{"colour":"teal"}`)
	f.Add(`{"fullname":7}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, data string) {
		var v syncfields.Values
		if err := v.UnmarshalJSON([]byte(data)); err != nil {
			if v != (syncfields.Values{}) {
				t.Fatalf("failed UnmarshalJSON changed the values")
			}
			return
		}
		out, err := v.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var back syncfields.Values
		if err := back.UnmarshalJSON(out); err != nil || back != v {
			t.Fatalf("round trip: %v, %v", back, err)
		}
	})
}
