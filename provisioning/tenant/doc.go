// Package tenant is the tenant layer of the provisioning rules: a whole
// tenant at one moment (a Snapshot of its directory users, environments
// and SystemUser records), the plan of what a sync does to every record of
// it, what a change to an environment would do before it is made, and
// which records an administrator could delete.
//
// It is built only on package provisioning's exported API, as go-cmp's
// cmpopts is built on cmp: every pair of a user and a record is decided by
// provisioning.NextAction, and paired by provisioning.Match. What the
// tenant layer adds is scale and integrity: one check of a snapshot's
// structure (Snapshot.Check) that every entry point runs, a stable order
// that does not depend on the input's, and plans made in parallel and
// streamed in that order.
//
// Start with Plan, or Each for a plan visited as it is produced; then
// WhatIf.
package tenant
