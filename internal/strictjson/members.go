package strictjson

import (
	"encoding/json"

	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// Member is one member of a JSON object: its key, and its value as it is
// written.
type Member struct {
	// Key is the member's key.
	Key string
	// Value is the member's value, a whole JSON value.
	Value json.RawMessage
}

// Members reads data, one JSON object whose keys are data rather than
// field names (a column's logical name, say), as strictly as Decode reads
// a struct: valid UTF-8 without a lone surrogate escape, each key once,
// nothing after the object. It returns the members in the order they are
// written, so that a caller reads them in order and reports the first
// mistake, whatever a map's order would be. Every error is an *Error; a
// duplicate key's Path is the key.
func Members(data []byte) ([]Member, error) {
	if err := checkText(data); err != nil {
		return nil, err
	}
	w := newWalker(data)
	tok, err := w.token("")
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, &Error{Value: tokenText(tok), Err: because(sentinel.ErrMalformed, "a JSON %s where an object belongs", tokenKind(tok))}
	}
	var out []Member
	for w.dec.More() {
		key, err := w.key("")
		if err != nil {
			return nil, err
		}
		for _, m := range out {
			if m.Key == key {
				return nil, &Error{Path: key, Err: because(sentinel.ErrDuplicate, "the key %q is given twice", key)}
			}
		}
		var raw json.RawMessage
		if err := w.dec.Decode(&raw); err != nil {
			return nil, syntax(key, err)
		}
		out = append(out, Member{Key: key, Value: raw})
	}
	if _, err := w.token(""); err != nil { // '}'
		return nil, err
	}
	return out, w.end()
}
