package provisioningtest

import (
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
)

// Pair is a directory user and its own record in one environment: the
// inputs that provisioning.EvaluateRecord, Reconcile and NextAction decide
// on.
type Pair struct {
	// User is the directory user.
	User provisioning.User
	// Environment is the environment the record belongs to.
	Environment provisioning.Environment
	// Record is the user's record there: provisioning.Match pairs it with
	// User.
	Record provisioning.Record
}

// Pairs returns a generator of users with their own records, drawn as c
// says: a user of c.ObjectIDs (as Users draws it), an environment (Environments) and
// the user's record in it (as Records draws it): an application user's for a service
// principal, for any other user a regular, setup, read-only or
// non-interactive record or a stub carrying its object ID, its teams of
// the environment's group teams. provisioning.Reconcile decides every
// pair under every trigger without an error.
func (c Config) Pairs() *rapid.Generator[Pair] {
	c.check()
	ids := c.ObjectIDs()
	return rapid.Custom(func(t *rapid.T) Pair {
		id := rapid.SampledFrom(ids).Draw(t, "objectID")
		p := Pair{User: c.userOf(id).Draw(t, "user"), Environment: c.Environments().Draw(t, "environment")}
		p.Record = c.recordOf(id, &p.User, &p.Environment, false).Draw(t, "record")
		return p
	})
}

// Triggers returns a generator of the triggers: the background sync and
// the on-demand ones. It shrinks toward the background sync.
func Triggers() *rapid.Generator[provisioning.Trigger] {
	return rapid.SampledFrom(provisioning.Triggers())
}
