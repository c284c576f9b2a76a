package provisioningtest_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// canUseFeature is a downstream service's own gate: it lets a user use a
// feature only where the background sync would add the user.
func canUseFeature(u *provisioning.User, env *provisioning.Environment) bool {
	return provisioning.Evaluate(u, env).Admits(provisioning.BackgroundSync)
}

// A downstream suite checks its gate against the rules with this module's
// generators. In a test file the property runs under rapid:
//
//	func TestFeatureGate(t *testing.T) {
//		rapid.Check(t, func(t *rapid.T) {
//			u := provisioningtest.EdgeCases().Users().Draw(t, "user")
//			env := provisioningtest.Environments().Draw(t, "env")
//			if canUseFeature(&u, &env) && !u.Enabled {
//				t.Fatalf("feature open to disabled user %s", u.UPN)
//			}
//		})
//	}
//
// Here the same property runs over the generators' first examples.
func Example() {
	users, envs := provisioningtest.EdgeCases().Users(), provisioningtest.Environments()
	opened, broken := 0, 0
	for i := range 300 {
		u, env := users.Example(i), envs.Example(i)
		if !canUseFeature(&u, &env) {
			continue
		}
		opened++
		if !u.Enabled || u.Deleted || u.SoftDeleted || !env.Dataverse {
			broken++
		}
	}
	fmt.Println("the gate opened for some:", opened > 0)
	fmt.Println("it opened for a disabled user or an environment without Dataverse:", broken)
	// Output:
	// the gate opened for some: true
	// it opened for a disabled user or an environment without Dataverse: 0
}

// A Config's weights are percentages: with Guest at 25 and every other
// weight 0, about a quarter of the users are guests, and nothing else is
// an edge case.
func ExampleConfig() {
	users := provisioningtest.Config{Guest: 25}.Users()
	guests, other := 0, 0
	for i := range 1000 {
		u := users.Example(i)
		if u.Guest {
			guests++
		}
		if !u.Enabled || u.Roles != 0 || u.ApplicationID != "" || len(u.OwnedGroups) > 0 || len(u.NestedGroups) > 0 {
			other++
		}
	}
	fmt.Printf("guests: about %d %%; other edge cases: %d\n", (guests+25)/50*5, other)
	// Output:
	// guests: about 25 %; other edge cases: 0
}

// A malformed input comes with the refusal it must get, which a
// downstream validator can be held to.
func ExampleConfig_Malformed() {
	m := provisioningtest.EdgeCases().Malformed().Example(3)
	err := provisioning.EvaluateRecord(&m.User, &m.Environment, &m.Record).Err()
	if m.Input == "trigger" {
		err = provisioning.Reconcile(&m.User, &m.Environment, &m.Record, m.Trigger).Action.Err
	}
	var fe *provisioning.FieldError
	fmt.Println(errors.As(err, &fe) && fe.Input == m.Input && fe.Field == m.Field && errors.Is(err, m.Err))
	// Output:
	// true
}

// A page of Dataverse systemusers is JSON that package wire reads back
// into the records the page holds.
func ExampleConfig_SystemUserPages() {
	p := provisioningtest.EdgeCases().SystemUserPages().Example(1)
	got, err := wire.ReadSystemUsers(bytes.NewReader(p.JSON))
	fmt.Println(err, len(p.Values) > 0, reflect.DeepEqual(got.Items, p.Values))
	// Output:
	// <nil> true true
}
