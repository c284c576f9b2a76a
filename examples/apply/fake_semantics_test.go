package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
	"github.com/provisionrules/provisionrules/usertype"
)

// The fake answers as the Web API documents, so that the end-to-end tests
// mean something. These send it batches written by package webapi and read
// its answers with webapi.ReadBatchResponse.

// fakeWith starts a fake holding rows 1 and 2 (systemuserids
// "9b1d5e2c-...-000000000001" and "...2").
func fakeWith(t *testing.T) (*dataverse, *httptest.Server) {
	t.Helper()
	rows := map[string]map[string]any{}
	for i := 1; i <= 2; i++ {
		rows[systemUserID(i)] = map[string]any{"systemuserid": systemUserID(i), "azureactivedirectoryobjectid": objectID(i), "isdisabled": false}
	}
	d := newDataverse(testToken, testRoot, rows, 1)
	srv := httptest.NewTLSServer(d)
	t.Cleanup(srv.Close)
	return d, srv
}

// disable is the request that disables the row of user i.
func disable(t *testing.T, i int) webapi.Request {
	t.Helper()
	r, err := webapi.EncodeWrite(provisioning.Write{Verb: provisioning.Disable, ObjectID: objectID(i), SystemUserID: systemUserID(i), SetDisabled: true, Disabled: true})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// create is the request that creates a row for user i.
func create(t *testing.T, i int, unit string) webapi.Request {
	t.Helper()
	r, err := webapi.EncodeWrite(provisioning.Write{Verb: provisioning.Create, ObjectID: objectID(i), BusinessUnit: unit, SetMode: true, Mode: usertype.ReadWrite})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// post sends the batch of reqs with opts and returns the fake's answer.
func post(t *testing.T, srv *httptest.Server, reqs []webapi.Request, opts webapi.BatchOptions) (int, []webapi.Response) {
	t.Helper()
	opts.Boundary = "batch_test"
	batches, err := webapi.Batches(reqs, nil, opts)
	if err != nil || len(batches) != 1 {
		t.Fatalf("%d batches: %v", len(batches), err)
	}
	status, header, body := send(t, srv, batches[0].Headers, batches[0].Body)
	results, err := webapi.ReadBatchResponse(&batches[0], status, header, body)
	if err != nil {
		t.Fatalf("the fake's answer: %v\n%s", err, body)
	}
	return status, results
}

// send posts body to the fake's $batch with headers and the token.
func send(t *testing.T, srv *httptest.Server, headers map[string]string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/data/v9.2/$batch", bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header, buf.Bytes()
}

// statuses lists the results' statuses, and whether each was rolled back.
func statuses(results []webapi.Response) string {
	var parts []string
	for _, r := range results {
		s := fmt.Sprint(r.Status)
		if r.RolledBack {
			s += " rolled back"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// Without Prefer: odata.continue-on-error the fake stops at the first
// failure, and the requests after it are not processed; with it, every
// request is.
func TestFakeContinueOnError(t *testing.T) {
	// Row 3 does not exist: its PATCH with If-Match fails with 404.
	reqs := []webapi.Request{disable(t, 3), disable(t, 1), disable(t, 2)}
	d, srv := fakeWith(t)
	if _, res := post(t, srv, reqs, webapi.BatchOptions{}); statuses(res) != "404, 0, 0" {
		t.Errorf("without continue-on-error: %s, want 404, 0, 0 (processing stops at the failure)", statuses(res))
	}
	d.locked(func() {
		if d.rows[systemUserID(1)]["isdisabled"] != false || d.rows[systemUserID(3)] != nil {
			t.Errorf("rows after a stopped batch: %v", d.rows)
		}
	})
	if _, res := post(t, srv, reqs, webapi.BatchOptions{ContinueOnError: true}); statuses(res) != "404, 204, 204" {
		t.Errorf("with continue-on-error: %s, want 404, 204, 204", statuses(res))
	}
	d.locked(func() {
		if d.rows[systemUserID(1)]["isdisabled"] != true || d.rows[systemUserID(2)]["isdisabled"] != true || d.rows[systemUserID(3)] != nil {
			t.Errorf("rows after the batch: %v", d.rows)
		}
	})
}

// A change set is all or nothing: one failure rolls back the others, and
// is the answer to each.
func TestFakeChangeSet(t *testing.T) {
	d, srv := fakeWith(t)
	if _, res := post(t, srv, []webapi.Request{disable(t, 1), create(t, 5, testRoot), disable(t, 3)}, webapi.BatchOptions{ChangeSet: true, ContinueOnError: true}); statuses(res) != "404 rolled back, 404 rolled back, 404 rolled back" {
		t.Errorf("a failed change set: %s", statuses(res))
	}
	d.locked(func() {
		if len(d.rows) != 2 || d.rows[systemUserID(1)]["isdisabled"] != false || len(d.applied) != 0 {
			t.Errorf("a failed change set left rows %v, applied %v", d.rows, d.applied)
		}
	})
	if _, res := post(t, srv, []webapi.Request{disable(t, 1), create(t, 5, testRoot)}, webapi.BatchOptions{ChangeSet: true}); statuses(res) != "204, 204" {
		t.Errorf("a change set: %s", statuses(res))
	}
	d.locked(func() {
		if len(d.rows) != 3 || d.rows[systemUserID(1)]["isdisabled"] != true {
			t.Errorf("after a change set: rows %v", d.rows)
		}
	})
}

// More than 1,000 requests in a batch is refused as a whole, and nothing
// is applied.
func TestFakeBatchLimit(t *testing.T) {
	d, srv := fakeWith(t)
	var body bytes.Buffer
	r := disable(t, 1)
	for i := range webapi.MaxBatch + 1 {
		fmt.Fprintf(&body, "--batch_x\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: %d\r\n\r\n%s /api/data/v9.2/%s HTTP/1.1\r\nContent-Type: application/json\r\nIf-Match: *\r\n\r\n%s\r\n", i+1, r.Method, r.Path, r.Body)
	}
	body.WriteString("--batch_x--\r\n")
	status, _, answer := send(t, srv, map[string]string{"Content-Type": "multipart/mixed;boundary=batch_x"}, body.Bytes())
	if status != 400 || !strings.Contains(string(answer), "exceeds the limit of 1000") {
		t.Errorf("1,001 requests: %d %s", status, answer)
	}
	d.locked(func() {
		if len(d.received) != 0 || d.rows[systemUserID(1)]["isdisabled"] != false {
			t.Errorf("a refused batch was processed: %v", d.received)
		}
	})
}

// A PATCH without If-Match is an upsert: it creates the row it addresses.
// That is why every PATCH apply sends carries If-Match: *.
func TestFakeUpsert(t *testing.T) {
	d, srv := fakeWith(t)
	r := disable(t, 3)
	r.Headers = nil
	if _, res := post(t, srv, []webapi.Request{r}, webapi.BatchOptions{}); statuses(res) != "204" {
		t.Errorf("an upsert: %s", statuses(res))
	}
	d.locked(func() {
		if d.rows[systemUserID(3)] == nil || d.upserts != 1 {
			t.Errorf("an upsert did not create its row: %v, %d upserts", d.rows, d.upserts)
		}
	})
}

// A create needs the business unit it binds to exist.
func TestFakeCreateNeedsBusinessUnit(t *testing.T) {
	d, srv := fakeWith(t)
	if _, res := post(t, srv, []webapi.Request{create(t, 5, "12345678-0000-4000-8000-000000000000")}, webapi.BatchOptions{}); statuses(res) != "400" {
		t.Errorf("a create in an unknown business unit: %s", statuses(res))
	}
	d.locked(func() {
		if len(d.rows) != 2 {
			t.Errorf("rows: %v", d.rows)
		}
	})
}
