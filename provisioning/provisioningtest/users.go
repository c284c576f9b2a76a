package provisioningtest

import (
	"slices"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// Licenses returns a generator of licenses drawn as Default says.
func Licenses() *rapid.Generator[provisioning.License] { return Default().Licenses() }

// Licenses returns a generator of licenses drawn as c says: of any plan,
// assigned in one of Tenants, inactive with weight c.InactiveLicense. It
// shrinks toward an active Dynamics 365 license of the first tenant.
func (c Config) Licenses() *rapid.Generator[provisioning.License] {
	c.check()
	return rapid.Custom(func(t *rapid.T) provisioning.License {
		return provisioning.License{
			Plan:     rapid.SampledFrom(provisioning.LicensePlans()).Draw(t, "plan"),
			Tenant:   rapid.SampledFrom(Tenants()).Draw(t, "tenant"),
			Inactive: edge(t, c.InactiveLicense, "inactive?"),
		}
	})
}

// Users returns a generator of valid directory users drawn as Default
// says.
func Users() *rapid.Generator[provisioning.User] { return Default().Users() }

// Users returns a generator of valid directory users drawn as c says, of
// object IDs from c.ObjectIDs:
//
//   - a member, enabled, UPN id@contoso.com; disabled, deleted or
//     soft-deleted in the directory with weight c.Disabled;
//   - a service principal with weight c.Application: application ID
//     "app-" + its object ID (unique to it), no UPN, no license, and no
//     attribute but its object ID, a service principal carrying no user
//     attributes;
//   - otherwise a guest with weight c.Guest: a home tenant from Tenants
//     and a UPN of the #EXT# form, id_home.com#EXT#@contoso.onmicrosoft.com;
//   - up to three licenses (Licenses), up to three direct groups from
//     Groups, each once;
//   - admin roles at directory scope with weight c.Admin, admin roles
//     through a group with weight c.GroupAdmin, one or two owned groups
//     with weight c.Owner, one or two groups reached through nesting only
//     (none of them a direct group) with weight c.Nested;
//   - profile attributes, every column of the online mapping blank or not,
//     the object ID and userPrincipalName its own.
//
// Every value is drawn whatever the cases drawn, and a case only keeps or
// drops what was drawn, so that shrinking a case off leaves the rest of
// the user as it was.
func (c Config) Users() *rapid.Generator[provisioning.User] {
	c.check()
	ids := c.ObjectIDs()
	return rapid.Custom(func(t *rapid.T) provisioning.User {
		return c.userOf(rapid.SampledFrom(ids).Draw(t, "objectID")).Draw(t, "user")
	})
}

// userOf returns a generator of the users Users describes, of object ID
// id.
func (c Config) userOf(id string) *rapid.Generator[provisioning.User] {
	return rapid.Custom(func(t *rapid.T) provisioning.User {
		sp := edge(t, c.Application, "service principal?")
		guest := edge(t, c.Guest, "guest?")
		home := rapid.SampledFrom(Tenants()).Draw(t, "home tenant")
		disabled := edge(t, c.Disabled, "disabled?")
		how := rapid.IntRange(0, 2).Draw(t, "disabled how")
		u := provisioning.User{
			ObjectID: id,
			UPN:      id + "@contoso.com",
			Enabled:  true,
			Licenses: rapid.SliceOfN(c.Licenses(), 0, 3).Draw(t, "licenses"),
		}
		admin := edge(t, c.Admin, "admin?")
		roles := adminRoles().Draw(t, "roles")
		groupAdmin := edge(t, c.GroupAdmin, "group admin?")
		groupRoles := adminRoles().Draw(t, "group roles")
		owner := edge(t, c.Owner, "owner?")
		owned := groupSet(1, 2).Draw(t, "owned groups")
		nested := edge(t, c.Nested, "nested?")
		through := groupSet(1, 2).Draw(t, "nested groups")
		direct := groupSet(0, 3).Draw(t, "groups")
		attrs := attributes().Draw(t, "attributes")

		if disabled {
			switch how {
			case 0:
				u.Enabled = false
			case 1:
				u.Deleted = true
			default:
				u.SoftDeleted = true
			}
		}
		switch {
		case sp:
			u.ApplicationID, u.UPN, u.Licenses = "app-"+id, "", nil
		case guest:
			u.Guest, u.HomeTenant = true, home
			u.UPN = id + "_" + home + ".com#EXT#@contoso.onmicrosoft.com"
		}
		if admin {
			u.Roles = roles
		}
		if groupAdmin {
			u.GroupRoles = groupRoles
		}
		if owner {
			u.OwnedGroups = owned
		}
		if nested {
			// Transitive membership less the direct one: a group reached
			// through nesting is not also a direct one.
			u.NestedGroups = through
			direct = slices.DeleteFunc(direct, func(g string) bool { return slices.Contains(through, g) })
		}
		if len(direct) > 0 {
			u.Groups = direct
		}
		if sp {
			attrs = syncfields.Values{}
		}
		u.Attributes = attrs
		return u
	})
}

// adminRoles returns a generator of a non-empty set of admin roles.
func adminRoles() *rapid.Generator[provisioning.AdminRoles] {
	return rapid.Custom(func(t *rapid.T) provisioning.AdminRoles {
		return provisioning.AdminRoles(rapid.IntRange(1, 7).Draw(t, "roles"))
	})
}

// groupSet returns a generator of min to max groups of Groups, each once.
func groupSet(min, max int) *rapid.Generator[[]string] {
	return rapid.SliceOfNDistinct(rapid.SampledFrom(Groups()), min, max, rapid.ID[string])
}
