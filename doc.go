// Package provisionrules is the root of a pure Go rules engine for how
// Microsoft Entra ID users become, stay and stop being users (SystemUser
// records) of Dataverse environments in Power Platform. It does no I/O:
// values in, decisions out, each explained rule by rule.
//
// The module's packages, each importing only those listed before it:
//
//   - [github.com/provisionrules/provisionrules/usertype]: the vocabulary of
//     Dataverse users: access modes with their Dataverse values, the kinds
//     of users (regular, application, non-interactive, support, delegated
//     admin, stub, setup), the well-known support and delegated-admin
//     identities, and the limit of seven non-interactive users.
//   - [github.com/provisionrules/provisionrules/syncfields]: which
//     SystemUser columns the directory writes, from which attribute, and
//     when.
//   - [github.com/provisionrules/provisionrules/provisioning]: the rules for
//     one user and one environment: Evaluate (admitted automatically, on
//     demand only, or never; access mode; why), Reconcile for an existing
//     record, the administrators' operations on an environment's records,
//     group teams and record deletion.
//   - [github.com/provisionrules/provisionrules/provisioning/tenant]: a
//     whole tenant: the integrity check of a snapshot, the health check of
//     its configuration (Diagnose), the plan of a sync
//     (parallel, streamed), what-if of a change, the deletion report, and
//     incremental planning from Microsoft Graph deltas.
//   - [github.com/provisionrules/provisionrules/provisioning/provisioningtest]:
//     rapid generators of valid inputs for property-based tests, this
//     module's and others', malformed inputs with the errors they get,
//     what-if changes, operations for state machines and JSON pages.
//   - [github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen]:
//     a writer of realistic tenants of any size, for scale tests and
//     benchmarks, that links no test code.
//   - [github.com/provisionrules/provisionrules/provisioning/wire]: Microsoft
//     Graph and Dataverse Web API JSON read into the model, streaming.
//   - [github.com/provisionrules/provisionrules/provisioning/webapi]: the
//     Dataverse Web API requests that apply a plan, in $batch requests,
//     and their responses read back.
//   - [github.com/provisionrules/provisionrules/provisioning/load]: a
//     checked tenant snapshot built from a tenant's files: its tenant file,
//     read strictly, a whole-tenant Graph export and Dataverse exports.
//
// Start with provisioning.Evaluate and the Decision it returns. Every rule
// has a stable ID from the project's rules catalogue (ENV-DATAVERSE,
// SG-NESTED, LIC-GUEST-TENANT, GT-SG, DEL-SOFT, ...); provisioning.Rules
// and syncfields.Rules list them, and every decision names the ones it
// checked, passed or failed, with what would fix each failure.
package provisionrules
