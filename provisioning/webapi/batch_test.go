package webapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
	"github.com/provisionrules/provisionrules/provisioning/wire"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// crlf turns the LF line ends of a documented example into the CRLF of
// the wire.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// account is the account the documented batch examples create tasks for.
const account = "accounts(00000000-0000-0000-0000-000000000001)"

// docTasks are the requests of Microsoft's documented batch example
// ("Execute batch operations using the Web API", "Batch requests"): three
// tasks created for an account, then the account's tasks read back.
func docTasks() []webapi.Request {
	task := func(n int) webapi.Request {
		return webapi.Request{Method: "POST", Path: "tasks",
			Body: []byte(`{"subject":"Task ` + strconv.Itoa(n) + ` in batch","regardingobjectid_account_task@odata.bind":"` + account + `"}`)}
	}
	return []webapi.Request{task(1), task(2), task(3), {Method: "GET", Path: account + "/Account_Tasks?$select=subject"}}
}

// The batch body of the documented example without change sets, written
// by hand from the page. It differs from the page's only where the page
// leaves a choice: every part carries a Content-ID (OData's request
// identifier, which the page's change set example uses), a body's
// Content-Type is application/json (the page's other examples' value; it
// writes "application/json; type=entry" here), the JSON is compact, and
// the Content-Type header's boundary is not quoted.
func TestBatchesDocumentedRequest(t *testing.T) {
	const boundary = "batch_80dd1615-2a10-428a-bb6f-0e559792721f"
	bs, err := webapi.Batches(docTasks(), nil, webapi.BatchOptions{Boundary: boundary})
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 1 {
		t.Fatalf("%d batches, want 1", len(bs))
	}
	want := crlf(`--batch_80dd1615-2a10-428a-bb6f-0e559792721f
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json

{"subject":"Task 1 in batch","regardingobjectid_account_task@odata.bind":"accounts(00000000-0000-0000-0000-000000000001)"}
--batch_80dd1615-2a10-428a-bb6f-0e559792721f
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json

{"subject":"Task 2 in batch","regardingobjectid_account_task@odata.bind":"accounts(00000000-0000-0000-0000-000000000001)"}
--batch_80dd1615-2a10-428a-bb6f-0e559792721f
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 3

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json

{"subject":"Task 3 in batch","regardingobjectid_account_task@odata.bind":"accounts(00000000-0000-0000-0000-000000000001)"}
--batch_80dd1615-2a10-428a-bb6f-0e559792721f
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 4

GET /api/data/v9.2/accounts(00000000-0000-0000-0000-000000000001)/Account_Tasks?$select=subject HTTP/1.1


--batch_80dd1615-2a10-428a-bb6f-0e559792721f--
`)
	if diff := cmp.Diff(want, string(bs[0].Body)); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
	wantHeaders := map[string]string{
		"Content-Type":     "multipart/mixed;boundary=batch_80dd1615-2a10-428a-bb6f-0e559792721f",
		"Accept":           "application/json",
		"OData-MaxVersion": "4.0",
		"OData-Version":    "4.0",
		"If-None-Match":    "null",
	}
	if diff := cmp.Diff(wantHeaders, bs[0].Headers); diff != "" {
		t.Errorf("headers mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 1, 2, 3}, bs[0].Requests); diff != "" || bs[0].ChangeSet {
		t.Errorf("requests mismatch (-want +got):\n%s; change set %v", diff, bs[0].ChangeSet)
	}
}

// The documented change set example ("Change sets"), without its GET
// part, which a change set cannot hold and this library puts in no batch
// of change sets; with ContinueOnError, the header the page's "Handling
// errors" adds.
func TestBatchesDocumentedChangeSet(t *testing.T) {
	const boundary = "batch_22975cad-7f57-410d-be15-6363209367ea"
	bs, err := webapi.Batches(docTasks()[:3], nil, webapi.BatchOptions{Boundary: boundary, ChangeSet: true, ContinueOnError: true})
	if err != nil {
		t.Fatal(err)
	}
	want := crlf(`--batch_22975cad-7f57-410d-be15-6363209367ea
Content-Type: multipart/mixed;boundary=changeset_batch_22975cad-7f57-410d-be15-6363209367ea

--changeset_batch_22975cad-7f57-410d-be15-6363209367ea
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json

{"subject":"Task 1 in batch","regardingobjectid_account_task@odata.bind":"accounts(00000000-0000-0000-0000-000000000001)"}
--changeset_batch_22975cad-7f57-410d-be15-6363209367ea
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json

{"subject":"Task 2 in batch","regardingobjectid_account_task@odata.bind":"accounts(00000000-0000-0000-0000-000000000001)"}
--changeset_batch_22975cad-7f57-410d-be15-6363209367ea
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 3

POST /api/data/v9.2/tasks HTTP/1.1
Content-Type: application/json

{"subject":"Task 3 in batch","regardingobjectid_account_task@odata.bind":"accounts(00000000-0000-0000-0000-000000000001)"}
--changeset_batch_22975cad-7f57-410d-be15-6363209367ea--
--batch_22975cad-7f57-410d-be15-6363209367ea--
`)
	if len(bs) != 1 {
		t.Fatalf("%d batches, want 1", len(bs))
	}
	if diff := cmp.Diff(want, string(bs[0].Body)); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
	if got := bs[0].Headers["Prefer"]; got != "odata.continue-on-error" || !bs[0].ChangeSet {
		t.Errorf("Prefer = %q, change set %v; want odata.continue-on-error, true", got, bs[0].ChangeSet)
	}
}

// A batch holds at most MaxBatch requests (1,000, the documented limit)
// or opts.Size; the indexes stay those of the caller's slice, also when
// only some requests are sent again.
func TestBatchesSplit(t *testing.T) {
	reqs := make([]webapi.Request, 2500)
	for i := range reqs {
		reqs[i] = webapi.Request{Method: "PATCH", Path: "systemusers(" + strconv.Itoa(i) + ")", Body: []byte(`{}`)}
	}
	bs, err := webapi.Batches(reqs, nil, webapi.BatchOptions{Boundary: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 3 || len(bs[0].Requests) != 1000 || len(bs[1].Requests) != 1000 || len(bs[2].Requests) != 500 {
		t.Fatalf("%d batches", len(bs))
	}
	if bs[1].Requests[0] != 1000 || bs[2].Requests[499] != 2499 {
		t.Errorf("batch 2 starts at %d, batch 3 ends at %d", bs[1].Requests[0], bs[2].Requests[499])
	}
	if !bytes.Contains(bs[2].Body, []byte("Content-ID: 2500\r\n\r\nPATCH /api/data/v9.2/systemusers(2499) HTTP/1.1\r\n")) {
		t.Error("the last part does not carry Content-ID 2500 for request 2499")
	}
	bs, err = webapi.Batches(reqs, []int{7, 2, 2400}, webapi.BatchOptions{Boundary: "b", Size: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || !cmp.Equal(bs[0].Requests, []int{7, 2}) || !cmp.Equal(bs[1].Requests, []int{2400}) {
		t.Fatalf("batches of indexes 7, 2, 2400 by 2: %v", bs)
	}
	// A count that the size divides fills its batches, with no empty one
	// after them; no request makes no batch.
	for _, c := range []struct{ indexes, sizes []int }{{[]int{1, 2, 3, 4}, []int{2, 2}}, {[]int{}, nil}} {
		got, err := webapi.Batches(reqs, c.indexes, webapi.BatchOptions{Boundary: "b", Size: 2})
		var sizes []int
		for _, b := range got {
			sizes = append(sizes, len(b.Requests))
		}
		if err != nil || !cmp.Equal(sizes, c.sizes) {
			t.Errorf("Batches of %d requests by 2: sizes %v, %v; want %v", len(c.indexes), sizes, err, c.sizes)
		}
	}
	if !bytes.Contains(bs[0].Body, []byte("Content-ID: 8\r\n\r\nPATCH /api/data/v9.2/systemusers(7) ")) ||
		!bytes.Contains(bs[0].Body, []byte("Content-ID: 3\r\n\r\nPATCH /api/data/v9.2/systemusers(2) ")) {
		t.Errorf("parts of batch 1:\n%s", bs[0].Body)
	}
}

// What cannot be put in a batch as it is is refused with an *Error naming
// the field, and no batch.
func TestBatchesRefuses(t *testing.T) {
	ok := webapi.Request{Method: "PATCH", Path: "systemusers(1)", Headers: map[string]string{"If-Match": "*"}, Body: []byte(`{}`)}
	with := func(f func(r *webapi.Request)) []webapi.Request {
		r := ok
		r.Headers = map[string]string{"If-Match": "*"}
		f(&r)
		return []webapi.Request{ok, r}
	}
	opts := webapi.BatchOptions{Boundary: "batch_1"}
	for _, c := range []struct {
		name    string
		reqs    []webapi.Request
		indexes []int
		opts    webapi.BatchOptions
		field   string
		err     error
	}{
		{"no boundary", []webapi.Request{ok}, nil, webapi.BatchOptions{}, "Boundary", provisioning.ErrMissing},
		{"a boundary with a space", []webapi.Request{ok}, nil, webapi.BatchOptions{Boundary: "batch 1"}, "Boundary", provisioning.ErrMalformed},
		{"a boundary of 61 characters", []webapi.Request{ok}, nil, webapi.BatchOptions{Boundary: strings.Repeat("b", 61)}, "Boundary", provisioning.ErrMalformed},
		{"a size over the limit", []webapi.Request{ok}, nil, webapi.BatchOptions{Boundary: "b", Size: 1001}, "Size", provisioning.ErrMalformed},
		{"a negative size", []webapi.Request{ok}, nil, webapi.BatchOptions{Boundary: "b", Size: -1}, "Size", provisioning.ErrMalformed},
		{"an index out of range", []webapi.Request{ok}, []int{1}, opts, "indexes[0]", provisioning.ErrUnknown},
		{"an index twice", []webapi.Request{ok, ok}, []int{1, 0, 1}, opts, "indexes[2]", provisioning.ErrDuplicate},
		{"no method", with(func(r *webapi.Request) { r.Method = "" }), nil, opts, "Method", provisioning.ErrMissing},
		{"a method with a space", with(func(r *webapi.Request) { r.Method = "PATCH /x" }), nil, opts, "Method", provisioning.ErrMalformed},
		{"no path", with(func(r *webapi.Request) { r.Path = "" }), nil, opts, "Path", provisioning.ErrMissing},
		{"an absolute path", with(func(r *webapi.Request) { r.Path = "/api/data/v9.2/systemusers(1)" }), nil, opts, "Path", provisioning.ErrMalformed},
		{"a path that ends the request line", with(func(r *webapi.Request) { r.Path = "systemusers(1) HTTP/1.1\r\nX: y" }), nil, opts, "Path", provisioning.ErrMalformed},
		{"a header name with a colon", with(func(r *webapi.Request) { r.Headers["X:Y"] = "1" }), nil, opts, "Headers[X:Y]", provisioning.ErrMalformed},
		{"a header value with a line break", with(func(r *webapi.Request) { r.Headers["If-Match"] = "*\r\nX-Evil: 1" }), nil, opts, "Headers[If-Match]", provisioning.ErrMalformed},
		{"an authorization header", with(func(r *webapi.Request) { r.Headers["authorization"] = "Bearer x" }), nil, opts, "Headers[authorization]", provisioning.ErrMalformed},
		{"a body holding the boundary", with(func(r *webapi.Request) { r.Body = []byte("{\"x\":\"\r\n--batch_1--\"}") }), nil, opts, "Body", provisioning.ErrMalformed},
		{"a body holding the change set's delimiter", with(func(r *webapi.Request) { r.Body = []byte("[\n--changeset_b\n]") }), nil, webapi.BatchOptions{Boundary: "b", ChangeSet: true}, "Body", provisioning.ErrMalformed},
		{"a GET in a change set", with(func(r *webapi.Request) { r.Method, r.Body = "GET", nil }), nil, webapi.BatchOptions{Boundary: "b", ChangeSet: true}, "Method", provisioning.ErrContradiction},
	} {
		t.Run(c.name, func(t *testing.T) {
			bs, err := webapi.Batches(c.reqs, c.indexes, c.opts)
			var we *wire.Error
			if !errors.As(err, &we) || we.Field != c.field || !errors.Is(err, c.err) || bs != nil {
				t.Fatalf("Batches = %d batches, %v; want %v naming %s", len(bs), err, c.err, c.field)
			}
			// An error of a request names the request (with(): the second);
			// one of the options names them.
			src, index := "batch request", 1
			if c.field == "Boundary" || c.field == "Size" {
				src, index = "batch options", -1
			}
			if c.indexes == nil && (we.Source != src || we.Index != index) {
				t.Errorf("the error names %s %d, want %s %d", we.Source, we.Index, src, index)
			}
			// An index no request has names none (-1); one given twice
			// names its request.
			if c.indexes != nil && we.Index != map[error]int{provisioning.ErrUnknown: -1, provisioning.ErrDuplicate: 1}[c.err] {
				t.Errorf("the error names request %d", we.Index)
			}
		})
	}
}

// Every request EncodeWrite makes survives a batch: parsed back with the
// standard library's mime/multipart and net/http, each part is the
// request, with its method, URL, headers and JSON body, and its
// Content-ID.
func TestBatchRoundTrip(t *testing.T) {
	const bu, row = "00000000-0000-0000-0000-00000000000b", "00000000-0000-0000-0000-000000000001"
	var vals syncfields.Values
	vals.Set(syncfields.DomainName, "ana@contoso.com")
	vals.Set(syncfields.ObjectID, "u-1")
	vals.Set(syncfields.JobTitle, "Head \"Buyer\"\r\n--b")
	writes := []provisioning.Write{
		{Verb: provisioning.Create, ObjectID: "u-1", BusinessUnit: bu, SetMode: true, Mode: usertype.ReadWrite, Values: vals,
			Columns: syncfields.ColumnSet(0).With(syncfields.DomainName).With(syncfields.ObjectID).With(syncfields.JobTitle)},
		{Verb: provisioning.Update, ObjectID: "u-2", SystemUserID: row, Values: vals, Columns: syncfields.ColumnSet(0).With(syncfields.JobTitle).With(syncfields.City)},
		{Verb: provisioning.Disable, ObjectID: "u-3", SystemUserID: row, SetDisabled: true, Disabled: true},
		{Verb: provisioning.Enable, ObjectID: "u-4", SystemUserID: row, SetDisabled: true, SetMode: true, Mode: usertype.Administrative},
	}
	reqs := make([]webapi.Request, len(writes))
	for i, w := range writes {
		var err error
		if reqs[i], err = webapi.EncodeWrite(w); err != nil {
			t.Fatal(err)
		}
	}
	for _, changeSet := range []bool{false, true} {
		t.Run(fmt.Sprintf("change set %v", changeSet), func(t *testing.T) {
			bs, err := webapi.Batches(reqs, []int{3, 0, 1, 2}, webapi.BatchOptions{Boundary: "b", Size: 3, ChangeSet: changeSet})
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, b := range bs {
				got = append(got, parseBatch(t, b, reqs, changeSet)...)
			}
			if !cmp.Equal(got, []int{3, 0, 1, 2}) {
				t.Errorf("parts of requests %v, want 3, 0, 1, 2", got)
			}
		})
	}
}

// parseBatch parses b's body with mime/multipart and net/http, checks each
// part against the request of reqs its Content-ID names, and returns the
// indexes of the parts' requests in order.
func parseBatch(t *testing.T, b webapi.Batch, reqs []webapi.Request, changeSet bool) []int {
	t.Helper()
	media, params, err := mime.ParseMediaType(b.Headers["Content-Type"])
	if err != nil || media != "multipart/mixed" {
		t.Fatalf("Content-Type %q: %v", b.Headers["Content-Type"], err)
	}
	mr := multipart.NewReader(bytes.NewReader(b.Body), params["boundary"])
	if changeSet {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatal(err)
		}
		media, params, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil || media != "multipart/mixed" || params["boundary"] != "changeset_b" {
			t.Fatalf("change set part's Content-Type %q: %v", p.Header.Get("Content-Type"), err)
		}
		got := parseParts(t, multipart.NewReader(p, params["boundary"]), reqs)
		if _, err := mr.NextPart(); err != io.EOF {
			t.Fatalf("a part after the change set: %v", err)
		}
		return got
	}
	return parseParts(t, mr, reqs)
}

func parseParts(t *testing.T, mr *multipart.Reader, reqs []webapi.Request) []int {
	t.Helper()
	var got []int
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatal(err)
		}
		if p.Header.Get("Content-Type") != "application/http" || p.Header.Get("Content-Transfer-Encoding") != "binary" {
			t.Fatalf("part headers %v", p.Header)
		}
		id, err := strconv.Atoi(p.Header.Get("Content-ID"))
		if err != nil || id < 1 || id > len(reqs) {
			t.Fatalf("Content-ID %q", p.Header.Get("Content-ID"))
		}
		want := reqs[id-1]
		content, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		head, body, ok := bytes.Cut(content, []byte("\r\n\r\n"))
		if !ok {
			t.Fatalf("part %d has no empty line: %q", id, content)
		}
		hr, err := http.ReadRequest(bufio.NewReader(io.MultiReader(bytes.NewReader(head), strings.NewReader("\r\n\r\n"))))
		if err != nil {
			t.Fatalf("part %d: %v", id, err)
		}
		if hr.Method != want.Method || hr.RequestURI != "/api/data/v9.2/"+want.Path || hr.Proto != "HTTP/1.1" {
			t.Errorf("part %d: %s %s %s, want %s /api/data/v9.2/%s HTTP/1.1", id, hr.Method, hr.RequestURI, hr.Proto, want.Method, want.Path)
		}
		if hr.Header.Get("Content-Type") != "application/json" || hr.Header.Get("If-Match") != want.Headers["If-Match"] || len(hr.Header) != 1+len(want.Headers) {
			t.Errorf("part %d: headers %v, want Content-Type application/json and %v", id, hr.Header, want.Headers)
		}
		var gotBody, wantBody any
		if err := json.Unmarshal(body, &gotBody); err != nil {
			t.Fatalf("part %d: body %q: %v", id, body, err)
		}
		if err := json.Unmarshal(want.Body, &wantBody); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantBody, gotBody); diff != "" {
			t.Errorf("part %d: body mismatch (-want +got):\n%s", id, diff)
		}
		got = append(got, id-1)
	}
}

// multipartHeader is the header of a response with the given boundary.
func multipartHeader(boundary string) http.Header {
	return http.Header{"Content-Type": {"multipart/mixed; boundary=" + boundary}}
}

// batchOf is a batch of n requests, indexes 0 to n-1, as Batches makes it.
func batchOf(n int, changeSet bool) *webapi.Batch {
	b := &webapi.Batch{ChangeSet: changeSet}
	for i := range n {
		b.Requests = append(b.Requests, i)
	}
	return b
}

// docResponses are Microsoft's documented batch responses, copied by hand
// from "Execute batch operations using the Web API" (LF line ends, as the
// page shows them; the tests read them with CRLF too). The page shows no
// Content-Type header of the response; OData requires multipart/mixed
// with the boundary of the body's first line, which the tests pass.
var docResponses = map[string]string{
	// "Batch responses": the answer to three creates and a GET.
	"batch": `--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: [Organization Uri]/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)
OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(d31ba648-c592-ed11-aad1-000d3a993550)


--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: [Organization Uri]/api/data/v9.2/tasks(d41ba648-c592-ed11-aad1-000d3a993550)
OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(d41ba648-c592-ed11-aad1-000d3a993550)


--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: [Organization Uri]/api/data/v9.2/tasks(d51ba648-c592-ed11-aad1-000d3a993550)
OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(d51ba648-c592-ed11-aad1-000d3a993550)


--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 200 OK
Content-Type: application/json; odata.metadata=minimal; odata.streaming=true
OData-Version: 4.0

{
  "@odata.context": "[Organization Uri]/api/data/v9.2/$metadata#tasks(subject)",
  "value": [
    {
      "@odata.etag": "W/\"77180907\"",
      "subject": "Task 1 in batch",
      "activityid": "d31ba648-c592-ed11-aad1-000d3a993550"
    }
  ]
}
--batchresponse_01346794-f2e2-4d45-8cc2-f97e09fe8916--

`,
	// "Change sets": the answer to a change set of three creates, without
	// the GET part that follows it on the page.
	"change set": `--batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f
Content-Type: multipart/mixed; boundary=changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15

--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 1

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: [Organization Uri]/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)
OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)


--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 2

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: [Organization Uri]/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)
OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(e83ffc82-e292-ed11-aad1-000d3a9933c9)


--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15
Content-Type: application/http
Content-Transfer-Encoding: binary
Content-ID: 3

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: [Organization Uri]/api/data/v9.2/tasks(e93ffc82-e292-ed11-aad1-000d3a9933c9)
OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(e93ffc82-e292-ed11-aad1-000d3a9933c9)


--changesetresponse_64cc3fff-023a-45b0-b29d-df21583ffa15--
--batchresponse_f27ef42d-51b0-4685-bac9-f468f844de2f--

`,
	// "Handling errors", without odata.continue-on-error: the batch stops
	// at its first request, whose subject is too long.
	"stop on error": `--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 400 Bad Request
REQ_ID: 5ecd1cb3-1730-4ffc-909c-d44c22270026
Content-Type: application/json; odata.metadata=minimal
OData-Version: 4.0

{"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'."}}
--batchresponse_156da4b8-cd2c-4862-a911-4aaab97c001a--

`,
	// "Handling errors", with odata.continue-on-error: the two other
	// requests go on.
	"continue on error": `--batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 400 Bad Request
REQ_ID: de4c5227-4a28-4ebd-8ced-3392ece1697b
Content-Type: application/json; odata.metadata=minimal
OData-Version: 4.0

{"error":{"code":"0x80044331","message":"A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'."}}
--batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: [Organization Uri]/api/data/v9.2/tasks(aed2ae8b-3c94-ed11-aad1-000d3a9933c9)
OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(aed2ae8b-3c94-ed11-aad1-000d3a9933c9)


--batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 204 No Content
OData-Version: 4.0
Location: [Organization Uri]/api/data/v9.2/tasks(b181a991-3c94-ed11-aad1-000d3a9933c9)
OData-EntityId: [Organization Uri]/api/data/v9.2/tasks(b181a991-3c94-ed11-aad1-000d3a9933c9)


--batchresponse_f44bd09d-573f-4a30-bca0-2e500ee7e139--

`,
}

// docBoundary is the boundary of a documented response: its first line.
func docBoundary(body string) string {
	line, _, _ := strings.Cut(body, "\n")
	return strings.TrimPrefix(line, "--")
}

const tooLong = "A validation error occurred.  The length of the 'subject' attribute of the 'task' entity exceeded the maximum allowed length of '200'."

// The documented responses read into the results the page describes.
func TestReadBatchResponseDocumented(t *testing.T) {
	entity := func(id string) string { return "[Organization Uri]/api/data/v9.2/tasks(" + id + ")" }
	for _, c := range []struct {
		name   string
		status int
		batch  *webapi.Batch
		want   []webapi.Response
	}{
		{"batch", 200, batchOf(4, false), []webapi.Response{
			{Index: 0, Status: 204, EntityID: entity("d31ba648-c592-ed11-aad1-000d3a993550")},
			{Index: 1, Status: 204, EntityID: entity("d41ba648-c592-ed11-aad1-000d3a993550")},
			{Index: 2, Status: 204, EntityID: entity("d51ba648-c592-ed11-aad1-000d3a993550")},
			{Index: 3, Status: 200},
		}},
		{"change set", 200, batchOf(3, true), []webapi.Response{
			{Index: 0, Status: 204, EntityID: entity("e73ffc82-e292-ed11-aad1-000d3a9933c9")},
			{Index: 1, Status: 204, EntityID: entity("e83ffc82-e292-ed11-aad1-000d3a9933c9")},
			{Index: 2, Status: 204, EntityID: entity("e93ffc82-e292-ed11-aad1-000d3a9933c9")},
		}},
		{"stop on error", 400, batchOf(3, false), []webapi.Response{
			{Index: 0, Status: 400, Code: "0x80044331", Message: tooLong},
			{Index: 1, Status: 0},
			{Index: 2, Status: 0},
		}},
		{"continue on error", 200, batchOf(3, false), []webapi.Response{
			{Index: 0, Status: 400, Code: "0x80044331", Message: tooLong},
			{Index: 1, Status: 204, EntityID: entity("aed2ae8b-3c94-ed11-aad1-000d3a9933c9")},
			{Index: 2, Status: 204, EntityID: entity("b181a991-3c94-ed11-aad1-000d3a9933c9")},
		}},
	} {
		body := docResponses[c.name]
		for _, form := range []struct{ name, body string }{{"LF", body}, {"CRLF", crlf(body)}} {
			t.Run(c.name+" "+form.name, func(t *testing.T) {
				got, err := webapi.ReadBatchResponse(c.batch, c.status, multipartHeader(docBoundary(body)), []byte(form.body))
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c.want, got); diff != "" {
					t.Errorf("results mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// A change set that fails is answered by one application/http part, an
// OData error, for all its requests (OData 4.01, "Multipart Batch
// Response"): every request gets it, rolled back. The part is written
// here in the shape of Dataverse's documented error parts, with the
// documented answer of a PATCH with If-Match: * to a missing row
// ("Prevent create in upsert").
func TestReadBatchResponseChangeSetFailed(t *testing.T) {
	body := crlf(`--batchresponse_1
Content-Type: application/http
Content-Transfer-Encoding: binary

HTTP/1.1 404 Not Found
Content-Type: application/json; odata.metadata=minimal
OData-Version: 4.0

{"error":{"code":"","message":"systemuser With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist"}}
--batchresponse_1--
`)
	b := &webapi.Batch{Requests: []int{4, 9, 2}, ChangeSet: true}
	got, err := webapi.ReadBatchResponse(b, 200, multipartHeader("batchresponse_1"), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	msg := "systemuser With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist"
	want := []webapi.Response{
		{Index: 4, Status: 404, Message: msg, RolledBack: true},
		{Index: 9, Status: 404, Message: msg, RolledBack: true},
		{Index: 2, Status: 404, Message: msg, RolledBack: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
	if got[0].Retryable() || got[0].OK() {
		t.Error("a 404 is retryable or OK")
	}
}

// The answers of a change set may come in any order (OData: "MAY return
// the responses to the individual requests in any order"); each goes to
// the request its Content-ID names.
func TestReadBatchResponseChangeSetOrder(t *testing.T) {
	body := crlf(`--r
Content-Type: multipart/mixed; boundary=cs

--cs
Content-Type: application/http
Content-ID: 8

HTTP/1.1 204 No Content
OData-EntityId: x(8)

--cs
Content-Type: application/http
Content-ID: 3

HTTP/1.1 204 No Content
OData-EntityId: x(3)

--cs--
--r--
`)
	b := &webapi.Batch{Requests: []int{2, 7}, ChangeSet: true}
	got, err := webapi.ReadBatchResponse(b, 200, multipartHeader("r"), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := []webapi.Response{{Index: 2, Status: 204, EntityID: "x(3)"}, {Index: 7, Status: 204, EntityID: "x(8)"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
}

// A 429 for the whole batch (service protection: "Number of requests
// exceeded the limit of 6000 over time window of 300 seconds.", hex code
// 0x80072322, with Retry-After in seconds, as "Service protection API
// limits" documents them) is every request's answer: retryable, after
// the wait.
func TestReadBatchResponseThrottled(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json; odata.metadata=minimal"}, "Retry-After": {"30"}}
	body := `{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}`
	got, err := webapi.ReadBatchResponse(&webapi.Batch{Requests: []int{5, 6}}, 429, h, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	msg := "Number of requests exceeded the limit of 6000 over time window of 300 seconds."
	want := []webapi.Response{
		{Index: 5, Status: 429, Code: "0x80072322", Message: msg, RetryAfter: 30 * time.Second},
		{Index: 6, Status: 429, Code: "0x80072322", Message: msg, RetryAfter: 30 * time.Second},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results mismatch (-want +got):\n%s", diff)
	}
	if !got[0].Retryable() || got[0].Wait(time.Time{}) != 30*time.Second {
		t.Errorf("a 429 with Retry-After: 30: retryable %v, wait %v", got[0].Retryable(), got[0].Wait(time.Time{}))
	}
}

// Retry-After is seconds or an HTTP date, in any of HTTP's three forms;
// the date is returned as a time, and Wait measures it from the caller's
// now, as the library has no clock.
func TestReadBatchResponseRetryAfter(t *testing.T) {
	at := time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)
	for _, c := range []struct {
		value string
		after time.Duration
		at    time.Time
	}{
		{"120", 2 * time.Minute, time.Time{}},
		{"0", 0, time.Time{}},
		{"Wed, 21 Oct 2015 07:28:00 GMT", 0, at},
		{"Wednesday, 21-Oct-15 07:28:00 GMT", 0, at},
		{"Wed Oct 21 07:28:00 2015", 0, at},
	} {
		body := crlf("--r\nContent-Type: application/http\n\nHTTP/1.1 429 Too Many Requests\nRetry-After: " + c.value + "\n\n--r--\n")
		got, err := webapi.ReadBatchResponse(batchOf(1, false), 200, multipartHeader("r"), []byte(body))
		if err != nil {
			t.Errorf("Retry-After %q: %v", c.value, err)
			continue
		}
		if got[0].RetryAfter != c.after || !got[0].RetryAt.Equal(c.at) {
			t.Errorf("Retry-After %q: %v, %v; want %v, %v", c.value, got[0].RetryAfter, got[0].RetryAt, c.after, c.at)
		}
		if w := got[0].Wait(at.Add(-time.Minute)); c.at.IsZero() && w != c.after || !c.at.IsZero() && w != time.Minute {
			t.Errorf("Retry-After %q: Wait a minute before the date = %v", c.value, w)
		}
	}
	if w := (webapi.Response{RetryAt: at}).Wait(at.Add(time.Hour)); w != 0 {
		t.Errorf("Wait after the date = %v, want 0", w)
	}
}

// Retryable sorts answers as the service protection and error pages
// say: throttled, failed in the service, or not processed; never any
// other 4xx.
func TestResultRetryable(t *testing.T) {
	for _, c := range []struct {
		status        int
		ok, retryable bool
	}{
		{0, false, true}, {200, true, false}, {201, true, false}, {204, true, false}, {304, false, false},
		{400, false, false}, {401, false, false}, {404, false, false}, {412, false, false}, {413, false, false},
		{429, false, true}, {500, false, true}, {501, false, false}, {502, false, true}, {503, false, true}, {504, false, true},
	} {
		r := webapi.Response{Status: c.status}
		if r.OK() != c.ok || r.Retryable() != c.retryable {
			t.Errorf("status %d: OK %v, Retryable %v; want %v, %v", c.status, r.OK(), r.Retryable(), c.ok, c.retryable)
		}
	}
}

// A response that cannot be read is an *Error naming what is wrong and
// where, and no results.
func TestReadBatchResponseMalformed(t *testing.T) {
	part := func(status string) string {
		return "--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 " + status + "\r\n\r\n"
	}
	ok := part("204 No Content")
	for _, c := range []struct {
		name   string
		status int
		header http.Header
		body   string
		batch  *webapi.Batch
		field  string
		part   int
		err    error
	}{
		{"a 200 that is not multipart", 200, http.Header{"Content-Type": {"application/json"}}, `{}`, batchOf(1, false), "Content-Type", -1, provisioning.ErrMalformed},
		{"no boundary", 200, http.Header{"Content-Type": {"multipart/mixed"}}, ok + "--r--\r\n", batchOf(1, false), "Content-Type", -1, provisioning.ErrMissing},
		{"no delimiter", 200, multipartHeader("r"), "HTTP/1.1 204 No Content\r\n", batchOf(1, false), "delimiter", -1, provisioning.ErrMissing},
		{"cut short", 200, multipartHeader("r"), ok + ok, batchOf(2, false), "delimiter", 1, provisioning.ErrMissing},
		{"no empty line after a part's headers", 200, multipartHeader("r"), "--r\r\nContent-Type: application/http\r\n--r--\r\n", batchOf(1, false), "headers", 0, provisioning.ErrMissing},
		{"a part of another type", 200, multipartHeader("r"), "--r\r\nContent-Type: text/plain\r\n\r\nhi\r\n--r--\r\n", batchOf(1, false), "Content-Type", 0, provisioning.ErrMalformed},
		{"a header line without a colon", 200, multipartHeader("r"), "--r\r\nContent-Type application/http\r\n\r\n\r\n--r--\r\n", batchOf(1, false), "header line", 0, provisioning.ErrMalformed},
		{"no status line", 200, multipartHeader("r"), "--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 OK\r\n\r\n--r--\r\n", batchOf(1, false), "status line", 0, provisioning.ErrMalformed},
		{"more parts than requests", 200, multipartHeader("r"), ok + ok + "--r--\r\n", batchOf(1, false), "", 1, provisioning.ErrUnknown},
		{"fewer parts, the last a success", 200, multipartHeader("r"), ok + "--r--\r\n", batchOf(2, false), "", 1, provisioning.ErrMissing},
		{"a Content-ID of another request", 200, multipartHeader("r"), "--r\r\nContent-Type: application/http\r\nContent-ID: 2\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--r--\r\n", batchOf(1, false), "Content-ID", 0, provisioning.ErrUnknown},
		{"a Content-ID twice", 200, multipartHeader("r"), "--r\r\nContent-Type: application/http\r\nContent-ID: 1\r\nContent-ID: 1\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--r--\r\n", batchOf(1, false), "Content-ID", 0, provisioning.ErrDuplicate},
		{"a Retry-After of neither form", 200, multipartHeader("r"), "--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 429 Too Many Requests\r\nRetry-After: soon\r\n\r\n--r--\r\n", batchOf(1, false), "Retry-After", 0, provisioning.ErrMalformed},
		{"a Retry-After of a year", 429, http.Header{"Retry-After": {"31536000"}}, "", batchOf(1, false), "Retry-After", -1, provisioning.ErrMalformed},
		{"no batch", 200, multipartHeader("r"), ok + "--r--\r\n", nil, "*Batch", -1, provisioning.ErrMissing},
		{"an error body that is not JSON", 200, multipartHeader("r"), "--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{\"error\":\r\n--r--\r\n", batchOf(1, false), "error", 0, wire.ErrSyntax},
		{"a change set where the batch has none", 200, multipartHeader("r"), "--r\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs--\r\n--r--\r\n", batchOf(1, false), "Content-Type", 0, provisioning.ErrMalformed},
		{"a change set answered by a success alone", 200, multipartHeader("r"), ok + "--r--\r\n", batchOf(2, true), "status line", 0, provisioning.ErrMalformed},
		{"a change set's answer without Content-ID", 200, multipartHeader("r"), "--r\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--cs--\r\n--r--\r\n", batchOf(1, true), "Content-ID", 0, provisioning.ErrMissing},
		{"a change set answering one of two", 200, multipartHeader("r"), "--r\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-ID: 1\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--cs--\r\n--r--\r\n", batchOf(2, true), "", 1, provisioning.ErrMissing},
		{"a change set answering one request twice", 200, multipartHeader("r"), "--r\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-ID: 1\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-ID: 1\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--cs--\r\n--r--\r\n", batchOf(2, true), "Content-ID", 1, provisioning.ErrDuplicate},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := webapi.ReadBatchResponse(c.batch, c.status, c.header, []byte(c.body))
			var we *wire.Error
			if !errors.As(err, &we) || we.Field != c.field || we.Index != c.part || !errors.Is(err, c.err) || got != nil {
				t.Fatalf("ReadBatchResponse = %v, %v; want %v naming part %d, field %q", got, err, c.err, c.part, c.field)
			}
			// An error in the body says where, within it.
			if c.part >= 0 && (we.Offset <= 0 || we.Offset > int64(len(c.body)) || !strings.Contains(err.Error(), "(offset "+strconv.FormatInt(we.Offset, 10)+")")) {
				t.Errorf("error %q: offset %d, in a body of %d bytes", err, we.Offset, len(c.body))
			}
		})
	}
}

// FuzzReadBatchResponse checks that ReadBatchResponse never panics,
// returns only *wire.Error values, and that a response it accepts has
// exactly one result per request of the batch, in its order, each with a
// status of HTTP's or 0 for a request not processed, which follows a
// failure. Seeds: the documented responses, and the malformed ones of
// TestReadBatchResponseMalformed.
func FuzzReadBatchResponse(f *testing.F) {
	doc := map[string]struct {
		n         uint8
		changeSet bool
		status    uint16
	}{"batch": {4, false, 200}, "change set": {3, true, 200}, "stop on error": {3, false, 400}, "continue on error": {3, false, 200}}
	for name, c := range doc {
		body := docResponses[name]
		ct := "multipart/mixed; boundary=" + docBoundary(body)
		f.Add([]byte(body), ct, c.n, c.changeSet, c.status)
		f.Add([]byte(crlf(body)), ct, c.n, c.changeSet, c.status)
	}
	f.Add([]byte(`{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit"}}`), "application/json", uint8(2), false, uint16(429))
	f.Add([]byte("--r\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nRetry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n\r\n{\"error\":{\"code\":\"\",\"message\":\"gone\"}}\r\n--r--\r\n"), "multipart/mixed; boundary=r", uint8(2), true, uint16(200))
	f.Add([]byte("--r\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-ID: 2\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--cs\r\nContent-Type: application/http\r\nContent-ID: 5\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--cs--\r\n--r--\r\n"), "multipart/mixed; boundary=r", uint8(2), true, uint16(200))
	f.Add([]byte("--r\r\nContent-Type: application/http\r\n--r--\r\n"), "multipart/mixed; boundary=r", uint8(1), false, uint16(200))
	f.Add([]byte(""), "multipart/mixed", uint8(0), false, uint16(200))
	f.Fuzz(func(t *testing.T, body []byte, contentType string, n uint8, changeSet bool, status uint16) {
		b := &webapi.Batch{ChangeSet: changeSet}
		for i := range int(n % 16) {
			b.Requests = append(b.Requests, 3*i+1) // Content-ID 3i+2
		}
		results, err := webapi.ReadBatchResponse(b, int(status), http.Header{"Content-Type": {contentType}}, body)
		if we := (*wire.Error)(nil); err != nil && !errors.As(err, &we) {
			t.Fatalf("error %v (%T) is not a *wire.Error", err, err)
		}
		if err != nil {
			if results != nil {
				t.Fatalf("results with the error %v", err)
			}
			return
		}
		if len(results) != len(b.Requests) {
			t.Fatalf("%d results for %d requests", len(results), len(b.Requests))
		}
		notProcessed := false
		for k, r := range results {
			switch {
			case r.Index != b.Requests[k]:
				t.Fatalf("result %d is of request %d, want %d", k, r.Index, b.Requests[k])
			case r.Status != 0 && (r.Status < 100 || r.Status > 599):
				t.Fatalf("result %d: status %d", k, r.Status)
			case r.Status == 0 && (k == 0 || changeSet || !notProcessed && results[k-1].Status < 400):
				t.Fatalf("result %d not processed, but no failure before it: %+v", k, results)
			case notProcessed && r.Status != 0:
				t.Fatalf("result %d processed after one that was not: %+v", k, results)
			case r.RolledBack && !changeSet:
				t.Fatalf("result %d rolled back outside a change set", k)
			}
			notProcessed = r.Status == 0
		}
	})
}

// What RFC 2046 and HTTP let a response hold is read: a preamble before
// the first delimiter and an epilogue after the last, transport padding
// after a boundary, media types in any case, and a header map keyed in
// any case.
func TestReadBatchResponseLenient(t *testing.T) {
	body := "This is a preamble.\r\n--r  \t\r\nContent-Type: Application/HTTP\r\n\r\nHTTP/1.1 204 No Content\r\nodata-entityid: x(1)\r\n\r\n--r--  \r\nThis is an epilogue.\r\n--r\r\n"
	got, err := webapi.ReadBatchResponse(batchOf(1, false), 200, map[string][]string{"content-type": {"Multipart/Mixed; boundary=r"}}, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if want := []webapi.Response{{Index: 0, Status: 204, EntityID: "x(1)"}}; !cmp.Equal(want, got) {
		t.Errorf("results %+v, want %+v", got, want)
	}
}

// A request's own Content-Type replaces the one a part gives a body; a
// body that starts with the delimiter is refused like one with a line
// that does.
func TestBatchesRequestHeaders(t *testing.T) {
	typed := webapi.Request{Method: "POST", Path: "tasks", Headers: map[string]string{"Content-Type": "application/json; type=entry"}, Body: []byte(`{}`)}
	bs, err := webapi.Batches([]webapi.Request{typed}, nil, webapi.BatchOptions{Boundary: "b"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "POST /api/data/v9.2/tasks HTTP/1.1\r\nContent-Type: application/json; type=entry\r\n\r\n{}\r\n--b--\r\n"; !strings.HasSuffix(string(bs[0].Body), want) {
		t.Errorf("body %q, want it to end %q", bs[0].Body, want)
	}
	typed.Body = []byte("--b\r\n")
	if _, err := webapi.Batches([]webapi.Request{typed}, nil, webapi.BatchOptions{Boundary: "b"}); !errors.Is(err, provisioning.ErrMalformed) {
		t.Errorf("a body that starts with the delimiter: %v", err)
	}
}

// A whole-batch answer that is not multipart/mixed is every request's
// answer for any status HTTP defines but a success (100 to 599, the bounds
// included), and refused as malformed for a success or a status outside
// that range.
func TestReadBatchResponseWholeStatusBounds(t *testing.T) {
	h := http.Header{"Content-Type": {"text/plain"}}
	for _, c := range []struct {
		status int
		whole  bool
	}{{99, false}, {100, true}, {199, true}, {200, false}, {299, false}, {300, true}, {503, true}, {599, true}, {600, false}} {
		got, err := webapi.ReadBatchResponse(&webapi.Batch{Requests: []int{4}}, c.status, h, []byte("busy"))
		switch {
		case c.whole && (err != nil || len(got) != 1 || got[0].Status != c.status || got[0].Index != 4):
			t.Errorf("status %d: %+v, %v; want request 4 answered %d", c.status, got, err, c.status)
		case !c.whole && !errors.Is(err, provisioning.ErrMalformed):
			t.Errorf("status %d: %+v, %v; want ErrMalformed", c.status, got, err)
		}
	}
}

// An error body that is not JSON's shape of an error is refused naming the
// batch (no part: index -1); a failed part whose JSON body is empty is
// answered with its status alone.
func TestReadBatchResponseErrorBodies(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json"}}
	_, err := webapi.ReadBatchResponse(&webapi.Batch{Requests: []int{0}}, 500, h, []byte(`{"error":`))
	var we *wire.Error
	if !errors.As(err, &we) || we.Index != -1 {
		t.Errorf("a whole answer with a cut JSON body: %v; want a *wire.Error with index -1", err)
	}
	body := crlf("--r\nContent-Type: application/http\n\nHTTP/1.1 404 Not Found\nContent-Type: application/json\n\n\n--r--\n")
	got, err := webapi.ReadBatchResponse(batchOf(1, false), 200, multipartHeader("r"), []byte(body))
	if err != nil || len(got) != 1 || got[0].Status != 404 || got[0].Code != "" {
		t.Errorf("a 404 part with an empty JSON body: %+v, %v; want status 404 alone", got, err)
	}
}

// A header listed with no value is no header: the batch reader neither
// fails on it nor reads a value into it.
func TestReadBatchResponseEmptyHeaders(t *testing.T) {
	for _, h := range []map[string][]string{
		{"Content-Type": {}, "Retry-After": {}},
		{"content-type": {}, "retry-after": {}},
	} {
		got, err := webapi.ReadBatchResponse(&webapi.Batch{Requests: []int{0}}, 503, h, []byte("busy"))
		if err != nil || len(got) != 1 || got[0].Status != 503 || got[0].RetryAfter != 0 {
			t.Errorf("headers %v: %+v, %v; want request 0 answered 503 with no Retry-After", h, got, err)
		}
	}
}
