// Package wire reads the JSON that Microsoft Graph and the Dataverse Web
// API return into the types of package provisioning, and writes records
// back.
//
// Microsoft Graph: user objects, licenseDetails, memberOf,
// transitiveMemberOf and ownedObjects lists (only groups are kept, by
// @odata.type), directory role assignments (by role template ID),
// service principals, each as a list page with its @odata.nextLink. A
// [Directory] gathers the pages of one tenant and turns them into
// provisioning.User values; [DecodeDirectory] reads a whole export at once.
//
// Dataverse: systemusers rows (accessmode, isdisabled, applicationid,
// azureactivedirectoryobjectid, the synced columns, security roles through
// $expand), read by [DecodeSystemUsers] into provisioning.Record values and
// written back by [EncodeSystemUser].
//
// Licenses are classified by a [Classifier]: a table from SKU part number
// and service-plan name to provisioning.LicensePlan, with a documented
// default that callers can extend. An unknown SKU is not a valid license
// (fail closed).
//
// Every decoder reports malformed JSON, a wrong type, an unknown enum
// value or a missing required field as an *Error naming the source, the
// record and the field; none panics.
package wire
