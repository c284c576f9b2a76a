package wire

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/provisioning"
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

// pageInfo holds a page's annotations: its links, its @odata.context
// (held by the decoder until its next page), and whether that says it
// lists groups (see groupCast).
type pageInfo struct {
	next, delta string
	context     []byte
	groups      bool
}

// readPage reads one OData list page at at: an object whose "value" array
// holds the records, with "@odata.nextLink", "@odata.deltaLink" and
// "@odata.context"; other members are skipped. It calls item for each
// record, with the decoder at the record's '{' and r at the record, to
// read it (see record); a record that is null or not an object is an
// error here.
func readPage(d *dec, at where, item func(r *rec) error) (pageInfo, error) {
	var p pageInfo
	page := rec{d: d, at: at, index: -1}
	null, err := d.object()
	if err != nil {
		return p, page.fail("", err)
	}
	if null {
		return p, &Error{Source: at.String(), Index: -1, Offset: d.Offset(), Err: errtext.Explain(provisioning.ErrMissing, "the page is null")}
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
		name := ""
		switch string(key) {
		case "value":
			if hasValue {
				return p, page.bad("value", "", d.Offset(), errtext.Explain(provisioning.ErrDuplicate, "member given twice"))
			}
			hasValue = true
			if err := values(d, &page, item); err != nil {
				return p, err
			}
			continue
		case "@odata.nextLink":
			link, name = &p.next, "@odata.nextLink"
		case "@odata.deltaLink":
			link, name = &p.delta, "@odata.deltaLink"
		case "@odata.context":
			// Not a string: an export holds one a page, a million pages.
			b, _, err := d.str()
			if err != nil {
				return p, page.fail("@odata.context", err)
			}
			d.context = append(d.context[:0], b...)
			p.context = d.context
			continue
		default:
			d.name = append(d.name[:0], key...)
			if err := d.Skip(); err != nil {
				return p, page.fail(string(d.name), err)
			}
			continue
		}
		b, _, err := d.str()
		if err != nil {
			return p, page.fail(name, err)
		}
		*link = string(b)
	}
	if !hasValue {
		return p, &Error{Source: at.String(), Index: -1, Field: "value", Offset: page.start, Err: provisioning.ErrMissing}
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
		return page.bad("value", "null", d.Offset(), provisioning.ErrMissing)
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
			return &Error{Source: page.at.String(), Index: i, Offset: d.Offset(), Err: errtext.Explain(provisioning.ErrMissing, "the record is null")}
		default:
			return &Error{Source: page.at.String(), Index: i, Value: k.String(), Offset: d.Offset(), Err: kindMismatch(k, "an object")}
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
func groupCast(context []byte) bool {
	_, frag, ok := bytes.Cut(context, []byte("#"))
	frag, _, _ = bytes.Cut(frag, []byte("("))
	return ok && (string(frag) == "groups" || bytes.HasSuffix(frag, []byte("/microsoft.graph.group")))
}

// record reads record r of a page, an object of shape s, into v, with the
// decoder at its '{'.
func record[T any](d *dec, r *rec, s *shape[T], v *T) error {
	if err := d.BeginObject(); err != nil {
		return decodeError(r.at.String(), r.index, "", "", err)
	}
	return readObject(d, r, root, r.start, s, v)
}

// items reads a page at at of records of shape s, each into v, then
// calls add; add leaves v ready for the next record.
func items[T any](d *dec, at where, s *shape[T], v *T, add func(r *rec) error) (pageInfo, error) {
	return readPage(d, at, func(r *rec) error {
		if err := record(d, r, s, v); err != nil {
			return err
		}
		return add(r)
	})
}

// readLone reads a lone page from r of records of shape s, each into the
// T slot returns (in the page being built: records are read in place),
// then passed to done when it is set; two records with one key are
// refused when s says how.
func readLone[T any](r io.Reader, src string, s *shape[T], slot func() *T, done func(r *rec, v *T) error) (pageInfo, error) {
	d := newDec(r)
	seen := ids{}
	info, err := readPage(d, lone(src), func(r *rec) error {
		v := slot()
		if err := record(d, r, s, v); err != nil {
			return err
		}
		if s.dup != "" {
			if err := seen.claim(r, s.key, r.id, s.dup); err != nil {
				return err
			}
		}
		if done != nil {
			return done(r, v)
		}
		return nil
	})
	if err == nil {
		err = finish(d, src)
	}
	return info, err
}

// linked returns p with the links of info; no page with an error.
func linked[T any](p Page[T], info pageInfo, err error) (Page[T], error) {
	if err != nil {
		return Page[T]{}, err
	}
	p.NextLink, p.DeltaLink = info.next, info.delta
	return p, nil
}

// next appends a zero value to list and returns it, to read a record into.
func next[T any](list *[]T) *T {
	var zero T
	*list = append(*list, zero)
	return &(*list)[len(*list)-1]
}

// ids refuses two records of one input with one ID: it holds the index of
// the record that has each.
type ids map[string]int

// claim refuses a second record with id, the value of field; words say
// why, "#" standing for the index of the first.
func (s ids) claim(r *rec, field, id, words string) error {
	if j, dup := s[id]; dup {
		return r.bad(field, id, r.start, errtext.Explain(provisioning.ErrDuplicate, strings.Replace(words, "#", strconv.Itoa(j), 1)))
	}
	s[id] = r.index
	return nil
}

// readPageOf reads from r a lone page of records of shape s.
func readPageOf[T any](r io.Reader, src string, s *shape[T]) (Page[T], error) {
	var p Page[T]
	info, err := readLone(r, src, s, func() *T { return next(&p.Items) }, nil)
	return linked(p, info, err)
}

// collect reads the pages of an export's member name, records of shape
// s, appending each to out; words say why a record whose key another
// record of the member has is refused.
func collect[T any](d *dec, name string, s *shape[T], out *[]T, words string) error {
	seen := ids{}
	v := new(T)
	return sectionPages(d, name, s, v, func(r *rec) error {
		if err := seen.claim(r, s.key, r.id, words); err != nil {
			return err
		}
		*out = append(*out, *v)
		*v = *new(T)
		return nil
	})
}

// sectionPages reads the pages of an export's member name, records of
// shape s, each into v, then passed to one.
func sectionPages[T any](d *dec, name string, s *shape[T], v *T, one func(r *rec) error) error {
	return pages(d, lone(name), func(at where) error {
		_, err := items(d, at, s, v, one)
		return err
	})
}

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
