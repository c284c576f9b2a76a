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
	if a.Verb != provisioning.NotAdded || a.Mode != usertype.NoAccessMode {
		t.Errorf("action %v with mode %v, want not-added with no mode", a.Verb, a.Mode)
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

// Two decisions of equal malformed inputs are Equal (their errors say the
// same), though == tells their fresh errors apart; decisions that differ
// are not, whether in their facts or in their errors.
func TestDecisionEqual(t *testing.T) {
	u, env := licensed(), production()
	env.Tenant = "contoso\x00"
	a, b := provisioning.Evaluate(&u, &env), provisioning.Evaluate(&u, &env)
	if !a.Equal(b) || a.Err() == nil {
		t.Errorf("decisions of one malformed input differ: %v / %v", a, b)
	}
	env.Tenant = "contoso\x01"
	if c := provisioning.Evaluate(&u, &env); a.Equal(c) {
		t.Error("decisions with different errors are Equal")
	}
	env = production()
	ok := provisioning.Evaluate(&u, &env)
	if !ok.Equal(provisioning.Evaluate(&u, &env)) || ok.Equal(a) || a.Equal(ok) {
		t.Error("Equal of well-formed decisions, or of a well-formed and a malformed one, is wrong")
	}
	u.Groups = nil
	if ok.Equal(provisioning.Evaluate(&u, &env)) {
		t.Error("two different decisions are Equal")
	}
}
