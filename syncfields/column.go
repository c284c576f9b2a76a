package syncfields

import (
	"math/bits"
	"strconv"
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

// ColumnCount is one more than the largest Column: a table indexed by
// Column has this length.
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
func Columns() []Column { return enum.All(columnEnd) }

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

// Values holds a text value for each column, blank unless set: a
// directory user's values projected onto the columns, or a record's
// columns. The zero Values is all blank. A Values is a value: a copy is
// independent of the original, and == (or Equal) compares every column.
// It keeps the profile's text in one string, so that it costs 104 bytes
// and at most one allocation however many columns are set: Get allocates
// nothing, Set of the user's identity (ObjectID, DomainName) allocates
// nothing, and Set of another column makes the text anew, so a caller
// that fills many columns at once uses MakeValues. Its values total at
// most 4 GiB.
type Values struct {
	text             string              // the other columns' values in column order, one after another
	end              [packedCount]uint32 // where each of them ends in text
	objectID, domain string              // azureactivedirectoryobjectid, domainname
}

// packed is the position in Values.text of each column but the identity's
// two, which Values holds apart so that setting them costs nothing;
// -1 for those and for no column. packedColumns lists the columns of
// Values.text in order.
var packed, packedColumns = func() (p [columnEnd]int8, cols [packedCount]Column) {
	n := int8(0)
	for c := range columnEnd {
		p[c] = -1
		if c != 0 && c != ObjectID && c != DomainName {
			p[c], cols[n] = n, c
			n++
		}
	}
	return p, cols
}()

// packedCount is how many columns Values.text holds.
const packedCount = int(columnEnd) - 3

// valuesArray is Values spread out, one string per column by Column
// index, for the code that reads or writes many columns at once.
type valuesArray [columnEnd]string

// MakeValues returns the Values whose column c holds value(c), for every
// column, with one allocation: the way to build a directory user's
// attributes or a record's columns column by column.
func MakeValues(value func(c Column) string) Values {
	var a valuesArray
	for c := Column(1); c < columnEnd; c++ {
		a[c] = value(c)
	}
	return a.pack()
}

// pack returns the Values of a with one allocation (none when every
// packed value is blank). Index 0 of a is ignored.
func (a *valuesArray) pack() Values {
	v := Values{objectID: a[ObjectID], domain: a[DomainName]}
	n := 0
	for _, c := range packedColumns {
		n += len(a[c])
	}
	if n == 0 {
		return v
	}
	var b strings.Builder
	b.Grow(n)
	for i, c := range packedColumns {
		b.WriteString(a[c])
		v.end[i] = uint32(b.Len())
	}
	v.text = b.String()
	return v
}

// unpack returns v spread out; it allocates nothing (each value is a
// slice of v's text).
func (v *Values) unpack() valuesArray {
	var a valuesArray
	a[ObjectID], a[DomainName] = v.objectID, v.domain
	start := uint32(0)
	for i, c := range packedColumns {
		a[c] = v.text[start:v.end[i]]
		start = v.end[i]
	}
	return a
}

// Get returns the value of column c; blank for an invalid c.
func (v *Values) Get(c Column) string {
	if c >= columnEnd {
		return ""
	}
	i := packed[c]
	if i < 0 {
		switch c {
		case ObjectID:
			return v.objectID
		case DomainName:
			return v.domain
		}
		return ""
	}
	start := uint32(0)
	if i > 0 {
		start = v.end[i-1]
	}
	return v.text[start:v.end[i]]
}

// Set sets the value of column c to s; an invalid c sets nothing.
func (v *Values) Set(c Column, s string) {
	switch {
	case c == ObjectID:
		v.objectID = s
	case c == DomainName:
		v.domain = s
	case c.IsValid() && v.Get(c) != s:
		a := v.unpack()
		a[c] = s
		*v = a.pack()
	}
}

// Equal reports whether v and o hold the same value in every column, as
// == does; go-cmp uses it.
func (v Values) Equal(o Values) bool { return v == o }

// String writes the columns that are not blank, in column order, as
// logical name and quoted value: {jobtitle:"Buyer" mobilephone:"+1 …"}.
func (v Values) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for c := Column(1); c < columnEnd; c++ {
		if s := v.Get(c); s != "" {
			if b.Len() > 1 {
				b.WriteByte(' ')
			}
			b.WriteString(c.String())
			b.WriteByte(':')
			b.WriteString(strconv.Quote(s))
		}
	}
	b.WriteByte('}')
	return b.String()
}

// IsZero reports whether every column of v is blank.
func (v Values) IsZero() bool { return v == Values{} }

// Validate reports, as a *ColumnError, the first value of v that is not
// valid UTF-8 or holds a NUL byte.
func (v *Values) Validate() error {
	if v == nil {
		return nilArgument(false)
	}
	return v.validate("values")
}

// validate is Validate naming the input what.
func (v *Values) validate(what string) error {
	if validValue(v.text) && validValue(v.objectID) && validValue(v.domain) {
		return nil // the common case: one pass over the packed values at once
	}
	for c := Column(1); c < columnEnd; c++ {
		if s := v.Get(c); !validValue(s) {
			return &ColumnError{What: what, Column: c.String(), Value: s, Err: sentinel.ErrMalformed}
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
