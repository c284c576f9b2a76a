package provisioning_test

import (
	"encoding/json"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// A refusal cannot be read as an access mode by a caller that ignores the
// flag: a decision that admits nobody, and an action that leaves the user
// without a record, say usertype.NoAccessMode, which is no Dataverse mode
// and has no text form to write.
func TestRefusalHasNoAccessMode(t *testing.T) {
	u, env := licensed(), production()
	u.Groups = nil // refused by SG-MEMBER
	d := provisioning.Evaluate(&u, &env)
	m, ok := d.AccessMode()
	if ok || m != usertype.NoAccessMode || m.IsValid() || m.String() != "none" {
		t.Errorf("AccessMode of a refusal = %v, %v", m, ok)
	}
	if _, err := m.MarshalText(); err == nil {
		t.Error("NoAccessMode has a text form")
	}
	a, _ := provisioning.NextAction(&u, &env, nil, provisioning.BackgroundSync)
	if a.Verb != provisioning.Refuse || a.Mode != usertype.NoAccessMode {
		t.Errorf("action %v with mode %v, want refuse with no mode", a.Verb, a.Mode)
	}
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var back provisioning.Action
	if err := json.Unmarshal(data, &back); err != nil || back.Mode != usertype.NoAccessMode {
		t.Errorf("%s read back with mode %v, %v", data, back.Mode, err)
	}
	u.Groups = []string{"g-sales"}
	if m, ok := provisioning.Evaluate(&u, &env).AccessMode(); !ok || m != usertype.ReadWrite {
		t.Errorf("an admitted user's mode = %v, %v", m, ok)
	}
}
