package tenant

import (
	"maps"
	"slices"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// Delta is what changed in the directory since the last read, as
// Microsoft Graph's change tracking reports it (users/delta and
// groups/delta pages, decoded by package wire), and optionally a fresh
// read of the directory role assignments, which delta queries do not
// track.
type Delta struct {
	// Users are the users that changed, each at most once.
	Users []provisioning.UserChange `json:"users,omitempty"`
	// Groups are the groups whose members or owners changed.
	Groups []provisioning.GroupChange `json:"groups,omitempty"`
	// Roles, when not nil, is a fresh read of every user's admin roles: a
	// user it does not list holds none.
	Roles *provisioning.DirectoryRoles `json:"roles,omitempty"`
	// UsersLink is the @odata.deltaLink of the users/delta query's last
	// page: the request of its next cycle. Empty when the delta does not
	// hold that page; the state then keeps the link it had.
	UsersLink string `json:"usersLink,omitempty"`
	// GroupsLink is the @odata.deltaLink of the groups/delta query's last
	// page, kept like UsersLink.
	GroupsLink string `json:"groupsLink,omitempty"`
}

// Affected is what applying a delta changed: the users whose inputs to the
// rules changed, by object ID in order.
type Affected struct {
	// Users are the affected users' object IDs, sorted: those changed,
	// added, soft-deleted, restored or hard-deleted, those whose
	// memberships, ownerships or roles changed.
	Users []string `json:"users"`
	// Added counts the users the delta brought that the state did not
	// hold.
	Added int `json:"added"`
	// Gone counts the users it hard-deleted.
	Gone int `json:"gone"`
	// Ignored counts the changes about users the state does not hold that
	// could not add one: removals, and memberships of unknown users.
	Ignored int `json:"ignored"`
}

// State is a tenant that a sequence of deltas keeps up to date, for
// incremental planning: the snapshot of the last full read, and the users
// and records changed since then. Apply and WithRecord are pure: they
// return a new State and leave their receiver as it was, at a cost that
// grows with the changes since the full read, not with the tenant. The
// directory's deltas do not change Dataverse: after writing a plan's
// actions, a caller gives the state the records as Dataverse then holds
// them (WithRecord).
type State struct {
	base                  *Snapshot
	x                     *index
	byID                  map[string]*provisioning.User            // the snapshot's users by object ID
	records               []map[string]provisioning.CheckedRecord  // by key, as the snapshot's check proved them
	changed               map[string]*provisioning.User            // since the snapshot; nil: gone
	recorded              map[[2]string]provisioning.CheckedRecord // written since, by environment and key
	admins                map[string]bool                          // users that hold a role now
	usersLink, groupsLink string
	opts                  Options
}

// NewState indexes s for incremental planning, under opts: s must pass
// what Plan checks before it plans (Check, every element well formed, and
// the health check, whose error findings opts must accept), and must not
// change while the State, or any State that Apply makes from it, is in
// use. opts also sets the disable threshold of PlanChanges.
func NewState(s *Snapshot, opts Options) (*State, error) {
	x, err := s.prepare(provisioning.BackgroundSync, opts, true)
	if err != nil {
		return nil, err
	}
	st := &State{base: s, x: x, opts: opts, byID: make(map[string]*provisioning.User, len(x.users)), admins: map[string]bool{}, changed: map[string]*provisioning.User{}, recorded: map[[2]string]provisioning.CheckedRecord{}}
	for _, e := range x.users {
		st.byID[e.id.s] = e.u
		if e.u.Roles|e.u.GroupRoles != 0 {
			st.admins[e.id.s] = true
		}
	}
	st.records = make([]map[string]provisioning.CheckedRecord, len(x.envs))
	for k := range x.envs {
		m := make(map[string]provisioning.CheckedRecord, len(x.records[k]))
		for _, e := range x.records[k] {
			m[e.key.s] = e.c // every record passed its check (prepare validates)
		}
		st.records[k] = m
	}
	return st, nil
}

// record returns the record with key in environment k as the state holds
// it now, checked; the zero CheckedRecord for none.
func (st *State) record(k int, key string) provisioning.CheckedRecord {
	if r, ok := st.recorded[[2]string{st.x.envs[k].ID, key}]; ok {
		return r
	}
	return st.records[k][key]
}

// WithRecord returns the state with record r in place of the record of
// the same key (Record.Key) in environment env, or added to it: what
// Dataverse holds once a plan's action is written. r must be valid, and
// env one of the state's environments.
func (st *State) WithRecord(env string, r provisioning.Record) (*State, error) {
	if st.x.env(env) < 0 {
		return st, &provisioning.FieldError{Input: "record", Key: r.Key(), Field: "Environment", Value: env, Err: ErrNoEnvironment}
	}
	cr, err := provisioning.CheckRecord(&r)
	if err != nil {
		return st, err
	}
	next := *st
	next.recorded = maps.Clone(st.recorded)
	next.recorded[[2]string{env, r.Key()}] = cr
	return &next, nil
}

// UsersLink returns the users/delta link of the last delta that held one:
// the next cycle's request for the users.
func (st *State) UsersLink() string { return st.usersLink }

// GroupsLink returns the groups/delta link of the last delta that held
// one: the next cycle's request for the groups.
func (st *State) GroupsLink() string { return st.groupsLink }

// User returns the directory user with object ID id as the state holds it
// now, or nil when it holds none (never read, or hard-deleted).
func (st *State) User(id string) *provisioning.User {
	if u, ok := st.changed[id]; ok {
		return u
	}
	return st.byID[id]
}

// Apply returns the state after delta d, and what it affected. It applies
// every user change, then every group change, then the role read:
//
//   - a change of a user the state does not hold adds it, when it is not
//     a removal (which is ignored and counted); the added user must be
//     valid, its UPN and accountEnabled among the changed properties;
//   - HardRemoved takes the user out of the directory: its records are
//     then records no user matches (LIFE-MATCH), and the sync disables
//     them (LIFE-DISABLE); SoftRemoved marks it soft-deleted; a user that
//     comes back without a removal is restored (LIFE-ENABLE-ON-ACCESS, the
//     sync enables it again when it is entitled);
//   - the properties that changed are set; a license list replaces the
//     user's;
//   - member and owner changes add or remove the group from the users'
//     direct groups or owned groups (nested memberships are read only in
//     full reads; they never admit anyone, SG-NESTED);
//   - a role read replaces every user's roles.
//
// A change that would make a user malformed is an error naming it, and
// the receiver is returned unchanged.
//
// Apply costs the delta's users and group changes, and a copy of the set
// of users changed since NewState (the new state must not share it with
// the receiver, which stays valid). After many cycles that set is large:
// now and then, start again with NewState(st.Snapshot(), opts).
func (st *State) Apply(d Delta) (*State, Affected, error) {
	next := *st
	if d.UsersLink != "" {
		next.usersLink = d.UsersLink
	}
	if d.GroupsLink != "" {
		next.groupsLink = d.GroupsLink
	}
	// edited holds the users this delta changes, copied on first change;
	// nil for one hard-deleted.
	edited := make(map[string]*provisioning.User, len(d.Users)+4*len(d.Groups))
	var a Affected
	// The copies are made in blocks: one allocation for many users. A
	// block that fills is left to the copies already in it.
	var copies []provisioning.User
	// edit returns the copy of the user with id to change, or nil when the
	// state holds no such user.
	edit := func(id string) *provisioning.User {
		if u, ok := edited[id]; ok {
			return u
		}
		u := st.User(id)
		if u == nil {
			return nil
		}
		if len(copies) == cap(copies) {
			copies = make([]provisioning.User, 0, min(max(len(d.Users), 16), 1024))
		}
		copies = append(copies, *u)
		c := &copies[len(copies)-1]
		edited[id] = c
		return c
	}
	// The changed users are looked up, then copied, each in a pass of its
	// own: independent loads, which the processor overlaps, rather than a
	// lookup and a copy waiting on each other for every user.
	found := make([]*provisioning.User, len(d.Users))
	for i := range d.Users {
		found[i] = st.User(d.Users[i].ObjectID)
	}
	copies = make([]provisioning.User, len(d.Users))
	for i, u := range found {
		if u != nil {
			copies[i] = *u
		}
	}
	for i, u := range found {
		if u != nil { // of a user given twice, the later copy, which both changes edit
			edited[d.Users[i].ObjectID] = &copies[i]
		}
	}
	copies = copies[len(copies):]
	for i := range d.Users {
		c := &d.Users[i]
		if c.ObjectID == "" {
			return st, Affected{}, &provisioning.FieldError{Input: "delta", Field: indexed("Users", i) + ".ObjectID", Err: provisioning.ErrMissing}
		}
		u := edit(c.ObjectID)
		switch {
		case u == nil && c.Removed != provisioning.NotRemoved:
			a.Ignored++
			continue
		case u == nil:
			u = &provisioning.User{ObjectID: c.ObjectID}
			edited[c.ObjectID] = u
			a.Added++
		case c.Removed == provisioning.HardRemoved:
			edited[c.ObjectID] = nil
			a.Gone++
			continue
		}
		// Graph reports what is still in the directory: soft-deleted, or
		// present (restored, when it was soft-deleted).
		u.Deleted, u.SoftDeleted = false, c.Removed == provisioning.SoftRemoved
		applyChange(c, u)
		if err := u.Validate(); err != nil {
			return st, Affected{}, at("delta", c.ObjectID, indexed("Users", i), err)
		}
	}
	for i := range d.Groups {
		g := &d.Groups[i]
		if g.Group == "" {
			return st, Affected{}, &provisioning.FieldError{Input: "delta", Field: indexed("Groups", i) + ".Group", Err: provisioning.ErrMissing}
		}
		for _, m := range [...]struct {
			ids        []string
			add, owned bool
		}{{g.MembersAdded, true, false}, {g.MembersRemoved, false, false}, {g.OwnersAdded, true, true}, {g.OwnersRemoved, false, true}} {
			for _, id := range m.ids {
				u := edit(id)
				if u == nil {
					a.Ignored++
					continue
				}
				list := &u.Groups
				if m.owned {
					list = &u.OwnedGroups
				}
				// A new list: the old one is the unchanged state's.
				l := make([]string, 0, len(*list)+1)
				for _, x := range *list {
					if x != g.Group {
						l = append(l, x)
					}
				}
				if m.add {
					l = append(l, g.Group)
				}
				*list = l
			}
		}
	}
	// The admins' set is copied before its first change: the receiver's
	// must not change.
	next.admins = st.admins
	copied := false
	admins := func() map[string]bool {
		if !copied {
			next.admins, copied = maps.Clone(st.admins), true
		}
		return next.admins
	}
	if d.Roles != nil {
		holders := maps.Clone(st.admins)
		for id := range d.Roles.Roles {
			holders[id] = true
		}
		for id := range d.Roles.GroupRoles {
			holders[id] = true
		}
		for id := range holders {
			cur := edited[id]
			if _, ok := edited[id]; !ok {
				cur = st.User(id)
			}
			roles, groupRoles := d.Roles.Roles[id], d.Roles.GroupRoles[id]
			switch {
			case cur == nil:
				a.Ignored++
				continue
			case cur.Roles == roles && cur.GroupRoles == groupRoles:
				continue
			}
			u := edit(id)
			u.Roles, u.GroupRoles = roles, groupRoles
			if err := u.Validate(); err != nil {
				return st, Affected{}, at("delta", id, "Roles", err)
			}
		}
	}
	next.changed = make(map[string]*provisioning.User, len(st.changed)+len(edited))
	maps.Copy(next.changed, st.changed)
	a.Users = make([]string, 0, len(edited))
	for id, u := range edited {
		next.changed[id] = u
		a.Users = append(a.Users, id)
		switch {
		case u != nil && u.Roles|u.GroupRoles != 0 && !next.admins[id]:
			admins()[id] = true
		case (u == nil || u.Roles|u.GroupRoles == 0) && next.admins[id]:
			delete(admins(), id)
		}
	}
	slices.Sort(a.Users)
	return &next, a, nil
}

// applyChange sets the properties c changed on u.
func applyChange(c *provisioning.UserChange, u *provisioning.User) {
	if c.UPN != nil {
		u.UPN = *c.UPN
	}
	if c.Enabled != nil {
		u.Enabled = *c.Enabled
	}
	if c.Guest != nil {
		u.Guest = *c.Guest
	}
	if c.HomeTenant != nil {
		u.HomeTenant = *c.HomeTenant
	}
	if c.Licenses != nil {
		u.Licenses = slices.Clone(*c.Licenses)
	}
	if c.Columns != 0 {
		old := u.Attributes
		u.Attributes = syncfields.MakeValues(func(col syncfields.Column) string {
			if c.Columns.Has(col) {
				return c.Attributes.Get(col)
			}
			return old.Get(col)
		})
	}
}

// Snapshot returns the tenant the state holds now, as a new Snapshot
// sharing the records and the unchanged users' lists with the one it was
// made from. It costs a copy of the users.
func (st *State) Snapshot() *Snapshot {
	s := &Snapshot{Tenant: st.base.Tenant, Groups: st.base.Groups, Environments: st.base.Environments, Records: st.base.Records}
	if len(st.recorded) > 0 {
		s.Records = maps.Clone(st.base.Records)
		if s.Records == nil {
			s.Records = map[string][]provisioning.Record{}
		}
		for _, env := range slices.Sorted(maps.Keys(envsOf(st.recorded))) {
			list := slices.Clone(s.Records[env])
			for i := range list {
				if r, ok := st.recorded[[2]string{env, list[i].Key()}]; ok {
					list[i] = *r.Record()
				}
			}
			var added []string
			for key := range st.recorded {
				if key[0] == env && !slices.ContainsFunc(list, func(r provisioning.Record) bool { return r.Key() == key[1] }) {
					added = append(added, key[1])
				}
			}
			slices.Sort(added)
			for _, key := range added {
				list = append(list, *st.recorded[[2]string{env, key}].Record())
			}
			s.Records[env] = list
		}
	}
	for i := range st.base.Users {
		id := st.base.Users[i].ObjectID
		if u, ok := st.changed[id]; ok {
			if u != nil {
				s.Users = append(s.Users, *u)
			}
			continue
		}
		s.Users = append(s.Users, st.base.Users[i])
	}
	for _, id := range slices.Sorted(maps.Keys(st.changed)) {
		if u := st.changed[id]; u != nil && st.byID[id] == nil {
			s.Users = append(s.Users, *u)
		}
	}
	return s
}

// envsOf returns the environments of the records in m.
func envsOf(m map[[2]string]provisioning.CheckedRecord) map[string]bool {
	out := map[string]bool{}
	for k := range m {
		out[k[0]] = true
	}
	return out
}

// PlanChanges plans what trigger t does for the affected users a in every
// environment: exactly the actions of Plan on the state's tenant for the
// pairs of an affected user, in Plan's order; for a user gone from the
// directory, its records' actions (LIFE-MATCH, LIFE-DISABLE). The pairs of
// other users are left out: their actions are those of the last plan. It
// costs the affected users times the environments.
//
// Like Plan, it returns an empty PlanResult and a *MalformedError when a pair is
// malformed, and the threshold's *FindingsError when it would disable
// more records than the state's Options allow (CHK-DISABLE-THRESHOLD).
func (st *State) PlanChanges(a Affected, t provisioning.Trigger) (PlanResult, error) {
	steps, tot, err := st.changes(a, t)
	if err != nil {
		return PlanResult{}, err
	}
	b := PlanResult{Trigger: t, Actions: make([]provisioning.Action, len(steps)), Totals: tot}
	for i := range steps {
		b.Actions[i] = steps[i].Action
	}
	return b, nil
}

// EachChange is PlanChanges for a caller that writes the actions: it
// visits each with the inputs it was decided from (Step: the environment,
// the directory user as the state holds it, the record, the decision), in
// PlanChanges' order, as Each does for a full plan, once the whole
// incremental plan has passed PlanChanges' checks: nothing is visited when
// a pair is malformed or the plan would disable more records than the
// state's Options allow. An error from visit stops the visits and is
// returned. Step.Write gives each action's Dataverse write.
func (st *State) EachChange(a Affected, t provisioning.Trigger, visit func(*Step) error) (Totals, error) {
	steps, tot, err := st.changes(a, t)
	if err != nil {
		return Totals{}, err
	}
	for i := range steps {
		if err := visit(&steps[i]); err != nil {
			return tot, err
		}
	}
	return tot, nil
}

// changes decides the incremental plan of a under t, with its totals, or
// the error that stops it.
func (st *State) changes(a Affected, t provisioning.Trigger) ([]Step, Totals, error) {
	if !t.IsValid() {
		return nil, Totals{}, &provisioning.FieldError{Input: "trigger", Field: "Trigger", Value: t.String(), Err: provisioning.ErrUnknown}
	}
	var bad malformed
	var disables tally
	steps := make([]Step, 0, len(a.Users)*len(st.x.envs))
	tot := Totals{Environments: make([]EnvironmentTotals, len(st.x.envs))}
	// Each user is checked once, for every environment: a user that fails
	// its check is decided on the unchecked path, which reports why.
	users := make([]*provisioning.User, len(a.Users))
	checked := make([]provisioning.CheckedUser, len(a.Users))
	for i, id := range a.Users {
		if users[i] = st.User(id); users[i] != nil {
			checked[i], _ = provisioning.CheckUser(users[i])
		}
	}
	recs := make([]provisioning.CheckedRecord, len(a.Users))
	// a.Users is sorted as strings sort, which is Plan's order (sortKey).
	for k, env := range st.x.envs {
		// The records are looked up in a pass of their own, so that the
		// processor overlaps the lookups (see Apply).
		for i, id := range a.Users {
			recs[i] = st.record(k, id)
		}
		counts := &tot.Environments[k].Counts
		tot.Environments[k].Environment = env.ID
		ce := st.x.checked[k]
		emit := func(cu provisioning.CheckedUser, u *provisioning.User, cr provisioning.CheckedRecord) {
			act, d := decidePair(ce, env, cu, u, cr, cr.Record(), t)
			steps = append(steps, Step{Action: act, Decision: d, Environment: env, User: u, Record: cr.Record()})
			counts.add(&act)
			bad.add(act.Err)
			disables.add(&act)
		}
		var noUser provisioning.CheckedUser
		var noRecord provisioning.CheckedRecord
		for i, u := range users {
			cr, cu := recs[i], checked[i]
			rec := cr.Record()
			switch {
			case u == nil && rec == nil:
			case u == nil:
				emit(noUser, nil, cr)
			case rec != nil && !provisioning.Match(u, rec):
				// A record keyed like the user but not its own: Plan puts it
				// after the user, as a record no user matches.
				emit(cu, u, noRecord)
				emit(noUser, nil, cr)
			default:
				emit(cu, u, cr)
			}
		}
		tot.All.merge(*counts)
	}
	err := bad.err()
	if err == nil {
		err = disables.check(st.opts)
	}
	if err != nil {
		return nil, Totals{}, err
	}
	return steps, tot, nil
}
