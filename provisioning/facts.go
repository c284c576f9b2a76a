package provisioning

import "github.com/provisionrules/provisionrules/usertype"

// facts are what a decision knows of its inputs: everything the rules
// read, reduced to bits, so that deciding is a function of facts alone and
// the explanation can be written later without keeping the inputs. The
// rule table's sentences are chosen by these bits too.
type facts uint64

const (
	// Of the user.
	fEnabled          facts = 1 << iota // accountEnabled
	fDeleted                            // hard deleted
	fSoftDeleted                        // soft deleted
	fServicePrincipal                   // a service principal (has an application ID)
	fAdmin                              // holds any admin role
	fSGExempt                           // Global or Power Platform admin
	fD365Admin                          // Dynamics 365 service admin
	fGroupAdmin                         // holds an admin role only through a group, which does not count

	// Of the user's licenses (LIC-GUEST-TENANT: only those assigned in the
	// environment's tenant count).
	fPremium      // a premium license in the environment's tenant
	fFree         // the free Dataverse plan in the environment's tenant
	fOther        // a license of another plan, anywhere
	fForeign      // a premium or free license in another tenant
	fInactive     // a premium license that is assigned but not active
	fInactiveFree // a free Dataverse plan that is assigned but not active

	// Of the user's relation to the environment's security group.
	fDirect // direct member
	fOwner  // owner
	fNested // member only through nesting

	// Of the environment.
	fDataverse // has Dataverse
	fGroup     // has a security group
	fAppPass   // has app-pass capacity
	fMarketing // its tenant has a Marketing license
	fDeveloper // developer environment
	fTrial     // trial environment
	fTeams     // Dataverse for Teams environment
	fCreator   // the user created it

	// Of the existing record.
	fRecord        // a record was given
	fRoles         // has a security role of its own
	fKeepMode      // has an access mode an administrator set (MODE-KEEP)
	fRecordDeleted // soft-deleted by an administrator (DEL-SOFT-EFFECT)

	// Of the environment's group teams.
	fHasTeams          // the environment has group teams
	fInTeamGroup       // the user is a direct member or owner of a live team's group
	fTeamHeld          // a live team holds the user (GT-MATCH)
	fTeamInSG          // a team that holds it has its group in the security group (GT-SG)
	fTeamRoles         // the record is in a live team that has roles (GT-ROLES)
	fTeamRoleInherited // one of those roles has member's privilege inheritance

	// Of the decision itself, added only to choose sentences (sayings):
	// the kind it decided for, and whether it admits the user.
	fKindApplication
	fKindNonInteractive
	fAdmitted
)

func (f facts) has(x facts) bool { return f&x != 0 }

// ownFacts returns what the rules read of u alone, whatever the
// environment: its directory state, whether it is a service principal, and
// its admin roles.
func (u *User) ownFacts() facts {
	var f facts
	if u.Enabled {
		f |= fEnabled
	}
	if u.Deleted {
		f |= fDeleted
	}
	if u.SoftDeleted {
		f |= fSoftDeleted
	}
	if u.ApplicationID != "" {
		f |= fServicePrincipal
	}
	if u.Roles.Any(allRoles) {
		f |= fAdmin
	}
	if u.Roles.Any(GlobalAdmin | PowerPlatformAdmin) {
		f |= fSGExempt
	}
	if u.Roles.Any(Dynamics365Admin) {
		f |= fD365Admin
	}
	if u.GroupRoles&^u.Roles != 0 {
		f |= fGroupAdmin
	}
	return f
}

// pairFacts collects, in one pass over u's lists, what admission needs to
// know of u in an environment of tenant with security group: which
// licenses count (LIC-GUEST-TENANT: only those assigned in tenant) and how
// the user relates to group. foreign is the smallest tenant of a premium
// or free license assigned elsewhere, so that it does not depend on the
// licenses' order. u must be well formed (validate): nothing is checked
// here, and nothing allocated.
func (u *User) pairFacts(tenant, group string) (f facts, foreign string) {
	for i := range u.Licenses {
		l := &u.Licenses[i]
		switch {
		case l.Plan == PlanOther:
			f |= fOther
		case l.Inactive && l.Plan == PlanFreeDataverse:
			f |= fInactiveFree // as the next case, for the free plan's sentence
		case l.Inactive:
			// LIC-REQUIRED: a license none of whose service plans is
			// active does not count, wherever it was assigned.
			f |= fInactive
		case l.Tenant != tenant:
			if f&fForeign == 0 || l.Tenant < foreign { // the least, for a stable sentence
				foreign = l.Tenant
			}
			f |= fForeign
		case l.Plan == PlanFreeDataverse:
			f |= fFree
		default:
			f |= fPremium
		}
	}
	if group == "" {
		return f, foreign
	}
	if has(u.Groups, group) {
		f |= fDirect
	} else if has(u.NestedGroups, group) {
		f |= fNested
	}
	if has(u.OwnedGroups, group) {
		f |= fOwner
	}
	return f, foreign
}

// scanIDs reports whether id (when not empty) is in list, and the index of
// the first empty ID in list, or -1.
func scanIDs(list []string, id string) (found bool, empty int) {
	for i, x := range list {
		if x == "" {
			return false, i
		}
		found = found || x == id
	}
	return found, -1
}

// ownFacts returns what the rules read of env, whoever the user: whether
// the user created it is a fact of the pair (fCreator).
func (env *Environment) ownFacts() facts {
	var f facts
	if env.Dataverse {
		f |= fDataverse
	}
	if env.SecurityGroup != "" {
		f |= fGroup
	}
	if env.AppPass {
		f |= fAppPass
	}
	if env.TenantMarketing {
		f |= fMarketing
	}
	switch env.Type {
	case EnvDeveloper:
		f |= fDeveloper
	case EnvTrial:
		f |= fTrial
	case EnvTeams:
		f |= fTeams
	}
	return f
}

// facts returns what the rules read of a well-formed record.
func (r *Record) facts() facts {
	f := fRecord
	if len(r.Roles) > 0 {
		f |= fRoles
	}
	// MODE-KEEP: the modes only an administrator sets.
	switch r.Mode {
	case usertype.Administrative, usertype.Read, usertype.NonInteractive:
		f |= fKeepMode
	}
	if r.SoftDeleted {
		f |= fRecordDeleted
	}
	return f
}

// teamFacts returns what the rules read of env's group teams for u and its
// record rec (nil for none), and the names of a team that holds u and of a
// team that gives rec roles, for the explanation.
func (env *Environment) teamFacts(u *User, rec *Record) (f facts, held, roles string) {
	for i := range env.Teams {
		t := &env.Teams[i]
		f |= fHasTeams
		if t.GroupDeleted {
			continue // GT-GROUP-DELETED: it holds nobody and gives no roles
		}
		if has(u.Groups, t.Group) || has(u.OwnedGroups, t.Group) {
			f |= fInTeamGroup
		}
		if t.holds(u) {
			f |= fTeamHeld
			if held == "" {
				held = t.name()
			}
			if t.InSecurityGroup {
				f |= fTeamInSG
				held = t.name() // the team that lets the user in names it
			}
		}
		if rec != nil && len(t.Roles) > 0 && has(rec.Teams, t.Group) {
			f |= fTeamRoles
			if roles == "" {
				roles = t.name()
			}
			for _, r := range t.Roles {
				if r.Inherited {
					f |= fTeamRoleInherited
				}
			}
		}
	}
	return f, held, roles
}

// holds reports whether team t holds directory user u (GT-MATCH): by its
// membership type, from its group's direct members or owners; a guest is a
// user of user type guest. A deleted group, a dynamic-device group and a
// service principal hold nobody, and neither does a team whose rule or
// type is not one of the known ones (fail closed: Validate reports it).
func (t *GroupTeam) holds(u *User) bool {
	if t.GroupDeleted || t.Rule != Assigned && t.Rule != DynamicUser || u.ApplicationID != "" {
		return false
	}
	switch t.Membership {
	case MembersAndGuests:
		return has(u.Groups, t.Group)
	case MembersOnly:
		return !u.Guest && has(u.Groups, t.Group)
	case OwnersOnly:
		return !u.Guest && has(u.OwnedGroups, t.Group)
	case GuestsOnly:
		return u.Guest && has(u.Groups, t.Group)
	}
	return false
}

// name names t for people: its name, or its group's ID.
func (t *GroupTeam) name() string {
	if t.Name != "" {
		return t.Name
	}
	return t.Group
}

// has reports whether id is in list.
func has(list []string, id string) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// TeamsOf returns the group IDs of the group teams of env that hold
// directory user u (GT-MATCH), in the order of env.Teams: the teams it
// joins at its next access (GT-AT-ACCESS).
func (env *Environment) TeamsOf(u *User) []string {
	if env == nil || u == nil {
		return nil
	}
	var out []string
	for i := range env.Teams {
		if t := &env.Teams[i]; t.holds(u) {
			out = append(out, t.Group)
		}
	}
	return out
}
