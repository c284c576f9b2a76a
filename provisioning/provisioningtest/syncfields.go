package provisioningtest

import (
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/syncfields"
)

// text draws short profile values from a small pool, blank included, so
// that equal and differing values both happen often.
func text() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.SampledFrom([]string{"", "Ana", "Silva", "ana@contoso.com", "Redmond", "#", "Zoë"}),
		rapid.StringMatching(`[A-Za-z0-9 @.+#'-]{0,12}`),
	)
}

// attributes returns a generator of the columns the online profile maps,
// each blank or not, the identity columns (object ID and domain name)
// left blank.
func attributes() *rapid.Generator[syncfields.Values] {
	return rapid.Custom(func(t *rapid.T) syncfields.Values {
		var v syncfields.Values
		for _, row := range syncfields.Online().Rows() {
			if row.Column != syncfields.ObjectID && row.Column != syncfields.DomainName {
				v.Set(row.Column, text().Draw(t, row.Column.String()))
			}
		}
		return v
	})
}

// Attributes returns a generator of a directory user's profile
// attributes as provisioning.User.Attributes holds them: every mapped
// column of the online profile blank or not, but the object ID and the
// UPN, which a user carries as its ObjectID and UPN (User.Validate
// refuses Attributes holding either). A test of syncfields.Profile.Sync
// on its own sets those two columns as the sync of a user does.
func Attributes() *rapid.Generator[syncfields.Values] { return attributes() }

// Fields returns a generator of a record's valid field-sync columns: every
// column blank or not (the object ID one of Default().ObjectIDs, or
// blank), the email edited or not, and up to three custom columns.
func Fields() *rapid.Generator[syncfields.Fields] {
	return rapid.Custom(func(t *rapid.T) syncfields.Fields {
		r := fields().Draw(t, "fields")
		r.Columns.Set(syncfields.ObjectID, rapid.SampledFrom(append([]string{""}, Default().ObjectIDs()...)).Draw(t, "objectID"))
		return r
	})
}

// fields returns a generator of a record's field-sync columns, every
// column but the object ID blank or not, the email edited or not, and up
// to three custom columns (none is an empty map, as a decoded record has
// it).
func fields() *rapid.Generator[syncfields.Fields] {
	return rapid.Custom(func(t *rapid.T) syncfields.Fields {
		var r syncfields.Fields
		for _, c := range syncfields.Columns() {
			if c != syncfields.ObjectID {
				r.Columns.Set(c, text().Draw(t, c.String()))
			}
		}
		r.EmailEdited = rapid.Bool().Draw(t, "emailEdited")
		if custom := rapid.MapOfN(rapid.StringMatching(`(new|cr5)_[a-z]{1,8}`), text(), 0, 3).Draw(t, "custom"); len(custom) > 0 {
			r.Custom = custom
		}
		return r
	})
}
