package provisioningtest

import (
	"strings"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Malformed is a Pair and a trigger of which exactly one input is
// malformed, with the error it must be refused with.
type Malformed struct {
	// Pair holds the user, the environment and the record; one of them is
	// malformed unless Input is "trigger".
	Pair
	// Trigger is the trigger, malformed when Input is "trigger".
	Trigger provisioning.Trigger
	// Input is the malformed input, named as provisioning.FieldError.Input
	// names it: "user", "environment", "record" or "trigger".
	Input string
	// Field is the field the refusal names, as FieldError.Field does:
	// "UPN", "Licenses[1].Tenant", "Teams[0].Roles[0].Name".
	Field string
	// Err is the sentinel error the refusal wraps (errors.Is):
	// provisioning.ErrMissing, ErrMalformed, ErrUnknown, ErrContradiction,
	// ErrDuplicate, ErrDeveloperGroup or ErrObjectMismatch.
	Err error
	// Paired reports a record well formed on its own that is not the
	// user's: Record.Validate accepts it, and only the pairing refuses it.
	Paired bool
}

// Malformed returns a generator of malformed inputs, each with the error
// it must get: a Pair drawn as c says (Pairs), with one input made
// malformed in one of the ways the Validate methods of package
// provisioning document, or a trigger that is none. The refusals were
// written by hand from those docs:
//
//   - the user: no object ID; no UPN on a user that is not a service
//     principal; deleted and soft-deleted at once; a guest without a home
//     tenant; a license of no plan, or of no tenant; admin roles the
//     library does not know (in Roles or GroupRoles); an empty group ID in
//     Groups, OwnedGroups or NestedGroups; an identifier holding a control
//     or bidirectional formatting character (the object ID, UPN, home
//     tenant, application ID, a license's tenant, a group ID); a UPN
//     longer than provisioning.MaxUPN characters; attributes
//     with a NUL in a column, or whose object ID or userPrincipalName is
//     not the user's own;
//   - the environment: no ID or tenant; a type that is none; a developer
//     environment with a security group (ErrDeveloperGroup) or without a
//     creator; an identifier holding a control or bidirectional formatting
//     character; a group team without a group, of a group another team
//     has, of a kind, rule or membership type that is none, with a name
//     holding a control character, or with a role without a name;
//   - the record: an access mode that is none; the support user's access
//     mode on a record of another UPN, or its UPN on a record of another
//     access mode; a directory user's record without an object ID; field
//     columns whose object ID is not the record's; an empty role or team;
//     a negative count of owned records; soft-deleted but enabled, or
//     soft-deleted with roles; an identifier holding a control or
//     bidirectional formatting character; and, Paired, a record of another
//     object ID (ErrObjectMismatch) or whose application ID is not the
//     user's (ErrContradiction);
//   - a trigger that is none (Input "trigger", Field "Trigger").
//
// The input's own Validate (User.Validate, Environment.Validate or
// Record.Validate) and Check function (CheckUser, CheckEnvironment,
// CheckRecord) refuse it with a *provisioning.FieldError of Field
// wrapping Err, unless Paired (a CheckedEnvironment's EvaluateRecord
// refuses that); so do Evaluate for a malformed user or environment,
// EvaluateRecord of the pair, and Reconcile and NextAction of the pair
// under Trigger; a trigger that is none is refused by Reconcile and
// NextAction.
func (c Config) Malformed() *rapid.Generator[Malformed] {
	c.check()
	defects := malformations()
	return rapid.Custom(func(t *rapid.T) Malformed {
		m := Malformed{Pair: c.Pairs().Draw(t, "pair"), Trigger: Triggers().Draw(t, "trigger")}
		d := rapid.SampledFrom(defects).Draw(t, "defect")
		m.Input, m.Err, m.Paired = d.input, d.err, d.paired
		m.Field = d.apply(t, &m)
		return m
	})
}

// malformation is one way of making an input malformed: apply makes it
// and returns the field the refusal names.
type malformation struct {
	input  string
	err    error
	paired bool
	apply  func(t *rapid.T, m *Malformed) string
}

// String names the malformation in rapid's logs.
func (d malformation) String() string { return d.input + " " + d.err.Error() }

// corrupt returns s with a control or bidirectional formatting character
// put in it.
func corrupt(t *rapid.T, s string) string {
	bad := rapid.SampledFrom([]string{"\x00", "\x07", "\x1b", "\u202e", "\u2066"}).Draw(t, "character")
	i := rapid.IntRange(0, len(s)).Draw(t, "at")
	for i > 0 && i < len(s) && s[i]&0xc0 == 0x80 {
		i--
	}
	return s[:i] + bad + s[i:]
}

// at draws where to insert an element into a list of n.
func at(t *rapid.T, n int) int { return rapid.IntRange(0, n).Draw(t, "index") }

// indexed names element i of list.
func indexed(list string, i int) string { return errtext.Indexed(list, i, "") }

// ensureLicense gives u a license, if it has none, and returns the index
// of one.
func ensureLicense(t *rapid.T, u *provisioning.User) int {
	if len(u.Licenses) == 0 {
		u.Licenses = append(u.Licenses, Licenses().Draw(t, "license"))
	}
	return rapid.IntRange(0, len(u.Licenses)-1).Draw(t, "license index")
}

// ensureTeam gives env a group team, if it has none, and returns the
// index of one.
func ensureTeam(t *rapid.T, env *provisioning.Environment) int {
	if len(env.Teams) == 0 {
		env.Teams = append(env.Teams, Team(rapid.SampledFrom(Groups()).Draw(t, "team group")).Draw(t, "team"))
	}
	return rapid.IntRange(0, len(env.Teams)-1).Draw(t, "team index")
}

// regular makes r a regular record of its user: no stub, no application
// ID, read-write.
func regular(r *provisioning.Record) {
	r.Stub, r.ApplicationID, r.Mode = false, "", usertype.ReadWrite
	if r.UPN == "" {
		r.UPN = r.ObjectID + "@contoso.com"
	}
	r.Fields.Columns.Set(syncfields.DomainName, r.UPN)
}

// malformations lists the ways of making an input malformed, each with the
// field and sentinel error of its refusal, written from the Validate docs.
func malformations() []malformation {
	user := func(err error, apply func(t *rapid.T, u *provisioning.User) string) malformation {
		return malformation{input: "user", err: err, apply: func(t *rapid.T, m *Malformed) string { return apply(t, &m.User) }}
	}
	env := func(err error, apply func(t *rapid.T, e *provisioning.Environment) string) malformation {
		return malformation{input: "environment", err: err, apply: func(t *rapid.T, m *Malformed) string { return apply(t, &m.Environment) }}
	}
	record := func(err error, apply func(t *rapid.T, r *provisioning.Record) string) malformation {
		return malformation{input: "record", err: err, apply: func(t *rapid.T, m *Malformed) string { return apply(t, &m.Record) }}
	}
	groupList := func(t *rapid.T, u *provisioning.User) (*[]string, string) {
		switch rapid.IntRange(0, 2).Draw(t, "list") {
		case 0:
			return &u.Groups, "Groups"
		case 1:
			return &u.OwnedGroups, "OwnedGroups"
		}
		return &u.NestedGroups, "NestedGroups"
	}
	return []malformation{
		user(provisioning.ErrMissing, func(t *rapid.T, u *provisioning.User) string { u.ObjectID = ""; return "ObjectID" }),
		user(provisioning.ErrMissing, func(t *rapid.T, u *provisioning.User) string {
			u.UPN, u.ApplicationID = "", ""
			return "UPN"
		}),
		user(provisioning.ErrContradiction, func(t *rapid.T, u *provisioning.User) string {
			u.Deleted, u.SoftDeleted = true, true
			return "SoftDeleted"
		}),
		user(provisioning.ErrMissing, func(t *rapid.T, u *provisioning.User) string {
			u.Guest, u.HomeTenant = true, ""
			return "HomeTenant"
		}),
		user(provisioning.ErrUnknown, func(t *rapid.T, u *provisioning.User) string {
			i := ensureLicense(t, u)
			u.Licenses[i].Plan = provisioning.LicensePlan(rapid.SampledFrom([]uint8{0, 5, 200}).Draw(t, "plan"))
			return indexed("Licenses", i) + ".Plan"
		}),
		user(provisioning.ErrMissing, func(t *rapid.T, u *provisioning.User) string {
			i := ensureLicense(t, u)
			u.Licenses[i].Tenant = ""
			return indexed("Licenses", i) + ".Tenant"
		}),
		user(provisioning.ErrUnknown, func(t *rapid.T, u *provisioning.User) string {
			u.Roles |= provisioning.AdminRoles(1 << rapid.IntRange(3, 7).Draw(t, "bit"))
			return "Roles"
		}),
		user(provisioning.ErrUnknown, func(t *rapid.T, u *provisioning.User) string {
			u.GroupRoles |= provisioning.AdminRoles(1 << rapid.IntRange(3, 7).Draw(t, "bit"))
			return "GroupRoles"
		}),
		user(provisioning.ErrMissing, func(t *rapid.T, u *provisioning.User) string {
			list, name := groupList(t, u)
			i := at(t, len(*list))
			*list = append((*list)[:i:i], append([]string{""}, (*list)[i:]...)...)
			return indexed(name, i)
		}),
		user(provisioning.ErrMalformed, func(t *rapid.T, u *provisioning.User) string {
			switch rapid.IntRange(0, 5).Draw(t, "identifier") {
			case 0:
				u.ObjectID = corrupt(t, u.ObjectID)
				return "ObjectID"
			case 1:
				u.ApplicationID = ""
				u.UPN = corrupt(t, u.ObjectID+"@contoso.com")
				return "UPN"
			case 2:
				u.Guest, u.HomeTenant = true, corrupt(t, "fabrikam")
				return "HomeTenant"
			case 3:
				u.ApplicationID, u.UPN = corrupt(t, "app-"+u.ObjectID), ""
				return "ApplicationID"
			case 4:
				i := ensureLicense(t, u)
				u.Licenses[i].Tenant = corrupt(t, u.Licenses[i].Tenant)
				return indexed("Licenses", i) + ".Tenant"
			}
			list, name := groupList(t, u)
			i := at(t, len(*list))
			*list = append((*list)[:i:i], append([]string{corrupt(t, "g-new")}, (*list)[i:]...)...)
			return indexed(name, i)
		}),
		user(provisioning.ErrMalformed, func(t *rapid.T, u *provisioning.User) string {
			local := strings.Repeat(u.ObjectID, (provisioning.MaxUPN+5)/len(u.ObjectID)+1)
			u.ApplicationID, u.UPN = "", local[:rapid.IntRange(provisioning.MaxUPN-11, provisioning.MaxUPN+5).Draw(t, "length")]+"@contoso.com"
			return "UPN"
		}),
		user(provisioning.ErrMalformed, func(t *rapid.T, u *provisioning.User) string {
			c := rapid.SampledFrom([]syncfields.Column{syncfields.FullName, syncfields.JobTitle, syncfields.City}).Draw(t, "column")
			u.Attributes.Set(c, u.Attributes.Get(c)+"\x00")
			return "Attributes"
		}),
		user(provisioning.ErrContradiction, func(t *rapid.T, u *provisioning.User) string {
			// Even the user's own: the object ID has its home in ObjectID.
			u.Attributes.Set(syncfields.ObjectID, rapid.SampledFrom([]string{u.ObjectID, u.ObjectID + "-other"}).Draw(t, "object ID"))
			return "Attributes[azureactivedirectoryobjectid]"
		}),
		user(provisioning.ErrContradiction, func(t *rapid.T, u *provisioning.User) string {
			u.Attributes.Set(syncfields.DomainName, rapid.SampledFrom([]string{u.ObjectID + "@contoso.com", "other." + u.ObjectID + "@contoso.com"}).Draw(t, "UPN"))
			return "Attributes[domainname]"
		}),

		env(provisioning.ErrMissing, func(t *rapid.T, e *provisioning.Environment) string { e.ID = ""; return "ID" }),
		env(provisioning.ErrMissing, func(t *rapid.T, e *provisioning.Environment) string { e.Tenant = ""; return "Tenant" }),
		env(provisioning.ErrUnknown, func(t *rapid.T, e *provisioning.Environment) string {
			e.Type = provisioning.EnvironmentType(rapid.SampledFrom([]uint8{0, 7, 200}).Draw(t, "type"))
			return "Type"
		}),
		env(provisioning.ErrDeveloperGroup, func(t *rapid.T, e *provisioning.Environment) string {
			e.Type, e.SecurityGroup = provisioning.EnvDeveloper, rapid.SampledFrom(Groups()).Draw(t, "group")
			if e.Creator == "" {
				e.Creator = "u-1"
			}
			return "SecurityGroup"
		}),
		env(provisioning.ErrMissing, func(t *rapid.T, e *provisioning.Environment) string {
			e.Type, e.SecurityGroup, e.Creator = provisioning.EnvDeveloper, "", ""
			return "Creator"
		}),
		env(provisioning.ErrMalformed, func(t *rapid.T, e *provisioning.Environment) string {
			switch rapid.IntRange(0, 3).Draw(t, "identifier") {
			case 0:
				e.ID = corrupt(t, e.ID)
				return "ID"
			case 1:
				e.Tenant = corrupt(t, e.Tenant)
				return "Tenant"
			case 2:
				e.Type, e.SecurityGroup = provisioning.EnvProduction, corrupt(t, "g-sales")
				return "SecurityGroup"
			}
			e.Creator = corrupt(t, "u-1")
			return "Creator"
		}),
		env(provisioning.ErrMissing, func(t *rapid.T, e *provisioning.Environment) string {
			i := ensureTeam(t, e)
			e.Teams[i].Group = ""
			return indexed("Teams", i) + ".Group"
		}),
		env(provisioning.ErrDuplicate, func(t *rapid.T, e *provisioning.Environment) string {
			ensureTeam(t, e)
			e.Teams = append(e.Teams, e.Teams[rapid.IntRange(0, len(e.Teams)-1).Draw(t, "copied team")])
			return indexed("Teams", len(e.Teams)-1) + ".Group"
		}),
		env(provisioning.ErrMalformed, func(t *rapid.T, e *provisioning.Environment) string {
			i := ensureTeam(t, e)
			if rapid.Bool().Draw(t, "group?") {
				e.Teams[i].Group = corrupt(t, e.Teams[i].Group)
				return indexed("Teams", i) + ".Group"
			}
			e.Teams[i].Name = corrupt(t, e.Teams[i].Name)
			return indexed("Teams", i) + ".Name"
		}),
		env(provisioning.ErrUnknown, func(t *rapid.T, e *provisioning.Environment) string {
			i := ensureTeam(t, e)
			switch rapid.IntRange(0, 2).Draw(t, "field") {
			case 0:
				e.Teams[i].Kind = provisioning.GroupKind(rapid.SampledFrom([]uint8{0, 3, 200}).Draw(t, "kind"))
				return indexed("Teams", i) + ".Kind"
			case 1:
				e.Teams[i].Rule = provisioning.MembershipRule(rapid.SampledFrom([]uint8{0, 4, 200}).Draw(t, "rule"))
				return indexed("Teams", i) + ".Rule"
			}
			e.Teams[i].Membership = provisioning.TeamMembership(rapid.SampledFrom([]uint8{4, 200}).Draw(t, "membership"))
			return indexed("Teams", i) + ".Membership"
		}),
		env(provisioning.ErrMissing, func(t *rapid.T, e *provisioning.Environment) string {
			i := ensureTeam(t, e)
			j := at(t, len(e.Teams[i].Roles))
			roles := append([]provisioning.TeamRole(nil), e.Teams[i].Roles[:j]...)
			e.Teams[i].Roles = append(append(roles, provisioning.TeamRole{}), e.Teams[i].Roles[j:]...)
			return indexed("Teams", i) + "." + indexed("Roles", j) + ".Name"
		}),

		record(provisioning.ErrUnknown, func(t *rapid.T, r *provisioning.Record) string {
			r.Mode = usertype.AccessMode(rapid.SampledFrom([]uint8{6, 7, 200}).Draw(t, "mode"))
			r.Stub = false
			return "Mode"
		}),
		record(provisioning.ErrContradiction, func(t *rapid.T, r *provisioning.Record) string {
			regular(r)
			r.Mode = rapid.SampledFrom([]usertype.AccessMode{usertype.SupportUser, usertype.DelegatedAdmin}).Draw(t, "mode")
			return "UPN"
		}),
		record(provisioning.ErrContradiction, func(t *rapid.T, r *provisioning.Record) string {
			regular(r)
			r.UPN = rapid.SampledFrom([]string{usertype.SupportUPN, usertype.DelegatedAdminUPN}).Draw(t, "upn")
			return "Mode"
		}),
		record(provisioning.ErrMissing, func(t *rapid.T, r *provisioning.Record) string {
			regular(r)
			r.ObjectID = ""
			r.Fields.Columns.Set(syncfields.ObjectID, "")
			return "ObjectID"
		}),
		record(provisioning.ErrContradiction, func(t *rapid.T, r *provisioning.Record) string {
			r.Fields.Columns.Set(syncfields.ObjectID, r.ObjectID+"-other")
			return "Fields.Columns[azureactivedirectoryobjectid]"
		}),
		record(provisioning.ErrMissing, func(t *rapid.T, r *provisioning.Record) string {
			r.SoftDeleted = false
			if rapid.Bool().Draw(t, "roles?") {
				i := at(t, len(r.Roles))
				r.Roles = append(r.Roles[:i:i], append([]string{""}, r.Roles[i:]...)...)
				return indexed("Roles", i)
			}
			i := at(t, len(r.Teams))
			r.Teams = append(r.Teams[:i:i], append([]string{""}, r.Teams[i:]...)...)
			return indexed("Teams", i)
		}),
		record(provisioning.ErrMalformed, func(t *rapid.T, r *provisioning.Record) string {
			r.OwnedRecords = -rapid.IntRange(1, 12).Draw(t, "owned")
			return "OwnedRecords"
		}),
		record(provisioning.ErrContradiction, func(t *rapid.T, r *provisioning.Record) string {
			r.SoftDeleted, r.Disabled, r.Roles, r.Teams = true, false, nil, nil
			return "Disabled"
		}),
		record(provisioning.ErrContradiction, func(t *rapid.T, r *provisioning.Record) string {
			r.SoftDeleted, r.Disabled, r.Teams = true, true, nil
			r.Roles = []string{rapid.SampledFrom(Roles()).Draw(t, "role")}
			return "SoftDeleted"
		}),
		record(provisioning.ErrMalformed, func(t *rapid.T, r *provisioning.Record) string {
			switch rapid.IntRange(0, 3).Draw(t, "identifier") {
			case 0:
				r.ObjectID = corrupt(t, r.ObjectID)
				r.Fields.Columns.Set(syncfields.ObjectID, r.ObjectID)
				return "ObjectID"
			case 1:
				regular(r)
				r.UPN = corrupt(t, r.UPN)
				return "UPN"
			case 2:
				r.SoftDeleted = false
				i := at(t, len(r.Roles))
				r.Roles = append(r.Roles[:i:i], append([]string{corrupt(t, "Basic User")}, r.Roles[i:]...)...)
				return indexed("Roles", i)
			}
			r.SoftDeleted = false
			i := at(t, len(r.Teams))
			r.Teams = append(r.Teams[:i:i], append([]string{corrupt(t, "g-sales")}, r.Teams[i:]...)...)
			return indexed("Teams", i)
		}),
		{input: "record", err: provisioning.ErrObjectMismatch, paired: true, apply: func(t *rapid.T, m *Malformed) string {
			m.Record.ObjectID = m.User.ObjectID + "-other"
			m.Record.Fields.Columns.Set(syncfields.ObjectID, m.Record.ObjectID)
			return "ObjectID"
		}},
		{input: "record", err: provisioning.ErrContradiction, paired: true, apply: func(t *rapid.T, m *Malformed) string {
			r := &m.Record
			if m.User.ApplicationID != "" {
				regular(r)
				return "ApplicationID"
			}
			regular(r)
			r.ApplicationID, r.Mode = "app-"+r.ObjectID, usertype.NonInteractive
			return "ApplicationID"
		}},

		{input: "trigger", err: provisioning.ErrUnknown, apply: func(t *rapid.T, m *Malformed) string {
			m.Trigger = provisioning.Trigger(rapid.SampledFrom([]uint8{0, 5, 200}).Draw(t, "trigger"))
			return "Trigger"
		}},
	}
}
