package tenant

import "errors"

// ErrNoEnvironment: an environment ID that no environment of the snapshot
// has, named by a change, a record given to a State, or the key of a
// snapshot's records. The package's other errors are
// *provisioning.FieldError and *provisioning.OpError values wrapping the
// sentinels of package provisioning (ErrMissing, ErrDuplicate,
// ErrMalformed, ...), the same values whichever package reports them.
var ErrNoEnvironment = errors.New("no environment has this ID")
