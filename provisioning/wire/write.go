package wire

import (
	"strconv"
	"unicode/utf8"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// Request is the Dataverse Web API request that applies a
// provisioning.Write to a systemusers row.
type Request struct {
	// Method is POST for a create, PATCH otherwise.
	Method string `json:"method"`
	// Path is the request's path under [org]/api/data/v9.2/: "systemusers"
	// for a create, "systemusers(<systemuserid>)" for a row whose ID is
	// known; empty when it is not, and the caller finds the row by ObjectID
	// (GET systemusers?$filter=azureactivedirectoryobjectid eq <ObjectID>).
	Path string `json:"path,omitempty"`
	// ObjectID is the user's azureactivedirectoryobjectid.
	ObjectID string `json:"objectId,omitempty"`
	// Body is the JSON body.
	Body []byte `json:"-"`
}

// EncodeWrite returns the request that applies w: for a create, a POST of
// every written column, accessmode and, for an application user,
// applicationid (isdisabled is not set on create: a new row is enabled);
// for an update, a PATCH of the changed columns (a blank value as null)
// and accessmode when it changes; for an enable or a disable, a PATCH of
// isdisabled and, for an enable, of the columns it brings up to date.
// Custom columns are never written (SYNC-CUSTOM). A write of another verb
// is an error.
func EncodeWrite(w provisioning.Write) (Request, error) {
	r := Request{Method: "PATCH", ObjectID: w.ObjectID}
	switch w.Verb {
	case provisioning.Create:
		r.Method, r.Path = "POST", "systemusers"
	case provisioning.Update, provisioning.Enable, provisioning.Disable:
		if w.SystemUserID != "" {
			r.Path = "systemusers(" + w.SystemUserID + ")"
		}
	default:
		return Request{}, &Error{Source: "write", Index: -1, ID: w.ObjectID, Field: "Verb", Value: w.Verb.String(), Err: provisioning.ErrUnknown}
	}
	r.Body = AppendWriteBody(nil, w)
	return r, nil
}

// AppendWriteBody appends the JSON body of the request that applies w to
// dst, as EncodeWrite writes it, allocating nothing once dst has room.
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
		if v := w.Values[c]; v == "" && w.Verb != provisioning.Create {
			b = append(b, "null"...)
		} else {
			b = appendQuoted(b, v)
		}
	}
	if w.SetMode {
		member("accessmode")
		b = strconv.AppendInt(b, int64(w.Mode), 10)
	}
	if w.ApplicationID != "" && w.Verb == provisioning.Create {
		member("applicationid")
		b = appendQuoted(b, w.ApplicationID)
	}
	if w.SetDisabled && w.Verb != provisioning.Create {
		member("isdisabled")
		b = strconv.AppendBool(b, w.Disabled)
	}
	return append(b, '}')
}

const hex = "0123456789abcdef"

// appendQuoted appends s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 as U+FFFD.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			if r, n := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || n != 1 {
				i += n
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
