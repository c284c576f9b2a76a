package tenantgen

import "github.com/provisionrules/provisionrules/provisioning"

// environment returns the environment of Environments whose ID is id, or
// for any other ID "prod" under that ID: the environment whose rules
// decide who has a record in its Dataverse export.
func (e Export) environment(id string) provisioning.Environment {
	envs := e.Environments()
	for _, env := range envs {
		if env.ID == id {
			return env
		}
	}
	prod := envs[0]
	prod.ID = id
	return prod
}

// directoryUser fills u, reusing its lists, with user i as package wire
// reads it from the Graph export, as far as the admission rules and the
// group teams look: state, guest and home tenant, licenses as wire's
// default classifier reads them, roles at "/" and through role-assignable
// groups, direct and owned groups. (Nested groups, which never admit,
// and profile attributes are left out.)
func (e Export) directoryUser(i int, id *identity, u *provisioning.User) {
	*u = provisioning.User{
		ObjectID: id.id, UPN: id.upn, Enabled: id.enabled, SoftDeleted: id.deleted, Guest: id.guest, HomeTenant: id.home,
		Licenses: u.Licenses[:0], Groups: u.Groups[:0], OwnedGroups: u.OwnedGroups[:0],
	}
	tenant := e.TenantID()
	for _, l := range e.licenses(i, id.guest) {
		m := provisioning.License{Plan: l.sku.plan, Tenant: tenant}
		switch off := l.off == l.sku.core && l.sku.core >= 0; {
		case off && l.sku.listed:
			m.Inactive = true
		case off:
			m.Plan = provisioning.PlanOther
		}
		u.Licenses = append(u.Licenses, m)
	}
	roles, _ := e.roles(i) // a role on an administrative unit makes no admin
	for _, r := range roles {
		u.Roles |= adminRole(r)
	}
	m := e.membership(i)
	for _, j := range m.direct {
		u.Groups = append(u.Groups, e.groupID(j))
		switch j {
		case groupRolePP:
			u.GroupRoles |= provisioning.PowerPlatformAdmin
		case groupRoleD365:
			u.GroupRoles |= provisioning.Dynamics365Admin
		}
	}
	if m.owned >= 0 {
		u.OwnedGroups = append(u.OwnedGroups, e.groupID(m.owned))
	}
	if k := i % ownerGroupModulus; k >= ownerGroupFirst && k <= ownerGroupLast {
		u.OwnedGroups = append(u.OwnedGroups, e.groupID(k))
	}
}

// adminRole returns the admin role of a role template ID, or 0 for a role
// the rules do not know.
func adminRole(template string) provisioning.AdminRoles {
	switch template {
	case roleGA:
		return provisioning.GlobalAdmin
	case rolePP:
		return provisioning.PowerPlatformAdmin
	case roleD365:
		return provisioning.Dynamics365Admin
	}
	return 0
}

// standing is where a user stands in an environment, by the rules, for
// whether it has a record there.
type standing uint8

const (
	// refused: the rules refuse the user for more than one reason, or
	// for another than the three below.
	refused standing = iota
	// lapsed: the rules refuse the user for one reason only, the security
	// group (SG-MEMBER), the license (LIC-REQUIRED) or the directory
	// (DIR-ENABLED): a user the environment may have admitted at the last
	// sync, who left the group, lost its license, or was disabled or
	// deleted since.
	lapsed
	// atAccess: admitted on demand, at its own access, through a group
	// team (GT-SG) or as the group's owner (SG-OWNER), with a license or
	// an admin role.
	atAccess
	// automatic: admitted by the background sync.
	automatic
)

// lapseRules are the rules that refuse a lapsed user, one at a time, and
// alongside are the rules that refuse with one of them, for the same
// reason.
var (
	lapseRules = [...]provisioning.Rule{provisioning.RuleSGMember, provisioning.RuleLicRequired, provisioning.RuleDirEnabled}
	alongside  = provisioning.RuleSetOf(provisioning.RuleSGNested, provisioning.RuleGTSG, provisioning.RuleLicGuestTenant)
)

// onDemandLicenses are the on-demand-only entitlements of ON-DEMAND-ONLY
// that stand for a license. A Dataverse export cannot say that a record
// was added for one of them (Record.OnDemand), so the users they alone
// let in have no record: the sync would read theirs as unmarked, and plan
// an update of each with nothing to write at every run.
var onDemandLicenses = provisioning.RuleSetOf(provisioning.RuleLicFreeM365, provisioning.RuleLicExemptAppPass, provisioning.RuleLicExemptMarketing)

// standingOf returns where u stands in env, and the decision that says
// so.
func standingOf(u *provisioning.User, env *provisioning.Environment) (standing, provisioning.Decision) {
	d := provisioning.Evaluate(u, env)
	switch d.Admission() {
	case provisioning.AdmissionAutomatic:
		return automatic, d
	case provisioning.AdmissionOnDemand:
		if d.OnDemandBy()&onDemandLicenses == 0 {
			return atAccess, d
		}
		return refused, d
	}
	by, n := d.RefusedBy(), 0
	for _, r := range lapseRules {
		if by.Has(r) {
			by &^= provisioning.RuleSetOf(r)
			n++
		}
	}
	if n == 1 && by&^alongside == 0 {
		return lapsed, d
	}
	return refused, d
}

// census counts the users of an environment that decide the odds of a
// stale record: those it admits automatically, and those lapsed.
type census struct{ automatic, lapsed int }

// census walks the users once and counts them in env.
func (e Export) census(env *provisioning.Environment) census {
	var c census
	var u provisioning.User
	for i := range e.Users {
		id := e.identity(i)
		e.directoryUser(i, &id, &u)
		switch st, _ := standingOf(&u, env); st {
		case automatic:
			c.automatic++
		case lapsed:
			c.lapsed++
		}
	}
	return c
}

// record is user i's record in an environment, if it has one.
type record struct {
	ok, disabled bool
	mode         int  // accessmode
	formerTitle  bool // the record holds the job title before the directory's
	roles        []string
	owned        int
	changed      bool // the user changed since the last sync
	index        int
	id           *identity
}

// The reasons an admitted user changed since the last sync, by a number
// from 0 to 3: two in four, no record yet; one, a disabled record; one, a
// former job title.
const (
	changedDisabled = 2
	changedTitle    = 3
)

// record returns user i's record in an environment where it stands at st
// with decision d, among the users c counts; ok is false for a user
// without one. Of the users the environment admits automatically, Stale
// per thousand changed since the last sync; of the lapsed, as many in all
// (at most all of them) still have their enabled record; of those let in
// at access, one in two has accessed the environment and has a record.
func (e Export) record(i int, st standing, d *provisioning.Decision, c census) record {
	s := e.rand(kRecord, uint64(i))
	var r record
	switch st {
	case automatic:
		r.ok = true
		if r.changed = s.permille(e.stale()); r.changed {
			switch s.intn(4) {
			case changedDisabled:
				r.disabled = true
			case changedTitle:
				r.formerTitle = true
			default:
				r.ok = false
			}
		}
	case atAccess:
		r.ok = s.percent(50)
	case lapsed:
		// The odds that make the expected count of stale records Stale per
		// thousand of the users admitted automatically.
		r.ok = c.lapsed > 0 && s.intn(1000*c.lapsed) < e.stale()*c.automatic
	}
	if !r.ok {
		return record{}
	}
	r.index = i
	if m, ok := d.AccessMode(); ok {
		r.mode = int(m)
	}
	for range s.intn(3) {
		if role := securityRoles[s.intn(len(securityRoles))]; !containsString(r.roles, role) {
			r.roles = append(r.roles, role)
		}
	}
	if s.percent(30) {
		r.owned = 1 + s.intn(500)
	}
	return r
}

// appUserAdmitted reports whether the rules keep the record of the
// application user of service principal j in env: everywhere but in a
// developer environment, which admits its creator only (ENV-DEVELOPER).
func (e Export) appUserAdmitted(j int, env *provisioning.Environment) bool {
	u := provisioning.User{ObjectID: guid(e.key(kServicePrincipal, uint64(j))), ApplicationID: guid(e.key(kApp, uint64(j))), Enabled: servicePrincipalEnabled(j)}
	r := provisioning.Record{ObjectID: u.ObjectID, ApplicationID: u.ApplicationID, Mode: modeNonInteractive}
	return provisioning.EvaluateRecord(&u, env, &r).Admitted()
}
