package syncfields_test

import (
	"errors"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// Of several malformed columns, ParseFields names the first in name
// order, whether the name or the value is what is wrong.
func TestParseFieldsNamesTheFirstInNameOrder(t *testing.T) {
	for _, c := range []struct {
		columns map[string]string
		want    string
	}{
		{map[string]string{"Bad Name": "x", "city": "\xff"}, "Bad Name"},
		{map[string]string{"address1_city": "\xff", "jobtitle": "\xfe", "new_x": "\xfd"}, "address1_city"},
		{map[string]string{"new_x": "ok", "Z": "ok"}, "Z"},
	} {
		_, err := syncfields.ParseFields(c.columns, false)
		var ce *syncfields.ColumnError
		if !errors.As(err, &ce) || ce.Column != c.want || !errors.Is(err, provisioning.ErrMalformed) {
			t.Errorf("ParseFields(%q) = %v; want a malformed %s", c.columns, err, c.want)
		}
	}
}

// Validate of values names the column whose value is malformed.
func TestValuesValidateNamesTheColumn(t *testing.T) {
	for _, c := range syncfields.Columns() {
		var v syncfields.Values
		v.Set(syncfields.FirstName, "Ana")
		v.Set(c, "a\x00b")
		var ce *syncfields.ColumnError
		if err := v.Validate(); !errors.As(err, &ce) || ce.Column != c.String() || ce.Value != "a\x00b" {
			t.Errorf("a NUL in %s: Validate = %v", c, err)
		}
	}
}

// UpdateInto refuses a nil argument naming it: the record's fields, or
// the directory's values.
func TestUpdateIntoNilArguments(t *testing.T) {
	var f syncfields.Fields
	var res syncfields.Result
	var dir syncfields.Values
	for _, c := range []struct {
		name         string
		dst, rec     *syncfields.Fields
		res          *syncfields.Result
		dir          *syncfields.Values
		what, column string
	}{
		{"no record", &f, nil, &res, &dir, "record", "*Fields"},
		{"no destination", nil, &f, &res, &dir, "record", "*Fields"},
		{"no directory values", &f, &f, &res, nil, "directory", "*Values"},
	} {
		err := syncfields.Online().UpdateInto(c.dst, c.res, c.rec, c.dir)
		var ce *syncfields.ColumnError
		if !errors.As(err, &ce) || ce.What != c.what || ce.Column != c.column || !errors.Is(err, provisioning.ErrMissing) {
			t.Errorf("%s: %v; want %s %s missing", c.name, err, c.what, c.column)
		}
	}
}
