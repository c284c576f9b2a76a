// Package syncfields is the field-mapping sync from the directory to a
// SystemUser record: which columns the directory writes, from which
// attribute, and when.
//
// The mappings are data. A [Profile] is a list of [Row]s, one per column:
// the user-form label, the SystemUser logical name, the source attribute
// and the column's [Policy]. Three profiles are defined: [Online]
// (Microsoft Entra ID users, synchronized continuously), [OnPremises]
// (Active Directory Domain Services into Dynamics 365 Customer Engagement
// on-premises, filled once at creation) and [Application] (an application
// user's record from its service principal, which carries only a display
// name: written at creation, never after, SYNC-APPLICATION).
//
// [Profile.Create] and [Profile.Update] are pure functions from directory
// values (and, for an update, the existing record) to the new record and a
// [Result] that lists, on demand, every change and every column
// deliberately left alone, each with the rule that decided it: Full Name
// is written only at creation (SYNC-FULLNAME), Primary Email is never
// overwritten (SYNC-EMAIL), custom columns are never touched (SYNC-CUSTOM),
// a blank first name becomes "#" (SYNC-FIRSTNAME), and nothing changes
// on-premises after creation (SYNC-ONPREM). Updating a record whose
// columns already agree with the directory costs no allocation.
package syncfields
