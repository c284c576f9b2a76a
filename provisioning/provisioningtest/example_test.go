package provisioningtest_test

import (
	"fmt"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
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
