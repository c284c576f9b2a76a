package provisioning_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// The sentinels with one meaning across packages are one value, so that a
// caller tests for the meaning with whichever package's name it holds.
func TestSentinelsSharedAcrossPackages(t *testing.T) {
	for name, pair := range map[string][2]error{
		"ErrUnknown usertype":          {provisioning.ErrUnknown, provisioning.ErrUnknown},
		"ErrUnknown syncfields":        {provisioning.ErrUnknown, provisioning.ErrUnknown},
		"ErrContradiction usertype":    {provisioning.ErrContradiction, provisioning.ErrContradiction},
		"ErrMissing syncfields":        {provisioning.ErrMissing, provisioning.ErrMissing},
		"ErrMalformed syncfields":      {provisioning.ErrMalformed, provisioning.ErrMalformed},
		"ErrDuplicate syncfields":      {provisioning.ErrDuplicate, provisioning.ErrDuplicate},
		"ErrObjectMismatch syncfields": {provisioning.ErrObjectMismatch, provisioning.ErrObjectMismatch},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s: two values for one meaning", name)
		}
	}
}

// Every sentinel of the package is found by errors.Is through every
// wrapper the package adds: *FieldError, *OpError, Decision.Err and
// Action.Err. Each error comes from a real call.
func TestErrorsIsThroughEveryWrapper(t *testing.T) {
	env := production()
	dev := provisioning.Environment{ID: "dev", Tenant: "contoso", Type: provisioning.EnvDeveloper, Dataverse: true, Creator: "u-ana", SecurityGroup: "g"}
	org := provisioning.Org{Environment: env, Records: []provisioning.Record{
		{ObjectID: "u-ana", UPN: "ana@contoso.com", Disabled: true},
		{ObjectID: "", UPN: usertype.SupportUPN, Mode: usertype.SupportUser},
	}}
	withBadLicense := licensed()
	withBadLicense.Licenses[0].Plan = 9
	contradiction := licensed()
	contradiction.Deleted, contradiction.SoftDeleted = true, true
	malformed := licensed()
	malformed.Groups = []string{"g\u202e"}
	full := provisioning.Org{Environment: env}
	for i := range 8 {
		full.Records = append(full.Records, provisioning.Record{ObjectID: "svc-" + string(rune('a'+i)), UPN: "svc@contoso.com"})
	}
	for i := range 7 {
		full, _ = full.MarkNonInteractive(full.Records[i].ObjectID)
	}

	type check struct {
		err  error
		want error
		as   string // "field", "op" or "column": the wrapper errors.As finds
	}
	opErr := func(_ provisioning.Org, err error) error { return err }
	evalErr := func(d provisioning.Decision) error { return d.Err() }
	actionErr := func(r provisioning.Reconciliation) error { return r.Action.Err }
	cases := map[string]check{
		"ErrUnknown via FieldError":          {withBadLicense.Validate(), provisioning.ErrUnknown, "field"},
		"ErrUnknown via Decision.Err":        {evalErr(provisioning.Evaluate(&withBadLicense, &env)), provisioning.ErrUnknown, "field"},
		"ErrUnknown via Action.Err":          {actionErr(provisioning.Reconcile(&withBadLicense, &env, nil, bg)), provisioning.ErrUnknown, "field"},
		"ErrUnknown via OpError":             {opErr(org.SetAccessMode("u-ana", 9)), provisioning.ErrUnknown, "op"},
		"ErrMissing via FieldError":          {(&provisioning.User{UPN: "x"}).Validate(), provisioning.ErrMissing, "field"},
		"ErrMissing via OpError":             {opErr(org.AssignRole("u-ana", "")), provisioning.ErrMissing, "op"},
		"ErrMissing via Action.Err":          {actionErr(provisioning.Reconcile(nil, &env, nil, bg)), provisioning.ErrMissing, "field"},
		"ErrContradiction via FieldError":    {contradiction.Validate(), provisioning.ErrContradiction, "field"},
		"ErrContradiction of a record":       {(&provisioning.Record{UPN: usertype.SupportUPN}).Validate(), provisioning.ErrContradiction, "field"},
		"ErrMalformed via FieldError":        {malformed.Validate(), provisioning.ErrMalformed, "field"},
		"ErrMalformed of a record's columns": {(&provisioning.Record{ObjectID: "u", Fields: syncfields.Fields{Columns: cityValues("\xff")}}).Validate(), provisioning.ErrMalformed, "column"},
		"ErrObjectMismatch via Decision.Err": {evalErr(provisioning.EvaluateRecord(ptr(licensed()), &env, &provisioning.Record{ObjectID: "u-bob"})), provisioning.ErrObjectMismatch, "field"},
		"ErrDeveloperGroup via Decision.Err": {evalErr(provisioning.Evaluate(ptr(licensed()), &dev)), provisioning.ErrDeveloperGroup, "field"},
		"ErrDeveloperGroup via FieldError":   {dev.Validate(), provisioning.ErrDeveloperGroup, "field"},
		"ErrNoRecord via OpError":            {opErr(org.RemoveRoles("u-nobody")), provisioning.ErrNoRecord, "op"},
		"ErrNoRecord via Action.Err":         {actionErr(func() provisioning.Reconciliation { _, r := org.SyncGone("u-nobody", bg); return r }()), provisioning.ErrNoRecord, "op"},
		"ErrRecordExists via OpError":        {opErr(org.ImportStub("ana@contoso.com")), provisioning.ErrRecordExists, "op"},
		"ErrNonInteractiveLimit via OpError": {opErr(full.MarkNonInteractive("svc-h")), provisioning.ErrNonInteractiveLimit, "op"},
		"ErrFixedRecord via OpError":         {opErr(org.SetAccessMode(usertype.SupportUPN, usertype.Read)), provisioning.ErrFixedRecord, "op"},
		"ErrRoleOnDisabled via OpError":      {opErr(org.AssignRole("u-ana", "Basic User")), provisioning.ErrRoleOnDisabled, "op"},
	}
	for name, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: errors.Is(%v, %v) is false", name, c.err, c.want)
			continue
		}
		var fe *provisioning.FieldError
		var oe *provisioning.OpError
		var ce *syncfields.ColumnError
		found := map[string]bool{"field": errors.As(c.err, &fe), "op": errors.As(c.err, &oe), "column": errors.As(c.err, &ce)}
		if !found[c.as] {
			t.Errorf("%s: %v is not a %s error", name, c.err, c.as)
		}
	}
	// Errors are built fresh: changing one changes no other.
	a, b := provisioning.Evaluate(nil, &env).Err(), provisioning.Evaluate(nil, &env).Err()
	a.(*provisioning.FieldError).Key = "changed"
	if b.(*provisioning.FieldError).Key == "changed" {
		t.Error("two calls share one error value")
	}
}

// cityValues returns the Values whose only value is city's.
func cityValues(city string) syncfields.Values {
	var v syncfields.Values
	v.Set(syncfields.City, city)
	return v
}

// An OpError with no rule names none: no "(Rule(0))" after its text.
func TestOpErrorWithoutRule(t *testing.T) {
	err := &provisioning.OpError{Op: "Enable", Key: "u-ana", Err: provisioning.ErrNoRecord}
	if s := err.Error(); strings.Contains(s, "(") || !strings.HasPrefix(s, `Enable "u-ana": `) {
		t.Errorf("Error() = %q, want the operation, the key and the error alone", s)
	}
}

// "none" clears every role, whatever the value held.
func TestAdminRolesNoneClears(t *testing.T) {
	r := provisioning.GlobalAdmin | provisioning.Dynamics365Admin
	if err := r.UnmarshalText([]byte("None")); err != nil || r != 0 {
		t.Errorf("UnmarshalText(None) = %v, roles %v; want none", err, r)
	}
}

// The JSON of an access that changed no team is valid JSON, without the
// team lists.
func TestAccessResultJSONWithoutTeams(t *testing.T) {
	org := provisioning.Org{Environment: production()}
	u := licensed()
	_, res, err := org.Access(&u)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Joined)+len(res.Left)+len(res.RolesGained)+len(res.RolesLost) > 0 {
		t.Fatalf("an environment without teams changed teams: %+v", res)
	}
	data, err := json.Marshal(res)
	if err != nil || !json.Valid(data) || strings.Contains(string(data), "joined") {
		t.Errorf("AccessResult JSON = %s, %v; want valid JSON without team lists", data, err)
	}
}
