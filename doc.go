// Package provisionrules is the root of a pure Go rules engine for how
// Microsoft Entra ID users become, stay and stop being users (SystemUser
// records) of Dataverse environments in Power Platform. It does no I/O:
// values in, decisions out, each explained rule by rule.
//
// The module has three packages, each importing only those before it:
//
//   - [github.com/provisionrules/provisionrules/usertype]: the vocabulary of
//     Dataverse users: access modes with their Dataverse values, the kinds
//     of users (regular, application, non-interactive, support, delegated
//     admin, stub, setup), the well-known support and delegated-admin
//     identities, and the limit of seven non-interactive users.
//   - [github.com/provisionrules/provisionrules/syncfields]: which
//     SystemUser columns the directory writes, and when.
//   - [github.com/provisionrules/provisionrules/provisioning]: directory
//     users, environments and records; Evaluate, which decides whether a
//     user is admitted (automatically, on demand only, or never), with which
//     access mode and why; and the lifecycle of existing records.
//
// Start with provisioning.Evaluate and the Decision it returns. Every rule
// has a stable ID from the project's rules catalogue (ENV-DATAVERSE,
// SG-NESTED, LIC-GUEST-TENANT, ...); provisioning.Rules lists them, and
// every decision names the ones it checked, passed or failed, with what
// would fix each failure.
//
// Package provisioning/provisioningtest holds rapid generators of valid
// inputs for property-based tests, this module's and others'.
package provisionrules
