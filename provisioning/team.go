package provisioning

import (
	"strconv"

	"github.com/provisionrules/provisionrules/internal/enum"
)

// GroupTeam is a Dataverse group team of an environment: a team tied to
// one Microsoft Entra group, whose members it takes from the group by its
// membership type, and which gives them its security roles (GT-TEAM).
type GroupTeam struct {
	// Group is the Entra group's object ID (the team's
	// azureactivedirectoryobjectid). Required, and unique among the
	// environment's teams.
	Group string `json:"group"`
	// Name is the team's name, for people.
	Name string `json:"name,omitempty"`
	// Kind is the kind of the group: security or Microsoft 365 (the
	// team's teamtype 2 or 3). Required.
	Kind GroupKind `json:"kind"`
	// Rule is the group's membership rule: assigned, dynamic user or
	// dynamic device. Required. A dynamic-device group holds no user.
	Rule MembershipRule `json:"rule"`
	// Membership is the team's membership type (membershiptype 0 to 3);
	// its zero value, members and guests, is the type of a team created
	// before the type existed. It cannot change after the team is created.
	Membership TeamMembership `json:"membership"`
	// Roles are the security roles assigned to the team.
	Roles []TeamRole `json:"roles,omitempty"`
	// InSecurityGroup reports that the team's group is a direct member of
	// the environment's security group, which lets the team's users in at
	// access (GT-SG).
	InSecurityGroup bool `json:"inSecurityGroup,omitempty"`
	// GroupDeleted reports that the Entra group has been deleted: the team
	// holds nobody and gives no roles (GT-GROUP-DELETED).
	GroupDeleted bool `json:"groupDeleted,omitempty"`
}

// TeamRole is a security role assigned to a group team.
type TeamRole struct {
	// Name is the role's name. Required.
	Name string `json:"name"`
	// Inherited reports that the role has member's privilege inheritance
	// (the role's isinherited is 1, "Direct User (Basic) access level and
	// Team privileges"): the team's members get user-level privileges and
	// can create and own records. Without it ("Team privileges only") a
	// member works only with what the team owns (GT-ROLES).
	Inherited bool `json:"inherited,omitempty"`
}

// GroupKind is the kind of an Entra group behind a group team. The zero
// GroupKind is invalid.
type GroupKind uint8

// The group kinds, with the Dataverse team types of their teams.
const (
	// GroupKindSecurity is a security group (teamtype 2, "AAD Security
	// Group").
	GroupKindSecurity GroupKind = iota + 1
	// GroupKindMicrosoft365 is a Microsoft 365 group (teamtype 3, "AAD Office
	// Group").
	GroupKindMicrosoft365
)

var groupKindNames = []string{GroupKindSecurity: "security", GroupKindMicrosoft365: "microsoft-365"}

// GroupKinds lists every group kind.
func GroupKinds() []GroupKind { return []GroupKind{GroupKindSecurity, GroupKindMicrosoft365} }

// TeamType returns the Dataverse teamtype of a team of this kind: 2 or 3;
// 0 for an invalid kind.
func (k GroupKind) TeamType() int {
	switch k {
	case GroupKindSecurity:
		return 2
	case GroupKindMicrosoft365:
		return 3
	}
	return 0
}

// IsValid reports whether k is one of the group kinds.
func (k GroupKind) IsValid() bool { return enum.Valid(groupKindNames, k) }

// String returns the kind's name, such as "microsoft-365".
func (k GroupKind) String() string { return enum.Name(groupKindNames, "GroupKind", k) }

// MarshalText returns the kind's name. It fails for an invalid kind.
func (k GroupKind) MarshalText() ([]byte, error) {
	return enum.Marshal(groupKindNames, "provisioning.GroupKind", k)
}

// UnmarshalText accepts a kind's name in any case; anything else is an
// error wrapping ErrUnknown and leaves k unchanged.
func (k *GroupKind) UnmarshalText(text []byte) error {
	return enum.Unmarshal(groupKindNames, "provisioning.GroupKind", text, k)
}

// MembershipRule is how an Entra group gets its members. The zero
// MembershipRule is invalid.
type MembershipRule uint8

// The membership rules.
const (
	// Assigned: members are added and removed by hand.
	Assigned MembershipRule = iota + 1
	// DynamicUser: a rule over user attributes decides the members.
	DynamicUser
	// DynamicDevice: a rule over devices decides the members; such a group
	// holds no user (GT-TEAM).
	DynamicDevice
)

var membershipRuleNames = []string{Assigned: "assigned", DynamicUser: "dynamic-user", DynamicDevice: "dynamic-device"}

// MembershipRules lists every membership rule.
func MembershipRules() []MembershipRule {
	return []MembershipRule{Assigned, DynamicUser, DynamicDevice}
}

// IsValid reports whether r is one of the membership rules.
func (r MembershipRule) IsValid() bool { return enum.Valid(membershipRuleNames, r) }

// String returns the rule's name, such as "dynamic-user".
func (r MembershipRule) String() string { return enum.Name(membershipRuleNames, "MembershipRule", r) }

// MarshalText returns the rule's name. It fails for an invalid rule.
func (r MembershipRule) MarshalText() ([]byte, error) {
	return enum.Marshal(membershipRuleNames, "provisioning.MembershipRule", r)
}

// UnmarshalText accepts a rule's name in any case; anything else is an
// error wrapping ErrUnknown and leaves r unchanged.
func (r *MembershipRule) UnmarshalText(text []byte) error {
	return enum.Unmarshal(membershipRuleNames, "provisioning.MembershipRule", text, r)
}

// TeamMembership is a group team's membership type: which of its group's
// users the team holds (GT-MATCH). The constants carry the values of the
// team's membershiptype column; the zero value, MembersAndGuests, is the
// type of a team created before the type existed.
type TeamMembership uint8

// The membership types, with their Dataverse values.
const (
	// MembersAndGuests: the group's members whose user type is member or
	// guest.
	MembersAndGuests TeamMembership = 0
	// MembersOnly: the group's members of user type member.
	MembersOnly TeamMembership = 1
	// OwnersOnly: the group's owners of user type member.
	OwnersOnly TeamMembership = 2
	// GuestsOnly: the group's members of user type guest.
	GuestsOnly TeamMembership = 3
)

var teamMembershipNames = []string{
	MembersAndGuests: "members-and-guests",
	MembersOnly:      "members",
	OwnersOnly:       "owners",
	GuestsOnly:       "guests",
}

// TeamMemberships lists every membership type in the order of its
// Dataverse value.
func TeamMemberships() []TeamMembership {
	return []TeamMembership{MembersAndGuests, MembersOnly, OwnersOnly, GuestsOnly}
}

// IsValid reports whether m is one of the membership types.
func (m TeamMembership) IsValid() bool { return enum.Valid(teamMembershipNames, m) }

// String returns the type's name, such as "owners".
func (m TeamMembership) String() string { return enum.Name(teamMembershipNames, "TeamMembership", m) }

// MarshalText returns the type's name. It fails for an invalid type.
func (m TeamMembership) MarshalText() ([]byte, error) {
	return enum.Marshal(teamMembershipNames, "provisioning.TeamMembership", m)
}

// UnmarshalText accepts a type's name, in any case, or its Dataverse value
// written as a decimal digit ("0" to "3"). Anything else is an error
// wrapping ErrUnknown and leaves m unchanged.
func (m *TeamMembership) UnmarshalText(text []byte) error {
	if n, err := strconv.Atoi(string(text)); err == nil && len(text) == 1 {
		v := TeamMembership(n)
		if !v.IsValid() {
			return enum.Unknown(teamMembershipNames, "provisioning.TeamMembership", string(text))
		}
		*m = v
		return nil
	}
	return enum.Unmarshal(teamMembershipNames, "provisioning.TeamMembership", text, m)
}
