package syncfields

import (
	"strings"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// Policy says when the sync writes a column. The zero Policy is invalid.
type Policy uint8

// The policies.
const (
	// Always: written from the directory on every sync (SYNC-ALWAYS).
	Always Policy = iota + 1
	// OnCreate: written when the record is created, never after
	// (SYNC-FULLNAME online; every column on-premises, SYNC-ONPREM).
	OnCreate
	// NeverOverwrite: written when the record is created; afterwards
	// written only into a column that is still blank and that the customer
	// has not edited (SYNC-EMAIL).
	NeverOverwrite
)

var policyNames = []string{Always: "always", OnCreate: "on-create", NeverOverwrite: "never-overwrite"}

// IsValid reports whether p is one of the policies.
func (p Policy) IsValid() bool { return enum.Valid(policyNames, p) }

// String returns the policy's name, such as "on-create".
func (p Policy) String() string { return enum.Name(policyNames, "Policy", p) }

// MarshalText returns the policy's name. It fails for an invalid policy.
func (p Policy) MarshalText() ([]byte, error) {
	return enum.Marshal(policyNames, "syncfields.Policy", p)
}

// UnmarshalText accepts a policy's name in any case; anything else is an
// error wrapping sentinel.ErrUnknown and leaves p unchanged.
func (p *Policy) UnmarshalText(text []byte) error {
	return enum.Unmarshal(policyNames, "syncfields.Policy", text, p)
}

// Policies lists every policy.
func Policies() []Policy { return []Policy{Always, OnCreate, NeverOverwrite} }

// Row maps one SystemUser column to its directory attribute.
type Row struct {
	// Label is the column's label on the user form, such as "Primary Email".
	Label string
	// Column is the SystemUser column.
	Column Column
	// Source is the directory attribute: the Microsoft Graph property name
	// online, the AD DS attribute on-premises. It is empty for a column
	// whose value is IfBlank whatever the directory says: an application
	// user's first name, which a service principal does not carry
	// (SYNC-APPLICATION).
	Source string
	// Policy says when the sync writes the column.
	Policy Policy
	// Rule is the rule that the policy carries out for this column.
	Rule Rule
	// IfBlank, when not empty, is written instead of a blank source value,
	// blank meaning empty or white space only ("#" for the first name,
	// SYNC-FIRSTNAME).
	IfBlank string
}

// Profile is a field mapping: the rows of one directory into SystemUser.
// The two profiles are Online and OnPremises; their rows cannot be changed.
type Profile struct {
	name string
	rows []Row
	// byColumn[c] is the index in rows of column c's row, or -1.
	byColumn [ColumnCount]int8
}

func newProfile(name string, rows []Row) *Profile {
	p := &Profile{name: name, rows: rows}
	for i := range p.byColumn {
		p.byColumn[i] = -1
	}
	for i, r := range rows {
		p.byColumn[r.Column] = int8(i)
	}
	return p
}

// Name returns the profile's name: "online" or "on-premises".
func (p *Profile) Name() string { return p.name }

// Rows returns a copy of the profile's rows, in user-form order.
func (p *Profile) Rows() []Row { return append([]Row(nil), p.rows...) }

// Row returns the row of column c, and whether the profile maps c.
func (p *Profile) Row(c Column) (Row, bool) {
	if !c.IsValid() || p.byColumn[c] < 0 {
		return Row{}, false
	}
	return p.rows[p.byColumn[c]], true
}

// Online returns the mapping from Microsoft Entra ID (Microsoft Graph
// user properties), kept in sync continuously. It is the same profile on
// every call.
func Online() *Profile { return online }

var online = newProfile("online", []Row{
	{Label: "User Name", Column: DomainName, Source: "userPrincipalName", Policy: Always, Rule: RuleAlways},
	{Label: "Full Name", Column: FullName, Source: "displayName", Policy: OnCreate, Rule: RuleFullName},
	{Label: "Title", Column: JobTitle, Source: "jobTitle", Policy: Always, Rule: RuleAlways},
	{Label: "First Name", Column: FirstName, Source: "givenName", Policy: Always, Rule: RuleAlways, IfBlank: "#"},
	{Label: "Last Name", Column: LastName, Source: "surname", Policy: Always, Rule: RuleAlways},
	{Label: "Primary Email", Column: InternalEmailAddress, Source: "mail", Policy: NeverOverwrite, Rule: RuleEmail},
	{Label: "Main Phone", Column: Telephone1, Source: "businessPhones[0]", Policy: Always, Rule: RuleAlways},
	{Label: "Mobile Phone", Column: MobilePhone, Source: "mobilePhone", Policy: Always, Rule: RuleAlways},
	{Label: "Street", Column: Street, Source: "streetAddress", Policy: Always, Rule: RuleAlways},
	{Label: "City", Column: City, Source: "city", Policy: Always, Rule: RuleAlways},
	{Label: "State/Province", Column: StateOrProvince, Source: "state", Policy: Always, Rule: RuleAlways},
	{Label: "Postal Code", Column: PostalCode, Source: "postalCode", Policy: Always, Rule: RuleAlways},
	{Label: "Country", Column: Country, Source: "country", Policy: Always, Rule: RuleAlways},
	{Label: "(object ID)", Column: ObjectID, Source: "id", Policy: Always, Rule: RuleAlways},
})

// OnPremises returns the mapping from Active Directory Domain Services
// into Dynamics 365 Customer Engagement (on-premises): the record is
// filled when it is created and never synchronized after (SYNC-ONPREM).
// "User logon name" is read as userPrincipalName, the attribute the AD
// users tool shows under that label. It is the same profile on every call.
func OnPremises() *Profile { return onPremises }

var onPremises = newProfile("on-premises", []Row{
	{Label: "User Name", Column: DomainName, Source: "userPrincipalName", Policy: OnCreate, Rule: RuleOnPremises},
	{Label: "First Name", Column: FirstName, Source: "givenName", Policy: OnCreate, Rule: RuleOnPremises, IfBlank: "#"},
	{Label: "Last Name", Column: LastName, Source: "sn", Policy: OnCreate, Rule: RuleOnPremises},
	{Label: "Main Phone", Column: Telephone1, Source: "telephoneNumber", Policy: OnCreate, Rule: RuleOnPremises},
	{Label: "Primary Email", Column: InternalEmailAddress, Source: "mail", Policy: OnCreate, Rule: RuleOnPremises},
	{Label: "City", Column: City, Source: "l", Policy: OnCreate, Rule: RuleOnPremises},
	{Label: "State/Province", Column: StateOrProvince, Source: "st", Policy: OnCreate, Rule: RuleOnPremises},
	{Label: "Home Phone", Column: HomePhone, Source: "homePhone", Policy: OnCreate, Rule: RuleOnPremises},
})

// Application returns the mapping of an application user's record from
// its service principal (SYNC-APPLICATION). A service principal carries
// none of a user's profile attributes: the record is created with "#" as
// first name and the application's display name as last name, and after
// that the sync writes none of its profile columns, since their source is
// not there to be read (invariant 13). The directory values of a service
// principal hold its display name under LastName and its object ID; any
// other value they hold is not read. It is the same profile on every call.
func Application() *Profile { return application }

var application = newProfile("application", []Row{
	{Label: "First Name", Column: FirstName, Source: "", Policy: OnCreate, Rule: RuleApplication, IfBlank: "#"},
	{Label: "Last Name", Column: LastName, Source: "displayName", Policy: OnCreate, Rule: RuleApplication},
	{Label: "(object ID)", Column: ObjectID, Source: "id", Policy: Always, Rule: RuleAlways},
})

// Profiles returns the three profiles: Online, OnPremises and
// Application.
func Profiles() []*Profile { return []*Profile{online, onPremises, application} }

// Source projects directory attributes, keyed by the profile's source
// attribute names (such as "givenName" or "businessPhones[0]" online),
// onto the columns. An attribute the profile does not map is an error
// naming it (the first such name in byte order, whatever the map's
// order); an attribute left out is blank.
func (p *Profile) Source(attrs map[string]string) (Values, error) {
	var a valuesArray
	var bad *ColumnError
	for name, value := range attrs {
		i := p.rowOfSource(name)
		if i < 0 {
			if bad == nil || name < bad.Column {
				bad = &ColumnError{What: "attributes", Column: name, Value: value, Err: ErrUnmapped}
			}
			continue
		}
		a[p.rows[i].Column] = value
	}
	if bad != nil {
		return Values{}, bad
	}
	v := a.pack()
	if err := v.validate("attributes"); err != nil {
		return Values{}, err
	}
	return v, nil
}

func (p *Profile) rowOfSource(name string) int {
	for i, r := range p.rows {
		if r.Source != "" && r.Source == name {
			return i
		}
	}
	return -1
}

// SourceGraph projects a directory object as encoding/json decodes it into
// a map (a Microsoft Graph user, say) onto the columns. A value is a
// string, or nil for blank; an attribute that the profile reads as the
// first element of a list, such as "businessPhones[0]", is taken from the
// list itself ("businessPhones", a []any or []string as Graph returns it;
// an empty list is blank). Properties the profile does not map, such as
// accountEnabled, are ignored, so that a whole Graph object can be passed.
// A mapped property of another type is a *ColumnError naming it.
func (p *Profile) SourceGraph(object map[string]any) (Values, error) {
	var a valuesArray
	for i := range p.rows {
		row := &p.rows[i]
		if row.Source == "" {
			continue // written from IfBlank alone
		}
		name, first := strings.CutSuffix(row.Source, "[0]")
		raw, ok := object[name]
		if !ok || raw == nil {
			continue
		}
		s, ok := raw.(string)
		if first {
			s, ok = firstString(raw)
		}
		if !ok {
			return Values{}, &ColumnError{What: "attributes", Column: name, Value: typeName(raw), Err: sentinel.ErrMalformed}
		}
		a[row.Column] = s
	}
	v := a.pack()
	if err := v.validate("attributes"); err != nil {
		return Values{}, err
	}
	return v, nil
}

// firstString returns the first element of a list of strings, "" for an
// empty list, and false for anything else.
func firstString(raw any) (string, bool) {
	switch list := raw.(type) {
	case []string:
		if len(list) == 0 {
			return "", true
		}
		return list[0], true
	case []any:
		if len(list) == 0 {
			return "", true
		}
		s, ok := list[0].(string)
		return s, ok
	}
	return "", false
}

// typeName names the JSON type of a decoded value, for an error.
func typeName(v any) string {
	switch v.(type) {
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "a value of another type"
}
