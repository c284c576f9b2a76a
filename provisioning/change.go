package provisioning

import (
	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/syncfields"
)

// Removal is how a directory change removes a user (or, in a groups
// delta, a group or a member). The zero Removal removes nothing.
type Removal uint8

// The removals.
const (
	// NotRemoved: the user is in the directory; one that was soft-deleted
	// has been restored.
	NotRemoved Removal = iota
	// SoftRemoved: the user was deleted but can be restored ("@removed"
	// with reason "changed").
	SoftRemoved
	// HardRemoved: the user was deleted for good ("@removed" with reason
	// "deleted"); it is gone from the directory.
	HardRemoved
)

var removalNames = []string{NotRemoved: "none", SoftRemoved: "changed", HardRemoved: "deleted"}

// Removals lists every removal.
func Removals() []Removal { return []Removal{NotRemoved, SoftRemoved, HardRemoved} }

// IsValid reports whether r is one of the removals.
func (r Removal) IsValid() bool { return enum.Valid(removalNames, r) }

// String returns the removal's name as Graph writes its reason: "changed"
// or "deleted"; "none" for NotRemoved.
func (r Removal) String() string { return enum.Name(removalNames, "Removal", r) }

// MarshalText returns the removal's name. It fails for an invalid value.
func (r Removal) MarshalText() ([]byte, error) {
	return enum.Marshal(removalNames, "provisioning.Removal", r)
}

// UnmarshalText accepts a removal's name in any case; anything else is an
// error wrapping ErrUnknown and leaves r unchanged.
func (r *Removal) UnmarshalText(text []byte) error {
	return enum.Unmarshal(removalNames, "provisioning.Removal", text, r)
}

// UserChange is one user as a users/delta page reports it: its ID and the
// properties that changed. A nil field is unchanged; a field set to the
// zero value was cleared (Graph's explicit null).
type UserChange struct {
	// ObjectID is the user's object ID. Required.
	ObjectID string `json:"objectId"`
	// Removed says whether, and how, the user was deleted.
	Removed Removal `json:"removed,omitempty"`
	// UPN is the new userPrincipalName.
	UPN *string `json:"upn,omitempty"`
	// Enabled is the new accountEnabled.
	Enabled *bool `json:"enabled,omitempty"`
	// Guest is the new userType: true for Guest.
	Guest *bool `json:"guest,omitempty"`
	// HomeTenant is a guest's new home tenant.
	HomeTenant *string `json:"homeTenant,omitempty"`
	// Licenses, when not nil, replace the user's licenses (a change of
	// assignedLicenses).
	Licenses *[]License `json:"licenses,omitempty"`
	// Columns are the profile attributes that changed, and Attributes
	// their new values (blank for a cleared one).
	Columns syncfields.ColumnSet `json:"columns,omitempty"`
	// Attributes holds the new values of Columns.
	Attributes syncfields.Values `json:"attributes,omitzero"`
}

// GroupChange is one group as a groups/delta page reports it: the members
// and owners added and removed (members@delta, owners@delta).
type GroupChange struct {
	// Group is the group's object ID. Required.
	Group string `json:"group"`
	// MembersAdded are the object IDs of direct members added.
	MembersAdded []string `json:"membersAdded,omitempty"`
	// MembersRemoved are the object IDs of direct members removed.
	MembersRemoved []string `json:"membersRemoved,omitempty"`
	// OwnersAdded are the object IDs of owners added.
	OwnersAdded []string `json:"ownersAdded,omitempty"`
	// OwnersRemoved are the object IDs of owners removed.
	OwnersRemoved []string `json:"ownersRemoved,omitempty"`
}

// DirectoryRoles is a fresh read of the directory role assignments: the
// admin roles of every user, which delta queries do not track.
type DirectoryRoles struct {
	// Roles are the roles assigned to each user itself at directory scope,
	// by object ID.
	Roles map[string]AdminRoles `json:"roles,omitempty"`
	// GroupRoles are the roles each user holds only through a
	// role-assignable group, by object ID.
	GroupRoles map[string]AdminRoles `json:"groupRoles,omitempty"`
}
