package provisioning_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
)

// A refused user has no access mode: its action's JSON has none
// (issue 12, defect 1), and an action read back from JSON is the same.
func TestActionJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		a, _ := provisioning.NextAction(&u, &env, nil, tr)
		data, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(string(data), `"accessMode"`); has != (a.Verb != provisioning.Refuse) {
			t.Fatalf("%s action, JSON %s: accessMode present %v", a.Verb, data, has)
		}
		var back provisioning.Action
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if a.Verb == provisioning.Refuse {
			back.Mode = a.Mode // not carried: the user has no record
		}
		if diff := cmp.Diff(a, back, errText); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		if got := string(a.AppendJSON([]byte("x"))); got != "x"+string(data) {
			t.Fatalf("AppendJSON = %s, want x%s", got, data)
		}
	})
	if _, err := json.Marshal(provisioning.Action{}); err == nil {
		t.Error("an action without a verb marshals")
	}
}

// errText compares errors by their text.
var errText = cmp.Comparer(func(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
})
