// Package tenantgen writes synthetic tenants for scale tests, benchmarks
// and demonstrations: Export, a tenant chosen by a seed and a size, writes
// its whole-tenant Microsoft Graph export and the Dataverse export of any
// of its environments, as package wire reads them, streamed, so that a
// million users cost no more memory than ten; Environments gives
// environments of the tenant for a tenant file that goes with them.
//
// The tenant is realistic, so that a correct configuration plans
// quietly: an environment's Dataverse export holds the records the last
// background sync left, decided by that environment's rules (security
// group, licenses, admin roles, group teams, the directory's state) from
// the same facts the Graph export writes, and a small, configurable share
// of changes since (Export.Stale, 3 per thousand by default), which the
// next sync creates, enables, updates or disables. A mistake in the
// configuration (a domain for the tenant ID, a mistyped security group)
// shows as the health check's error, not as a plan that disables
// thousands.
//
// It is its own package, beside the rapid generators of package
// provisioningtest, so that a program can write a tenant without linking
// pgregory.net/rapid or the testing package (and their command-line
// flags): it imports the standard library and package provisioning only.
// Nothing in it is random: the same Export writes the same bytes on any
// machine.
package tenantgen
