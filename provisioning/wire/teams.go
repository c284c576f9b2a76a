package wire

import (
	"io"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/errtext"
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
		return provisioning.GroupKindMicrosoft365
	case g.SecurityEnabled:
		return provisioning.GroupKindSecurity
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

// group is the shape of a group object.
var group = shape[Group]{
	key: "id", id: func(g *Group) string { return g.ID }, dup: "the group of record # has this ID",
	members: []member[Group]{
		{name: "id", need: required, read: func(g *Group, x *val) error { return x.shared(&g.ID) }},
		{name: "displayName", read: func(g *Group, x *val) error { return x.text(&g.DisplayName) }},
		{name: "groupTypes", need: required, read: func(g *Group, x *val) error { return x.ids(&g.GroupTypes) }},
		{name: "securityEnabled", need: required, read: func(g *Group, x *val) error { return x.boolean(&g.SecurityEnabled) }},
		{name: "mailEnabled", read: func(g *Group, x *val) error { return x.boolean(&g.MailEnabled) }},
		{name: "membershipRule", need: required, when: func(g *Group) bool { return g.hasType("DynamicMembership") },
			read: func(g *Group, x *val) error {
				err := x.raw(&g.MembershipRule)
				x.has = strings.TrimSpace(g.MembershipRule) != ""
				return err
			}},
		{name: "deletedDateTime", read: func(g *Group, x *val) error { return x.raw(&g.DeletedDateTime) }},
		{name: "@odata.type", read: func(_ *Group, x *val) error { return x.odataType(TypeGroup, "not a group") }},
	},
}.table()

// ReadGroups reads one page of GET /groups (or of the deleted groups).
// id, groupTypes and securityEnabled are required, and membershipRule for
// a dynamic group; two groups with one ID are an error.
func ReadGroups(r io.Reader) (Page[Group], error) { return readPageOf(r, srcGroup, group) }

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
//	GET [org]/api/data/v9.2/teams?$select=teamid,name,teamtype,azureactivedirectoryobjectid,membershiptype
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

// IsGroupTeam reports whether t is a group team (team type 2 or 3).
func (t *Team) IsGroupTeam() bool {
	return t.Type == TeamTypeSecurityGroup || t.Type == TeamTypeOfficeGroup
}

// team is the shape of a teams row.
var team = shape[Team]{
	key: "teamid", id: func(t *Team) string { return t.ID }, dup: "the team of record # has this ID",
	members: []member[Team]{
		{name: "teamid", need: required, hint: "the $select must include teamid", read: func(t *Team, x *val) error { return x.ident(&t.ID) }},
		{name: "name", read: func(t *Team, x *val) error { return x.ident(&t.Name) }},
		{name: "teamtype", need: required, read: func(t *Team, x *val) error {
			n, err := x.whole(TeamTypeOwner, TeamTypeOfficeGroup, "want 0 to 3")
			t.Type = int(n)
			return err
		}},
		{name: "azureactivedirectoryobjectid", need: required, when: (*Team).IsGroupTeam,
			read: func(t *Team, x *val) error { return x.shared(&t.Group) }},
		{name: "membershiptype", need: present, when: (*Team).IsGroupTeam, read: func(t *Team, x *val) error {
			n, err := x.whole(0, 3, "want 0 to 3")
			t.Membership = provisioning.TeamMembership(n)
			return err
		}},
		{name: "teamroles_association", read: func(t *Team, x *val) error { return list(x, teamRole, &t.Roles) }},
	},
}.table()

// teamRole is the shape of an element of teamroles_association.
var teamRole = shape[provisioning.TeamRole]{members: []member[provisioning.TeamRole]{
	{name: "name", need: required, read: func(r *provisioning.TeamRole, x *val) error { return x.shared(&r.Name) }},
	{name: "isinherited", need: present, read: func(r *provisioning.TeamRole, x *val) error {
		n, err := x.whole(0, 1, "want 0 or 1")
		r.Inherited = n == 1
		return err
	}},
}}.table()

const srcTeam = "team"

// ReadTeams reads one page of the Dataverse Web API's teams (see Team for
// the request). teamid and teamtype (0 to 3) are required; a group team
// also needs azureactivedirectoryobjectid and membershiptype (0 to 3, or
// null); each role needs its name and isinherited (0, 1 or null); two
// teams with one teamid are an error.
func ReadTeams(r io.Reader) (Page[Team], error) { return readPageOf(r, srcTeam, team) }

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
// securityGroup is taken in its canonical form (provisioning.CanonicalID),
// as every ID read. Teams of types 0 and 1 are not group teams and are
// left out. A team
// whose group d does not hold is kept as a team of an assigned group,
// which holds nobody, since no user is a member of a group the directory
// does not have (tenant.Diagnose warns of it, CHK-TEAM-GROUP). A team
// whose group's kind contradicts the team type, or whose group is a
// team's group already, is an *Error naming the team; so is a team with a
// malformed identifier.
func (d *Directory) GroupTeams(teams []Team, securityGroup string) ([]provisioning.GroupTeam, error) {
	const src = "teams"
	if d == nil {
		return nil, &Error{Source: src, Index: -1, Field: "*Directory", Value: "nil", Offset: -1, Err: provisioning.ErrMissing}
	}
	groups := make(map[string]*Group, len(d.Groups))
	for i := range d.Groups {
		groups[d.Groups[i].ID] = &d.Groups[i]
	}
	securityGroup = ident.Canonical(securityGroup)
	var out []provisioning.GroupTeam
	byGroup := map[string]int{}
	for i := range teams {
		t := &teams[i]
		bad := func(field, value string, err error) error {
			return &Error{Source: src, Index: i, ID: t.ID, Field: field, Value: cut(value), Offset: -1, Err: err}
		}
		if !t.IsGroupTeam() {
			continue
		}
		switch {
		case t.Group == "":
			return nil, bad("azureactivedirectoryobjectid", "", provisioning.ErrMissing)
		case !ident.Valid(t.Group):
			return nil, bad("azureactivedirectoryobjectid", t.Group, provisioning.ErrMalformed)
		case !ident.Valid(t.Name):
			return nil, bad("name", t.Name, provisioning.ErrMalformed)
		case !t.Membership.IsValid():
			return nil, bad("membershiptype", t.Membership.String(), provisioning.ErrUnknown)
		}
		if j, dup := byGroup[t.Group]; dup {
			return nil, bad("azureactivedirectoryobjectid", t.Group, errtext.Explain(provisioning.ErrDuplicate, "team "+strconv.Itoa(j)+" has this group (GT-TEAM: one team per group)"))
		}
		byGroup[t.Group] = i
		kind := provisioning.GroupKindSecurity
		if t.Type == TeamTypeOfficeGroup {
			kind = provisioning.GroupKindMicrosoft365
		}
		// A group the directory does not hold (mistyped, or deleted for
		// good) has no member to hold: the team is taken for an assigned
		// group, and the health check warns (CHK-TEAM-GROUP).
		g := groups[t.Group]
		if g == nil {
			g = &Group{ID: t.Group, SecurityEnabled: kind == provisioning.GroupKindSecurity}
			if kind == provisioning.GroupKindMicrosoft365 {
				g.GroupTypes = []string{"Unified"}
			}
		}
		if gk := g.Kind(); gk != kind {
			return nil, bad("teamtype", strconv.Itoa(t.Type), errtext.Explain(provisioning.ErrContradiction, "Microsoft Graph says group "+t.Group+" is "+kindWords(gk)))
		}
		for k, role := range t.Roles {
			if role.Name == "" || !ident.Valid(role.Name) {
				return nil, bad("teamroles_association["+strconv.Itoa(k)+"].name", role.Name, provisioning.ErrMalformed)
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
	case provisioning.GroupKindSecurity:
		return "a security group"
	case provisioning.GroupKindMicrosoft365:
		return "a Microsoft 365 group"
	}
	return "neither a security nor a Microsoft 365 group"
}
