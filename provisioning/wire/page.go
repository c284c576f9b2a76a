package wire

import (
	"bytes"
	"encoding/json"
)

// page is one page of an OData list response, from Microsoft Graph or the
// Dataverse Web API.
type page struct {
	Value    []json.RawMessage `json:"value"`
	NextLink string            `json:"@odata.nextLink"`
}

// decodePage reads a list page and each of its records with read, which
// returns an *Error for a malformed record. It returns the records and the
// page's @odata.nextLink, empty on the last page.
func decodePage[T any](data []byte, source string, read func(i int, raw json.RawMessage) (T, *Error)) ([]T, string, error) {
	var p page
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, "", jsonError(source, -1, err)
	}
	if p.Value == nil {
		return nil, "", &Error{Source: source, Index: -1, Field: "value", Err: ErrMissing}
	}
	out := make([]T, 0, len(p.Value))
	for i, raw := range p.Value {
		v, err := read(i, raw)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	return out, p.NextLink, nil
}

// decodeRecord reads one record of a page into v, which must be a pointer
// to a struct; a JSON null record is malformed.
func decodeRecord(source string, i int, raw json.RawMessage, v any) *Error {
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return &Error{Source: source, Index: i, Err: ErrMissing}
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return jsonError(source, i, err)
	}
	return nil
}
