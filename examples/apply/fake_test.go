package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// dataverse is a fake Dataverse Web API holding the systemusers rows of
// one environment. It follows the documented semantics apply relies on,
// and fails what Dataverse would refuse:
//
//   - every request needs Authorization: Bearer and the token, else 401;
//   - POST systemusers creates a row, with a new systemuserid, only when
//     its body binds businessunitid@odata.bind to a business unit that
//     exists; it refuses isdisabled (not settable on create) and any
//     column a systemuser does not have (400). A create does not check
//     that another row holds the same azureactivedirectoryobjectid, so a
//     create sent twice makes two rows, which the tests count;
//   - PATCH systemusers(id) with If-Match: * updates the row, or answers
//     404 and creates nothing when there is none; without If-Match it is
//     an upsert and creates the row (counted in upserts, which the tests
//     hold at zero);
//   - GET systemusers?$filter=azureactivedirectoryobjectid eq X and GET
//     businessunits(id) answer as the Web API does;
//   - POST $batch reads a multipart/mixed body with mime/multipart: more
//     than 1,000 requests is 400 and nothing is applied; each part's
//     request is read with net/http; a change set is applied atomically
//     (one failure rolls back all its changes, and is its one answer);
//     without Prefer: odata.continue-on-error processing stops after the
//     first failure;
//   - throttleBatch of the $batch calls are answered 429 as a whole, and
//     throttleOp of the writes inside a batch 429 each, with Retry-After,
//     drawn from a seeded source so that every run is the same;
//   - inject fails chosen writes, by the row's object ID: with a status and
//     a Dataverse error code, a number of times or for good, optionally
//     after applying the write (a 5xx whose write took effect).
//
// It counts every write received and applied by a hash of its method,
// path, If-Match and body.
type dataverse struct {
	token string
	// units are the business units: the ID of each and its parent's ("" for
	// the root).
	units map[string]string

	mu     sync.Mutex
	rows   map[string]map[string]any // by systemuserid
	nextID int

	rand          *rand.Rand
	throttleBatch float64
	throttleOp    float64
	retryAfter    int // seconds
	inject        map[string]*injected

	batches      int            // $batch requests received (authorized)
	largest      int            // the most requests in one $batch received
	gets         int            // GET requests received
	received     map[string]int // writes received, by hash
	applied      map[string]int // writes applied (and not rolled back), by hash
	upserts      int            // PATCHes without If-Match
	unauthorized int            // requests refused for their token
}

// injected is a failure a write is answered with.
type injected struct {
	status        int
	code, message string
	// times is how many more writes fail so; below zero, every one.
	times int
	// applied makes the write take effect before it is answered with the
	// failure: a 5xx after the fact, or an answer lost on the way.
	applied bool
}

// answer is the failure's answer: a 429 with Retry-After, as Dataverse
// sends it.
func (f *injected) answer(retryAfter int) answer {
	a := errorAnswer(f.status, f.code, f.message)
	if f.status == 429 {
		a.header["Retry-After"] = strconv.Itoa(retryAfter)
	}
	return a
}

// newDataverse returns a fake environment whose root business unit is
// root, holding rows.
func newDataverse(token, root string, rows map[string]map[string]any, seed uint64) *dataverse {
	return &dataverse{
		token: token, units: map[string]string{root: ""},
		rows: rows, rand: rand.New(rand.NewPCG(seed, seed)), retryAfter: 7,
		inject: map[string]*injected{}, received: map[string]int{}, applied: map[string]int{},
	}
}

// rowsOf returns the rows a snapshot's records of env would be in
// Dataverse: every record with its systemuserid.
func rowsOf(records []provisioning.Record) map[string]map[string]any {
	rows := map[string]map[string]any{}
	for _, r := range records {
		if r.SystemUserID == "" {
			continue
		}
		row := map[string]any{
			"systemuserid": r.SystemUserID, "azureactivedirectoryobjectid": r.ObjectID,
			"domainname": r.UPN, "accessmode": float64(r.Mode), "isdisabled": r.Disabled,
		}
		for _, c := range syncfields.Columns() {
			if v := r.Fields.Columns.Get(c); v != "" {
				row[c.String()] = v
			}
		}
		rows[r.SystemUserID] = row
	}
	return rows
}

// answer is the HTTP response to one request.
type answer struct {
	status int
	header map[string]string
	body   []byte
}

// errorAnswer is a failure with Dataverse's JSON error.
func errorAnswer(status int, code, message string) answer {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": message}})
	return answer{status: status, header: map[string]string{"Content-Type": "application/json; odata.metadata=minimal"}, body: body}
}

// write writes a as an HTTP/1.1 response, the content of a batch part.
func (a answer) write(b *bytes.Buffer) {
	fmt.Fprintf(b, "HTTP/1.1 %d %s\r\n", a.status, http.StatusText(a.status))
	b.WriteString("OData-Version: 4.0\r\n")
	for name, value := range a.header {
		fmt.Fprintf(b, "%s: %s\r\n", name, value)
	}
	b.WriteString("\r\n")
	b.Write(a.body)
	b.WriteString("\r\n")
}

// operation is one request of a batch, or one sent alone.
type operation struct {
	contentID string
	method    string
	path      string // under /api/data/v9.2/
	query     url.Values
	header    http.Header
	body      []byte
}

const apiPrefix = "/api/data/v9.2/"

// ServeHTTP answers one request: a $batch, or a request sent alone.
func (d *dataverse) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var a answer
	body, err := io.ReadAll(r.Body)
	switch {
	case err != nil:
		a = errorAnswer(400, "0x0", err.Error())
	case r.Header.Get("Authorization") != "Bearer "+d.token:
		d.unauthorized++
		a = errorAnswer(401, "0x80072560", "the user is not a member of the organization")
	case !strings.HasPrefix(r.URL.Path, apiPrefix):
		a = errorAnswer(404, "0x0", "no such resource")
	case r.URL.Path == apiPrefix+"$batch" && r.Method == http.MethodPost:
		d.batch(w, r.Header, body)
		return
	default:
		a = d.operation(&operation{method: r.Method, path: strings.TrimPrefix(r.URL.Path, apiPrefix), query: r.URL.Query(), header: r.Header, body: body}, false)
	}
	for name, value := range a.header {
		w.Header().Set(name, value)
	}
	w.WriteHeader(a.status)
	w.Write(a.body)
}

// batch answers a $batch request.
func (d *dataverse) batch(w http.ResponseWriter, header http.Header, body []byte) {
	items, n, err := readBatch(header.Get("Content-Type"), body)
	d.largest = max(d.largest, n)
	var a answer
	switch {
	case err != nil:
		a = errorAnswer(400, "0x80048d19", "the $batch body is malformed: "+err.Error())
	case n > 1000:
		a = errorAnswer(400, "0x80048d19", "the number of requests in a batch, "+strconv.Itoa(n)+", exceeds the limit of 1000")
	case d.rand.Float64() < d.throttleBatch:
		d.batches++
		a = errorAnswer(429, "0x80072322", "Number of requests exceeded the limit of 6000 over time window of 300 seconds.")
		a.header["Retry-After"] = strconv.Itoa(d.retryAfter)
	}
	if a.status != 0 {
		for name, value := range a.header {
			w.Header().Set(name, value)
		}
		w.WriteHeader(a.status)
		w.Write(a.body)
		return
	}
	d.batches++
	carryOn := strings.Contains(header.Get("Prefer"), "odata.continue-on-error")
	var out bytes.Buffer
	const bound = "batchresponse_fake"
	for _, it := range items {
		fmt.Fprintf(&out, "--%s\r\n", bound)
		failed := false
		if it.changeSet == nil {
			a := d.operation(it.op, true)
			fmt.Fprintf(&out, "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: %s\r\n\r\n", it.op.contentID)
			a.write(&out)
			failed = a.status >= 400
		} else {
			failed = d.changeSet(&out, it.changeSet)
		}
		if failed && !carryOn {
			break
		}
	}
	fmt.Fprintf(&out, "--%s--\r\n", bound)
	w.Header().Set("Content-Type", "multipart/mixed; boundary="+bound)
	w.Header().Set("OData-Version", "4.0")
	w.WriteHeader(200)
	w.Write(out.Bytes())
}

// changeSet applies ops atomically and writes the answer: a change set of
// every answer, or the first failure alone, having rolled back the
// others. It reports whether the change set failed.
func (d *dataverse) changeSet(out *bytes.Buffer, ops []*operation) bool {
	rows := make(map[string]map[string]any, len(d.rows))
	for id, row := range d.rows {
		rows[id] = maps.Clone(row)
	}
	applied, nextID, upserts := maps.Clone(d.applied), d.nextID, d.upserts
	var answers []answer
	for _, op := range ops {
		a := d.operation(op, true)
		if a.status >= 400 {
			d.rows, d.applied, d.nextID, d.upserts = rows, applied, nextID, upserts
			fmt.Fprintf(out, "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
			a.write(out)
			return true
		}
		answers = append(answers, a)
	}
	const bound = "changesetresponse_fake"
	fmt.Fprintf(out, "Content-Type: multipart/mixed; boundary=%s\r\n\r\n", bound)
	for k, a := range answers {
		fmt.Fprintf(out, "--%s\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: %s\r\n\r\n", bound, ops[k].contentID)
		a.write(out)
	}
	fmt.Fprintf(out, "--%s--\r\n", bound)
	return false
}

// item is a part of a batch: one request, or a change set of several.
type item struct {
	op        *operation
	changeSet []*operation
}

// readBatch reads a $batch body: its items, and how many requests they
// hold.
func readBatch(contentType string, body []byte) ([]item, int, error) {
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil || media != "multipart/mixed" || params["boundary"] == "" {
		return nil, 0, fmt.Errorf("Content-Type %q is not multipart/mixed with a boundary", contentType)
	}
	var items []item
	n := 0
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return items, n, nil
		}
		if err != nil {
			return nil, 0, err
		}
		media, params, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch {
		case err != nil:
			return nil, 0, err
		case media == "multipart/mixed":
			var ops []*operation
			cs := multipart.NewReader(part, params["boundary"])
			for {
				p, err := cs.NextPart()
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, 0, err
				}
				op, err := readOperation(p)
				if err != nil {
					return nil, 0, err
				}
				if op.method == http.MethodGet {
					return nil, 0, fmt.Errorf("a GET in a change set")
				}
				ops = append(ops, op)
			}
			items = append(items, item{changeSet: ops})
			n += len(ops)
		case media == "application/http":
			op, err := readOperation(part)
			if err != nil {
				return nil, 0, err
			}
			items = append(items, item{op: op})
			n++
		default:
			return nil, 0, fmt.Errorf("a part of Content-Type %q", media)
		}
	}
}

// readOperation reads the request in a part of Content-Type
// application/http.
func readOperation(p *multipart.Part) (*operation, error) {
	if te := p.Header.Get("Content-Transfer-Encoding"); te != "binary" {
		return nil, fmt.Errorf("Content-Transfer-Encoding %q, want binary", te)
	}
	br := bufio.NewReader(p)
	req, err := http.ReadRequest(br)
	if err != nil {
		return nil, err
	}
	// Without Content-Length the request has no body for net/http; the
	// rest of the part is the body.
	body, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(req.URL.Path, apiPrefix) {
		return nil, fmt.Errorf("request line %s %s is not under %s", req.Method, req.URL.Path, apiPrefix)
	}
	return &operation{contentID: p.Header.Get("Content-ID"), method: req.Method, path: strings.TrimPrefix(req.URL.Path, apiPrefix),
		query: req.URL.Query(), header: req.Header, body: body}, nil
}

// columns are the systemuser columns a write may carry, beyond the synced
// ones.
var columns = map[string]bool{"accessmode": true, "isdisabled": true, "applicationid": true, "businessunitid@odata.bind": true}

func init() {
	for _, c := range syncfields.Columns() {
		columns[c.String()] = true
	}
}

// hash identifies a write: its method, path, If-Match and body.
func (op *operation) hash() string {
	h := sha256.Sum256([]byte(op.method + " " + op.path + "\nIf-Match: " + op.header.Get("If-Match") + "\n" + string(op.body)))
	return hex.EncodeToString(h[:])
}

// operation answers one request; inBatch says it is a part of a $batch,
// which may be throttled alone.
func (d *dataverse) operation(op *operation, inBatch bool) answer {
	if op.method == http.MethodGet {
		d.gets++
		return d.get(op)
	}
	h := op.hash()
	d.received[h]++
	if inBatch && d.rand.Float64() < d.throttleOp {
		a := errorAnswer(429, "0x80072321", "Combined execution time of incoming requests exceeded limit of 1,200,000 milliseconds over time window of 300 seconds.")
		a.header["Retry-After"] = strconv.Itoa(d.retryAfter)
		return a
	}
	var fields map[string]any
	if err := json.Unmarshal(op.body, &fields); err != nil {
		return errorAnswer(400, "0x80048d19", "the body is not a JSON object: "+err.Error())
	}
	for name := range fields {
		if !columns[name] {
			return errorAnswer(400, "0x80060888", "Could not find a property named '"+name+"' on type 'Microsoft.Dynamics.CRM.systemuser'.")
		}
	}
	var id string
	switch {
	case op.method == http.MethodPost && op.path == "systemusers":
		bind, _ := fields["businessunitid@odata.bind"].(string)
		unit, ok := strings.CutPrefix(bind, "/businessunits(")
		unit, ok2 := strings.CutSuffix(unit, ")")
		if _, known := d.units[unit]; !ok || !ok2 || !known {
			return errorAnswer(400, "0x80040203", "businessunitid: a systemuser is created in a business unit that exists: "+bind)
		}
		if _, ok := fields["isdisabled"]; ok {
			return errorAnswer(400, "0x80040203", "isdisabled cannot be set when a systemuser is created")
		}
		d.nextID++
		id = fmt.Sprintf("5e8f0c1a-0000-4000-8000-%012d", d.nextID)
	case op.method == http.MethodPatch && strings.HasPrefix(op.path, "systemusers(") && strings.HasSuffix(op.path, ")"):
		id = op.path[len("systemusers(") : len(op.path)-1]
		switch _, exists := d.rows[id]; {
		case op.header.Get("If-Match") == "*" && !exists:
			return errorAnswer(404, "0x80040217", "systemuser With Id = "+id+" Does Not Exist")
		case op.header.Get("If-Match") == "":
			d.upserts++
		case op.header.Get("If-Match") != "*":
			return errorAnswer(412, "0x80060882", "the version of the row does not match If-Match")
		}
	default:
		return errorAnswer(405, "0x0", op.method+" "+op.path+" is not supported by the fake")
	}
	row := d.rows[id]
	oid, _ := fields["azureactivedirectoryobjectid"].(string)
	if row != nil {
		oid, _ = row["azureactivedirectoryobjectid"].(string)
	}
	f := d.inject[oid]
	if f != nil && f.times != 0 && !f.applied {
		f.times--
		return f.answer(d.retryAfter)
	}
	if row == nil {
		row = map[string]any{"systemuserid": id, "isdisabled": false}
		d.rows[id] = row
	}
	for name, value := range fields {
		if name == "businessunitid@odata.bind" {
			row["_businessunitid_value"] = strings.TrimSuffix(strings.TrimPrefix(value.(string), "/businessunits("), ")")
			continue
		}
		row[name] = value
	}
	d.applied[h]++
	if f != nil && f.times != 0 {
		f.times--
		return f.answer(d.retryAfter)
	}
	return answer{status: 204, header: map[string]string{"OData-EntityId": "https://fake.crm.dynamics.com/api/data/v9.2/systemusers(" + id + ")"}}
}

// get answers the two reads apply makes: a business unit by ID, and the
// systemusers of one object ID.
func (d *dataverse) get(op *operation) answer {
	ok := func(v any) answer {
		body, _ := json.Marshal(v)
		return answer{status: 200, header: map[string]string{"Content-Type": "application/json; odata.metadata=minimal"}, body: body}
	}
	if id, found := strings.CutPrefix(op.path, "businessunits("); found && strings.HasSuffix(id, ")") {
		id = strings.TrimSuffix(id, ")")
		parent, exists := d.units[id]
		if !exists {
			return errorAnswer(404, "0x80040217", "businessunit With Id = "+id+" Does Not Exist")
		}
		row := map[string]any{"businessunitid": id, "_parentbusinessunitid_value": nil}
		if parent != "" {
			row["_parentbusinessunitid_value"] = parent
		}
		return ok(row)
	}
	oid, found := strings.CutPrefix(op.query.Get("$filter"), "azureactivedirectoryobjectid eq ")
	if op.path != "systemusers" || !found || op.query.Get("$select") != "systemuserid" {
		return errorAnswer(400, "0x0", "the fake answers GET systemusers?$select=systemuserid&$filter=azureactivedirectoryobjectid eq <id> only")
	}
	value := []map[string]any{}
	for _, id := range sortedKeys(d.rows) {
		if d.rows[id]["azureactivedirectoryobjectid"] == oid {
			value = append(value, map[string]any{"systemuserid": id})
		}
	}
	return ok(map[string]any{"value": value})
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// locked calls f with the fake locked, for a test to read it.
func (d *dataverse) locked(f func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f()
}
