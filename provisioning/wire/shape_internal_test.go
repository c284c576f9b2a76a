package wire

import "testing"

// Every shape fits the 64 bits of the masks that tell the members read
// from those missing, each member's name is found by its bytes and only
// by them, and the member a shape is keyed by is one of its own.
func TestShapes(t *testing.T) {
	check := func(name string, members []string, find func([]byte) int, key string, keyAt int) {
		t.Helper()
		if len(members) > 64 {
			t.Errorf("%s: %d members, more than the masks hold", name, len(members))
		}
		for i, m := range members {
			if got := find([]byte(m)); got != i {
				t.Errorf("%s: member %q found at %d, want %d", name, m, got, i)
			}
			if got := find([]byte(m + "x")); got >= 0 {
				t.Errorf("%s: %q found as member %d", name, m+"x", got)
			}
		}
		if (key != "") != (keyAt >= 0) || keyAt >= 0 && members[keyAt] != key {
			t.Errorf("%s: keyed by %q, found at %d", name, key, keyAt)
		}
	}
	for name, s := range map[string]interface {
		memberNames() []string
		find([]byte) int
		keyed() (string, int)
	}{
		"graphUser": graphUser, "assignedLicense": assignedLicense, "licenseDetails": licenseDetails, "servicePlan": servicePlan,
		"directoryObject": directoryObject, "roleAssignment": roleAssignment, "servicePrincipal": servicePrincipal,
		"group": group, "team": team, "teamRole": teamRole, "systemUser": systemUser, "roleName": roleName, "teamGroup": teamGroup,
		"removal": removal, "usersDeltaItem": usersDeltaItem, "groupsDeltaItem": groupsDeltaItem, "deltaEntryShape": deltaEntryShape,
		"tenantExport": tenantExport, "dataverseExport": dataverseExport,
	} {
		key, at := s.keyed()
		check(name, s.memberNames(), s.find, key, at)
	}
	if find := graphUser.find; find(nil) >= 0 || find([]byte("i")) >= 0 || find([]byte("Id")) >= 0 {
		t.Error("graphUser finds a member that is not its own")
	}
}

func (s *shape[T]) memberNames() []string {
	var out []string
	for _, m := range s.members {
		out = append(out, m.name)
	}
	return out
}

func (s *shape[T]) keyed() (string, int) { return s.key, s.keyAt }

// A path names each level of a record's fields: an element of a list at
// the top, of a list inside an element, of a list in a member of an
// object, and of a list that is an element itself.
func TestPathText(t *testing.T) {
	for _, c := range []struct {
		p    path
		want string
	}{
		{root, ""},
		{field("servicePlans").at(2), "servicePlans[2]"},
		{field("servicePlans").at(2).member("provisioningStatus"), "servicePlans[2].provisioningStatus"},
		{field("servicePlans").at(2).member("tags").at(0), "servicePlans[2].tags[0]"},
		{field("extension").member("phones").at(1), "extension.phones[1]"},
		{field("rows").at(1).at(4), "rows[1][4]"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("path %+v = %q, want %q", c.p, got, c.want)
		}
	}
}
