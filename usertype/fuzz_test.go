package usertype_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// FuzzAccessModeText: UnmarshalText reads only the six modes, by name or
// digit, and whatever it reads writes back to an equal value.
func FuzzAccessModeText(f *testing.F) {
	for _, s := range []string{"read-write", "4", "Non-Interactive", "6", "", "crmoln"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var m usertype.AccessMode
		if err := m.UnmarshalText([]byte(text)); err != nil {
			if !errors.Is(err, provisioning.ErrUnknown) || m != usertype.ReadWrite {
				t.Fatalf("UnmarshalText(%q): %v, left %v", text, err, m)
			}
			return
		}
		out, err := m.MarshalText()
		if err != nil || !m.IsValid() {
			t.Fatalf("read %q as invalid %v", text, m)
		}
		if !strings.EqualFold(string(out), text) && text != string('0'+byte(m)) {
			t.Fatalf("read %q, wrote %q", text, out)
		}
	})
}

// FuzzClassify: Classify never panics, and either returns a valid kind or
// a *TraitsError naming one of the three fields.
func FuzzClassify(f *testing.F) {
	f.Add("crmoln@microsoft.com", uint8(3), "", false)
	f.Add("ana@contoso.com", uint8(9), "app", true)
	f.Fuzz(func(t *testing.T, upn string, mode uint8, app string, stub bool) {
		k, err := usertype.Classify(usertype.Traits{UPN: upn, Mode: usertype.AccessMode(mode), ApplicationID: app, Stub: stub})
		if err == nil {
			if !k.IsValid() {
				t.Fatalf("no error but kind %v", k)
			}
			return
		}
		var fe *usertype.TraitsError
		if !errors.As(err, &fe) || (fe.Field != "Mode" && fe.Field != "UPN" && fe.Field != "ApplicationID") || k.IsValid() {
			t.Fatalf("Classify error %v (kind %v)", err, k)
		}
	})
}
