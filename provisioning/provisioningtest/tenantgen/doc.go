// Package tenantgen writes synthetic tenants for scale tests, benchmarks
// and demonstrations: Export, a tenant chosen by a seed and a size, writes
// its whole-tenant Microsoft Graph export and the Dataverse export of any
// of its environments, as package wire reads them, streamed, so that a
// million users cost no more memory than ten; Environments gives
// environments of the tenant for a tenant file that goes with them.
//
// It is its own package, beside the rapid generators of package
// provisioningtest, so that a program can write a tenant without linking
// pgregory.net/rapid or the testing package (and their command-line
// flags): it imports the standard library and package provisioning only.
// Nothing in it is random: the same Export writes the same bytes on any
// machine.
package tenantgen
