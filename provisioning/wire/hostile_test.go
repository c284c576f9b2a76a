package wire_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// hostileEntries are the entry points that read each kind of input of
// testdata/hostile.
var hostileEntries = map[string][]string{
	"tenant":       {"ReadDirectory", "ReadDirectory/yield", "ReadDirectory/bytewise", "ReadDirectory/yield/bytewise"},
	"graph-users":  {"ReadGraphUsers", "ReadGraphUsers/bytewise"},
	"dataverse":    {"ReadDataverseExport", "ReadDataverseExport/yield", "ReadDataverseExport/bytewise", "ReadDataverseExport/yield/bytewise"},
	"systemusers":  {"ReadSystemUsers", "ReadSystemUsers/bytewise"},
	"users-delta":  {"ReadUsersDelta", "ReadUsersDelta/bytewise"},
	"groups-delta": {"ReadGroupsDelta", "ReadGroupsDelta/bytewise"},
}

// lenient lists, for the delta readers, the kinds of hostile files they
// may read without an error: a delta item needs only its id, and each
// delta reader skips the properties it does not read, so a page hostile
// only in another kind's properties (a users page's UPN, a groups page's
// members@delta) is a valid delta page for it.
var lenient = map[string][]string{
	"ReadUsersDelta":           {"groups-delta"},
	"ReadUsersDelta/bytewise":  {"groups-delta"},
	"ReadGroupsDelta":          {"graph-users", "users-delta"},
	"ReadGroupsDelta/bytewise": {"graph-users", "users-delta"},
}

// hostile says what the entry points of its kind must report for each
// file of testdata/hostile: the sentinel, and the record by its index in
// its page and its ID (or, for a problem outside any record, by offset).
var hostile = map[string]struct {
	err   error
	index int
	id    string
}{
	"tenant/duplicate-id.json":                 {provisioning.ErrDuplicate, 2, "u1"},
	"tenant/duplicate-user-sp.json":            {provisioning.ErrDuplicate, 0, "u1"},
	"tenant/null-record.json":                  {provisioning.ErrMissing, 1, ""},
	"tenant/no-object-id.json":                 {provisioning.ErrMissing, 1, ""},
	"tenant/control-chars.json":                {provisioning.ErrMalformed, 1, ""},
	"tenant/control-chars-group.json":          {provisioning.ErrMalformed, 0, ""},
	"tenant/wrong-type.json":                   {wire.ErrType, 1, "u2"},
	"tenant/deep-nesting.json":                 {wire.ErrSyntax, 1, "u2"},
	"tenant/trailing-data.json":                {wire.ErrSyntax, -1, ""},
	"tenant/invalid-utf8.json":                 {wire.ErrSyntax, 1, "u2"},
	"tenant/unknown-user.json":                 {provisioning.ErrUnknown, -1, "u9"},
	"graph-users/duplicate-id.json":            {provisioning.ErrDuplicate, 1, "u1"},
	"graph-users/null-record.json":             {provisioning.ErrMissing, 1, ""},
	"graph-users/no-object-id.json":            {provisioning.ErrMissing, 0, ""},
	"graph-users/control-chars.json":           {provisioning.ErrMalformed, 1, "u2"},
	"graph-users/wrong-type.json":              {wire.ErrType, 0, "u1"},
	"graph-users/deep-nesting.json":            {wire.ErrSyntax, 0, "u1"},
	"graph-users/trailing-data.json":           {wire.ErrSyntax, -1, ""},
	"graph-users/invalid-utf8.json":            {wire.ErrSyntax, 0, "u1"},
	"dataverse/duplicate-id.json":              {provisioning.ErrDuplicate, 2, "s1"},
	"dataverse/duplicate-key.json":             {provisioning.ErrDuplicate, 1, "s2"},
	"dataverse/null-record.json":               {provisioning.ErrMissing, 1, ""},
	"dataverse/no-object-id.json":              {provisioning.ErrMissing, 1, "s2"},
	"dataverse/control-chars.json":             {provisioning.ErrMalformed, 1, "s2"},
	"dataverse/wrong-type.json":                {wire.ErrType, 1, "s2"},
	"dataverse/deep-nesting.json":              {wire.ErrSyntax, 1, "s2"},
	"dataverse/trailing-data.json":             {wire.ErrSyntax, -1, ""},
	"dataverse/invalid-utf8.json":              {wire.ErrSyntax, 1, "s2"},
	"dataverse/soft-deleted-enabled.json":      {provisioning.ErrContradiction, 0, "s1"},
	"systemusers/duplicate-id.json":            {provisioning.ErrDuplicate, 1, "s1"},
	"systemusers/duplicate-key.json":           {provisioning.ErrDuplicate, 1, "s2"},
	"systemusers/null-record.json":             {provisioning.ErrMissing, 1, ""},
	"systemusers/no-object-id.json":            {provisioning.ErrMissing, 0, "s1"},
	"systemusers/control-chars.json":           {provisioning.ErrMalformed, 0, "s1"},
	"systemusers/wrong-type.json":              {wire.ErrType, 0, "s1"},
	"systemusers/deep-nesting.json":            {wire.ErrSyntax, 0, "s1"},
	"systemusers/trailing-data.json":           {wire.ErrSyntax, -1, ""},
	"systemusers/invalid-utf8.json":            {wire.ErrSyntax, 0, "s1"},
	"users-delta/control-chars.json":           {provisioning.ErrMalformed, 1, "u2"},
	"users-delta/deep-nesting.json":            {wire.ErrSyntax, 0, "u1"},
	"users-delta/duplicate-id.json":            {provisioning.ErrDuplicate, 2, "u1"},
	"users-delta/invalid-utf8.json":            {wire.ErrSyntax, 0, "u1"},
	"users-delta/no-object-id.json":            {provisioning.ErrMissing, 1, ""},
	"users-delta/null-record.json":             {provisioning.ErrMissing, 1, ""},
	"users-delta/trailing-data.json":           {wire.ErrSyntax, -1, ""},
	"users-delta/wrong-type.json":              {wire.ErrType, 0, "u1"},
	"users-delta/unknown-removed-reason.json":  {provisioning.ErrUnknown, 0, "u1"},
	"users-delta/cleared-upn.json":             {provisioning.ErrMissing, 0, "u1"},
	"groups-delta/control-chars.json":          {provisioning.ErrMalformed, 0, "g1"},
	"groups-delta/deep-nesting.json":           {wire.ErrSyntax, 0, "g1"},
	"groups-delta/duplicate-id.json":           {provisioning.ErrDuplicate, 1, "g1"},
	"groups-delta/duplicate-member.json":       {provisioning.ErrDuplicate, 0, "g1"},
	"groups-delta/invalid-utf8.json":           {wire.ErrSyntax, 0, "g1"},
	"groups-delta/no-object-id.json":           {provisioning.ErrMissing, 0, ""},
	"groups-delta/null-record.json":            {provisioning.ErrMissing, 1, ""},
	"groups-delta/null-member.json":            {provisioning.ErrMissing, 0, "g1"},
	"groups-delta/trailing-data.json":          {wire.ErrSyntax, -1, ""},
	"groups-delta/wrong-type.json":             {wire.ErrType, 0, "g1"},
	"groups-delta/unknown-member-type.json":    {provisioning.ErrUnknown, 0, "g1"},
	"groups-delta/unknown-removed-reason.json": {provisioning.ErrUnknown, 0, "g1"},
}

// Every hostile file, through every entry point: never a panic, never a
// success (but where lenient says so), always an *Error; through the entry
// points of its kind, the error it is there for, naming the record (or,
// outside any record, the offset).
func TestHostileInputs(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "hostile", "*", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatal("no hostile files", err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.ToSlash(strings.TrimPrefix(path, filepath.Join("testdata", "hostile")+string(filepath.Separator)))
		kind := strings.Split(name, "/")[0]
		want, ok := hostile[name]
		if !ok {
			t.Errorf("%s: no expectation in the table", name)
			continue
		}
		seen[name] = true
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for entry, decode := range decoders {
			t.Run(name+"/"+entry, func(t *testing.T) {
				err := decode(data)
				if err == nil && slices.Contains(lenient[entry], kind) {
					return
				}
				var we *wire.Error
				if !errors.As(err, &we) {
					t.Fatalf("error %v, want a *wire.Error", err)
				}
				if !slices.Contains(hostileEntries[kind], entry) {
					return
				}
				if !errors.Is(err, want.err) || we.Index != want.index || we.ID != want.id {
					t.Errorf("error %v (record %d %q), want %v naming record %d %q", err, we.Index, we.ID, want.err, want.index, want.id)
				}
				if we.Index < 0 && we.ID == "" && we.Offset < 0 {
					t.Errorf("error %v names neither a record nor an offset", err)
				}
			})
		}
	}
	for name := range hostile {
		if !seen[name] {
			t.Errorf("%s: in the table, not in testdata/hostile", name)
		}
	}
}
