package provisioning_test

import (
	"maps"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// usersMachine drives one environment's records through random sequences
// of administrators' operations and directory syncs.
type usersMachine struct {
	s    provisioning.Org
	keys []string // every key an operation may name, known or not
	ids  []string // object IDs of directory users
	// deleted holds the keys of the records soft-deleted so far: they stay
	// soft-deleted until permanently deleted (invariant 12).
	deleted map[string]bool
}

func newUsersMachine(t *rapid.T) *usersMachine {
	m := &usersMachine{s: provisioning.Org{Environment: provisioningtest.EdgeCases().Environments().Draw(t, "env")}, deleted: map[string]bool{}}
	m.s.Records = []provisioning.Record{
		{UPN: usertype.SupportUPN, Mode: usertype.SupportUser},
		{UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin},
		{UPN: "stub@contoso.com", Stub: true, Disabled: true, Roles: []string{"Basic User"}},
	}
	for i := range 12 {
		id := "r-" + strconv.Itoa(i)
		m.ids = append(m.ids, id)
		if rapid.IntRange(0, 3).Draw(t, "has record "+id) == 0 {
			continue
		}
		r := provisioningtest.EdgeCases().Records().Draw(t, "record "+id)
		if r.ObjectID == "" { // a well-known or stub draw: make it a regular record
			r = provisioning.Record{Mode: usertype.ReadWrite}
		}
		r.ObjectID = id
		r.Fields.Columns.Set(syncfields.ObjectID, id)
		if r.ApplicationID == "" {
			r.UPN = id + "@contoso.com"
		}
		if r.Mode == usertype.NonInteractive && r.ApplicationID == "" && m.s.NonInteractiveCount() >= usertype.NonInteractiveLimit {
			r.Mode = usertype.ReadWrite
		}
		if r.SoftDeleted {
			m.deleted[id] = true
		}
		m.s.Records = append(m.s.Records, r)
	}
	// Start near the limit as often as not, so that the eighth is tried.
	for i, want := 0, rapid.IntRange(0, usertype.NonInteractiveLimit).Draw(t, "non-interactive at start"); i < len(m.s.Records) && m.s.NonInteractiveCount() < want; i++ {
		if r := &m.s.Records[i]; r.ObjectID != "" && r.ApplicationID == "" {
			r.Mode = usertype.NonInteractive
		}
	}
	m.keys = append([]string{usertype.SupportUPN, usertype.DelegatedAdminUPN, "stub@contoso.com", "new@contoso.com", "nobody"}, m.ids...)
	return m
}

// step applies an operation and checks what every operation must keep:
// its receiver unchanged, nothing changed when it is refused, no record
// deleted but by PermanentDelete, and no team membership changed but by
// the operations that may change them (invariant 11).
func (m *usersMachine) step(t *rapid.T, op string, f func(provisioning.Org) (provisioning.Org, error)) {
	before := m.s
	snapshot := deepCopy(before)
	next, err := f(before)
	if !same(snapshot, before) {
		t.Fatalf("%s changed its receiver (-before +after):\n%s", op, cmp.Diff(snapshot, before, cmpopts.EquateEmpty()))
	}
	if err != nil {
		if !same(snapshot, next) {
			t.Fatalf("refused %s (%v) changed the state (-before +after):\n%s", op, err, cmp.Diff(snapshot, next, cmpopts.EquateEmpty()))
		}
		return
	}
	if op != "PermanentDelete" {
		m.neverDeletes(t, op, before, next)
		switch op {
		case "Access", "DeleteTeamGroup", "RemoveTeamMember", "SoftDelete":
		default:
			for i := range before.Records {
				if !slices.Equal(before.Records[i].Teams, next.Records[i].Teams) {
					t.Fatalf("%s changed the teams of %s: %v, then %v (invariant 11)", op, key(before.Records[i]), before.Records[i].Teams, next.Records[i].Teams)
				}
			}
		}
	}
	m.s = next
}

// directoryUser draws a directory user of one of the machine's object IDs,
// a service principal when its record says so.
func (m *usersMachine) directoryUser(t *rapid.T) provisioning.User {
	u := provisioningtest.EdgeCases().Users().Draw(t, "user")
	u.ObjectID = rapid.SampledFrom(m.ids).Draw(t, "who")
	u.UPN, u.ApplicationID = u.ObjectID+"@contoso.com", ""
	for _, r := range m.s.Records {
		if r.ObjectID == u.ObjectID && r.ApplicationID != "" {
			// A service principal: its record carries its application ID.
			u.UPN, u.ApplicationID = "", r.ApplicationID
		}
	}
	u.Attributes = provisioningtest.Attributes().Draw(t, "attributes")
	if len(m.s.Environment.Teams) > 0 && rapid.Bool().Draw(t, "in a team's group?") {
		g := rapid.SampledFrom(m.s.Environment.Teams).Draw(t, "team").Group
		if rapid.Bool().Draw(t, "owner?") {
			u.OwnedGroups = append(u.OwnedGroups, g)
		} else {
			u.Groups = append(u.Groups, g)
		}
	}
	return u
}

// access is a directory user's own access: on success its record is in
// exactly the teams that hold it (GT-AT-ACCESS).
func (m *usersMachine) access(t *rapid.T) {
	u := m.directoryUser(t)
	var res provisioning.AccessResult
	m.step(t, "Access", func(s provisioning.Org) (provisioning.Org, error) {
		next, r, err := s.Access(&u)
		res = r
		return next, err
	})
	for _, r := range m.s.Records {
		if provisioning.Match(&u, &r) && res.Action.Verb.IsValid() {
			// Team membership is a set: its order is not the rule's.
			if want := m.s.Environment.TeamsOf(&u); !slices.Equal(slices.Sorted(slices.Values(r.Teams)), slices.Sorted(slices.Values(want))) {
				t.Fatalf("after its access %s is in teams %v, want %v (GT-AT-ACCESS)", u.ObjectID, r.Teams, want)
			}
		}
	}
}

// deleteTeamGroup deletes a team's group: no record is in its team after.
func (m *usersMachine) deleteTeamGroup(t *rapid.T) {
	g := rapid.SampledFrom(append(groupsOf(m.s.Environment), "g-none")).Draw(t, "group")
	m.step(t, "DeleteTeamGroup", func(s provisioning.Org) (provisioning.Org, error) { return s.DeleteTeamGroup(g) })
	for _, r := range m.s.Records {
		if slices.Contains(r.Teams, g) {
			t.Fatalf("%s is still in the team of deleted group %s (GT-GROUP-DELETED)", key(r), g)
		}
	}
}

func groupsOf(env provisioning.Environment) []string {
	var out []string
	for _, t := range env.Teams {
		out = append(out, t.Group)
	}
	return out
}

// softDelete soft-deletes a record, its directory user present or gone:
// a record whose regular directory user still exists is never
// soft-deleted (invariant 12).
func (m *usersMachine) softDelete(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	var u *provisioning.User
	if rapid.Bool().Draw(t, "user still in the directory?") {
		d := m.directoryUser(t)
		d.ObjectID = k
		u = &d
	}
	m.step(t, "SoftDelete", func(s provisioning.Org) (provisioning.Org, error) {
		next, err := s.SoftDelete(k, u)
		if err == nil {
			i := slices.IndexFunc(s.Records, func(r provisioning.Record) bool { return r.Key() == k })
			kind, _ := s.Records[i].Kind()
			if u != nil && !u.Deleted && kind != usertype.KindApplication && kind != usertype.KindStub {
				t.Fatalf("soft-deleted %s while its directory user exists (invariant 12)", k)
			}
			m.deleted[k] = true
		}
		return next, err
	})
}

// permanentDelete removes a record: only a soft-deleted one, and only it.
func (m *usersMachine) permanentDelete(t *rapid.T) {
	k := rapid.SampledFrom(m.keys).Draw(t, "key")
	before := m.s
	m.step(t, "PermanentDelete", func(s provisioning.Org) (provisioning.Org, error) { return s.PermanentDelete(k) })
	if len(m.s.Records) == len(before.Records) {
		return
	}
	if !m.deleted[k] || len(m.s.Records) != len(before.Records)-1 || slices.ContainsFunc(m.s.Records, func(r provisioning.Record) bool { return r.Key() == k }) {
		t.Fatalf("PermanentDelete of %s removed more or other than one soft-deleted record (invariant 12)", k)
	}
	delete(m.deleted, k)
}

// neverDeletes: every record of before is still in next (LIFE-NEVER-DELETE).
func (m *usersMachine) neverDeletes(t *rapid.T, op string, before, next provisioning.Org) {
	if len(next.Records) < len(before.Records) {
		t.Fatalf("%s deleted a record: %d records, then %d", op, len(before.Records), len(next.Records))
	}
	for i := range before.Records {
		if key(before.Records[i]) != key(next.Records[i]) {
			t.Fatalf("%s removed or moved record %s", op, key(before.Records[i]))
		}
	}
}

func key(r provisioning.Record) string {
	if r.ObjectID != "" {
		return r.ObjectID
	}
	return r.UPN
}

// same and sameRecord compare states as cmp.Equal with EquateEmpty does,
// only much faster, for the many steps of the state machine and the
// lifecycle walk. They name every field; TestSameSeesEveryField holds
// that they do.
func same(a, b provisioning.Org) bool {
	return sameEnvironment(&a.Environment, &b.Environment) && slices.EqualFunc(a.Records, b.Records, sameRecord)
}

func sameEnvironment(a, b *provisioning.Environment) bool {
	return a.ID == b.ID && a.Tenant == b.Tenant && a.Type == b.Type && a.Dataverse == b.Dataverse &&
		a.SecurityGroup == b.SecurityGroup && a.AppPass == b.AppPass && a.TenantMarketing == b.TenantMarketing &&
		a.Creator == b.Creator && a.DynamicsApps == b.DynamicsApps && a.RootBusinessUnit == b.RootBusinessUnit &&
		a.Settings == b.Settings && slices.EqualFunc(a.Teams, b.Teams, sameTeam)
}

func sameTeam(a, b provisioning.GroupTeam) bool {
	return a.Group == b.Group && a.Name == b.Name && a.Kind == b.Kind && a.Rule == b.Rule && a.Membership == b.Membership &&
		a.InSecurityGroup == b.InSecurityGroup && a.GroupDeleted == b.GroupDeleted && slices.Equal(a.Roles, b.Roles)
}

func sameRecord(a, b provisioning.Record) bool {
	return a.ObjectID == b.ObjectID && a.UPN == b.UPN && a.Mode == b.Mode && a.Disabled == b.Disabled &&
		a.ApplicationID == b.ApplicationID && a.Stub == b.Stub && a.SystemUserID == b.SystemUserID &&
		a.SoftDeleted == b.SoftDeleted && a.OwnedRecords == b.OwnedRecords && a.OnDemand == b.OnDemand &&
		slices.Equal(a.Roles, b.Roles) && slices.Equal(a.Teams, b.Teams) &&
		a.Fields.Columns == b.Fields.Columns && a.Fields.EmailEdited == b.Fields.EmailEdited && sameCustom(a.Fields.Custom, b.Fields.Custom)
}

// sameCustom is maps.Equal, at once for one map seen twice, as the
// records of two states often share it.
func sameCustom(a, b map[string]string) bool {
	return len(a) == len(b) && (reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer() || maps.Equal(a, b))
}

func deepCopy(s provisioning.Org) provisioning.Org {
	out := s
	out.Records = append([]provisioning.Record(nil), s.Records...)
	for i := range out.Records {
		out.Records[i].Roles = append([]string(nil), out.Records[i].Roles...)
		out.Records[i].Teams = append([]string(nil), out.Records[i].Teams...)
	}
	out.Environment.Teams = append([]provisioning.GroupTeam(nil), s.Environment.Teams...)
	return out
}

// sync runs a directory sync of one user and checks invariants 5, 8, 11
// and 12.
func (m *usersMachine) sync(t *rapid.T) {
	u := m.directoryUser(t)
	tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
	before := deepCopy(m.s)
	next, rec := m.s.Sync(&u, tr)
	a := rec.Action
	if a.Err != nil && !same(before, next) {
		t.Fatalf("refused sync changed the state: %v", a.Err)
	}
	m.neverDeletes(t, "Sync", before, next)
	for i := range before.Records {
		b, n := before.Records[i], next.Records[i]
		kind, _ := b.Kind()
		if !kind.Synced() && !sameRecord(b, n) {
			t.Fatalf("Sync changed the %s record %s (invariant 8)", kind, key(b))
		}
		if !maps.Equal(b.Fields.Custom, n.Fields.Custom) {
			t.Fatalf("Sync changed custom columns of %s (invariant 8)", key(b))
		}
		if a.Err == nil && b.ObjectID == u.ObjectID && (!u.Enabled || u.Deleted || u.SoftDeleted) {
			if !n.Disabled { // invariant 5: ends disabled, never enabled
				t.Fatalf("record of directory-disabled user %s is enabled after %s (%s)", u.ObjectID, a.Verb, a.Rules)
			}
		}
		if b.SoftDeleted && !sameRecord(b, n) {
			t.Fatalf("Sync changed soft-deleted record %s (invariant 12)", key(b))
		}
		if tr != provisioning.FirstAccess && !slices.Equal(b.Teams, n.Teams) {
			t.Fatalf("%s changed the teams of %s (invariant 11)", tr, key(b))
		}
	}
	if a.Verb == provisioning.Create && tr == provisioning.BackgroundSync {
		// Invariant 11: never because a team holds the user.
		alone := m.s.Environment
		alone.Teams = nil
		if !provisioning.Evaluate(&u, &alone).Admits(provisioning.BackgroundSync) {
			t.Fatalf("the background sync created a record for %s because a team holds it", u.ObjectID)
		}
	}
	if a.Err != nil {
		t.Fatalf("a well-formed sync was refused: %v", a.Err)
	}
	if (!u.Enabled || u.Deleted || u.SoftDeleted) && (a.Verb == provisioning.Create || a.Verb == provisioning.Enable) {
		t.Fatalf("directory-disabled user got %s", a.Verb)
	}
	m.s = next
}

// check runs after every step: the limit of invariant 1 holds, and a
// soft-deleted record stays soft-deleted, disabled, without roles or teams
// (invariant 12).
func (m *usersMachine) check(t *rapid.T) {
	if n := m.s.NonInteractiveCount(); n > usertype.NonInteractiveLimit {
		t.Fatalf("%d non-interactive users (invariant 1)", n)
	}
	for _, r := range m.s.Records {
		if m.deleted[r.Key()] && (!r.SoftDeleted || !r.Disabled || len(r.Roles) > 0 || len(r.Teams) > 0) {
			t.Fatalf("soft-deleted record %s was changed: %+v (invariant 12)", r.Key(), r)
		}
	}
}

// TestOrgStateMachine: whatever sequence of operations, syncs, accesses,
// team changes and deletions is applied, no environment holds more than 7
// non-interactive users that are not application users, a refused
// operation changes nothing, the sync never deletes a record, support,
// delegated-admin and stub records and custom columns are never changed by
// the sync, a directory-disabled user's record ends disabled, team
// memberships change only at access, by hand or with the team's group, the
// background sync never creates a record for a team, a record whose
// directory user exists is never soft-deleted, and only a soft-deleted
// record is permanently deleted, never changed after (invariants 1, 5, 8,
// 11 and 12).
func TestOrgStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := newUsersMachine(t)
		pick := func(t *rapid.T) string { return rapid.SampledFrom(m.keys).Draw(t, "key") }
		t.Repeat(map[string]func(*rapid.T){
			"MarkNonInteractive": func(t *rapid.T) {
				k := rapid.SampledFrom(m.ids).Draw(t, "key")
				m.step(t, "MarkNonInteractive", func(s provisioning.Org) (provisioning.Org, error) { return s.MarkNonInteractive(k) })
			},
			"SetAccessMode": func(t *rapid.T) {
				k := pick(t)
				md := usertype.AccessMode(rapid.IntRange(0, 6).Draw(t, "mode"))
				m.step(t, "SetAccessMode", func(s provisioning.Org) (provisioning.Org, error) { return s.SetAccessMode(k, md) })
			},
			"AssignRole": func(t *rapid.T) {
				k := pick(t)
				role := rapid.SampledFrom(provisioningtest.Roles()).Draw(t, "role")
				m.step(t, "AssignRole", func(s provisioning.Org) (provisioning.Org, error) { return s.AssignRole(k, role) })
			},
			"RemoveRoles": func(t *rapid.T) {
				k := pick(t)
				m.step(t, "RemoveRoles", func(s provisioning.Org) (provisioning.Org, error) { return s.RemoveRoles(k) })
			},
			"ImportStub": func(t *rapid.T) {
				upn := rapid.SampledFrom([]string{"new@contoso.com", "stub@contoso.com", "r-1@contoso.com"}).Draw(t, "upn")
				m.step(t, "ImportStub", func(s provisioning.Org) (provisioning.Org, error) { return s.ImportStub(upn) })
			},
			"Sync":            m.sync,
			"Access":          m.access,
			"DeleteTeamGroup": m.deleteTeamGroup,
			"RemoveTeamMember": func(t *rapid.T) {
				k := pick(t)
				g := rapid.SampledFrom(append(groupsOf(m.s.Environment), "g-none")).Draw(t, "group")
				m.step(t, "RemoveTeamMember", func(s provisioning.Org) (provisioning.Org, error) { return s.RemoveTeamMember(k, g) })
			},
			"SoftDelete":      m.softDelete,
			"PermanentDelete": m.permanentDelete,
			"":                m.check,
		})
	})
}

// TestSameSeesEveryField: same tells apart two states that differ in any
// one field, however deep (a field it did not name would make a changed
// state look unchanged to every test that uses it). It changes every
// field of an Org in turn, found by reflection: a string, a number, a
// flag, a list's length, a map's keys.
func TestSameSeesEveryField(t *testing.T) {
	state := func() provisioning.Org {
		o := provisioning.Org{Environment: provisioning.Environment{
			Teams: []provisioning.GroupTeam{{Roles: []provisioning.TeamRole{{}}}},
		}}
		o.Records = []provisioning.Record{{Roles: []string{""}, Teams: []string{""}}}
		o.Records[0].Fields.Custom = map[string]string{"": ""}
		return o
	}
	n := 0
	for ; ; n++ {
		changed := state()
		k := n
		if !changeField(reflect.ValueOf(&changed).Elem(), &k) {
			break
		}
		if same(state(), changed) {
			t.Errorf("same does not see change %d: %+v", n, changed)
		}
	}
	if n < 40 {
		t.Errorf("only %d changes made", n)
	}
}

// changeField changes the k-th field of v, counting in depth-first order
// every field, every list's length and every map's keys, and reports
// whether there was one.
func changeField(v reflect.Value, k *int) bool {
	if v.Type() == reflect.TypeFor[syncfields.Values]() {
		// Opaque: each column counts as a field, changed through Set.
		vals := v.Addr().Interface().(*syncfields.Values)
		for _, c := range syncfields.Columns() {
			if *k == 0 {
				vals.Set(c, vals.Get(c)+"x")
				return true
			}
			*k--
		}
		return false
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if changeField(v.Field(i), k) {
				return true
			}
		}
		return false
	case reflect.Array, reflect.Slice:
		if v.Kind() == reflect.Slice {
			if *k == 0 {
				v.Set(reflect.Append(v, reflect.New(v.Type().Elem()).Elem()))
				return true
			}
			*k--
		}
		for i := range v.Len() {
			if changeField(v.Index(i), k) {
				return true
			}
		}
		return false
	}
	if *k > 0 {
		*k--
		return false
	}
	switch v.Kind() {
	case reflect.Map:
		v.SetMapIndex(reflect.ValueOf("other"), reflect.ValueOf(""))
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 1)
	case reflect.Int:
		v.SetInt(v.Int() + 1)
	default:
		panic("changeField: no change for kind " + v.Kind().String())
	}
	return true
}
