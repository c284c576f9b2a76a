package syncfields

import (
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// Column is a SystemUser column that a profile can map, named in text by
// its Dataverse logical name. The zero Column is invalid.
type Column uint8

// The columns the profiles map.
const (
	DomainName           Column = iota + 1 // domainname: User Name
	FullName                               // fullname: Full Name
	JobTitle                               // jobtitle: Title
	FirstName                              // firstname: First Name
	LastName                               // lastname: Last Name
	InternalEmailAddress                   // internalemailaddress: Primary Email
	Telephone1                             // address1_telephone1: Main Phone
	MobilePhone                            // mobilephone: Mobile Phone
	Street                                 // address1_line1: Street
	City                                   // address1_city: City
	StateOrProvince                        // address1_stateorprovince: State/Province
	PostalCode                             // address1_postalcode: Postal Code
	Country                                // address1_country: Country
	ObjectID                               // azureactivedirectoryobjectid: the join key
	HomePhone                              // homephone: Home Phone (on-premises only)

	columnEnd
)

// ColumnCount is one more than the largest Column, the length of Values.
const ColumnCount = int(columnEnd)

var columnNames = []string{
	DomainName:           "domainname",
	FullName:             "fullname",
	JobTitle:             "jobtitle",
	FirstName:            "firstname",
	LastName:             "lastname",
	InternalEmailAddress: "internalemailaddress",
	Telephone1:           "address1_telephone1",
	MobilePhone:          "mobilephone",
	Street:               "address1_line1",
	City:                 "address1_city",
	StateOrProvince:      "address1_stateorprovince",
	PostalCode:           "address1_postalcode",
	Country:              "address1_country",
	ObjectID:             "azureactivedirectoryobjectid",
	HomePhone:            "homephone",
}

// Columns lists every column, in Column order.
func Columns() []Column {
	out := make([]Column, 0, columnEnd-1)
	for c := Column(1); c < columnEnd; c++ {
		out = append(out, c)
	}
	return out
}

// IsValid reports whether c is one of the columns.
func (c Column) IsValid() bool { return enum.Valid(columnNames, c) }

// String returns the column's logical name, such as "internalemailaddress".
func (c Column) String() string { return enum.Name(columnNames, "Column", c) }

// MarshalText returns the column's logical name. It fails for an invalid
// column.
func (c Column) MarshalText() ([]byte, error) {
	return enum.Marshal(columnNames, "syncfields.Column", c)
}

// UnmarshalText accepts a mapped column's logical name, in any case;
// anything else is an error wrapping sentinel.ErrUnknown and leaves c unchanged.
func (c *Column) UnmarshalText(text []byte) error {
	return enum.Unmarshal(columnNames, "syncfields.Column", text, c)
}

// columnNamed returns the column whose logical name is name, exactly as
// Dataverse writes it (lower case), and whether there is one. It
// allocates nothing, for the validation of every custom column.
func columnNamed(name string) (Column, bool) {
	for c := Column(1); c < columnEnd; c++ {
		if columnNames[c] == name {
			return c, true
		}
	}
	return 0, false
}

// ColumnSet is a set of columns. Its zero value is empty. A bit that is
// no column (as a conversion from a number may set) is not in the set:
// Has, Len and Columns see only columns.
type ColumnSet uint32

// columnBits holds the bit of every column.
const columnBits = ColumnSet(1<<columnEnd-1) &^ 1

// With returns s with c added; a c that is no column adds nothing.
func (s ColumnSet) With(c Column) ColumnSet { return s | 1<<c&columnBits }

// Has reports whether c is in s.
func (s ColumnSet) Has(c Column) bool { return s&columnBits&(1<<c) != 0 }

// Len returns the number of columns in s.
func (s ColumnSet) Len() int { return bits.OnesCount32(uint32(s & columnBits)) }

// Columns returns the columns in s in Column order.
func (s ColumnSet) Columns() []Column {
	out := make([]Column, 0, s.Len())
	for c := Column(1); c < columnEnd; c++ {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// Values holds one string per column, indexed by Column: a directory
// user's values projected onto the columns, or a record's columns. Index
// 0 is unused and must stay empty.
type Values [ColumnCount]string

// Validate reports, as a *ColumnError, the first value of v that is not
// valid UTF-8 or holds a NUL byte, or a value at the unused index 0.
func (v *Values) Validate() error {
	if v == nil {
		return nilArgument(false)
	}
	return v.validate("values")
}

// validate is Validate naming the input what.
func (v *Values) validate(what string) error {
	if v[0] != "" {
		return &ColumnError{What: what, Column: "Values[0]", Value: v[0], Err: errIndexZero}
	}
	for c := Column(1); c < columnEnd; c++ {
		if v[c] != "" && !validValue(v[c]) {
			return &ColumnError{What: what, Column: c.String(), Value: v[c], Err: sentinel.ErrMalformed}
		}
	}
	return nil
}

// validValue reports whether s is valid UTF-8 without a NUL byte. Plain
// ASCII, the common case, is settled in one pass, printable words of it
// eight bytes at a time.
func validValue(s string) bool {
	for i := ident.PrintableASCII(s); i < len(s); i++ {
		if c := s[i]; c == 0 {
			return false
		} else if c >= utf8.RuneSelf {
			return utf8.ValidString(s[i:]) && strings.IndexByte(s[i:], 0) < 0
		}
	}
	return true
}
