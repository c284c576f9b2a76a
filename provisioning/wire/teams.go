package wire

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
)

// Group is a Microsoft Graph group object, from GET
// /groups?$select=id,displayName,groupTypes,membershipRule,securityEnabled,mailEnabled
// (or from the deleted items, GET
// /directory/deletedItems/microsoft.graph.group, with deletedDateTime).
type Group struct {
	// ID is the group's object ID. Required.
	ID string `json:"id"`
	// DisplayName is displayName.
	DisplayName string `json:"displayName"`
	// GroupTypes is groupTypes: "Unified" marks a Microsoft 365 group,
	// "DynamicMembership" a group whose members a rule decides. Required
	// (it may be empty).
	GroupTypes []string `json:"groupTypes"`
	// MembershipRule is membershipRule. Required for a dynamic group.
	MembershipRule string `json:"membershipRule"`
	// SecurityEnabled is securityEnabled. Required.
	SecurityEnabled bool `json:"securityEnabled"`
	// MailEnabled is mailEnabled.
	MailEnabled bool `json:"mailEnabled"`
	// DeletedDateTime is set on a group read from the deleted items.
	DeletedDateTime string `json:"deletedDateTime"`
}

// Kind returns the kind of group g is: a Microsoft 365 group when
// groupTypes holds "Unified", else a security group when it is security
// enabled; 0 (invalid) for a distribution list, which backs no group team.
func (g *Group) Kind() provisioning.GroupKind {
	switch {
	case g.hasType("Unified"):
		return provisioning.Microsoft365Group
	case g.SecurityEnabled:
		return provisioning.SecurityGroup
	}
	return 0
}

// Rule returns how g gets its members: with "DynamicMembership" in
// groupTypes, by a rule, which is a dynamic-device rule when it reads a
// device property ("device." in membershipRule, in any case) and a
// dynamic-user rule otherwise; else by assignment. Reading a rule as a
// device rule fails closed: such a group holds no user (GT-TEAM).
func (g *Group) Rule() provisioning.MembershipRule {
	switch {
	case !g.hasType("DynamicMembership"):
		return provisioning.Assigned
	case strings.Contains(strings.ToLower(g.MembershipRule), "device."):
		return provisioning.DynamicDevice
	}
	return provisioning.DynamicUser
}

func (g *Group) hasType(t string) bool {
	for _, x := range g.GroupTypes {
		if strings.EqualFold(x, t) {
			return true
		}
	}
	return false
}

// readGroup reads one group object.
func readGroup(d *dec, r *rec, g *Group) error {
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	var mask uint64
	hasTypes, hasSecurity := false, false
	for {
		key, ok, err := d.Key()
		if err != nil {
			return r.fail("", err)
		}
		if !ok {
			break
		}
		switch string(key) {
		case "id":
			if err := r.seen(&mask, 0, "id"); err != nil {
				return err
			}
			g.ID, err = r.ident("id", true)
			r.id = g.ID
		case "displayName":
			if err := r.seen(&mask, 1, "displayName"); err != nil {
				return err
			}
			g.DisplayName, err = r.text("displayName")
		case "groupTypes":
			if err := r.seen(&mask, 2, "groupTypes"); err != nil {
				return err
			}
			g.GroupTypes, err = readIDList(d, r, field("groupTypes"))
			hasTypes = g.GroupTypes != nil
		case "membershipRule":
			if err := r.seen(&mask, 3, "membershipRule"); err != nil {
				return err
			}
			b, _, serr := d.str()
			if serr != nil {
				return r.fail("membershipRule", serr)
			}
			g.MembershipRule = string(b)
		case "securityEnabled", "mailEnabled":
			name := string(key)
			f := uint(4)
			if name == "mailEnabled" {
				f = 5
			}
			if err := r.seen(&mask, f, name); err != nil {
				return err
			}
			v, null, berr := d.boolean()
			if berr != nil {
				return r.fail(name, berr)
			}
			if f == 4 {
				g.SecurityEnabled, hasSecurity = v, !null
			} else {
				g.MailEnabled = v
			}
		case "deletedDateTime":
			if err := r.seen(&mask, 6, "deletedDateTime"); err != nil {
				return err
			}
			b, _, serr := d.str()
			if serr != nil {
				return r.fail("deletedDateTime", serr)
			}
			g.DeletedDateTime = string(b)
		case "@odata.type":
			off := d.Offset()
			b, _, serr := d.str()
			if serr != nil {
				return r.fail("@odata.type", serr)
			}
			if len(b) > 0 && string(b) != TypeGroup {
				return r.bad("@odata.type", string(b), off, explain(ErrUnknown, "not a group"))
			}
		default:
			if err := d.Skip(); err != nil {
				return r.fail(string(key), err)
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case g.ID == "":
		return r.missing("id")
	case !hasTypes:
		return r.missing("groupTypes")
	case !hasSecurity:
		return r.missing("securityEnabled")
	case g.hasType("DynamicMembership") && strings.TrimSpace(g.MembershipRule) == "":
		return r.missing("membershipRule")
	}
	return nil
}

// readGroupsPage reads a page of groups, calling add for each.
func readGroupsPage(d *dec, at where, add func(r *rec, g Group) error) (pageInfo, error) {
	return readPage(d, at, func(i int, start int64) error {
		r := rec{d: d, at: at, index: i, start: start}
		var g Group
		if err := readGroup(d, &r, &g); err != nil {
			return err
		}
		return add(&r, g)
	})
}

// ReadGroups reads one page of GET /groups (or of the deleted groups).
// id, groupTypes and securityEnabled are required, and membershipRule for
// a dynamic group; two groups with one ID are an error.
func ReadGroups(r io.Reader) (Page[Group], error) {
	return readOne(r, srcGroup, func(d *dec) (Page[Group], error) {
		var p Page[Group]
		seen := map[string]int{}
		info, err := readGroupsPage(d, lone(srcGroup), func(r *rec, g Group) error {
			if j, dup := seen[g.ID]; dup {
				return r.bad("id", g.ID, r.start, explain(ErrDuplicate, "the group of record "+strconv.Itoa(j)+" has this ID"))
			}
			seen[g.ID] = r.index
			p.Items = append(p.Items, g)
			return nil
		})
		p.NextLink, p.DeltaLink = info.next, info.delta
		return p, err
	})
}

// DecodeGroups is ReadGroups of data.
func DecodeGroups(data []byte) (Page[Group], error) { return ReadGroups(bytes.NewReader(data)) }

// The Dataverse team types.
const (
	// TeamTypeOwner is a team that owns records (teamtype 0).
	TeamTypeOwner = 0
	// TeamTypeAccess is an access team (teamtype 1).
	TeamTypeAccess = 1
	// TeamTypeSecurityGroup is a group team of a security group (teamtype
	// 2, "AAD Security Group").
	TeamTypeSecurityGroup = 2
	// TeamTypeOfficeGroup is a group team of a Microsoft 365 group
	// (teamtype 3, "AAD Office Group").
	TeamTypeOfficeGroup = 3
)

// Team is one row of the Dataverse Web API's teams, as
//
//	GET [org]/api/data/v9.2/teams?$select=name,teamtype,azureactivedirectoryobjectid,membershiptype
//	    &$expand=teamroles_association($select=name,isinherited)
//
// returns it.
type Team struct {
	// ID is teamid, the row's key. Required.
	ID string `json:"teamid"`
	// Name is name.
	Name string `json:"name"`
	// Type is teamtype: 0 owner, 1 access, 2 security group, 3 Microsoft
	// 365 group. Required. Only 2 and 3 are group teams.
	Type int `json:"teamtype"`
	// Group is azureactivedirectoryobjectid, the Entra group's object ID.
	// Required for a group team.
	Group string `json:"azureactivedirectoryobjectid"`
	// Membership is membershiptype (0 to 3). Required for a group team: a
	// null reads as members and guests, the type of a team made before
	// the type existed (GT-TEAM).
	Membership provisioning.TeamMembership `json:"membershiptype"`
	// Roles are the team's security roles (teamroles_association), each
	// with its member's privilege inheritance: isinherited 1, "Direct User
	// (Basic) access level and Team privileges", is Inherited; 0, "Team
	// privileges only", and null are not (fail closed).
	Roles []provisioning.TeamRole `json:"roles"`
}

// GroupTeam reports whether t is a group team (team type 2 or 3).
func (t *Team) GroupTeam() bool {
	return t.Type == TeamTypeSecurityGroup || t.Type == TeamTypeOfficeGroup
}

// readTeam reads one teams row.
func readTeam(d *dec, r *rec, t *Team) error {
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	var mask uint64
	hasType, hasMembership := false, false
	var typeOff, membershipOff int64
	for {
		key, ok, err := d.Key()
		if err != nil {
			return r.fail("", err)
		}
		if !ok {
			break
		}
		switch name := string(key); name {
		case "teamid":
			if err := r.seen(&mask, 0, name); err != nil {
				return err
			}
			t.ID, err = r.ident(name, false)
			r.id = t.ID
		case "name":
			if err := r.seen(&mask, 1, name); err != nil {
				return err
			}
			t.Name, err = r.ident(name, false)
		case "teamtype":
			if err := r.seen(&mask, 2, name); err != nil {
				return err
			}
			typeOff = d.Offset()
			n, null, ierr := d.integer()
			if ierr != nil {
				return r.fail(name, ierr)
			}
			if !null {
				if n < TeamTypeOwner || n > TeamTypeOfficeGroup {
					return r.bad(name, strconv.FormatInt(n, 10), typeOff, explain(ErrUnknown, "want 0 to 3"))
				}
				t.Type, hasType = int(n), true
			}
		case "azureactivedirectoryobjectid":
			if err := r.seen(&mask, 3, name); err != nil {
				return err
			}
			t.Group, err = r.ident(name, true)
		case "membershiptype":
			if err := r.seen(&mask, 4, name); err != nil {
				return err
			}
			membershipOff = d.Offset()
			n, null, ierr := d.integer()
			if ierr != nil {
				return r.fail(name, ierr)
			}
			hasMembership = true
			if !null {
				m := provisioning.TeamMembership(n)
				if int64(m) != n || !m.IsValid() { // n fits m, and names a type
					return r.bad(name, strconv.FormatInt(n, 10), membershipOff, explain(ErrUnknown, "want 0 to 3"))
				}
				t.Membership = m
			}
		case "teamroles_association":
			if err := r.seen(&mask, 5, name); err != nil {
				return err
			}
			t.Roles, err = readTeamRoles(d, r)
		default:
			if err := d.Skip(); err != nil {
				return r.fail(name, err)
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case t.ID == "":
		return r.missing("teamid")
	case !hasType:
		return r.missing("teamtype")
	case !t.GroupTeam():
	case t.Group == "":
		return r.missing("azureactivedirectoryobjectid")
	case !hasMembership:
		return r.missing("membershiptype")
	}
	return nil
}

// readTeamRoles reads a team's teamroles_association.
func readTeamRoles(d *dec, r *rec) ([]provisioning.TeamRole, error) {
	const field = "teamroles_association"
	null, err := d.array()
	if err != nil {
		return nil, r.fail(field, err)
	}
	if null {
		return nil, nil
	}
	var roles []provisioning.TeamRole
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return nil, r.fail(field, err)
		}
		if !more {
			return roles, nil
		}
		p := elem(field, i, "")
		null, err := d.object()
		if err != nil {
			return nil, r.failAt(p, err)
		}
		if null {
			return nil, r.badAt(p, "null", d.Offset(), ErrMissing)
		}
		start := d.Offset()
		var role provisioning.TeamRole
		hasInherited := false
		for {
			key, ok, err := d.Key()
			if err != nil {
				return nil, r.failAt(p, err)
			}
			if !ok {
				break
			}
			switch string(key) {
			case "name":
				role.Name, err = r.identAt(p.member("name"), true)
			case "isinherited":
				off := d.Offset()
				n, null, ierr := d.integer()
				if ierr != nil {
					return nil, r.failAt(p.member("isinherited"), ierr)
				}
				hasInherited = true
				switch {
				case null || n == 0:
				case n == 1:
					role.Inherited = true
				default:
					return nil, r.badAt(p.member("isinherited"), strconv.FormatInt(n, 10), off, explain(ErrUnknown, "want 0 or 1"))
				}
			default:
				if err := d.Skip(); err != nil {
					return nil, r.failAt(p, err)
				}
			}
			if err != nil {
				return nil, err
			}
		}
		switch {
		case role.Name == "":
			return nil, r.badAt(p.member("name"), "", start, ErrMissing)
		case !hasInherited:
			return nil, r.badAt(p.member("isinherited"), "", start, ErrMissing)
		}
		roles = append(roles, role)
	}
}

// readTeamsPage reads a page of teams, calling add for each.
func readTeamsPage(d *dec, at where, add func(r *rec, t Team) error) (pageInfo, error) {
	return readPage(d, at, func(i int, start int64) error {
		r := rec{d: d, at: at, index: i, start: start}
		var t Team
		if err := readTeam(d, &r, &t); err != nil {
			return err
		}
		return add(&r, t)
	})
}

const srcTeam = "team"

// ReadTeams reads one page of the Dataverse Web API's teams (see Team for
// the request). teamid and teamtype (0 to 3) are required; a group team
// also needs azureactivedirectoryobjectid and membershiptype (0 to 3, or
// null); each role needs its name and isinherited (0, 1 or null); two
// teams with one teamid are an error.
func ReadTeams(r io.Reader) (Page[Team], error) {
	return readOne(r, srcTeam, func(d *dec) (Page[Team], error) {
		var p Page[Team]
		seen := map[string]int{}
		info, err := readTeamsPage(d, lone(srcTeam), func(r *rec, t Team) error {
			if j, dup := seen[t.ID]; dup {
				return r.bad("teamid", t.ID, r.start, explain(ErrDuplicate, "the team of record "+strconv.Itoa(j)+" has this ID"))
			}
			seen[t.ID] = r.index
			p.Items = append(p.Items, t)
			return nil
		})
		p.NextLink, p.DeltaLink = info.next, info.delta
		return p, err
	})
}

// DecodeTeams is ReadTeams of data.
func DecodeTeams(data []byte) (Page[Team], error) { return ReadTeams(bytes.NewReader(data)) }

// GroupTeams returns the group teams of an environment whose Dataverse
// teams rows are teams and whose security group is securityGroup (empty
// for none), completed from the groups d holds: for each team of type 2
// or 3, in order,
//
//   - Group, Name, Membership and Roles from the row, Kind from its team
//     type (2 security, 3 Microsoft 365);
//   - Rule from the Graph group (see Group.Rule), and GroupDeleted when
//     the group was read from the deleted items;
//   - InSecurityGroup when the group is a direct member of securityGroup,
//     as the export's "groupMemberOf" (the group's own memberOf) or
//     "groupMembers" (the security group's members) say (GT-SG).
//
// Teams of types 0 and 1 are not group teams and are left out. A team
// whose group d does not hold is kept as a team of an assigned group,
// which holds nobody, since no user is a member of a group the directory
// does not have (tenant.Diagnose warns of it, CHK-TEAM-GROUP). A team
// whose group's kind contradicts the team type, or whose group is a
// team's group already, is an *Error naming the team; so is a team with a
// malformed identifier.
func (d *Directory) GroupTeams(teams []Team, securityGroup string) ([]provisioning.GroupTeam, error) {
	const src = "teams"
	if d == nil {
		return nil, &Error{Source: src, Index: -1, Field: "*Directory", Value: "nil", Offset: -1, Err: ErrMissing}
	}
	groups := make(map[string]*Group, len(d.Groups))
	for i := range d.Groups {
		groups[d.Groups[i].ID] = &d.Groups[i]
	}
	var out []provisioning.GroupTeam
	byGroup := map[string]int{}
	for i := range teams {
		t := &teams[i]
		bad := func(field, value string, err error) error {
			return &Error{Source: src, Index: i, ID: t.ID, Field: field, Value: cut(value), Offset: -1, Err: err}
		}
		if !t.GroupTeam() {
			continue
		}
		switch {
		case t.Group == "":
			return nil, bad("azureactivedirectoryobjectid", "", ErrMissing)
		case !ident.Valid(t.Group):
			return nil, bad("azureactivedirectoryobjectid", t.Group, ErrMalformed)
		case !ident.Valid(t.Name):
			return nil, bad("name", t.Name, ErrMalformed)
		case !t.Membership.IsValid():
			return nil, bad("membershiptype", t.Membership.String(), ErrUnknown)
		}
		if j, dup := byGroup[t.Group]; dup {
			return nil, bad("azureactivedirectoryobjectid", t.Group, explain(ErrDuplicate, "team "+strconv.Itoa(j)+" has this group (GT-TEAM: one team per group)"))
		}
		byGroup[t.Group] = i
		kind := provisioning.SecurityGroup
		if t.Type == TeamTypeOfficeGroup {
			kind = provisioning.Microsoft365Group
		}
		// A group the directory does not hold (mistyped, or deleted for
		// good) has no member to hold: the team is taken for an assigned
		// group, and the health check warns (CHK-TEAM-GROUP).
		g := groups[t.Group]
		if g == nil {
			g = &Group{ID: t.Group, SecurityEnabled: kind == provisioning.SecurityGroup}
			if kind == provisioning.Microsoft365Group {
				g.GroupTypes = []string{"Unified"}
			}
		}
		if gk := g.Kind(); gk != kind {
			return nil, bad("teamtype", strconv.Itoa(t.Type), explain(ErrContradiction, "Microsoft Graph says group "+t.Group+" is "+kindWords(gk)))
		}
		for k, role := range t.Roles {
			if role.Name == "" || !ident.Valid(role.Name) {
				return nil, bad("teamroles_association["+strconv.Itoa(k)+"].name", role.Name, ErrMalformed)
			}
		}
		out = append(out, provisioning.GroupTeam{
			Group:           t.Group,
			Name:            t.Name,
			Kind:            kind,
			Rule:            g.Rule(),
			Membership:      t.Membership,
			Roles:           append([]provisioning.TeamRole(nil), t.Roles...),
			InSecurityGroup: securityGroup != "" && contains(d.GroupMemberOf[t.Group], securityGroup),
			GroupDeleted:    g.DeletedDateTime != "",
		})
	}
	return out, nil
}

// kindWords names a group kind for a message.
func kindWords(k provisioning.GroupKind) string {
	switch k {
	case provisioning.SecurityGroup:
		return "a security group"
	case provisioning.Microsoft365Group:
		return "a Microsoft 365 group"
	}
	return "neither a security nor a Microsoft 365 group"
}
