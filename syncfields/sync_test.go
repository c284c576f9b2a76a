package syncfields_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// directory is Ana as Microsoft Entra ID describes her.
func directory() syncfields.Values {
	var v syncfields.Values
	v.Set(syncfields.ObjectID, "7d2c1f0a-1111-4e3b-9c55-0a1b2c3d4e5f")
	v.Set(syncfields.DomainName, "ana@contoso.com")
	v.Set(syncfields.FullName, "Ana Silva")
	v.Set(syncfields.FirstName, "Ana")
	v.Set(syncfields.LastName, "Silva")
	v.Set(syncfields.JobTitle, "Buyer")
	v.Set(syncfields.InternalEmailAddress, "ana@contoso.com")
	v.Set(syncfields.Telephone1, "+1 425 555 0100")
	v.Set(syncfields.MobilePhone, "+1 425 555 0101")
	v.Set(syncfields.Street, "1 Main St")
	v.Set(syncfields.City, "Redmond")
	v.Set(syncfields.StateOrProvince, "WA")
	v.Set(syncfields.PostalCode, "98052")
	v.Set(syncfields.Country, "US")
	return v
}

// created is the record Online.Create makes from directory().
func created(t *testing.T) syncfields.Fields {
	t.Helper()
	d := directory()
	rec, _, err := syncfields.Online().Create(&d)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func change(c syncfields.Column, label, old, new string, r syncfields.Rule) syncfields.ColumnChange {
	return syncfields.ColumnChange{Column: c, Label: label, Old: old, New: new, Rule: r}
}

func TestCreateWritesEveryColumn(t *testing.T) { // SYNC-ALWAYS, SYNC-FULLNAME, SYNC-EMAIL at creation
	d := directory()
	rec, res, err := syncfields.Online().Create(&d)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(syncfields.Fields{Columns: d}, rec); diff != "" {
		t.Errorf("created record mismatch (-want +got):\n%s", diff)
	}
	if !res.Created() || res.Changed().Len() != 14 || len(res.KeptColumns()) != 0 {
		t.Errorf("create result: created %v, %d changed, kept %v", res.Created(), res.Changed().Len(), res.KeptColumns())
	}
	rules := map[syncfields.Column]syncfields.Rule{}
	for _, c := range res.Changes() {
		rules[c.Column] = c.Rule
	}
	if rules[syncfields.FullName] != syncfields.RuleFullName || rules[syncfields.InternalEmailAddress] != syncfields.RuleEmail || rules[syncfields.City] != syncfields.RuleAlways {
		t.Errorf("create rules = %v", rules)
	}
}

func TestSyncRules(t *testing.T) {
	for _, c := range []struct {
		name    string
		rule    syncfields.Rule
		profile *syncfields.Profile
		record  func(*syncfields.Fields)
		dir     func(*syncfields.Values)
		changes []syncfields.ColumnChange
		kept    []syncfields.ColumnKept
	}{
		{
			name: "SYNC-ALWAYS writes a changed title", rule: syncfields.RuleAlways, profile: syncfields.Online(),
			dir:     func(v *syncfields.Values) { v.Set(syncfields.JobTitle, "Head Buyer") },
			changes: []syncfields.ColumnChange{change(syncfields.JobTitle, "Title", "Buyer", "Head Buyer", syncfields.RuleAlways)},
		},
		{
			name: "SYNC-ALWAYS writes a blanked mobile phone", rule: syncfields.RuleAlways, profile: syncfields.Online(),
			dir:     func(v *syncfields.Values) { v.Set(syncfields.MobilePhone, "") },
			changes: []syncfields.ColumnChange{change(syncfields.MobilePhone, "Mobile Phone", "+1 425 555 0101", "", syncfields.RuleAlways)},
		},
		{
			name: "SYNC-ALWAYS with nothing changed", rule: syncfields.RuleAlways, profile: syncfields.Online(),
		},
		{
			name: "SYNC-FULLNAME keeps the full name", rule: syncfields.RuleFullName, profile: syncfields.Online(),
			dir:  func(v *syncfields.Values) { v.Set(syncfields.FullName, "Ana Silva-Jones") },
			kept: []syncfields.ColumnKept{{Column: syncfields.FullName, Name: "fullname", Label: "Full Name", Value: "Ana Silva", Directory: "Ana Silva-Jones", Rule: syncfields.RuleFullName}},
		},
		{
			name: "SYNC-EMAIL keeps a primary email that holds a value", rule: syncfields.RuleEmail, profile: syncfields.Online(),
			dir:  func(v *syncfields.Values) { v.Set(syncfields.InternalEmailAddress, "ana.silva@contoso.com") },
			kept: []syncfields.ColumnKept{{Column: syncfields.InternalEmailAddress, Name: "internalemailaddress", Label: "Primary Email", Value: "ana@contoso.com", Directory: "ana.silva@contoso.com", Rule: syncfields.RuleEmail}},
		},
		{
			name: "SYNC-EMAIL keeps an email the customer blanked", rule: syncfields.RuleEmail, profile: syncfields.Online(),
			record: func(r *syncfields.Fields) { r.Columns.Set(syncfields.InternalEmailAddress, ""); r.EmailEdited = true },
			kept:   []syncfields.ColumnKept{{Column: syncfields.InternalEmailAddress, Name: "internalemailaddress", Label: "Primary Email", Value: "", Directory: "ana@contoso.com", Rule: syncfields.RuleEmail}},
		},
		{
			name: "SYNC-EMAIL fills a blank, unedited email", rule: syncfields.RuleEmail, profile: syncfields.Online(),
			record:  func(r *syncfields.Fields) { r.Columns.Set(syncfields.InternalEmailAddress, "") },
			changes: []syncfields.ColumnChange{change(syncfields.InternalEmailAddress, "Primary Email", "", "ana@contoso.com", syncfields.RuleEmail)},
		},
		{
			name: "SYNC-CUSTOM leaves custom columns alone", rule: syncfields.RuleCustom, profile: syncfields.Online(),
			record:  func(r *syncfields.Fields) { r.Custom = map[string]string{"new_badge": "B-17", "cr5_region": "west"} },
			dir:     func(v *syncfields.Values) { v.Set(syncfields.City, "Seattle") },
			changes: []syncfields.ColumnChange{change(syncfields.City, "City", "Redmond", "Seattle", syncfields.RuleAlways)},
			kept: []syncfields.ColumnKept{
				{Name: "cr5_region", Value: "west", Rule: syncfields.RuleCustom},
				{Name: "new_badge", Value: "B-17", Rule: syncfields.RuleCustom},
			},
		},
		{
			name: "SYNC-FIRSTNAME writes # for a blank first name", rule: syncfields.RuleFirstName, profile: syncfields.Online(),
			dir:     func(v *syncfields.Values) { v.Set(syncfields.FirstName, "") },
			changes: []syncfields.ColumnChange{change(syncfields.FirstName, "First Name", "Ana", "#", syncfields.RuleFirstName)},
		},
		{
			name: "SYNC-FIRSTNAME writes # for a first name of white space", rule: syncfields.RuleFirstName, profile: syncfields.Online(),
			dir:     func(v *syncfields.Values) { v.Set(syncfields.FirstName, " \t\u00a0 ") },
			changes: []syncfields.ColumnChange{change(syncfields.FirstName, "First Name", "Ana", "#", syncfields.RuleFirstName)},
		},
		{
			name: "SYNC-FIRSTNAME keeps a first name padded with spaces", rule: syncfields.RuleFirstName, profile: syncfields.Online(),
			dir:     func(v *syncfields.Values) { v.Set(syncfields.FirstName, " Al ") },
			changes: []syncfields.ColumnChange{change(syncfields.FirstName, "First Name", "Ana", " Al ", syncfields.RuleAlways)},
		},
		{
			name: "SYNC-FIRSTNAME keeps a given first name", rule: syncfields.RuleFirstName, profile: syncfields.Online(),
			dir:     func(v *syncfields.Values) { v.Set(syncfields.FirstName, "Anna") },
			changes: []syncfields.ColumnChange{change(syncfields.FirstName, "First Name", "Ana", "Anna", syncfields.RuleAlways)},
		},
		{
			name: "SYNC-ONPREM changes nothing after creation", rule: syncfields.RuleOnPremises, profile: syncfields.OnPremises(),
			dir: func(v *syncfields.Values) { v.Set(syncfields.City, "Seattle"); v.Set(syncfields.LastName, "Jones") },
			kept: []syncfields.ColumnKept{
				{Column: syncfields.LastName, Name: "lastname", Label: "Last Name", Value: "Silva", Directory: "Jones", Rule: syncfields.RuleOnPremises},
				{Column: syncfields.City, Name: "address1_city", Label: "City", Value: "Redmond", Directory: "Seattle", Rule: syncfields.RuleOnPremises},
			},
		},
		{
			name: "SYNC-IDEMPOTENT: the same directory changes nothing", rule: syncfields.RuleIdempotent, profile: syncfields.Online(),
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := created(t)
			if c.record != nil {
				c.record(&rec)
			}
			d := directory()
			if c.dir != nil {
				c.dir(&d)
			}
			got, res, err := c.profile.Update(&rec, &d)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.changes, res.Changes(), cmpEmpty); diff != "" {
				t.Errorf("%s changes mismatch (-want +got):\n%s", c.rule, diff)
			}
			if diff := cmp.Diff(c.kept, res.KeptColumns(), cmpEmpty); diff != "" {
				t.Errorf("%s kept mismatch (-want +got):\n%s", c.rule, diff)
			}
			// The new record is the old one with exactly the changes applied.
			want := rec
			for _, ch := range c.changes {
				want.Columns.Set(ch.Column, ch.New)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s record mismatch (-want +got):\n%s", c.rule, diff)
			}
		})
	}
}

// cmpEmpty treats a nil and an empty slice alike.
var cmpEmpty = cmp.FilterValues(func(x, y interface{}) bool {
	return isEmpty(x) && isEmpty(y)
}, cmp.Ignore())

func isEmpty(v interface{}) bool {
	switch s := v.(type) {
	case []syncfields.ColumnChange:
		return len(s) == 0
	case []syncfields.ColumnKept:
		return len(s) == 0
	}
	return false
}

func TestOnPremisesCreate(t *testing.T) { // SYNC-ONPREM, SYNC-FIRSTNAME
	v, err := syncfields.OnPremises().Source(map[string]string{
		"userPrincipalName": "ana@corp.contoso.com", "sn": "Silva", "telephoneNumber": "+1 425 555 0100",
		"mail": "ana@contoso.com", "l": "Redmond", "st": "WA", "homePhone": "+1 425 555 0199",
	})
	if err != nil {
		t.Fatal(err)
	}
	rec, res, err := syncfields.OnPremises().Create(&v)
	if err != nil {
		t.Fatal(err)
	}
	var want syncfields.Values
	want.Set(syncfields.DomainName, "ana@corp.contoso.com")
	want.Set(syncfields.FirstName, "#")
	want.Set(syncfields.LastName, "Silva")
	want.Set(syncfields.Telephone1, "+1 425 555 0100")
	want.Set(syncfields.InternalEmailAddress, "ana@contoso.com")
	want.Set(syncfields.City, "Redmond")
	want.Set(syncfields.StateOrProvince, "WA")
	want.Set(syncfields.HomePhone, "+1 425 555 0199")
	if diff := cmp.Diff(want, rec.Columns); diff != "" {
		t.Errorf("on-premises record mismatch (-want +got):\n%s", diff)
	}
	for _, c := range res.Changes() {
		if want := syncfields.RuleOnPremises; c.Column != syncfields.FirstName && c.Rule != want {
			t.Errorf("change %v cites %s, want %s", c, c.Rule, want)
		}
	}
}

func TestUpdateRefusesAnotherObject(t *testing.T) {
	rec := created(t)
	d := directory()
	d.Set(syncfields.ObjectID, "someone-else")
	_, _, err := syncfields.Online().Update(&rec, &d)
	var ce *syncfields.ColumnError
	if !errors.Is(err, provisioning.ErrObjectMismatch) || !errors.As(err, &ce) || ce.Column != "azureactivedirectoryobjectid" {
		t.Fatalf("Update = %v, want ErrObjectMismatch naming azureactivedirectoryobjectid", err)
	}
}

func TestMalformedValues(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(*syncfields.Fields, *syncfields.Values)
		column string
		err    error
	}{
		{"invalid UTF-8 in the directory", func(_ *syncfields.Fields, v *syncfields.Values) { v.Set(syncfields.City, "\xff") }, "address1_city", provisioning.ErrMalformed},
		{"invalid UTF-8 for a kept column", func(_ *syncfields.Fields, v *syncfields.Values) { v.Set(syncfields.FullName, "\xffAna") }, "fullname", provisioning.ErrMalformed},
		{"NUL in the directory", func(_ *syncfields.Fields, v *syncfields.Values) { v.Set(syncfields.LastName, "a\x00b") }, "lastname", provisioning.ErrMalformed},
		{"no object ID", func(_ *syncfields.Fields, v *syncfields.Values) { v.Set(syncfields.ObjectID, "") }, "azureactivedirectoryobjectid", provisioning.ErrMissing},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec, d := created(t), directory()
			c.mutate(&rec, &d)
			got, res, err := syncfields.Online().Update(&rec, &d)
			var ce *syncfields.ColumnError
			if !errors.As(err, &ce) || ce.Column != c.column || (c.err != nil && !errors.Is(err, c.err)) {
				t.Fatalf("Update error = %v, want one naming %s", err, c.column)
			}
			if got.Columns != (syncfields.Values{}) || !res.Unchanged() {
				t.Errorf("a refused update wrote something: %v", got)
			}
		})
	}
}

// A malformed value in the record is the record's to report (Validate);
// Update overwrites it with the directory's valid one.
func TestUpdateRepairsMalformedRecordValue(t *testing.T) {
	rec, d := created(t), directory()
	rec.Columns.Set(syncfields.City, "\xff")
	if err := rec.Validate(); !errors.Is(err, provisioning.ErrMalformed) {
		t.Errorf("Validate = %v, want ErrMalformed", err)
	}
	got, res, err := syncfields.Online().Update(&rec, &d)
	if err != nil || got.Columns.Get(syncfields.City) != "Redmond" || res.Changed().Len() != 1 {
		t.Errorf("Update = %v, %v, %v", got.Columns.Get(syncfields.City), res.Changes(), err)
	}
}

func TestParseRecord(t *testing.T) {
	rec, err := syncfields.ParseFields(map[string]string{
		"fullname": "Ana Silva", "internalemailaddress": "ana@contoso.com", "new_badge": "B-17", "isdisabled": "0",
	}, true)
	if err != nil {
		t.Fatal(err)
	}
	var cols syncfields.Values
	cols.Set(syncfields.FullName, "Ana Silva")
	cols.Set(syncfields.InternalEmailAddress, "ana@contoso.com")
	want := syncfields.Fields{Columns: cols, EmailEdited: true, Custom: map[string]string{"new_badge": "B-17", "isdisabled": "0"}}
	if diff := cmp.Diff(want, rec); diff != "" {
		t.Errorf("ParseRecord mismatch (-want +got):\n%s", diff)
	}
	back, err := syncfields.ParseFields(rec.Map(), true)
	if err != nil || !cmp.Equal(rec, back) {
		t.Errorf("Map and ParseRecord do not round-trip: %v, %v", back, err)
	}
	for _, bad := range []string{"", "Full Name", "FullName", "1st", "new-badge", "é"} {
		_, err := syncfields.ParseFields(map[string]string{bad: "x"}, false)
		var ce *syncfields.ColumnError
		if !errors.As(err, &ce) || ce.Column != bad || !errors.Is(err, provisioning.ErrMalformed) {
			t.Errorf("ParseRecord(%q) = %v, want ErrMalformed naming it", bad, err)
		}
	}
}

func TestSourceRejectsUnmappedAttribute(t *testing.T) {
	_, err := syncfields.Online().Source(map[string]string{"givenName": "Ana", "favouriteColour": "teal"})
	var ce *syncfields.ColumnError
	if !errors.Is(err, syncfields.ErrUnmapped) || !errors.As(err, &ce) || ce.Column != "favouriteColour" {
		t.Fatalf("Source = %v, want ErrUnmapped naming favouriteColour", err)
	}
	v, err := syncfields.Online().Source(map[string]string{"givenName": "Ana", "businessPhones[0]": "+1 425 555 0100", "id": "x"})
	if err != nil || v.Get(syncfields.FirstName) != "Ana" || v.Get(syncfields.Telephone1) != "+1 425 555 0100" || v.Get(syncfields.ObjectID) != "x" {
		t.Fatalf("Source = %v, %v", v, err)
	}
}

func TestCustomColumnCannotShadowMapped(t *testing.T) {
	r := syncfields.Fields{Custom: map[string]string{"fullname": "x"}}
	if err := r.Validate(); !errors.Is(err, provisioning.ErrDuplicate) {
		t.Errorf("Validate = %v, want ErrDuplicate", err)
	}
}

func TestValuesJSON(t *testing.T) {
	d := directory()
	data, err := d.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back syncfields.Values
	if err := back.UnmarshalJSON(data); err != nil || back != d {
		t.Fatalf("round trip: %v", err)
	}
	if err := back.UnmarshalJSON([]byte(`{"jobtitle":null}`)); err != nil || back.Get(syncfields.JobTitle) != "" {
		t.Errorf("null is not read as blank: %q, %v", back.Get(syncfields.JobTitle), err)
	}
	for _, c := range []struct{ data, want string }{
		{`{"colour":"teal"}`, "colour"},
		{`{"fullname":7}`, "fullname"},
		{`{"address1_city":"a\u0000b"}`, "address1_city"},
	} {
		var v syncfields.Values
		if err := v.UnmarshalJSON([]byte(c.data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("UnmarshalJSON(%s) = %v, want an error naming %s", c.data, err, c.want)
		}
	}
}

// Nil arguments are malformed input: an error, never a panic.
func TestNilArgumentsAreErrors(t *testing.T) {
	d := directory()
	rec := created(t)
	var r syncfields.Result
	var nilRecord *syncfields.Fields
	errs := map[string]error{"Record.Validate": nilRecord.Validate()}
	_, _, errs["Create"] = syncfields.Online().Create(nil)
	_, _, errs["Update(nil record)"] = syncfields.Online().Update(nil, &d)
	_, _, errs["Update(nil values)"] = syncfields.Online().Update(&rec, nil)
	errs["UpdateInto(nil destination)"] = syncfields.Online().UpdateInto(nil, &r, &rec, &d)
	errs["UpdateInto(nil result)"] = syncfields.Online().UpdateInto(&rec, nil, &rec, &d)
	cols, err := syncfields.Online().Diff(&rec, nil)
	errs["Diff"] = err
	if cols != 0 {
		t.Errorf("Diff with nil values = %v, want no columns with the error", cols.Columns())
	}
	for name, err := range errs {
		var ce *syncfields.ColumnError
		if !errors.Is(err, provisioning.ErrMissing) || !errors.As(err, &ce) {
			t.Errorf("%s = %v, want a *ColumnError wrapping ErrMissing", name, err)
		}
	}
}

// Written reads only columns: a set built from a number with every bit
// set writes what the set of every column writes, and no more.
func TestWrittenIgnoresStrayBits(t *testing.T) {
	d := directory()
	var all syncfields.ColumnSet
	for _, c := range syncfields.Columns() {
		all = all.With(c)
	}
	got := syncfields.Online().Written(syncfields.ColumnSet(^uint32(0)), &d)
	if want := syncfields.Online().Written(all, &d); got != want {
		t.Errorf("Written(every bit) = %v, want %v", got, want)
	}
}

// SYNC-APPLICATION: an application user's record is created with "#" as
// first name and the application's display name as last name, whatever
// else the directory values hold; after that the sync writes nothing, and
// a renamed application is kept with the rule that keeps it.
func TestApplicationProfile(t *testing.T) {
	p := syncfields.Application()
	var dir syncfields.Values
	dir.Set(syncfields.ObjectID, "5b1e0c7a")
	dir.Set(syncfields.LastName, "ERP Integration")
	dir.Set(syncfields.FirstName, "Erp")         // a service principal carries no given name: not read
	dir.Set(syncfields.JobTitle, "Integrations") // nor a job title: not mapped
	rec, res, err := p.Create(&dir)
	if err != nil {
		t.Fatal(err)
	}
	var want syncfields.Values
	want.Set(syncfields.ObjectID, "5b1e0c7a")
	want.Set(syncfields.FirstName, "#")
	want.Set(syncfields.LastName, "ERP Integration")
	if diff := cmp.Diff(want, rec.Columns); diff != "" {
		t.Errorf("created record mismatch (-want +got):\n%s", diff)
	}
	for _, c := range res.Changes() {
		if c.Column != syncfields.ObjectID && c.Rule != syncfields.RuleApplication {
			t.Errorf("created %s citing %s, want SYNC-APPLICATION", c.Column, c.Rule)
		}
	}

	dir.Set(syncfields.LastName, "ERP Integration (renamed)")
	dir.Set(syncfields.FirstName, "")
	out, res, err := p.Update(&rec, &dir)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Unchanged() || out.Columns != rec.Columns {
		t.Errorf("the sync wrote %v into an application user's record: %v", res.Changed().Columns(), out.Columns)
	}
	kept, ok := res.KeptOf(syncfields.LastName)
	if !ok || kept.Rule != syncfields.RuleApplication || kept.Value != "ERP Integration" {
		t.Errorf("the renamed application's last name: kept %v (%+v), want kept by SYNC-APPLICATION", ok, kept)
	}
	if _, ok := res.KeptOf(syncfields.FirstName); ok {
		t.Error("the first name is reported kept, though its value is # whatever the directory says")
	}
	if _, err := p.Source(map[string]string{"": "x"}); err == nil {
		t.Error("Source read an attribute with an empty name into the row that has no source")
	}
}

// Values has a value for each column and nothing else: a number that is
// no column reads blank and sets nothing; each column reads back what was
// set, whatever was set before or after in the others; a copy is
// independent of the original; and == sees every column.
func TestValuesHoldEachColumn(t *testing.T) {
	var v syncfields.Values
	for _, c := range []syncfields.Column{0, syncfields.Column(syncfields.ColumnCount), 200} {
		v.Set(c, "x")
		if v.Get(c) != "" || !v.IsZero() {
			t.Errorf("Set(%d) on no column changed the values: %v", c, v)
		}
	}
	cols := syncfields.Columns()
	for i, c := range cols {
		v.Set(c, strings.Repeat(c.String(), i%3))
	}
	copied := v
	for i, c := range cols { // backwards order of lengths, so that every end moves
		v.Set(cols[len(cols)-1-i], "é"+strconv.Itoa(i))
		_ = c
	}
	for i, c := range cols {
		if got, want := copied.Get(c), strings.Repeat(c.String(), i%3); got != want {
			t.Errorf("copy: %s = %q, want %q", c, got, want)
		}
		if got, want := v.Get(c), "é"+strconv.Itoa(len(cols)-1-i); got != want {
			t.Errorf("%s = %q, want %q", c, got, want)
		}
		w := v
		w.Set(c, v.Get(c)+"!")
		if w == v || w.Equal(v) || w.Get(c) != v.Get(c)+"!" {
			t.Errorf("a change of %s alone is not seen: %v", c, w)
		}
		w.Set(c, v.Get(c))
		if w != v || !w.Equal(v) {
			t.Errorf("setting %s back does not give equal values: %v, %v", c, w, v)
		}
	}
	built := syncfields.MakeValues(v.Get)
	if built != v {
		t.Errorf("MakeValues(v.Get) = %v, want %v", built, v)
	}
	if s := built.String(); !strings.HasPrefix(s, `{domainname:"é14" fullname:"é13"`) {
		t.Errorf("String = %s", s)
	}
	if (syncfields.Values{}).String() != "{}" || !(syncfields.Values{}).IsZero() {
		t.Error("the zero Values is not blank")
	}
}

// MakeValues makes its values with one allocation, as it says: a Dataverse
// export's rows and a directory's users are built this way by the
// hundred thousand.
func TestMakeValuesAllocatesOnce(t *testing.T) {
	v := directory()
	var sink syncfields.Values
	if n := testing.AllocsPerRun(100, func() { sink = syncfields.MakeValues(v.Get) }); n != 1 {
		t.Errorf("MakeValues of a full profile: %v allocations, want 1", n)
	}
	if sink != v {
		t.Errorf("MakeValues(v.Get) = %v, want %v", sink, v)
	}
}
