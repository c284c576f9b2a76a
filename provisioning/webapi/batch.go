package webapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"strconv"
	"strings"
	"time"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// MaxBatch is the most requests one Dataverse $batch request holds:
// "Batch requests can contain up to 1000 individual requests" (Microsoft,
// "Execute batch operations using the Web API").
const MaxBatch = 1000

// apiPath is the path under which a batch part's request line puts its
// request's Path, as Dataverse's documented batch examples write it; the
// caller posts the batch to [org]/api/data/v9.2/$batch.
const apiPath = "/api/data/v9.2/"

// BatchOptions says how Batches groups requests into $batch bodies.
type BatchOptions struct {
	// Boundary is the multipart boundary of every batch body, which the
	// Content-Type header names: 1 to 60 ASCII letters, digits, '_', '-'
	// and '.'; required. Dataverse's documentation writes
	// "batch_<unique identifier>". The boundary of a change set is
	// "changeset_" followed by it. No line of a request's body may start
	// with "--" and either.
	Boundary string
	// Size is the most requests in one batch, 1 to MaxBatch; 0 means
	// MaxBatch. Microsoft advises starting small (10) and growing while
	// the service protection limits allow: a large batch counts against
	// the limit of execution time.
	Size int
	// ChangeSet puts each batch's requests in one change set, which
	// Dataverse applies atomically: if one request fails, the others are
	// rolled back and the batch's response holds one failure for all of
	// them. A GET request cannot be in a change set.
	ChangeSet bool
	// ContinueOnError asks Dataverse, with the header "Prefer:
	// odata.continue-on-error", to go on with a batch's next requests
	// after one fails. Without it, processing stops at the first failure:
	// the response ends with that failure, and the requests after it are
	// not processed (Response.Status 0).
	ContinueOnError bool
}

// Batch is one $batch request: the headers and body of a POST to
// [org]/api/data/v9.2/$batch, and which requests it carries.
type Batch struct {
	// Headers are the headers the caller sends with the POST:
	// Content-Type (multipart/mixed with the boundary), Accept,
	// OData-MaxVersion, OData-Version and If-None-Match, as Dataverse's
	// documentation asks of every request, and Prefer:
	// odata.continue-on-error when BatchOptions asked for it.
	Headers map[string]string `json:"headers"`
	// Body is the multipart/mixed body; JSON leaves it out.
	Body []byte `json:"-"`
	// Requests are the indexes of the batch's requests in the slice given
	// to Batches, in the order of the body's parts. The part of request i
	// carries Content-ID i+1, which Dataverse echoes in its response.
	Requests []int `json:"requests"`
	// ChangeSet reports that the requests are one change set.
	ChangeSet bool `json:"changeSet,omitempty"`
}

// Batches encodes requests as Dataverse $batch requests of at most
// opts.Size requests each: those of reqs named by indexes, in that order,
// or every request of reqs when indexes is nil. The indexes stay those of
// reqs throughout (Batch.Requests, Response.Index), so that a caller who
// sends again only some of the requests (the retryable ones, or those a
// previous run did not apply) passes the same reqs and fewer indexes.
//
// Each request is one part of its batch's body, in the documented shape:
// an application/http part with Content-Transfer-Encoding binary and a
// Content-ID, whose request line is the method, /api/data/v9.2/ followed
// by the request's Path, and HTTP/1.1; then Content-Type:
// application/json when there is a body, the request's Headers in name
// order, an empty line and the body. Lines end in CRLF.
//
// It returns a *wire.Error, and no batch, for options out of range and for a
// request it cannot put in a batch as it is: an index out of range or
// given twice, a method that is not upper-case letters, a path that is
// empty, starts with '/' or holds a space or control character, a header
// name that is not letters, digits and hyphens, a header value holding a
// control character, an Authorization header (which a part must not
// carry), a body with a line that starts with a delimiter ("--" and the
// boundary, or the change set's), or a GET in a change set.
func Batches(reqs []Request, indexes []int, opts BatchOptions) ([]Batch, error) {
	size := opts.Size
	if size == 0 {
		size = MaxBatch
	}
	switch {
	case opts.Boundary == "":
		return nil, batchError(-1, "Boundary", "", provisioning.ErrMissing)
	case len(opts.Boundary) > 60 || !boundaryChars(opts.Boundary):
		return nil, batchError(-1, "Boundary", opts.Boundary, errtext.Explain(provisioning.ErrMalformed, "a boundary is 1 to 60 ASCII letters, digits, '_', '-' and '.'"))
	case size < 0 || size > MaxBatch:
		return nil, batchError(-1, "Size", strconv.Itoa(opts.Size), errtext.Explain(provisioning.ErrMalformed, "a batch holds 1 to 1000 requests"))
	}
	order := make([]int, 0, len(reqs))
	if indexes == nil {
		for i := range reqs {
			order = append(order, i)
		}
	} else {
		seen := make([]bool, len(reqs))
		for k, i := range indexes {
			switch {
			case i < 0 || i >= len(reqs):
				return nil, batchError(-1, "indexes["+strconv.Itoa(k)+"]", strconv.Itoa(i), errtext.Explain(provisioning.ErrUnknown, "no request has this index"))
			case seen[i]:
				return nil, batchError(i, "indexes["+strconv.Itoa(k)+"]", strconv.Itoa(i), errtext.Explain(provisioning.ErrDuplicate, "a request is sent once in a batch"))
			}
			seen[i] = true
			order = append(order, i)
		}
	}
	// A body must not hold a delimiter line of the batch or its change
	// set: "--" and the boundary at the start of a line.
	delims := [][]byte{[]byte("--" + opts.Boundary)}
	if opts.ChangeSet {
		delims = append(delims, []byte("--changeset_"+opts.Boundary))
	}
	for _, i := range order {
		if err := checkPart(&reqs[i], i, &opts, delims); err != nil {
			return nil, err
		}
	}
	batches := make([]Batch, 0, (len(order)+size-1)/size)
	for lo := 0; lo < len(order); lo += size {
		hi := min(lo+size, len(order))
		batches = append(batches, encodeBatch(reqs, order[lo:hi:hi], &opts))
	}
	return batches, nil
}

// batchError is a *wire.Error of Batches: of request i, or of the options
// when i < 0.
func batchError(i int, field, value string, err error) *wire.Error {
	src := "batch options"
	if i >= 0 {
		src = "batch request"
	}
	return &wire.Error{Source: src, Index: i, Field: field, Value: cut(value), Offset: -1, Err: err}
}

// boundaryChars reports whether s holds only the characters BatchOptions
// allows in a boundary: those of RFC 2046 that need no quoting in a
// Content-Type header.
func boundaryChars(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '_' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// checkPart reports why request r, the i-th of the caller's, cannot be a
// part of a batch with options opts and delimiters delims, or nil.
func checkPart(r *Request, i int, opts *BatchOptions, delims [][]byte) error {
	if r.Method == "" {
		return batchError(i, "Method", "", provisioning.ErrMissing)
	}
	for j := 0; j < len(r.Method); j++ {
		if c := r.Method[j]; c < 'A' || c > 'Z' {
			return batchError(i, "Method", r.Method, errtext.Explain(provisioning.ErrMalformed, "a method is upper-case letters"))
		}
	}
	if r.Path == "" {
		return batchError(i, "Path", "", provisioning.ErrMissing)
	}
	if r.Path[0] == '/' {
		return batchError(i, "Path", r.Path, errtext.Explain(provisioning.ErrMalformed, "a path is relative to /api/data/v9.2/"))
	}
	for j := 0; j < len(r.Path); j++ {
		if c := r.Path[j]; c <= ' ' || c >= 0x7f {
			return batchError(i, "Path", r.Path, errtext.Explain(provisioning.ErrMalformed, "a path in a request line holds no space, control or non-ASCII character"))
		}
	}
	for name, value := range r.Headers {
		if name == "" || !headerName(name) {
			return batchError(i, "Headers["+name+"]", name, errtext.Explain(provisioning.ErrMalformed, "a header name is letters, digits and hyphens"))
		}
		if strings.EqualFold(name, "Authorization") {
			return batchError(i, "Headers["+name+"]", name, errtext.Explain(provisioning.ErrMalformed, "a part of a batch must not carry authorization headers"))
		}
		for j := 0; j < len(value); j++ {
			if c := value[j]; c < ' ' && c != '\t' || c == 0x7f {
				return batchError(i, "Headers["+name+"]", value, errtext.Explain(provisioning.ErrMalformed, "a header value holds no control character"))
			}
		}
	}
	for _, d := range delims {
		if startsLine(r.Body, d) {
			return batchError(i, "Body", string(d), errtext.Explain(provisioning.ErrMalformed, "a line of the body starts with the boundary: choose another"))
		}
	}
	if opts.ChangeSet && r.Method == "GET" {
		return batchError(i, "Method", r.Method, errtext.Explain(provisioning.ErrContradiction, "a GET cannot be in a change set"))
	}
	return nil
}

// startsLine reports whether a line of body starts with delim.
func startsLine(body, delim []byte) bool {
	for i := 0; ; {
		if bytes.HasPrefix(body[i:], delim) {
			return true
		}
		j := bytes.IndexByte(body[i:], '\n')
		if j < 0 {
			return false
		}
		i += j + 1
	}
}

// headerName reports whether s holds only letters, digits and hyphens.
func headerName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// encodeBatch writes the batch of reqs[i] for each i of order, checked.
func encodeBatch(reqs []Request, order []int, opts *BatchOptions) Batch {
	bt := Batch{
		Headers: map[string]string{
			"Content-Type":     "multipart/mixed;boundary=" + opts.Boundary,
			"Accept":           "application/json",
			"OData-MaxVersion": "4.0",
			"OData-Version":    "4.0",
			"If-None-Match":    "null",
		},
		Requests:  order,
		ChangeSet: opts.ChangeSet,
	}
	if opts.ContinueOnError {
		bt.Headers["Prefer"] = "odata.continue-on-error"
	}
	// One allocation: the parts' fixed text is under 200 bytes each.
	n := 64 + 2*len(opts.Boundary)
	for _, i := range order {
		r := &reqs[i]
		n += 200 + len(opts.Boundary) + len(r.Method) + len(r.Path) + len(r.Body)
		for name, value := range r.Headers {
			n += len(name) + len(value) + 4
		}
	}
	b := make([]byte, 0, n)
	delim := opts.Boundary
	if opts.ChangeSet {
		b = append(b, "--"...)
		b = append(b, opts.Boundary...)
		b = append(b, "\r\nContent-Type: multipart/mixed;boundary=changeset_"...)
		b = append(b, opts.Boundary...)
		b = append(b, "\r\n\r\n"...)
		delim = "changeset_" + opts.Boundary
	}
	for _, i := range order {
		r := &reqs[i]
		b = append(b, "--"...)
		b = append(b, delim...)
		b = append(b, "\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: "...)
		b = strconv.AppendInt(b, int64(i)+1, 10)
		b = append(b, "\r\n\r\n"...)
		b = append(b, r.Method...)
		b = append(b, ' ')
		b = append(b, apiPath...)
		b = append(b, r.Path...)
		b = append(b, " HTTP/1.1\r\n"...)
		if len(r.Body) > 0 && !hasHeader(r.Headers, "Content-Type") {
			b = append(b, "Content-Type: application/json\r\n"...)
		}
		sortedHeaders(r.Headers, func(name, value string) {
			b = append(b, name...)
			b = append(b, ": "...)
			b = append(b, value...)
			b = append(b, "\r\n"...)
		})
		b = append(b, "\r\n"...)
		b = append(b, r.Body...)
		b = append(b, "\r\n"...)
	}
	if opts.ChangeSet {
		b = append(b, "--"...)
		b = append(b, delim...)
		b = append(b, "--\r\n"...)
	}
	b = append(b, "--"...)
	b = append(b, opts.Boundary...)
	b = append(b, "--\r\n"...)
	bt.Body = b
	return bt
}

// hasHeader reports whether h names a header name, in any case.
func hasHeader(h map[string]string, name string) bool {
	for k := range h {
		if strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// Response is Dataverse's answer to one request of a batch.
//
// What a caller does with it:
//
//   - OK (2xx): the request was applied; record its index, so that a
//     later run skips it.
//   - 429 Too Many Requests: a service protection limit was hit; the
//     request was not applied. Wait as long as Retry-After says (Wait)
//     and send it again: Dataverse lengthens the wait of a client that
//     keeps sending.
//   - 5xx (but 501 Not Implemented): the service failed; send again
//     after a backoff that grows with each attempt. A create that failed
//     so may have been applied all the same; a careful caller looks the
//     row up by azureactivedirectoryobjectid before creating it again.
//   - Status 0: Dataverse did not process the request (an earlier one of
//     its batch failed, without ContinueOnError); send it again.
//   - Any other 4xx: the request is wrong for the row as it is (404 Not
//     Found for a PATCH means the row is gone: If-Match: * kept it from
//     being created); sending it again gives the same answer. Plan again
//     from fresh exports instead.
//
// Retryable sorts these; the library sends nothing and has no clock.
type Response struct {
	// Index is the request's index in the slice given to Batches.
	Index int `json:"index"`
	// Status is the HTTP status of the request's response, or 0 when
	// Dataverse did not process the request.
	Status int `json:"status"`
	// Code is the Dataverse error code of a failed request, such as
	// "0x80044331"; Dataverse often leaves it empty.
	Code string `json:"code,omitempty"`
	// Message is the Dataverse error message of a failed request.
	Message string `json:"message,omitempty"`
	// RetryAfter is the wait Retry-After asks for, when it gives a
	// number of seconds (what Dataverse documents for a 429). JSON writes
	// it in nanoseconds, as encoding/json writes every time.Duration.
	RetryAfter time.Duration `json:"retryAfter,omitempty"`
	// RetryAt is the time Retry-After names, when it gives an HTTP date
	// (which HTTP allows too); the zero time otherwise.
	RetryAt time.Time `json:"retryAt,omitzero"`
	// EntityID is the URL of the row the request wrote, from the
	// response's OData-EntityId header: for a create, the new row, whose
	// systemuserid it ends with.
	EntityID string `json:"entityId,omitempty"`
	// RolledBack reports that the request was in a change set that
	// failed: Status, Code and Message are the change set's, for all its
	// requests, and none of their changes were kept.
	RolledBack bool `json:"rolledBack,omitempty"`
}

// OK reports whether the request succeeded: a 2xx status.
func (r Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Retryable reports whether sending the request again unchanged may
// succeed: it was not processed (Status 0), was throttled (429 Too Many
// Requests), or the service failed (5xx, but 501 Not Implemented, which
// Dataverse answers for an operation it does not implement).
func (r Response) Retryable() bool {
	switch {
	case r.Status == 0, r.Status == 429:
		return true
	case r.Status == 501:
		return false
	}
	return r.Status >= 500 && r.Status < 600
}

// Wait returns how long to wait, from now, before sending the request
// again, as its Retry-After says: RetryAfter, or the time until RetryAt;
// 0 when it says nothing or the time has passed. The backoff after a 5xx
// without Retry-After is the caller's to choose.
func (r Response) Wait(now time.Time) time.Duration {
	d := r.RetryAfter
	if !r.RetryAt.IsZero() {
		d = max(d, r.RetryAt.Sub(now))
	}
	return max(d, 0)
}

// ReadBatchResponse reads Dataverse's response to batch b: its HTTP
// status, its headers (as net/http's Header gives them, or any map keyed
// by header name) and its body. It returns one Response per request of b,
// in the order of b.Requests.
//
// A multipart/mixed response answers the requests in order (its parts
// may carry the requests' Content-IDs, which must then match); a change
// set's answers may come in any order, each with its request's
// Content-ID. A change set that failed is answered by one part, which
// applies to each of its requests (RolledBack). A response that stops
// after a failure (no ContinueOnError) leaves the requests after it with
// Status 0. Any other response, such as a 429 for the whole batch, is a
// failure of every request, with the status, the JSON error of the body
// and the Retry-After header.
//
// Retry-After is read as a number of seconds or as an HTTP date (the
// IMF-fixdate, RFC 850 and asctime forms HTTP recipients accept).
//
// A response it cannot read is a *wire.Error naming the part (its index),
// the header or element, the value and its byte offset in the body, and
// no results: one that is not multipart/mixed with a 2xx status, a part
// without its blank line or closing delimiter, a status line that is not
// HTTP's, a part for no request of b or two for one, a change set
// answered by a success alone, a response answering fewer requests than b
// holds whose last part is no failure, a Retry-After that is neither
// form, or an error body that is not JSON; and a nil b. It never panics.
func ReadBatchResponse(b *Batch, status int, header map[string][]string, body []byte) ([]Response, error) {
	if b == nil {
		return nil, &wire.Error{Source: srcBatch, Index: -1, Field: "*Batch", Value: "nil", Offset: -1, Err: provisioning.ErrMissing}
	}
	r := responseReader{raw: body, s: string(body), b: b, results: make([]Response, len(b.Requests))}
	for k, i := range b.Requests {
		r.results[k].Index = i
	}
	ct := headerValue(header, "Content-Type")
	media, params, err := mime.ParseMediaType(ct)
	if err != nil || media != "multipart/mixed" {
		if status < 100 || status > 599 || status >= 200 && status < 300 {
			return nil, &wire.Error{Source: srcBatch, Index: -1, Field: "Content-Type", Value: cut(ct), Offset: -1,
				Err: errtext.Explain(provisioning.ErrMalformed, "a batch response with status "+strconv.Itoa(status)+" is multipart/mixed")}
		}
		return r.whole(status, header)
	}
	boundary := params["boundary"]
	if boundary == "" {
		return nil, &wire.Error{Source: srcBatch, Index: -1, Field: "Content-Type", Value: cut(ct), Offset: -1,
			Err: errtext.Explain(provisioning.ErrMissing, "no boundary")}
	}
	if err := r.batch(boundary); err != nil {
		return nil, err
	}
	return r.results, nil
}

// headerValue returns the first value of header name in h: by its
// canonical name, as net/http keys it, or else in any case.
func headerValue(h map[string][]string, name string) string {
	if v, ok := h[name]; ok && len(v) > 0 {
		return v[0]
	}
	for k, v := range h {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// responseReader reads one batch response into results.
type responseReader struct {
	raw     []byte // the body
	s       string // the body as a string, whose substrings the results hold
	b       *Batch
	results []Response
}

// bad is a *wire.Error of the response: src and part say where, off the byte
// offset in the body.
func (r *responseReader) bad(src string, part int, field, value string, off int, err error) *wire.Error {
	return &wire.Error{Source: src, Index: part, Field: field, Value: cut(value), Offset: int64(off), Err: err}
}

const (
	srcBatch     = "$batch response"
	srcChangeSet = "$batch response change set"
)

// whole fills every result with the answer of a response that is not
// multipart: the whole batch failed.
func (r *responseReader) whole(status int, header map[string][]string) ([]Response, error) {
	var res Response
	res.Status = status
	if err := r.retryAfter(&res, headerValue(header, "Retry-After"), srcBatch, -1, -1); err != nil {
		return nil, err
	}
	if isJSON(headerValue(header, "Content-Type")) && len(r.s) > 0 {
		if err := r.errorBody(&res, 0, len(r.s), srcBatch, -1); err != nil {
			return nil, err
		}
	}
	r.answerAll(res)
	return r.results, nil
}

// answerAll makes res the answer to every request: one response that
// applies to them all.
func (r *responseReader) answerAll(res Response) {
	for k := range r.results {
		res.Index = r.results[k].Index
		r.results[k] = res
	}
}

// batch reads the top-level parts of a multipart response. The results
// of requests after the last part keep Status 0: processing stopped at
// the failure the last part answers.
func (r *responseReader) batch(boundary string) error {
	n := len(r.b.Requests)
	parts := 0
	lastFailed := false
	err := r.parts(0, len(r.s), boundary, srcBatch, func(k, start, end int) error {
		h, content, err := r.partHeaders(start, end, srcBatch, k)
		if err != nil {
			return err
		}
		parts++
		switch {
		case r.b.ChangeSet && k > 0:
			return r.bad(srcBatch, k, "", "", start, errtext.Explain(provisioning.ErrUnknown, "a part answers no request: the batch is one change set"))
		case k >= n:
			return r.bad(srcBatch, k, "", "", start, errtext.Explain(provisioning.ErrUnknown, "a part answers no request: the batch holds "+strconv.Itoa(n)))
		}
		if h.multipart != "" {
			if !r.b.ChangeSet {
				return r.bad(srcBatch, k, "Content-Type", h.contentType, start, errtext.Explain(provisioning.ErrMalformed, "a change set answered, but the batch has none"))
			}
			return r.changeSet(h.multipart, content, end)
		}
		if r.b.ChangeSet {
			// A failed change set is answered by one response for all its
			// requests.
			var res Response
			if err := r.response(&res, content, end, srcBatch, k); err != nil {
				return err
			}
			if res.Status < 400 {
				return r.bad(srcBatch, k, "status line", strconv.Itoa(res.Status), content, errtext.Explain(provisioning.ErrMalformed, "a change set answered by one part must have failed"))
			}
			res.RolledBack = true
			r.answerAll(res)
			return nil
		}
		res := &r.results[k]
		if id, err := strconv.Atoi(h.contentID); h.contentID != "" && (err != nil || id != res.Index+1) {
			// A part answering request i may carry only its Content-ID, i+1.
			return r.bad(srcBatch, k, "Content-ID", h.contentID, content, errtext.Explain(provisioning.ErrUnknown,
				"the part answers request "+strconv.Itoa(res.Index)+", whose Content-ID is "+strconv.Itoa(res.Index+1)))
		}
		if err := r.response(res, content, end, srcBatch, k); err != nil {
			return err
		}
		lastFailed = res.Status >= 400
		return nil
	})
	if err != nil {
		return err
	}
	if !r.b.ChangeSet && parts < n && !lastFailed {
		return r.bad(srcBatch, parts, "", "", len(r.s), errtext.Explain(provisioning.ErrMissing,
			"the response answers "+strconv.Itoa(parts)+" of "+strconv.Itoa(n)+" requests, and its last part is no failure"))
	}
	if r.b.ChangeSet && n > 0 && parts == 0 {
		return r.bad(srcBatch, 0, "", "", len(r.s), errtext.Explain(provisioning.ErrMissing, "the response answers no request"))
	}
	return nil
}

// changeSet reads the parts of a change set's response, in s[from:to],
// whose boundary is boundary: each answers the request its Content-ID
// names, and every request must be answered.
func (r *responseReader) changeSet(boundary string, from, to int) error {
	n := len(r.results)
	var pos map[int]int // request index -> position in results, made when parts come out of order
	answered := 0
	err := r.parts(from, to, boundary, srcChangeSet, func(k, start, end int) error {
		h, content, err := r.partHeaders(start, end, srcChangeSet, k)
		if err != nil {
			return err
		}
		if h.multipart != "" {
			return r.bad(srcChangeSet, k, "Content-Type", h.contentType, start, errtext.Explain(provisioning.ErrMalformed, "a change set within a change set"))
		}
		if h.contentID == "" {
			return r.bad(srcChangeSet, k, "Content-ID", "", start, errtext.Explain(provisioning.ErrMissing, "a change set's response names its request"))
		}
		id, err := strconv.Atoi(h.contentID)
		j, ok := k, k < n && r.results[k].Index == id-1
		if !ok && err == nil {
			if pos == nil {
				pos = make(map[int]int, n)
				for k, res := range r.results {
					pos[res.Index] = k
				}
			}
			j, ok = pos[id-1]
		}
		if err != nil || !ok {
			return r.bad(srcChangeSet, k, "Content-ID", h.contentID, start, errtext.Explain(provisioning.ErrUnknown, "no request of the change set has this Content-ID"))
		}
		if r.results[j].Status != 0 {
			return r.bad(srcChangeSet, k, "Content-ID", h.contentID, start, errtext.Explain(provisioning.ErrDuplicate, "a request answered twice"))
		}
		answered++
		return r.response(&r.results[j], content, end, srcChangeSet, k)
	})
	if err != nil {
		return err
	}
	if answered < n {
		return r.bad(srcChangeSet, answered, "", "", to, errtext.Explain(provisioning.ErrMissing,
			"the change set's response answers "+strconv.Itoa(answered)+" of its "+strconv.Itoa(n)+" requests"))
	}
	return nil
}

// parts calls part with the index, start and end of each part of the
// multipart text s[from:to] with boundary boundary. A preamble before the
// first delimiter and an epilogue after the closing one are ignored;
// lines may end in CRLF or LF.
func (r *responseReader) parts(from, to int, boundary, src string, part func(k, start, end int) error) error {
	s := r.s[:to]
	dash := "--" + boundary
	nlDash := "\n" + dash
	// The first delimiter starts a line.
	at := -1
	for i := from; i < to; {
		j := strings.Index(s[i:], dash)
		if j < 0 {
			break
		}
		j += i
		if (j == from || s[j-1] == '\n') && delimiterEnd(s, j+len(dash)) != notDelimiter {
			at = j
			break
		}
		i = j + 1
	}
	if at < 0 {
		return r.bad(src, -1, "delimiter", dash, from, errtext.Explain(provisioning.ErrMissing, "no delimiter line starts the body"))
	}
	for k := 0; ; k++ {
		after := delimiterEnd(s, at+len(dash))
		if after == closing {
			return nil
		}
		start := after
		next := -1
		for i := start - 1; i < to; {
			j := strings.Index(s[i:], nlDash)
			if j < 0 {
				break
			}
			j += i + 1
			if delimiterEnd(s, j+len(dash)) != notDelimiter {
				next = j
				break
			}
			i = j
		}
		if next < 0 {
			return r.bad(src, k, "delimiter", dash, start, errtext.Explain(provisioning.ErrMissing, "the part has no delimiter after it: the response is cut short"))
		}
		end := next - 1 // the '\n' of the delimiter
		if end > start && s[end-1] == '\r' {
			end--
		}
		if err := part(k, start, max(end, start)); err != nil {
			return err
		}
		at = next
	}
}

// What delimiterEnd returns for a closing delimiter, and for a boundary
// that is no delimiter.
const (
	closing      = -2
	notDelimiter = -1
)

// delimiterEnd returns the offset after the line of a delimiter whose
// boundary ends at i in s: after its transport padding and line end;
// closing for a closing delimiter; notDelimiter when the boundary is
// followed by anything else, and so is no delimiter.
func delimiterEnd(s string, i int) int {
	if strings.HasPrefix(s[i:], "--") {
		return closing
	}
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	switch {
	case strings.HasPrefix(s[i:], "\r\n"):
		return i + 2
	case strings.HasPrefix(s[i:], "\n"):
		return i + 1
	}
	return notDelimiter
}

// partInfo is what a part's headers say.
type partInfo struct {
	contentType string
	multipart   string // the boundary, for a multipart/mixed part
	contentID   string
}

// partHeaders reads the headers of the part in s[start:end] and returns
// them with the offset of its content.
func (r *responseReader) partHeaders(start, end int, src string, k int) (partInfo, int, error) {
	var h partInfo
	ctAt := start
	content, err := r.headers(start, end, true, src, k, func(name, value string, at int) error {
		switch {
		case strings.EqualFold(name, "Content-Type"):
			if h.contentType != "" {
				return r.bad(src, k, name, value, at, errtext.Explain(provisioning.ErrDuplicate, "a header given twice"))
			}
			h.contentType, ctAt = value, at
		case strings.EqualFold(name, "Content-ID"):
			if h.contentID != "" {
				return r.bad(src, k, name, value, at, errtext.Explain(provisioning.ErrDuplicate, "a header given twice"))
			}
			h.contentID = value
		}
		return nil
	})
	if err != nil {
		return h, content, err
	}
	switch mediaType(h.contentType) {
	case "application/http":
	case "multipart/mixed":
		_, params, err := mime.ParseMediaType(h.contentType)
		if h.multipart = params["boundary"]; err != nil || h.multipart == "" {
			return h, 0, r.bad(src, k, "Content-Type", h.contentType, ctAt, errtext.Explain(provisioning.ErrMissing, "no boundary"))
		}
	default:
		return h, 0, r.bad(src, k, "Content-Type", h.contentType, ctAt, errtext.Explain(provisioning.ErrMalformed, "a part is application/http or a change set's multipart/mixed"))
	}
	return h, content, nil
}

// mediaType returns the media type of a Content-Type value, lower-case,
// without its parameters.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.ToLower(strings.TrimSpace(ct)) // no allocation when already in lower case
}

// isJSON reports whether a Content-Type value is application/json.
func isJSON(ct string) bool { return mediaType(ct) == "application/json" }

// headers calls header with each header line of s[start:end] and returns
// the offset after the empty line that ends them. Without that line, the
// headers of a part (partHeaders true) are malformed, and those of a
// response run to the end.
func (r *responseReader) headers(start, end int, part bool, src string, k int, header func(name, value string, at int) error) (int, error) {
	s := r.s[:end]
	for i := start; i < end; {
		nl := strings.IndexByte(s[i:], '\n')
		next := end
		line := s[i:]
		if nl >= 0 {
			line, next = s[i:i+nl], i+nl+1
		}
		line = strings.TrimSuffix(line, "\r")
		if line == "" {
			return next, nil
		}
		colon := strings.IndexByte(line, ':')
		if colon <= 0 || line[0] == ' ' || line[0] == '\t' {
			return 0, r.bad(src, k, "header line", line, i, errtext.Explain(provisioning.ErrMalformed, "a header line is a name, a colon and a value"))
		}
		if err := header(strings.TrimSpace(line[:colon]), strings.TrimSpace(line[colon+1:]), i); err != nil {
			return 0, err
		}
		i = next
	}
	if part {
		return 0, r.bad(src, k, "headers", "", start, errtext.Explain(provisioning.ErrMissing, "no empty line after the part's headers"))
	}
	return end, nil
}

// response reads the HTTP response in s[start:end], the content of part k,
// into res.
func (r *responseReader) response(res *Response, start, end int, src string, k int) error {
	line, next := r.s[start:end], end
	if nl := strings.IndexByte(line, '\n'); nl >= 0 {
		line, next = line[:nl], start+nl+1
	}
	line = strings.TrimSuffix(line, "\r")
	status, ok := statusLine(line)
	if !ok {
		return r.bad(src, k, "status line", line, start, errtext.Explain(provisioning.ErrMalformed, `a response starts "HTTP/1.1 <3-digit status> <reason>"`))
	}
	res.Status = status
	var ct, retry string
	retryAt := -1
	content, err := r.headers(next, end, false, src, k, func(name, value string, at int) error {
		switch {
		case strings.EqualFold(name, "Content-Type"):
			ct = value
		case strings.EqualFold(name, "Retry-After"):
			retry, retryAt = value, at
		case strings.EqualFold(name, "OData-EntityId"):
			res.EntityID = value
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := r.retryAfter(res, retry, src, k, retryAt); err != nil {
		return err
	}
	if status >= 400 && isJSON(ct) && content < end {
		return r.errorBody(res, content, end, src, k)
	}
	return nil
}

// statusLine returns the status of an HTTP status line:
// "HTTP/<version> <3 digits>[ <reason>]".
func statusLine(line string) (int, bool) {
	rest, ok := strings.CutPrefix(line, "HTTP/")
	if !ok {
		return 0, false
	}
	sp := strings.IndexByte(rest, ' ')
	if sp <= 0 || len(rest) < sp+4 || len(rest) > sp+4 && rest[sp+4] != ' ' {
		return 0, false
	}
	code := rest[sp+1 : sp+4]
	if code[0] < '1' || code[0] > '5' || code[1] < '0' || code[1] > '9' || code[2] < '0' || code[2] > '9' {
		return 0, false
	}
	return int(code[0]-'0')*100 + int(code[1]-'0')*10 + int(code[2]-'0'), true
}

// maxRetryAfter bounds a Retry-After in seconds: a day is more than
// Dataverse ever asks, and no Duration overflows.
const maxRetryAfter = 24 * 60 * 60

// httpDates are the layouts of an HTTP date, always in GMT: IMF-fixdate,
// then the obsolete RFC 850 and asctime forms, which recipients accept too
// (RFC 9110, section 5.6.7).
var httpDates = [...]string{"Mon, 02 Jan 2006 15:04:05 GMT", "Monday, 02-Jan-06 15:04:05 GMT", time.ANSIC}

// retryAfter reads a Retry-After value into res: seconds into RetryAfter,
// an HTTP date into RetryAt.
func (r *responseReader) retryAfter(res *Response, v, src string, k, at int) error {
	if v == "" {
		return nil
	}
	if v[0] >= '0' && v[0] <= '9' {
		n, err := strconv.Atoi(v)
		if err != nil || n > maxRetryAfter {
			return r.bad(src, k, "Retry-After", v, at, errtext.Explain(provisioning.ErrMalformed, "a Retry-After is 0 to 86400 seconds or an HTTP date"))
		}
		res.RetryAfter = time.Duration(n) * time.Second
		return nil
	}
	for _, layout := range httpDates {
		if t, err := time.Parse(layout, v); err == nil {
			res.RetryAt = t
			return nil
		}
	}
	return r.bad(src, k, "Retry-After", v, at, errtext.Explain(provisioning.ErrMalformed, "a Retry-After is 0 to 86400 seconds or an HTTP date"))
}

// errorBody reads a JSON error body, s[start:end], into res:
// {"error":{"code":"...","message":"..."}}, other members ignored.
func (r *responseReader) errorBody(res *Response, start, end int, src string, k int) error {
	var e struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.raw[start:end], &e); err != nil {
		off := start
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off += int(se.Offset)
		}
		return r.bad(src, k, "error", strings.TrimSpace(r.s[start:end]), off, errtext.Explain(wire.ErrSyntax, "the error body is not Dataverse's JSON error: "+err.Error()))
	}
	if e.Error != nil {
		res.Code, res.Message = e.Error.Code, e.Error.Message
	}
	return nil
}

// cut shortens a value a *wire.Error quotes, to the 200 bytes that wire's
// own errors keep.
func cut(s string) string { return errtext.Cut(s, 200) }
