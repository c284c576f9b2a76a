package provisioning

import (
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Write is the Dataverse write an action implies, the change a caller
// makes to the SystemUser row to apply the action: the whole row for a
// create, only the changed columns with their new values for an update,
// and isdisabled for an enable or a disable (with the columns an enable
// brings up to date). Leave and Refuse write nothing.
type Write struct {
	// Verb is the action's verb: Create, Enable, Disable or Update.
	Verb Verb
	// SystemUserID is the row to write (systemuserid), when the record
	// carries it; empty for a create.
	SystemUserID string
	// ObjectID is the user's azureactivedirectoryobjectid, which finds the
	// row when SystemUserID is not known.
	ObjectID string
	// ApplicationID is the applicationid a create of an application user
	// writes.
	ApplicationID string
	// Columns are the synced columns written.
	Columns syncfields.ColumnSet
	// Values are their new values; only the columns in Columns mean
	// anything.
	Values syncfields.Values
	// Mode is the accessmode written, when SetMode is true: always for a
	// create, and when it changes for an update or an enable.
	Mode usertype.AccessMode
	// SetMode reports that accessmode is written.
	SetMode bool
	// SetDisabled reports that isdisabled is written, to Disabled: for an
	// enable (false) and a disable (true). A create never writes it:
	// Dataverse does not take it on create, and a new record is enabled.
	SetDisabled, Disabled bool
}

// Writes reports whether the action writes anything: whether its verb is
// Create, Enable, Disable or Update, with no error.
func (a *Action) Writes() bool {
	return a.Err == nil && (a.Verb == Create || a.Verb == Enable || a.Verb == Disable || a.Verb == Update)
}

// Write returns the Dataverse write that action a implies for directory
// user u and record rec, the inputs a was decided from (u nil for a record
// whose user is gone, rec nil for a user without one). It does not decide
// again: the columns come from the action, their values from u's
// attributes through the field mapping. A nil u or rec where the verb
// needs one is an error, and so is an action that writes nothing; the
// zero Write is then returned.
func (a *Action) Write(u *User, rec *Record) (Write, error) {
	if !a.Writes() {
		return Write{}, &FieldError{Input: "action", Key: a.User, Field: "Verb", Value: a.Verb.String(), Err: ErrNothingToWrite}
	}
	w := Write{Verb: a.Verb, Columns: a.Columns}
	switch {
	case a.Verb == Create && u == nil:
		return Write{}, missing("user", "*User")
	case a.Verb != Create && rec == nil:
		return Write{}, missing("record", "*Record")
	}
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
		w.SetMode, w.ApplicationID = true, u.ApplicationID
	case Enable:
		w.SetDisabled = true
	case Disable:
		w.SetDisabled, w.Disabled = true, true
	}
	if w.SetMode {
		w.Mode = a.Mode
	}
	return w, nil
}
