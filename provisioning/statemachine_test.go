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
}

func newUsersMachine(t *rapid.T) *usersMachine {
	m := &usersMachine{s: provisioning.Org{Environment: provisioningtest.Environments().Draw(t, "env")}}
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
		r := provisioningtest.EdgeCases.Records().Draw(t, "record "+id)
		if r.ObjectID == "" { // a well-known or stub draw: make it a regular record
			r = provisioning.Record{Mode: usertype.ReadWrite}
		}
		r.ObjectID = id
		r.Fields.Columns[syncfields.ObjectID] = id
		if r.ApplicationID == "" {
			r.UPN = id + "@contoso.com"
		}
		if r.Mode == usertype.NonInteractive && r.ApplicationID == "" && m.s.NonInteractiveCount() >= usertype.NonInteractiveLimit {
			r.Mode = usertype.ReadWrite
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

// step applies an operation and checks what every operation must keep.
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
	m.neverDeletes(t, op, before, next)
	m.s = next
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
// only much faster, for the many steps of the state machine.
func same(a, b provisioning.Org) bool {
	return reflect.DeepEqual(a.Environment, b.Environment) && slices.EqualFunc(a.Records, b.Records, sameRecord)
}

func sameRecord(a, b provisioning.Record) bool {
	return a.ObjectID == b.ObjectID && a.UPN == b.UPN && a.Mode == b.Mode && a.Disabled == b.Disabled &&
		a.ApplicationID == b.ApplicationID && a.Stub == b.Stub &&
		a.SoftDeleted == b.SoftDeleted && a.OwnedRecords == b.OwnedRecords && a.OnDemand == b.OnDemand &&
		slices.Equal(a.Roles, b.Roles) && slices.Equal(a.Teams, b.Teams) &&
		a.Fields.Columns == b.Fields.Columns && a.Fields.EmailEdited == b.Fields.EmailEdited && maps.Equal(a.Fields.Custom, b.Fields.Custom)
}

func deepCopy(s provisioning.Org) provisioning.Org {
	out := s
	out.Records = append([]provisioning.Record(nil), s.Records...)
	for i := range out.Records {
		out.Records[i].Roles = append([]string(nil), out.Records[i].Roles...)
	}
	return out
}

// sync runs a directory sync of one user and checks invariants 5 and 8.
func (m *usersMachine) sync(t *rapid.T) {
	u := provisioningtest.EdgeCases.Users().Draw(t, "user")
	u.ObjectID = rapid.SampledFrom(m.ids).Draw(t, "who")
	u.UPN, u.ApplicationID = u.ObjectID+"@contoso.com", ""
	for _, r := range m.s.Records {
		if r.ObjectID == u.ObjectID && r.ApplicationID != "" {
			// A service principal: its record carries its application ID.
			u.UPN, u.ApplicationID = "", r.ApplicationID
		}
	}
	u.Attributes = provisioningtest.Attributes().Draw(t, "attributes")
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
	}
	if a.Err != nil {
		t.Fatalf("a well-formed sync was refused: %v", a.Err)
	}
	if (!u.Enabled || u.Deleted || u.SoftDeleted) && (a.Verb == provisioning.Create || a.Verb == provisioning.Enable) {
		t.Fatalf("directory-disabled user got %s", a.Verb)
	}
	m.s = next
}

// check runs after every step: the limit of invariant 1 holds.
func (m *usersMachine) check(t *rapid.T) {
	if n := m.s.NonInteractiveCount(); n > usertype.NonInteractiveLimit {
		t.Fatalf("%d non-interactive users (invariant 1)", n)
	}
}

// TestUsersStateMachine: whatever sequence of operations and syncs is
// applied, no environment holds more than 7 non-interactive users that are
// not application users, a refused operation changes nothing, records are
// never deleted, support, delegated-admin and stub records and custom
// columns are never changed by the sync, and a directory-disabled user's
// record ends disabled (invariants 1, 5 and 8).
func TestUsersStateMachine(t *testing.T) {
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
				role := rapid.SampledFrom(provisioningtest.Roles).Draw(t, "role")
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
			"Sync": m.sync,
			"":     m.check,
		})
	})
}
