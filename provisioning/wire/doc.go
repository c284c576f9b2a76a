// Package wire reads the JSON that Microsoft Graph and the Dataverse Web
// API return into the types of package provisioning. The requests that
// apply a plan are package webapi's.
//
// # What it reads
//
// Microsoft Graph, one page at a time, each into a [Page] with its
// @odata.nextLink and @odata.deltaLink: users ([ReadGraphUsers], and one
// user object with [ReadGraphUser]), licenseDetails
// ([ReadLicenseDetails]), memberOf, transitiveMemberOf, ownedObjects and a
// group's members, owners and memberOf, cast to groups or not
// ([ReadDirectoryObjects]), directory role assignments
// ([ReadRoleAssignments]), service principals ([ReadServicePrincipals])
// and groups ([ReadGroups]). [ProvisioningUser] and
// [ProvisioningServicePrincipal] turn one object and the lists about it
// into a provisioning.User.
//
// Microsoft Graph's change tracking, for incremental sync with
// tenant.State: a users/delta page into provisioning.UserChange values
// ([ReadUsersDelta]), a groups/delta page into the members and owners
// each group gained and lost ([ReadGroupsDelta], [GroupChanges]), and,
// since delta queries do not track directory roles, a fresh read of the
// role assignments into a provisioning.DirectoryRoles ([AssignedRoles]).
//
// A whole tenant: one JSON object holding "tenantId" and the Graph
// responses as they came, read by [ReadDirectory], which streams the
// users and returns a [Directory].
//
// Dataverse: systemusers rows ([ReadSystemUsers]) into provisioning.Record
// values, written back by [EncodeSystemUser]; teams rows ([ReadTeams]),
// from which [Directory.GroupTeams] builds an environment's group teams;
// and one environment's export, with this library's extension for
// soft-deleted records and owned-record counts, read by
// [ReadDataverseExport], which streams the records.
//
// There is one way to read each thing, from an io.Reader (a []byte is
// read with bytes.NewReader); an export's reader streams, and collects
// what it streams when given no yield function.
//
// Each kind of JSON object is a table of its members, read by one loop:
// a property the package reads is one row of its table.
//
// # Streaming
//
// Everything is read with a pull parser over a buffer of fixed size: no
// reader holds its input, skipped values are never held, and identifiers
// many records share (group, tenant and SKU IDs, plan names) are held once
// by each goroutine that reads.
// The memory a whole-tenant read needs is that of the users it returns,
// the relations not yet matched to their user, and the groups. Users and
// records are yielded as soon as everything about them has been read:
// for a tenant export, once the relations have all been read, so an
// export with its relations before "users" streams its users, and one
// with "users" first holds them to the end (see [ReadDirectory]).
//
// A whole-tenant export is read on as many cores as Options.Workers
// says, all of them by default: other goroutines read its users and
// their relations' entries ahead of the one that puts them together, and
// hold no more than a few MiB of the input for it. The users, their order
// and the first error are those of a read on one goroutine.
//
// # Integrity
//
// Every entry point refuses what the model cannot hold, with an *Error
// naming the source, the record (its index in its page and its ID), the
// field, the value and the byte offset: malformed JSON, text that is not
// UTF-8, nesting deeper than 64 levels and data after the document
// ([ErrSyntax]); a value of the wrong JSON type ([ErrType]); a missing
// required field or a null record ([provisioning.ErrMissing]); a value the service
// does not document ([provisioning.ErrUnknown]); an identifier holding control or
// bidirectional formatting characters ([provisioning.ErrMalformed]); two users,
// records, groups or teams with one ID, or a member given twice
// ([provisioning.ErrDuplicate]). A user or record that fails provisioning's Validate is
// an *Error wrapping the *provisioning.FieldError. Whatever a reader
// returns passes tenant.Snapshot.Check. None panics.
//
// # Readings where the services are silent
//
// Each fails closed, and is documented where it applies:
//
//   - every identifier is read in its canonical form
//     (provisioning.CanonicalID): a GUID in lower case, whatever case the
//     service wrote it in (Dataverse often writes upper case), so that a
//     record pairs with its user (LIFE-MATCH) and a relation with its
//     subject;
//   - a guest's home tenant is the domain in its local_domain#EXT#@tenant
//     UPN, or [UnknownHomeTenant] when the UPN does not say
//     (LIC-GUEST-TENANT);
//   - licenses are classified by a [Classifier] by SKU ID or part number
//     and service plan ID or name; only a service plan whose
//     provisioningStatus is Success counts, and a license whose own plan is
//     off, or with no plan on, is Inactive (LIC-REQUIRED); an unknown SKU
//     is never a valid license;
//   - a directory role counts only at scope "/"; one assigned to a group
//     goes to the members' GroupRoles, which do not count
//     (LIC-EXEMPT-ADMIN);
//   - a Dataverse primary email is treated as customer-edited, so never
//     overwritten (SYNC-EMAIL), and a record without an Entra object ID
//     that is neither well-known nor an application user is a stub
//     (UT-STUB);
//   - a dynamic group whose rule reads a device property holds no user
//     (GT-TEAM), and a group team's role with isinherited null does not
//     give member's privilege inheritance (GT-ROLES);
//   - in a delta, a property absent is unchanged and null clears it, but
//     userPrincipalName, accountEnabled and userType cannot be cleared
//     (null is refused); a members@delta or owners@delta entry with
//     "@removed" of either reason left the group; a group's own deletion
//     is reported, not applied to its members; two items with one ID in
//     one page are refused.
package wire
