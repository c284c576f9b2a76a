package provisioningtest

import (
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/syncfields"
)

// text draws short profile values from a small pool, blank included, so
// that equal and differing values both happen often.
func text() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.SampledFrom([]string{"", "Ana", "Silva", "ana@contoso.com", "Redmond", "#"}),
		rapid.StringMatching(`[A-Za-z0-9 @.+#'-]{0,12}`),
	)
}

// Attributes returns a generator of a directory user's attributes as the
// online profile projects them onto the columns: an object ID from
// ObjectIDs and any other mapped column blank or not.
func Attributes() *rapid.Generator[syncfields.Values] {
	return rapid.Custom(func(t *rapid.T) syncfields.Values {
		var v syncfields.Values
		for _, row := range syncfields.Online().Rows() {
			v[row.Column] = text().Draw(t, row.Column.String())
		}
		v[syncfields.ObjectID] = rapid.SampledFrom(ObjectIDs).Draw(t, "objectID")
		return v
	})
}

// Fields returns a generator of a record's valid field-sync columns: every
// column blank or not (the object ID from ObjectIDs, or blank), the email
// edited or not, and up to three custom columns.
func Fields() *rapid.Generator[syncfields.Fields] {
	return rapid.Custom(func(t *rapid.T) syncfields.Fields {
		var r syncfields.Fields
		for _, c := range syncfields.Columns() {
			r.Columns[c] = text().Draw(t, c.String())
		}
		r.Columns[syncfields.ObjectID] = rapid.SampledFrom(append([]string{""}, ObjectIDs...)).Draw(t, "objectID")
		r.EmailEdited = rapid.Bool().Draw(t, "emailEdited")
		r.Custom = rapid.MapOfN(rapid.StringMatching(`(new|cr5)_[a-z]{1,8}`), text(), 0, 3).Draw(t, "custom")
		return r
	})
}
