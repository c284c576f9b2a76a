package provisioning

import "slices"

// AccessResult is what a user's own access did: the reconciliation of its
// record at access, and the group teams and team roles it gained and lost
// (GT-AT-ACCESS).
type AccessResult struct {
	// Reconciliation is what the access did to the record (trigger
	// FirstAccess).
	Reconciliation
	// Joined and Left are the group IDs of the teams the user joined and
	// left.
	Joined, Left []string
	// RolesGained and RolesLost are the team roles the user gained and
	// lost, by name.
	RolesGained, RolesLost []string
}

// Access is directory user u's own access to the environment: the record
// is created or enabled when u is entitled then (GT-JIT-ADD,
// LIFE-ENABLE-ON-ACCESS), and its team memberships are brought up to date:
// it joins every team that holds it now (GT-MATCH) and leaves the others,
// gaining and losing their roles (GT-AT-ACCESS); a member removed from a
// team by hand while still in the group is added back. It is refused with
// an *OpError, and nothing changes, when u may not access the environment
// (ErrAccessDenied, with every check that refuses it, the most specific
// first, as its Checks and Rule; a user matched to the support or
// delegated-admin record is one, since the directory never admits
// through them, LIFE-NOT-SYNCED), when u's record
// is soft-deleted (ErrSoftDeleted) or when u is nil.
func (o Org) Access(u *User) (Org, AccessResult, error) {
	const op = "Access"
	if u == nil {
		return o, AccessResult{}, &OpError{Op: op, Err: missing("user", "*User")}
	}
	i := -1
	for j := range o.Records {
		if Match(u, &o.Records[j]) {
			i = j
			break
		}
	}
	if i >= 0 && o.Records[i].SoftDeleted {
		return o, AccessResult{}, &OpError{Op: op, Key: u.ObjectID, Rule: RuleDelSoftEffect, Err: ErrSoftDeleted}
	}
	var before *Record
	if i >= 0 {
		before = &o.Records[i]
	}
	r := Reconcile(u, &o.Environment, before, FirstAccess)
	if r.Action.Err != nil {
		return o, AccessResult{}, &OpError{Op: op, Key: u.ObjectID, Err: r.Action.Err}
	}
	// Not admitted after the access: refused. That is a user left without
	// a record or with a disabled one (a user admitted at first access
	// always has an enabled record: TestFirstAccessAdmitsWithEnabledRecord),
	// and the support or delegated-admin record, which the sync leaves
	// enabled but which lets no directory user in (LIFE-NOT-SYNCED).
	if !r.After.Admitted() {
		oe := &OpError{Op: op, Key: u.ObjectID, Err: ErrAccessDenied, Checks: r.Before.Refusals()}
		if len(oe.Checks) == 0 {
			// Admitted, but not at this access: the rules that hold the
			// user to another on-demand trigger.
			for _, c := range r.Before.Checks() {
				if c.Outcome == OutcomePassedOnDemand {
					oe.Checks = append(oe.Checks, c)
				}
			}
		}
		if len(oe.Checks) > 0 {
			oe.Rule = oe.Checks[0].Rule
		}
		return o, AccessResult{}, oe
	}
	next, _ := o.apply(i, r)
	res := AccessResult{Reconciliation: r}
	var old []string
	if before != nil {
		old = before.Teams
	}
	res.Joined, res.Left = diff(r.Record.Teams, old), diff(old, r.Record.Teams)
	rolesBefore, rolesAfter := o.Environment.teamRoles(old), o.Environment.teamRoles(r.Record.Teams)
	res.RolesGained, res.RolesLost = diff(rolesAfter, rolesBefore), diff(rolesBefore, rolesAfter)
	return next, res, nil
}

// teamRoles returns the names of the roles the live teams of groups give,
// sorted, each once.
func (env *Environment) teamRoles(groups []string) []string {
	var out []string
	for i := range env.Teams {
		t := &env.Teams[i]
		if t.GroupDeleted || !has(groups, t.Group) {
			continue
		}
		for _, r := range t.Roles {
			out = append(out, r.Name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// diff returns the elements of a not in b, in a's order.
func diff(a, b []string) []string {
	var out []string
	for _, x := range a {
		if !has(b, x) {
			out = append(out, x)
		}
	}
	return out
}

// team returns the index of the team of group g, or -1.
func (o Org) team(g string) int {
	for i := range o.Environment.Teams {
		if o.Environment.Teams[i].Group == g {
			return i
		}
	}
	return -1
}

// withTeams returns a copy of o whose environment's teams are a copy
// changed by f; the records are shared, never written.
func (o Org) withTeams(f func([]GroupTeam)) Org {
	out := o
	out.Environment.Teams = slices.Clone(o.Environment.Teams)
	for i := range out.Environment.Teams {
		out.Environment.Teams[i].Roles = slices.Clone(out.Environment.Teams[i].Roles)
	}
	f(out.Environment.Teams)
	return out
}

// AddTeam adds group team t to the environment (GT-TEAM). It is refused
// with an *OpError when t is malformed, and when a team for its group
// exists (ErrTeamExists): a group backs one team per environment, and a
// team's membership type cannot change. Nobody joins the team until its
// next access (GT-AT-ACCESS).
func (o Org) AddTeam(t GroupTeam) (Org, error) {
	const op = "AddTeam"
	if err := t.check(o.Environment.ID, -1); err != nil {
		return o, &OpError{Op: op, Key: t.Group, Rule: RuleGTTeam, Err: err}
	}
	if o.team(t.Group) >= 0 {
		return o, &OpError{Op: op, Key: t.Group, Rule: RuleGTTeam, Err: ErrTeamExists}
	}
	out := o.withTeams(func([]GroupTeam) {})
	t.Roles = slices.Clone(t.Roles)
	out.Environment.Teams = append(out.Environment.Teams, t)
	return out, nil
}

// SetTeamRoles gives the team of group g the security roles roles, in
// place of its own. Its members hold them through the team (GT-ROLES): a
// member's record holds the roles of the teams it is in.
func (o Org) SetTeamRoles(g string, roles []TeamRole) (Org, error) {
	const op = "SetTeamRoles"
	i := o.team(g)
	if i < 0 {
		return o, &OpError{Op: op, Key: g, Err: ErrNoTeam}
	}
	t := o.Environment.Teams[i]
	t.Roles = roles
	if err := t.check(o.Environment.ID, -1); err != nil {
		return o, &OpError{Op: op, Key: g, Rule: RuleGTTeam, Err: err}
	}
	return o.withTeams(func(teams []GroupTeam) { teams[i].Roles = slices.Clone(roles) }), nil
}

// DeleteTeamGroup records the deletion of the Entra group behind the team
// of group g: every member leaves the team at once, without waiting for
// its access, and the team gives no roles any more (GT-GROUP-DELETED).
func (o Org) DeleteTeamGroup(g string) (Org, error) {
	i := o.team(g)
	if i < 0 {
		return o, &OpError{Op: "DeleteTeamGroup", Key: g, Err: ErrNoTeam}
	}
	out := o.withTeams(func(teams []GroupTeam) { teams[i].GroupDeleted = true })
	out.Records = slices.Clone(o.Records)
	for j := range out.Records {
		r := &out.Records[j]
		if has(r.Teams, g) {
			r.Teams = diff(r.Teams, []string{g})
		}
	}
	return out, nil
}

// RemoveTeamMember is an administrator removing the record with key from
// the team of group g by hand. The user loses the team's roles now, and
// joins the team again at its next access while the team holds it
// (GT-AT-ACCESS). Removing a record that is not in the team changes
// nothing.
func (o Org) RemoveTeamMember(key, g string) (Org, error) {
	const op = "RemoveTeamMember"
	if o.team(g) < 0 {
		return o, &OpError{Op: op, Key: key, Err: ErrNoTeam}
	}
	i, oe := o.live(op, key)
	if oe != nil {
		return o, oe
	}
	if !has(o.Records[i].Teams, g) {
		return o, nil
	}
	return o.with(i, func(r *Record) { r.Teams = diff(r.Teams, []string{g}) }), nil
}
