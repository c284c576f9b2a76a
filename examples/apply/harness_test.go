package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// testRoot is the root business unit of the test tenants' environment.
const testRoot = "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70"

// testToken is the bearer token the tests put in DATAVERSE_TOKEN.
const testToken = "eyJ0eXAiOiJKV1QiLCJ0ZXN0Ijp0cnVlfQ.test"

// The kinds of users of a test tenant, by their index modulo kinds: what
// the background sync does to each.
const (
	kindCreate  = iota // licensed, in the security group, no record
	kindUpdate         // the same, with a record whose job title is old
	kindEnable         // the same, with a disabled record
	kindDisable        // licensed, out of the group, with an enabled record
	kindLeave          // licensed, in the group, with a record up to date
	kindRefuse         // unlicensed, out of the group, no record
	kinds
)

// objectID, systemUserID and upn name the test tenant's user i; gone
// users (records without a user) have IDs of their own.
func objectID(i int) string     { return fmt.Sprintf("00000000-0000-4000-8000-%012d", i) }
func systemUserID(i int) string { return fmt.Sprintf("9b1d5e2c-0000-4000-8000-%012d", i) }
func upn(i int) string          { return fmt.Sprintf("user%04d@contoso.com", i) }
func goneObjectID(i int) string { return fmt.Sprintf("00000000-0000-4000-9000-%012d", i) }
func goneRowID(i int) string    { return fmt.Sprintf("9b1d5e2c-0000-4000-9000-%012d", i) }

// writeTenant writes a tenant file of n users and one environment,
// sales-prod, with the records of kindUpdate, kindEnable, kindDisable and
// kindLeave users and of n/25 users gone from the directory (few enough
// for the health check, CHK-RECORDS-FOREIGN); title is the
// job title of every user in the directory. edit may change a user's or
// a record's text before it is written. It returns the file's path.
func writeTenant(t *testing.T, n int, title string, edit func(i int, user, record string) (string, string)) string {
	t.Helper()
	var users, records []string
	columns := func(i int, title string) string {
		return fmt.Sprintf(`{"fullname": "User %d", "firstname": "User", "lastname": "N%04d", "jobtitle": %q}`, i, i, title)
	}
	for i := range n {
		kind := i % kinds
		lic, groups := `"licenses": [{"plan": "dynamics-365", "tenant": "contoso"}], `, `"groups": ["g-sales"], `
		if kind == kindDisable || kind == kindRefuse {
			groups = ""
		}
		if kind == kindRefuse {
			lic = ""
		}
		user := fmt.Sprintf(`{"objectId": %q, "upn": %q, "enabled": true, %s%s"attributes": %s}`, objectID(i), upn(i), lic, groups, columns(i, title))
		record := ""
		switch kind {
		case kindUpdate:
			record = fmt.Sprintf(`{"objectId": %q, "systemUserId": %q, "upn": %q, "accessMode": "read-write", "fields": {"columns": %s}}`, objectID(i), systemUserID(i), upn(i), columns(i, "Trainee"))
		case kindEnable:
			record = fmt.Sprintf(`{"objectId": %q, "systemUserId": %q, "upn": %q, "accessMode": "read-write", "disabled": true, "fields": {"columns": %s}}`, objectID(i), systemUserID(i), upn(i), columns(i, title))
		case kindDisable, kindLeave:
			record = fmt.Sprintf(`{"objectId": %q, "systemUserId": %q, "upn": %q, "accessMode": "read-write", "fields": {"columns": %s}}`, objectID(i), systemUserID(i), upn(i), columns(i, title))
		}
		if edit != nil {
			user, record = edit(i, user, record)
		}
		users = append(users, user)
		if record != "" {
			records = append(records, record)
		}
	}
	for i := range n / 25 {
		records = append(records, fmt.Sprintf(`{"objectId": %q, "systemUserId": %q, "upn": "gone%04d@contoso.com", "accessMode": "read-write", "fields": {"columns": {"fullname": "Gone %d"}}}`, goneObjectID(i), goneRowID(i), i, i))
	}
	text := `{"tenant": "contoso", "groups": [{"id": "g-sales", "kind": "security"}],
 "environments": [{"id": "sales-prod", "rootBusinessUnit": "` + testRoot + `", "tenant": "contoso", "type": "production", "dataverse": true, "securityGroup": "g-sales"}],
 "users": [
  ` + strings.Join(users, ",\n  ") + `],
 "records": {"sales-prod": [
  ` + strings.Join(records, ",\n  ") + `]}}
`
	path := filepath.Join(t.TempDir(), "tenant.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// loadTenant reads a tenant file as apply does.
func loadTenant(t *testing.T, path string) *tenant.Snapshot {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := load.Read(load.Files{Tenant: load.Source{Name: path, Reader: f}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// planned returns the writes of the background-sync plan of s's
// environment sales-prod, as the library makes them: those that can be
// made.
func planned(t *testing.T, s *tenant.Snapshot) []provisioning.Write {
	t.Helper()
	var out []provisioning.Write
	_, err := tenant.Each(s, provisioning.BackgroundSync, tenant.Options{}, func(st *tenant.Step) error {
		if st.Action.Writes() && st.Environment.ID == "sales-prod" {
			if w, err := st.Write(); err == nil {
				out = append(out, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// clock is the fake clock and sleeper of a test: a sleep returns at once,
// moves the clock and is recorded.
type clock struct {
	now   time.Time
	slept []time.Duration
}

// Now returns the clock's time.
func (c *clock) Now() time.Time { return c.now }

// sleep records d and moves the clock by it, unless ctx is done.
func (c *clock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return nil
}

// harness is a fake Dataverse behind an HTTPS test server, and what apply
// takes from its surroundings, faked.
type harness struct {
	t     *testing.T
	dv    *dataverse
	seed  map[string]map[string]any // the rows the fake started with
	srv   *httptest.Server
	clock *clock
	env   map[string]string
	// wrap, when set, wraps the client's transport.
	wrap func(http.RoundTripper, func()) http.RoundTripper
}

// newHarness starts a fake Dataverse holding the rows of the records of
// sales-prod in the tenant file at path.
func newHarness(t *testing.T, path string) *harness {
	t.Helper()
	s := loadTenant(t, path)
	rows := rowsOf(s.Records["sales-prod"])
	seed := map[string]map[string]any{}
	for id, row := range rows {
		seed[id] = maps.Clone(row)
	}
	h := &harness{t: t, seed: seed, dv: newDataverse(testToken, testRoot, rows, 1),
		clock: &clock{now: time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)}, env: map[string]string{tokenVariable: testToken}}
	h.srv = httptest.NewTLSServer(h.dv)
	t.Cleanup(h.srv.Close)
	return h
}

// run runs apply with args (-url is added) and returns its standard
// output and error and its exit code.
func (h *harness) run(args ...string) (string, string, int) {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := h.srv.Client()
	if h.wrap != nil {
		client = &http.Client{Transport: h.wrap(client.Transport, cancel)}
	}
	sys := &system{
		getenv: func(name string) string { return h.env[name] },
		client: client, now: h.clock.Now, sleep: h.clock.sleep,
		jitter: rand.New(rand.NewPCG(3, 4)).Int64N, ctx: ctx,
	}
	var out, errs bytes.Buffer
	code := cli.Main("apply", append([]string{"-url", h.srv.URL}, args...), &out, &errs, sys.run)
	return out.String(), errs.String(), code
}

// requests returns how many requests of every kind the fake received.
func (h *harness) requests() (n int) {
	h.dv.locked(func() {
		n = h.dv.batches + h.dv.gets + h.dv.unauthorized
		for _, k := range h.dv.received {
			n += k
		}
	})
	return n
}

// checkRows fails t unless the fake's rows are what writes say, on top of
// the rows it started with: every create one new row with its columns,
// access mode and business unit; every other write its columns (a blank
// value as null), access mode and isdisabled; every row no write names
// unchanged; and no other row. The writes of users in skip are left out:
// they failed.
func (h *harness) checkRows(writes []provisioning.Write, skip map[string]bool) {
	t := h.t
	t.Helper()
	h.dv.locked(func() {
		want := map[string]map[string]any{}
		for id, row := range h.seed {
			want[id] = maps.Clone(row)
		}
		created := map[string]bool{}
		for _, w := range writes {
			if skip[w.ObjectID] {
				continue
			}
			var row map[string]any
			if w.Verb == provisioning.Create {
				for _, id := range sortedKeys(h.dv.rows) {
					if h.seed[id] == nil && h.dv.rows[id]["azureactivedirectoryobjectid"] == w.ObjectID {
						if row != nil {
							t.Errorf("two rows created for %s", w.ObjectID)
						}
						row = map[string]any{"systemuserid": id, "isdisabled": false, "_businessunitid_value": w.BusinessUnit}
						want[id], created[id] = row, true
					}
				}
				if row == nil {
					t.Errorf("no row created for %s", w.ObjectID)
					continue
				}
				if w.ApplicationID != "" {
					row["applicationid"] = w.ApplicationID
				}
			} else if row = want[w.SystemUserID]; row == nil {
				t.Errorf("%s of %s: no row %s", w.Verb, w.ObjectID, w.SystemUserID)
				continue
			}
			for _, c := range w.Columns.Columns() {
				if v := w.Values.Get(c); v != "" || w.Verb == provisioning.Create {
					row[c.String()] = v
				} else {
					row[c.String()] = nil
				}
			}
			if w.SetMode {
				row["accessmode"] = float64(w.Mode)
			}
			if w.SetDisabled {
				row["isdisabled"] = w.Disabled
			}
		}
		for _, id := range sortedKeys(h.dv.rows) {
			if want[id] == nil {
				t.Errorf("row %s (%v) is neither an existing row nor one the plan creates", id, h.dv.rows[id]["azureactivedirectoryobjectid"])
			}
		}
		for _, id := range sortedKeys(want) {
			got := h.dv.rows[id]
			if fmt.Sprint(got) != fmt.Sprint(want[id]) {
				t.Errorf("row %s:\n got %v\nwant %v", id, got, want[id])
			}
		}
	})
}

// crash is a transport that lets after $batch requests through, then
// kills the client on the next: the run's context is cancelled and the
// request fails. With lose, the request reaches the server first, which
// applies it; its answer is lost.
type crash struct {
	next   http.RoundTripper
	cancel func()
	after  int
	lose   bool
	n      int
}

// RoundTrip sends r, or kills the client.
func (c *crash) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(r.URL.Path, "$batch") {
		return c.next.RoundTrip(r)
	}
	if c.n++; c.n <= c.after {
		return c.next.RoundTrip(r)
	}
	if c.lose {
		if resp, err := c.next.RoundTrip(r); err == nil {
			resp.Body.Close()
		}
	}
	c.cancel()
	return nil, errors.New("the client was killed")
}

// dropOnce is a transport that loses the answer of the nth $batch
// request, once, after the server applied it: the connection failed on
// the way back.
type dropOnce struct {
	next http.RoundTripper
	nth  int
	n    int
}

// RoundTrip sends r, and loses the nth $batch request's answer.
func (d *dropOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "$batch") {
		if d.n++; d.n == d.nth {
			if resp, err := d.next.RoundTrip(r); err == nil {
				resp.Body.Close()
			}
			return nil, errors.New("connection reset by peer")
		}
	}
	return d.next.RoundTrip(r)
}

// progressLines reads a progress file's lines by state.
func progressLines(t *testing.T, path string) map[progressState][]progressKey {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[progressState][]progressKey{}
	for n, line := range bytes.SplitAfter(data, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		l, err := parseProgressLine(line)
		if err != nil || line[len(line)-1] != '\n' {
			t.Fatalf("progress file line %d %q: %v", n+1, line, err)
		}
		out[l.State] = append(out[l.State], l.progressKey)
	}
	return out
}
