// Package provisioning decides, for one Microsoft Entra ID user and one
// Power Platform environment, whether the user gets a SystemUser record in
// the environment's Dataverse: automatically by the background sync, only
// on demand (the user's own first access, or an administrator), or never;
// with which access mode; and why, rule by rule, with what would fix each
// failure. It also decides what a sync does to a record that exists
// (create, enable, disable, update, leave or not-added), carries out the
// operations administrators perform on an environment's records, and
// answers for group teams and record deletion.
//
// Start with [Evaluate], which takes a [User] and an [Environment] and
// returns a [Decision]: its [Admission], access mode, and the [Outcome] of
// every checked rule. [Decision.Checks] and [Decision.Explain] return the
// explanation, grouped by [Area] the way the admin center's "Run
// diagnostics" groups its checks; [Decision.AppendJSON] writes it into a
// reused buffer, allocating nothing. Every rule has a stable ID from the
// catalogue, the rule table of the module's README ([Rule], [Rules]);
// decisions, actions and refused operations cite them.
//
// For a user that has a record, [EvaluateRecord] adds what the record
// tells, and [Reconcile] decides what a [Trigger] does with it, returning
// the [Action], the record after it and what the field sync (package
// syncfields) wrote and kept. [NextAction] is the same without building the
// record; [Action.Write] is the Dataverse write the action implies.
// [Match] is the one place users and records are paired (LIFE-MATCH).
//
// [Org] is one environment's records, with the administrators' operations,
// each a pure function from one state to the next, refused with an
// [OpError] (and nothing changed) when a rule forbids it: access modes and
// the non-interactive limit, security roles, stubs, a user's own access to
// the environment and the group teams it joins ([Org.Access]), group teams
// and their deleted groups, and the two stages of deleting a record
// ([CheckDeletion], [Org.SoftDelete], [Org.PermanentDelete]).
//
// The package is pure: no I/O, no clock, no randomness, no package state
// that changes. Malformed input is never admitted and never overwrites
// anything: it gets an error naming the field and the value ([FieldError]).
// A whole tenant (plans, what-if, deletion reports, incremental planning
// from directory deltas) is package provisioning/tenant's; reading
// Microsoft Graph and Dataverse JSON is package provisioning/wire's.
package provisioning
