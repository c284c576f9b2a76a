package wire

import (
	"io"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
)

// Page is one page of an OData list response, from Microsoft Graph or the
// Dataverse Web API: every page reader of this package returns one.
type Page[T any] struct {
	// Items are the page's records, in the order of its "value" array.
	Items []T
	// NextLink is the page's @odata.nextLink: the URL of the next page,
	// empty on the last one.
	NextLink string
	// DeltaLink is the page's @odata.deltaLink: on the last page of a
	// Microsoft Graph delta query, the URL that returns the changes made
	// since; empty otherwise.
	DeltaLink string
}

// pageInfo holds a page's annotations: its links, its @odata.context,
// and whether that says it lists groups (see groupCast).
type pageInfo struct {
	next, delta, context string
	groups               bool
}

// readPage reads one OData list page at at: an object whose "value" array
// holds the records, with "@odata.nextLink", "@odata.deltaLink" and
// "@odata.context"; other members are skipped. It calls item for each
// record, with the decoder past the record's '{' and r at the record; a
// record that is null or not an object is an error here.
func readPage(d *dec, at where, item func(r *rec) error) (pageInfo, error) {
	var p pageInfo
	page := rec{d: d, at: at, index: -1}
	null, err := d.object()
	if err != nil {
		return p, page.fail("", err)
	}
	if null {
		return p, &Error{Source: at.String(), Index: -1, Offset: d.Offset(), Err: explain(ErrMissing, "the page is null")}
	}
	page.start = d.Offset()
	hasValue := false
	for {
		key, ok, err := d.Key()
		if err != nil {
			return p, page.fail("", err)
		}
		if !ok {
			break
		}
		var link *string
		switch string(key) {
		case "value":
			if hasValue {
				return p, page.bad("value", "", d.Offset(), explain(ErrDuplicate, "member given twice"))
			}
			hasValue = true
			if err := values(d, &page, item); err != nil {
				return p, err
			}
			continue
		case "@odata.nextLink":
			link = &p.next
		case "@odata.deltaLink":
			link = &p.delta
		case "@odata.context":
			link = &p.context
		default:
			d.name = append(d.name[:0], key...)
			if err := d.Skip(); err != nil {
				return p, page.fail(string(d.name), err)
			}
			continue
		}
		b, _, err := d.str()
		if err != nil {
			return p, page.fail(string(key), err)
		}
		*link = string(b)
	}
	if !hasValue {
		return p, &Error{Source: at.String(), Index: -1, Field: "value", Offset: page.start, Err: ErrMissing}
	}
	p.groups = groupCast(p.context)
	return p, nil
}

// values reads a page's "value" array, calling item for each record.
func values(d *dec, page *rec, item func(r *rec) error) error {
	null, err := d.array()
	if err != nil {
		return page.fail("value", err)
	}
	if null {
		return page.bad("value", "null", d.Offset(), ErrMissing)
	}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return page.fail("value", err)
		}
		if !more {
			return nil
		}
		start := d.Offset()
		k, err := d.Peek()
		if err != nil {
			return decodeError(page.at.String(), i, "", "", err)
		}
		switch k {
		case jsonread.Object:
		case jsonread.Null:
			return &Error{Source: page.at.String(), Index: i, Offset: d.Offset(), Err: explain(ErrMissing, "the record is null")}
		default:
			return &Error{Source: page.at.String(), Index: i, Value: k.String(), Offset: d.Offset(), Err: kindMismatch(k, "an object")}
		}
		if err := d.BeginObject(); err != nil {
			return decodeError(page.at.String(), i, "", "", err)
		}
		d.item = rec{d: d, at: page.at, index: i, start: start}
		if err := item(&d.item); err != nil {
			return err
		}
	}
}

// groupCast reports whether a page's @odata.context says it lists groups:
// the response to a request cast to microsoft.graph.group, whose context
// is "...$metadata#groups", "...$metadata#directoryObjects/microsoft.graph.group"
// or either with a "(...)" list of the selected properties.
func groupCast(context string) bool {
	_, frag, ok := strings.Cut(context, "#")
	frag, _, _ = strings.Cut(frag, "(")
	return ok && (frag == "groups" || strings.HasSuffix(frag, "/microsoft.graph.group"))
}

// items reads a page at at of records of shape s, each into v, then
// calls add; add leaves v ready for the next record.
func items[T any](d *dec, at where, s *shape[T], v *T, add func(r *rec) error) (pageInfo, error) {
	return readPage(d, at, func(r *rec) error {
		if err := readObject(d, r, root, r.start, s, v); err != nil {
			return err
		}
		return add(r)
	})
}

// readLone reads a lone page from r of records of shape s, each kept as
// out makes it; two records with one key are refused when s says how.
func readLone[T, O any](r io.Reader, src string, s *shape[T], out func(r *rec, v *T) (O, error)) (Page[O], pageInfo, error) {
	d := newDec(r)
	var p Page[O]
	var v T
	var seen map[string]int
	info, err := items(d, lone(src), s, &v, func(r *rec) error {
		if s.dup != "" {
			if seen == nil {
				seen = map[string]int{}
			}
			if j, dup := seen[r.id]; dup {
				return r.bad(s.key, r.id, r.start, explain(ErrDuplicate, strings.Replace(s.dup, "#", strconv.Itoa(j), 1)))
			}
			seen[r.id] = r.index
		}
		o, err := out(r, &v)
		if err != nil {
			return err
		}
		var zero T
		v = zero
		p.Items = append(p.Items, o)
		return nil
	})
	if err == nil {
		err = finish(d, src)
	}
	if err != nil {
		return Page[O]{}, info, err
	}
	p.NextLink, p.DeltaLink = info.next, info.delta
	return p, info, nil
}

// keep is the out of readLone that keeps each record as it was read.
func keep[T any](_ *rec, v *T) (T, error) { return *v, nil }

// pages reads a page or an array of pages at at, calling one for each
// with its place.
func pages(d *dec, at where, one func(at where) error) error {
	k, err := d.Peek()
	if err != nil {
		return decodeError(at.String(), -1, "", "", err)
	}
	if k != jsonread.Array {
		at.page = -1
		return one(at)
	}
	if err := d.BeginArray(); err != nil {
		return decodeError(at.String(), -1, "", "", err)
	}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return decodeError(at.String(), -1, "", "", err)
		}
		if !more {
			return nil
		}
		at.page = i
		if err := one(at); err != nil {
			return err
		}
	}
}

// finish checks that nothing follows the top-level value.
func finish(d *dec, src string) error {
	if err := d.End(); err != nil {
		return decodeError(src, -1, "", "", err)
	}
	return nil
}
