package provisioningtest

import (
	"fmt"
	"strconv"

	"pgregory.net/rapid"
)

// Config says how often the generators draw each edge case, and how large
// a tenant they draw.
//
// Each weight is a percentage: the chance that one draw is that case, from
// 0 (never) to 100 (always). The zero Config draws no edge case at all:
// its users are enabled members with active licenses, no admin role, no
// owned or nested group; its records are regular ones, neither
// non-interactive, soft-deleted nor marked on demand; its environments
// have no group team. Default is the mix of the package-level generators;
// EdgeCases draws every case often.
//
// Each case is a draw of its own, so that the rate of a case is its
// weight, except where two cases exclude each other: a service principal
// is never a guest and holds no license (with Application at a, guests are
// Guest × (100 − a) / 100 of all users); a support, delegated-admin or
// stub record (NotSynced) is neither an application user's, non-interactive
// nor marked on demand, and the support and delegated-admin records are
// never soft-deleted; an application record is never marked
// non-interactive by NonInteractive, being non-interactive already; and an
// environment of a snapshot holds at most usertype.NonInteractiveLimit
// non-interactive records, as a valid environment does.
//
// Shrinking goes toward the plain case: every draw of a case shrinks to
// "not this case", so that a counterexample rapid minimizes keeps only the
// cases it needs.
//
// A weight below 0 or above 100, or a negative Size, makes the generators
// panic.
type Config struct {
	// Guest weighs a user that is a guest: its home tenant is one of
	// Tenants and its UPN has the #EXT# form.
	Guest int
	// Admin weighs a user holding admin roles at directory scope
	// (User.Roles).
	Admin int
	// GroupAdmin weighs a user holding admin roles only through a
	// role-assignable group (User.GroupRoles), which never count.
	GroupAdmin int
	// Owner weighs a user that owns groups (SG-OWNER).
	Owner int
	// Nested weighs a user that reaches groups only through nested ones
	// (SG-NESTED).
	Nested int
	// Application weighs a user that is a service principal, and a record
	// that is an application user's (UT-APPLICATION).
	Application int
	// Disabled weighs a user disabled, deleted or soft-deleted in the
	// directory.
	Disabled int
	// InactiveLicense weighs a license that is assigned but not active.
	InactiveLicense int
	// NonInteractive weighs a record marked non-interactive
	// (UT-NONINTERACTIVE).
	NonInteractive int
	// NotSynced weighs a record the sync never changes (LIFE-NOT-SYNCED):
	// the support, delegated-admin or a stub record. In a snapshot, each
	// environment holds the support record, the delegated-admin record and
	// a stub each with this weight.
	NotSynced int
	// SoftDeleted weighs a record an administrator has soft-deleted
	// (DEL-SOFT).
	SoftDeleted int
	// OnDemand weighs a record marked as added on demand (Record.OnDemand,
	// LIFE-ON-DEMAND-KEEP).
	OnDemand int
	// Teams weighs an environment with group teams (GT-TEAM), and a record
	// that is in some of its environment's teams (in a record drawn
	// without an environment, of teams of Groups).
	Teams int

	// Size is the size of the tenant: the number of object IDs of
	// ObjectIDs, and so the most directory users a snapshot holds. 0 means
	// 4, few enough that the coincidences that matter happen often (a
	// user who created the environment, a record of a user gone); tens to
	// hundreds draw tenants of realistic size.
	Size int
}

// Default returns the Config of the package-level generators (Users,
// Environments, Licenses, ...): the mix that the zero Config drew before
// weights were percentages, measured over 3,000 draws, rounded to five.
// About two users in five are guests, admins, owners of groups, reach
// groups through nesting, or are disabled; one license in seven is
// inactive; a record is of a kind the sync never changes two times in
// five, and non-interactive one time in five (NonInteractive is 35 of the
// other three in five); two environments in five have group teams. It draws no service principal, no admin role held through a
// group, no soft-deleted record and no record marked on demand.
func Default() Config {
	return Config{
		Guest: 40, Admin: 40, Owner: 45, Nested: 40, Disabled: 45, InactiveLicense: 15,
		NonInteractive: 35, NotSynced: 40, Teams: 40,
	}
}

// EdgeCases returns a Config that draws every edge case often: guests,
// admins, owners and nested members two users in five; admin roles held
// through a group one in five; service principals about one in seven;
// disabled, deleted or soft-deleted users three in ten; inactive licenses
// one in five; non-interactive records and records the sync never changes
// three in ten, soft-deleted ones about one in seven, records marked on
// demand three in ten; and group teams in every other environment.
func EdgeCases() Config {
	return Config{
		Guest: 40, Admin: 40, GroupAdmin: 20, Owner: 40, Nested: 40, Application: 15, Disabled: 30,
		InactiveLicense: 20, NonInteractive: 30, NotSynced: 30, SoftDeleted: 15, OnDemand: 30, Teams: 50,
	}
}

// Tenants returns the tenant IDs the generators draw from: an
// environment's tenant, a license's, a guest's home tenant.
func Tenants() []string { return []string{"contoso", "fabrikam"} }

// Groups returns the group IDs the generators draw from: a user's groups,
// an environment's security group, group teams.
func Groups() []string { return []string{"g-sales", "g-hr", "g-it"} }

// Roles returns the security role names the generators draw from: a
// record's roles and a group team's.
func Roles() []string { return []string{"Basic User", "Salesperson", "System Administrator"} }

// ObjectIDs returns the directory object IDs the generators of c draw
// from: "u-1" to "u-N", N being c.Size, or 4 when it is 0. A developer
// environment's creator is one of them.
func (c Config) ObjectIDs() []string {
	n := c.size()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "u-" + strconv.Itoa(i+1)
	}
	return ids
}

// size returns the number of object IDs.
func (c Config) size() int {
	if c.Size == 0 {
		return 4
	}
	return c.Size
}

// check panics on a weight that is not a percentage, or a negative size:
// a Config that does not say what it means.
func (c Config) check() {
	for _, w := range [...]struct {
		name string
		v    int
	}{
		{"Guest", c.Guest}, {"Admin", c.Admin}, {"GroupAdmin", c.GroupAdmin}, {"Owner", c.Owner},
		{"Nested", c.Nested}, {"Application", c.Application}, {"Disabled", c.Disabled},
		{"InactiveLicense", c.InactiveLicense}, {"NonInteractive", c.NonInteractive},
		{"NotSynced", c.NotSynced}, {"SoftDeleted", c.SoftDeleted}, {"OnDemand", c.OnDemand}, {"Teams", c.Teams},
	} {
		if w.v < 0 || w.v > 100 {
			panic(fmt.Sprintf("provisioningtest: Config.%s = %d: a weight is a percentage, from 0 (never) to 100 (always)", w.name, w.v))
		}
	}
	if c.Size < 0 {
		panic(fmt.Sprintf("provisioningtest: Config.Size = %d: want 0 (for 4) or more", c.Size))
	}
}

// percent returns a generator of a number from 0 to 99, each equally
// likely, made of seven fair bits (a draw of 100 or more is drawn again):
// rapid's integer generators favour small numbers, which would make every
// weight count for more than it says. It shrinks toward 0.
func percent() *rapid.Generator[int] {
	return rapid.Custom(func(t *rapid.T) int {
		bit := rapid.Bool()
		for {
			v := 0
			for range 7 {
				v <<= 1
				if bit.Draw(t, "bit") {
					v |= 1
				}
			}
			if v < 100 {
				return v
			}
		}
	})
}

// edge draws whether a case of weight w happens: never when w is 0 (with
// no draw), always when it is 100, and otherwise w times in a hundred. A
// draw that shrinks to 0 is not the case, so that shrinking turns cases
// off.
func edge(t *rapid.T, w int, label string) bool {
	switch {
	case w <= 0:
		return false
	case w >= 100:
		return true
	}
	return percent().Draw(t, label) >= 100-w
}
