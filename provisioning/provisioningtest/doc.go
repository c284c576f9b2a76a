// Package provisioningtest provides rapid (pgregory.net/rapid) generators
// of the inputs of packages provisioning, tenant and wire, for this
// module's property tests and for other modules' own, as net/http/httptest
// serves tests of HTTP code. The generators are deterministic: the same
// rapid seed draws the same values.
//
// Every generated value is valid by construction, and valid as a whole: a
// snapshot passes Snapshot.Validate and plans without an error, a user's
// record is its own. The generators draw object IDs, tenants, groups and
// roles from small pools (Config.ObjectIDs, Tenants, Groups, Roles), so
// that the coincidences that matter happen often: a user who is a member
// of the environment's group, a guest whose license was assigned in the
// environment's tenant, the creator of a developer environment, a record
// of a user gone. Config.Size makes the tenant as large as a test needs.
//
// A Config weighs each edge case in percent, 0 never and 100 always; the
// zero Config draws plain values only, Default the mix of the
// package-level generators, EdgeCases every case often. Shrinking goes
// toward the plain case: a counterexample keeps only the cases it needs.
//
// What each generator draws (the methods of Config; Default's at package
// level where named so):
//
//   - Licenses: a license of any plan, in one of Tenants, inactive or not.
//   - Users: a directory user: member or guest (#EXT# UPN), enabled,
//     disabled, deleted or soft-deleted, a service principal (application
//     ID "app-" + its object ID, no UPN, no license, no attribute), with
//     licenses, admin roles directly or through a group, direct, owned and
//     nested groups (each once), and profile attributes.
//   - Environments: an environment of any type, with Dataverse or not, a
//     security group or not (never on a developer environment, which has a
//     creator), app pass, Marketing, Dynamics 365 apps, both org settings,
//     and group teams (Team: any kind, rule and membership type, roles,
//     its group sometimes deleted).
//   - Records: a record of any kind: regular, setup, read-only,
//     non-interactive, application, support, delegated-admin, stub;
//     disabled or not, with roles, teams, owned records, field-sync
//     columns (Fields) and custom columns, a systemuserid, marked on
//     demand, soft-deleted.
//   - Pairs: a user with its own record in an environment, the pair
//     Reconcile decides; Triggers: the triggers.
//   - Snapshots: a tenant: users of Config.ObjectIDs, one to three
//     environments of one tenant, each with the records of its users, of
//     users gone, the well-known records and stubs.
//   - Malformed: a pair or trigger made malformed in one documented way,
//     with the input, field and sentinel error it must be refused with.
//   - Changes: what-if changes to an environment of a snapshot, every one
//     of which tenant.WhatIf accepts.
//   - Orgs and Ops: an environment's records, and operations of every
//     provisioning.Org method drawn from the current state, for state
//     machines (Op.Apply applies one).
//   - Deltas: Microsoft Graph directory changes to a snapshot, as
//     tenant.State applies them.
//   - GraphUserPages and SystemUserPages: pages of Graph users and of
//     Dataverse systemusers as JSON, with the values package wire reads
//     back from them.
//   - Attributes and Fields: a user's attribute values and a record's
//     field-sync columns, alone.
//
// The writer of synthetic tenants for scale tests and benchmarks is
// package tenantgen, which a program can import without linking rapid or
// the testing package; Export is its old name here.
package provisioningtest
