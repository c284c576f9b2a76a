package provisioning

import (
	"testing"

	"github.com/provisionrules/provisionrules/syncfields"
)

// A record that check or validate refuses has no kind: the error names the
// field, and the kind is zero, never a kind a caller might act on.
func TestRecordCheckRefusesWithoutKind(t *testing.T) {
	ok := func() Record { return Record{ObjectID: "u-ana", UPN: "ana@contoso.com"} }
	good := ok()
	if k, err := good.check(); err != nil || k == 0 {
		t.Fatalf("a well-formed record: kind %v, %v", k, err)
	}
	for field, edit := range map[string]func(*Record){
		"ObjectID": func(r *Record) { r.ObjectID = "" },
		"Fields.Columns[azureactivedirectoryobjectid]": func(r *Record) { r.Fields.Columns.Set(syncfields.ObjectID, "u-bob") },
		"Roles[0]":     func(r *Record) { r.Roles = []string{""} },
		"Roles[1]":     func(r *Record) { r.Roles = []string{"Basic User", ""} },
		"Teams[0]":     func(r *Record) { r.Teams = []string{""} },
		"Teams[1]":     func(r *Record) { r.Teams = []string{"g-sales", ""} },
		"OwnedRecords": func(r *Record) { r.OwnedRecords = -1 },
		"Disabled":     func(r *Record) { r.SoftDeleted = true },
		"SoftDeleted":  func(r *Record) { r.SoftDeleted, r.Disabled, r.Teams = true, true, []string{"g-sales"} },
	} {
		r := ok()
		edit(&r)
		k, err := r.check()
		if err == nil || err.Field != field || k != 0 {
			t.Errorf("check of a record with a bad %s: kind %v, %v", field, k, err)
		}
		if k, err := r.validate(); err == nil || err.Field != field || k != 0 {
			t.Errorf("validate of a record with a bad %s: kind %v, %v", field, k, err)
		}
	}
}
