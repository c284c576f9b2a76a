package syncfields

import (
	"unicode/utf8"

	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// Fields are the part of a SystemUser record that the field sync reads and
// writes: the mapped columns, whether the customer edited the primary
// email, and the custom columns the sync never touches.
type Fields struct {
	// Columns are the mapped columns, by Column.
	Columns Values `json:"columns,omitzero"`
	// EmailEdited reports that the customer has edited Primary Email
	// (internalemailaddress), even to blank; the sync then never writes it
	// (SYNC-EMAIL).
	EmailEdited bool `json:"emailEdited,omitempty"`
	// Custom holds every other column, by logical name. The sync never
	// reads or writes it (SYNC-CUSTOM); an updated record shares the map
	// of the record it came from.
	Custom map[string]string `json:"custom,omitempty"`
}

// maxNameLen bounds a logical name; Dataverse's are far shorter.
const maxNameLen = 128

// validName reports whether name is a Dataverse logical name: lower-case
// ASCII letters, digits and underscores, starting with a letter.
func validName(name string) bool {
	if name == "" || len(name) > maxNameLen || name[0] < 'a' || name[0] > 'z' {
		return false
	}
	for i := 1; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// ParseFields reads a record's fields from its columns keyed by logical
// name, as a Dataverse row holds them: a mapped column goes to Columns, any
// other logical name to Custom. A name that is not a logical name (empty,
// upper-case, with spaces or punctuation), or a value that is not valid
// UTF-8, is a *ColumnError naming the column; of several, the first in
// name order.
func ParseFields(columns map[string]string, emailEdited bool) (Fields, error) {
	var bad *ColumnError
	for name, value := range columns {
		if (!validName(name) || !utf8.ValidString(value)) && (bad == nil || name < bad.Column) {
			bad = &ColumnError{What: "record", Column: name, Value: value, Err: sentinel.ErrMalformed}
		}
	}
	if bad != nil {
		return Fields{}, bad
	}
	r := Fields{EmailEdited: emailEdited}
	var mapped valuesArray
	for name, value := range columns {
		if c, ok := columnNamed(name); ok {
			mapped[c] = value
			continue
		}
		if r.Custom == nil {
			r.Custom = make(map[string]string)
		}
		r.Custom[name] = value
	}
	r.Columns = mapped.pack()
	if err := r.Validate(); err != nil {
		return Fields{}, err
	}
	return r, nil
}

// Validate reports the first malformed part of r as a *ColumnError: a
// column value that is not valid UTF-8 or holds a NUL, a custom column
// whose name is not a logical name, or a custom column named like a
// mapped one. Mapped columns come first, in column order, then custom
// ones in name order: the error never depends on the map's order.
func (r *Fields) Validate() error {
	if r == nil {
		return nilArgument(true)
	}
	if err := r.Columns.validate("record"); err != nil {
		return err
	}
	var bad *ColumnError
	for name, value := range r.Custom {
		if bad != nil && name > bad.Column {
			continue
		}
		switch _, mapped := columnNamed(name); {
		case !validName(name) || !utf8.ValidString(value):
			bad = &ColumnError{What: "record", Column: name, Value: value, Err: sentinel.ErrMalformed}
		case mapped:
			bad = &ColumnError{What: "record", Column: name, Value: value, Err: sentinel.ErrDuplicate}
		}
	}
	if bad != nil {
		return bad
	}
	return nil
}

// Map returns the record's columns keyed by logical name: the non-blank
// mapped columns and every custom column.
func (r *Fields) Map() map[string]string {
	m := make(map[string]string, len(r.Custom)+ColumnCount)
	for name, value := range r.Custom {
		m[name] = value
	}
	cols := r.Columns.unpack()
	for c := Column(1); c < columnEnd; c++ {
		if cols[c] != "" {
			m[c.String()] = cols[c]
		}
	}
	return m
}
