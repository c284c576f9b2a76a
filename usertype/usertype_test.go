package usertype_test

import (
	"encoding"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// The Dataverse values of the access modes, from RULES.md.
func TestAccessModeValues(t *testing.T) {
	want := map[usertype.AccessMode]uint8{
		usertype.ReadWrite: 0, usertype.Administrative: 1, usertype.Read: 2,
		usertype.SupportUser: 3, usertype.NonInteractive: 4, usertype.DelegatedAdmin: 5,
	}
	for m, v := range want {
		if uint8(m) != v {
			t.Errorf("%s = %d, want %d", m, uint8(m), v)
		}
	}
	if len(usertype.AccessModes()) != len(want) {
		t.Errorf("AccessModes has %d modes, want %d", len(usertype.AccessModes()), len(want))
	}
	if usertype.AccessMode(6).IsValid() {
		t.Error("AccessMode(6) is valid")
	}
}

func TestAccessModeText(t *testing.T) {
	for _, c := range []struct {
		text string
		want usertype.AccessMode
	}{
		{"read-write", usertype.ReadWrite}, {"Administrative", usertype.Administrative}, {"READ", usertype.Read},
		{"support-user", usertype.SupportUser}, {"non-interactive", usertype.NonInteractive}, {"delegated-admin", usertype.DelegatedAdmin},
		{"0", usertype.ReadWrite}, {"4", usertype.NonInteractive}, {"5", usertype.DelegatedAdmin},
	} {
		var m usertype.AccessMode = 3
		if err := m.UnmarshalText([]byte(c.text)); err != nil || m != c.want {
			t.Errorf("UnmarshalText(%q) = %s, %v; want %s", c.text, m, err, c.want)
		}
	}
	for _, text := range []string{"", "6", "9", "-1", "readwrite", "owner", "00"} {
		m := usertype.Administrative
		err := m.UnmarshalText([]byte(text))
		if !errors.Is(err, provisioning.ErrUnknown) || m != usertype.Administrative {
			t.Errorf("UnmarshalText(%q) = %s, %v; want ErrUnknown and no change", text, m, err)
		}
		if err != nil && !strings.Contains(err.Error(), "access mode") || !strings.Contains(err.Error(), "want one of read-write, administrative, read, support-user, non-interactive, delegated-admin") {
			t.Errorf("error %q does not name the enum in words and list its values", err)
		}
	}
	if _, err := usertype.AccessMode(7).MarshalText(); !errors.Is(err, provisioning.ErrUnknown) {
		t.Errorf("MarshalText(7) error = %v, want ErrUnknown", err)
	}
}

func TestEnumsRoundTrip(t *testing.T) {
	for _, m := range usertype.AccessModes() {
		roundTrip(t, &m)
	}
	for _, k := range usertype.Kinds() {
		roundTrip(t, &k)
	}
}

func roundTrip[V interface {
	comparable
	encoding.TextMarshaler
}, P interface {
	*V
	encoding.TextUnmarshaler
}](t *testing.T, v P) {
	t.Helper()
	text, err := (*v).MarshalText()
	if err != nil {
		t.Fatalf("MarshalText(%v): %v", *v, err)
	}
	var back V
	if err := P(&back).UnmarshalText(text); err != nil || back != *v {
		t.Errorf("round trip of %v gave %v, %v", *v, back, err)
	}
}

func TestKindZeroIsInvalid(t *testing.T) {
	var k usertype.Kind
	if k.IsValid() || k.Synced() || k.CountsTowardLimit() {
		t.Errorf("zero Kind is valid or capable: %v", k)
	}
	if err := k.UnmarshalText([]byte("robot")); !errors.Is(err, provisioning.ErrUnknown) {
		t.Errorf("UnmarshalText(robot) = %v, want ErrUnknown", err)
	}
}

// What each kind can do, as RULES.md's user types say.
func TestKindCapabilities(t *testing.T) {
	type caps struct{ Synced, Counts bool }
	want := map[usertype.Kind]caps{
		usertype.KindRegular:        {Synced: true},               // UT-REGULAR
		usertype.KindApplication:    {Synced: true},               // UT-APPLICATION: not counted
		usertype.KindNonInteractive: {Synced: true, Counts: true}, // UT-NONINTERACTIVE, UT-NONINTERACTIVE-LIMIT
		usertype.KindSupport:        {},                           // UT-SUPPORT: not synchronized
		usertype.KindDelegatedAdmin: {},                           // UT-DELEGATED-ADMIN: not synchronized
		usertype.KindStub:           {},                           // UT-STUB: never synchronized, never enabled
		usertype.KindSetup:          {Synced: true},               // MODE-ADMINISTRATIVE
	}
	got := map[usertype.Kind]caps{}
	for _, k := range usertype.Kinds() {
		got[k] = caps{k.Synced(), k.CountsTowardLimit()}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("capabilities mismatch (-want +got):\n%s", diff)
	}
}

func TestWellKnownIdentities(t *testing.T) {
	if usertype.SupportUPN != "crmoln@microsoft.com" || usertype.DelegatedAdminUPN != "crmoln2@microsoft.com" {
		t.Errorf("well-known UPNs = %q, %q", usertype.SupportUPN, usertype.DelegatedAdminUPN)
	}
	if usertype.NonInteractiveLimit != 7 { // UT-NONINTERACTIVE-LIMIT
		t.Errorf("NonInteractiveLimit = %d, want 7", usertype.NonInteractiveLimit)
	}
	if usertype.NonInteractive.Interactive() || !usertype.ReadWrite.Interactive() {
		t.Error("Interactive: only non-interactive mode lacks the web interface")
	}
}

func TestClassify(t *testing.T) {
	for _, c := range []struct {
		name  string
		facts usertype.Traits
		want  usertype.Kind
		field string // of the error, when one is wanted
	}{
		{name: "UT-REGULAR read-write", facts: usertype.Traits{UPN: "ana@contoso.com"}, want: usertype.KindRegular},
		{name: "UT-REGULAR read", facts: usertype.Traits{UPN: "ana@contoso.com", Mode: usertype.Read}, want: usertype.KindRegular},
		{name: "setup user", facts: usertype.Traits{UPN: "ana@contoso.com", Mode: usertype.Administrative}, want: usertype.KindSetup},
		{name: "UT-APPLICATION", facts: usertype.Traits{Mode: usertype.NonInteractive, ApplicationID: "app-1"}, want: usertype.KindApplication},
		{name: "UT-APPLICATION in another mode", facts: usertype.Traits{ApplicationID: "app-1"}, want: usertype.KindApplication},
		{name: "UT-NONINTERACTIVE", facts: usertype.Traits{UPN: "svc@contoso.com", Mode: usertype.NonInteractive}, want: usertype.KindNonInteractive},
		{name: "UT-SUPPORT", facts: usertype.Traits{UPN: "CRMOLN@microsoft.com", Mode: usertype.SupportUser}, want: usertype.KindSupport},
		{name: "UT-DELEGATED-ADMIN", facts: usertype.Traits{UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin}, want: usertype.KindDelegatedAdmin},
		{name: "UT-STUB", facts: usertype.Traits{UPN: "gone@contoso.com", Stub: true}, want: usertype.KindStub},
		{name: "UT-SUPPORT mode on another UPN", facts: usertype.Traits{UPN: "eve@contoso.com", Mode: usertype.SupportUser}, field: "UPN"},
		{name: "UT-SUPPORT UPN in another mode", facts: usertype.Traits{UPN: usertype.SupportUPN}, field: "Mode"},
		{name: "UT-DELEGATED-ADMIN with an application", facts: usertype.Traits{UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin, ApplicationID: "a"}, field: "ApplicationID"},
		{name: "unknown mode", facts: usertype.Traits{UPN: "ana@contoso.com", Mode: 9}, field: "Mode"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := usertype.Classify(c.facts)
			if c.field == "" {
				if err != nil || got != c.want {
					t.Fatalf("Classify = %v, %v; want %v", got, err, c.want)
				}
				return
			}
			var fe *usertype.TraitsError
			if !errors.As(err, &fe) || fe.Field != c.field || got.IsValid() {
				t.Fatalf("Classify = %v, %v; want an error naming field %s", got, err, c.field)
			}
			if !strings.Contains(err.Error(), c.field) {
				t.Errorf("error %q does not name field %s", err, c.field)
			}
		})
	}
}
