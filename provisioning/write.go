package provisioning

import (
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Write is the Dataverse write an action implies, the change a caller
// makes to the SystemUser row to apply the action: the whole row for a
// create, only the changed columns with their new values for an update,
// and isdisabled for an enable or a disable (with the columns an enable
// brings up to date). Leave and NotAdded write nothing.
//
// A Write carries everything its request needs, so that a request never
// lacks an address: a write to an existing row (an update, an enable or a
// disable) always has the row's SystemUserID, and a create the business
// unit the new row belongs to. Action.Write refuses an action whose inputs
// lack them.
//
// Its JSON form (MarshalJSON) names the fields as their tags say, and
// writes "accessMode" only when SetMode and "disabled" only when
// SetDisabled, which JSON says by their presence.
type Write struct {
	// Verb is the action's verb: Create, Enable, Disable or Update.
	Verb Verb `json:"verb"`
	// SystemUserID is the row to write (systemuserid): required for an
	// update, an enable and a disable; empty for a create, whose row
	// Dataverse keys.
	SystemUserID string `json:"systemUserId,omitempty"`
	// BusinessUnit is the businessunitid a create binds the new row to:
	// the environment's root business unit (Environment.RootBusinessUnit).
	// Required for a create; empty for the other verbs, which leave the
	// row's business unit as it is.
	BusinessUnit string `json:"businessUnit,omitempty"`
	// ObjectID is the user's azureactivedirectoryobjectid.
	ObjectID string `json:"objectId,omitempty"`
	// ApplicationID is the applicationid a create of an application user
	// writes.
	ApplicationID string `json:"applicationId,omitempty"`
	// Columns are the synced columns written.
	Columns syncfields.ColumnSet `json:"columns,omitempty"`
	// Values are their new values; only the columns in Columns mean
	// anything.
	Values syncfields.Values `json:"values,omitzero"`
	// Mode is the accessmode written, when SetMode is true: always for a
	// create, and when it changes for an update or an enable.
	Mode usertype.AccessMode `json:"accessMode,omitempty"`
	// SetMode reports that accessmode is written.
	SetMode bool `json:"-"`
	// SetDisabled reports that isdisabled is written, to Disabled: for an
	// enable (false) and a disable (true). A create never writes it:
	// Dataverse does not take it on create, and a new record is enabled.
	SetDisabled bool `json:"-"`
	// Disabled is the isdisabled written, when SetDisabled is true.
	Disabled bool `json:"disabled,omitempty"`
}

// Writes reports whether the action writes anything: whether its verb is
// Create, Enable, Disable or Update, with no error.
func (a *Action) Writes() bool {
	return a.Err == nil && (a.Verb == Create || a.Verb == Enable || a.Verb == Disable || a.Verb == Update)
}

// Write returns the Dataverse write that action a implies for directory
// user u, environment env and record rec, the inputs a was decided from
// (u nil for a record whose user is gone, rec nil for a user without one).
// It does not decide again: the columns come from the action, their values
// from u's attributes through the field mapping.
//
// It takes the environment because a create binds the environment's root
// business unit; the write is then complete, and encoding it (package
// wire) only formats it. env may be nil for the other verbs, but an env
// given for another environment than a's is an error.
//
// It returns the zero Write and a *FieldError for an action that writes
// nothing (ErrNothingToWrite), a nil u or rec where the verb needs one, a
// create without env or without env.RootBusinessUnit, and an update,
// enable or disable of a record without a SystemUserID (ErrMissing): a
// write to an existing row must name it, never leave Dataverse to guess.
func (a *Action) Write(u *User, env *Environment, rec *Record) (Write, error) {
	if !a.Writes() {
		return Write{}, &FieldError{Input: "action", Key: a.key(), Field: "Verb", Value: a.Verb.String(), Err: ErrNothingToWrite}
	}
	switch {
	case a.Verb == Create && u == nil:
		return Write{}, missing("user", "*User")
	case a.Verb == Create && env == nil:
		return Write{}, missing("environment", "*Environment")
	case a.Verb != Create && rec == nil:
		return Write{}, missing("record", "*Record")
	case env != nil && env.ID != a.Environment:
		return Write{}, &FieldError{Input: "environment", Key: env.ID, Field: "ID", Value: env.ID, Err: ErrContradiction}
	case a.Verb == Create && env.RootBusinessUnit == "":
		return Write{}, &FieldError{Input: "environment", Key: env.ID, Field: "RootBusinessUnit", Err: ErrMissing}
	case a.Verb != Create && rec.SystemUserID == "":
		return Write{}, &FieldError{Input: "record", Key: rec.Key(), Field: "SystemUserID", Err: ErrMissing}
	}
	w := Write{Verb: a.Verb, Columns: a.Columns}
	if rec != nil {
		w.SystemUserID, w.ObjectID = rec.SystemUserID, rec.ObjectID
		w.SetMode = a.Verb != Disable && a.Mode != rec.Mode
	}
	if u != nil {
		w.ObjectID = u.ObjectID
		if a.Columns != 0 {
			dir := directoryValues(u)
			w.Values = profileOf(u).Written(a.Columns, &dir)
		}
	}
	switch a.Verb {
	case Create:
		w.SetMode, w.ApplicationID, w.BusinessUnit = true, u.ApplicationID, env.RootBusinessUnit
	case Enable:
		w.SetDisabled = true
	case Disable:
		w.SetDisabled, w.Disabled = true, true
	}
	if w.SetMode {
		w.Mode = a.Mode
	}
	if w.Verb == Update && w.Columns == 0 && !w.SetMode {
		// An update that changes no column: an empty PATCH, which Dataverse
		// would take for nothing, or for a create if the row were gone.
		return Write{}, &FieldError{Input: "action", Key: a.key(), Field: "Columns", Value: "none", Err: ErrNothingToWrite}
	}
	return w, nil
}
