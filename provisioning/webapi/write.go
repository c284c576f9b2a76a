package webapi

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/jsontext"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
	"github.com/provisionrules/provisionrules/syncfields"
)

// Request is one Dataverse Web API request: the one that applies a
// provisioning.Write to a systemusers row (EncodeWrite), or any other a
// caller puts in a $batch (Batches). json.Marshal gives its JSON form, as
// AppendJSON writes it.
type Request struct {
	// Method is the HTTP method: POST for a create, PATCH otherwise.
	Method string `json:"method"`
	// Path is the request's path under [org]/api/data/v9.2/, such as
	// "systemusers" for a create and "systemusers(<systemuserid>)" for a
	// write to an existing row. EncodeWrite never leaves it empty.
	Path string `json:"path"`
	// Headers are the request's own headers, beyond those every Web API
	// request carries (Batch.Headers): "If-Match: *" on a write to an
	// existing row, so that a PATCH never creates the row it addresses
	// (Dataverse's PATCH is an upsert without it). A create carries none.
	Headers map[string]string `json:"headers,omitempty"`
	// ObjectID is the user's azureactivedirectoryobjectid, which says
	// whose row the request writes; it is not sent.
	ObjectID string `json:"objectId,omitempty"`
	// Body is the JSON body; JSON carries it as a value, not as text.
	Body json.RawMessage `json:"body,omitempty"`
}

// AppendJSON appends r's JSON form to dst, as json.Marshal writes it:
// "method", "path", "headers" (in name order, left out when there are
// none), "objectId" (left out when empty) and "body" (left out when
// empty), the body as it is, which must be JSON. It allocates nothing once
// dst has room, unless r has more than one header.
func (r *Request) AppendJSON(dst []byte) []byte {
	b := append(dst, `{"method":`...)
	b = jsontext.Append(b, r.Method)
	b = append(b, `,"path":`...)
	b = jsontext.Append(b, r.Path)
	if len(r.Headers) > 0 {
		b = append(b, `,"headers":{`...)
		first := true
		sortedHeaders(r.Headers, func(name, value string) {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = jsontext.Append(b, name)
			b = append(b, ':')
			b = jsontext.Append(b, value)
		})
		b = append(b, '}')
	}
	if r.ObjectID != "" {
		b = append(b, `,"objectId":`...)
		b = jsontext.Append(b, r.ObjectID)
	}
	if len(r.Body) > 0 {
		b = append(b, `,"body":`...)
		b = append(b, r.Body...)
	}
	return append(b, '}')
}

// MarshalJSON writes r as AppendJSON does. A body that is not JSON is an
// error of json.Marshal.
func (r Request) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil), nil }

// sortedHeaders calls f with each header of h, in name order. It
// allocates only for more than one header; a request EncodeWrite makes
// has one at most.
func sortedHeaders(h map[string]string, f func(name, value string)) {
	if len(h) <= 1 {
		for name, value := range h {
			f(name, value)
		}
		return
	}
	for _, name := range slices.Sorted(maps.Keys(h)) {
		f(name, h[name])
	}
}

// ifMatch is the header of a write to an existing row: If-Match: * makes
// Dataverse answer 404 Not Found for a row that does not exist, where a
// PATCH without it would create the row (an upsert).
const ifMatch = "If-Match"

// EncodeWrite returns the request that applies w:
//
//   - for a create, a POST to systemusers of every written column,
//     accessmode, "businessunitid@odata.bind" binding the row to
//     w.BusinessUnit ("/businessunits(<id>)") and, for an application
//     user, applicationid; no header, so it can only ever create
//     (isdisabled is not set on create: a new row is enabled);
//   - for an update, a PATCH to systemusers(<w.SystemUserID>) of the
//     changed columns (a blank value as null) and accessmode when it
//     changes;
//   - for an enable or a disable, the same PATCH of isdisabled and, for an
//     enable, of the columns it brings up to date.
//
// Every PATCH carries If-Match: *, so that it never creates a row.
// Custom columns are never written (SYNC-CUSTOM).
//
// It returns a *wire.Error for a write of another verb (provisioning.ErrUnknown), a
// create without BusinessUnit or a PATCH without SystemUserID
// (provisioning.ErrMissing), and an ID holding anything but ASCII letters, digits and
// hyphens (provisioning.ErrMalformed): Dataverse's IDs are GUIDs, and no other
// character may reach a URL or a $batch request line.
func EncodeWrite(w provisioning.Write) (Request, error) {
	r := Request{ObjectID: w.ObjectID}
	var field, id string
	switch w.Verb {
	case provisioning.Create:
		r.Method, r.Path = "POST", "systemusers"
		field, id = "BusinessUnit", w.BusinessUnit
	case provisioning.Update, provisioning.Enable, provisioning.Disable:
		r.Method, r.Path = "PATCH", "systemusers("+w.SystemUserID+")"
		r.Headers = map[string]string{ifMatch: "*"}
		field, id = "SystemUserID", w.SystemUserID
	default:
		return Request{}, &wire.Error{Source: "write", Index: -1, ID: w.ObjectID, Field: "Verb", Value: w.Verb.String(), Offset: -1, Err: provisioning.ErrUnknown}
	}
	if err := checkKey(id); err != nil {
		return Request{}, &wire.Error{Source: "write", Index: -1, ID: w.ObjectID, Field: field, Value: cut(id), Offset: -1, Err: err}
	}
	r.Body = AppendWriteBody(nil, w)
	return r, nil
}

// checkKey reports whether id can stand in a URL as a row's key: not
// empty, and only ASCII letters, digits and hyphens.
func checkKey(id string) error {
	if id == "" {
		return provisioning.ErrMissing
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-') {
			return errtext.Explain(provisioning.ErrMalformed, "a row's ID in a URL holds ASCII letters, digits and hyphens only")
		}
	}
	return nil
}

// AppendWriteBody appends the JSON body of the request that applies w to
// dst, as EncodeWrite writes it, allocating nothing once dst has room. It
// does not check w: a create without BusinessUnit gets no
// businessunitid@odata.bind.
func AppendWriteBody(dst []byte, w provisioning.Write) []byte {
	b := append(dst, '{')
	first := true
	member := func(name string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
	}
	for c := range syncfields.Column(syncfields.ColumnCount) { // Has(0) is false
		if !w.Columns.Has(c) {
			continue
		}
		member(c.String())
		if v := w.Values.Get(c); v == "" && w.Verb != provisioning.Create {
			b = append(b, "null"...)
		} else {
			b = jsontext.Append(b, v)
		}
	}
	if w.SetMode {
		member("accessmode")
		b = strconv.AppendInt(b, int64(w.Mode), 10)
	}
	if w.Verb == provisioning.Create {
		if w.ApplicationID != "" {
			member("applicationid")
			b = jsontext.Append(b, w.ApplicationID)
		}
		if w.BusinessUnit != "" {
			member("businessunitid@odata.bind")
			b = append(b, `"/businessunits(`...)
			b = jsontext.Escape(b, w.BusinessUnit)
			b = append(b, `)"`...)
		}
	}
	if w.SetDisabled && w.Verb != provisioning.Create {
		member("isdisabled")
		b = strconv.AppendBool(b, w.Disabled)
	}
	return append(b, '}')
}
