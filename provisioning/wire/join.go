package wire

import (
	"io"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/provisioning"
)

// join holds the records of an export until every relation that may say
// something of them has been read, then hands each on, in the order read:
// the one streaming join of both exports, users with their relations and
// Dataverse records with the deletion extension. A relation read before
// its record is kept pending until the record comes; one read after it
// goes to the record held. Once every relation has been read, a record is
// handed on as soon as it is read, and nothing is held. A join that
// collects keeps every record, and hands over all of them at the end in
// one array: it stores the records it hands on straight into that array
// when it knows about how many to expect (as many as the relations read
// before them named, or as it held), so that a million records are not
// copied at the end (a second array of them, and a copy the collector
// waits on).
type join[R, F any] struct {
	ids     map[string]int32     // every record read: its number, its place while records are held
	recs    chunks[R]            // the records held; collecting, those out has no room for
	out     []R                  // collecting: the records handed on, while they fit
	held    chunks[entry[F]]     // what else is known of each record held
	pending map[string]*early[F] // relations of records not read yet
	left    int                  // the relation members not read yet
	cursor  int                  // the held record after the last a relation named
	collect bool
	rec     R // a record read once nothing is held, when not collecting
	scratch entry[F]
	// done completes a record with its relations and hands it on.
	done func(*R, *entry[F]) error
}

// entry is what a join knows of a record besides the record: its ID, its
// relations, and its place in its export.
type entry[F any] struct {
	id          string
	facts       F
	page, index int32
	offset      int64
}

// early is the relations of a record read before the record.
type early[F any] struct {
	id    string
	facts F
}

func newJoin[R, F any](relations int, collect bool, done func(*R, *entry[F]) error) join[R, F] {
	return join[R, F]{ids: map[string]int32{}, pending: map[string]*early[F]{}, left: relations, collect: collect, done: done}
}

// add returns where to store a new record with ID id, read at r, and its
// entry, holding the relations read of it so far; or, when a record read
// before has that ID, that record's number and false. The caller stores
// the whole record, then calls added.
func (j *join[R, F]) add(id string, r *rec) (*R, *entry[F], int, bool) {
	if n, dup := j.ids[id]; dup {
		return nil, nil, int(n), false
	}
	if len(j.ids) == 0 && len(j.pending) > 0 {
		// The first record, after relations: expect as many as they name.
		j.ids = make(map[string]int32, len(j.pending)+len(j.pending)/64+64)
	}
	j.ids[id] = int32(len(j.ids))
	v, e := &j.rec, &j.scratch
	switch {
	case j.left > 0:
		v, e = j.recs.next(), j.held.next()
	case j.collect:
		v = j.slot()
	}
	e.id, e.page, e.index, e.offset = id, int32(r.at.page), int32(r.index), r.start
	if p := j.pending[id]; p != nil {
		e.facts = p.facts
		delete(j.pending, id)
	} else {
		var none F
		e.facts = none
	}
	return v, e, 0, true
}

// slot returns where a collecting join stores a record read once nothing
// is held: the next place of out while it has room (made, for the first
// record, with room for as many as the relations named, and a few more),
// else of recs.
func (j *join[R, F]) slot() *R {
	if j.out == nil && j.recs.n == 0 && len(j.pending) > 0 {
		j.out = make([]R, 0, len(j.pending)+len(j.pending)/64+64)
	}
	if j.recs.n > 0 || len(j.out) == cap(j.out) {
		return j.recs.next()
	}
	j.out = j.out[:len(j.out)+1]
	return &j.out[len(j.out)-1]
}

// added hands record v of entry e on, unless relations are left to read.
func (j *join[R, F]) added(v *R, e *entry[F]) error {
	if j.left > 0 {
		return nil
	}
	return j.done(v, e)
}

// related records that one more relation member has been read: after the
// last, the held records are handed on.
func (j *join[R, F]) related() error {
	if j.left--; j.left == 0 {
		return j.handOn()
	}
	return nil
}

// flush hands on the held records: at the end of an export, whatever
// relations it lacks.
func (j *join[R, F]) flush() error {
	if j.left > 0 {
		j.left = 0
		return j.handOn()
	}
	return nil
}

// handOn hands on the held records, in order, letting each block of them
// go once passed; a collecting join moves them to out first, which it
// makes with room for them and a few more.
func (j *join[R, F]) handOn() error {
	if j.collect && j.recs.n > 0 {
		j.out = make([]R, 0, j.recs.n+64)
	}
	for i := range j.held.n {
		v := j.recs.at(i)
		if j.collect {
			j.out = append(j.out, *v)
			v = &j.out[i]
		}
		if err := j.done(v, j.held.at(i)); err != nil {
			return err
		}
		j.held.release(i)
		j.recs.release(i)
	}
	j.held, j.recs = chunks[entry[F]]{}, chunks[R]{}
	return nil
}

// result returns the records a collecting join kept, in order: out, when
// it had room for them all.
func (j *join[R, F]) result() []R {
	if j.recs.n == 0 {
		return j.out
	}
	all := append(make([]R, 0, len(j.out)+j.recs.n), j.out...)
	j.out = nil
	return j.recs.appendTo(all)
}

// facts returns the relations gathered of the record whose ID is key,
// held or pending, and the ID; nil when there are none.
func (j *join[R, F]) facts(key []byte) (*F, string) {
	if j.left > 0 {
		// Exports list relations in the order of their records: try the
		// one after the last found before looking the ID up.
		if j.cursor < j.held.n {
			if e := j.held.at(j.cursor); e.id == string(key) {
				j.cursor++
				return &e.facts, e.id
			}
		}
		if n, ok := j.ids[string(key)]; ok {
			j.cursor = int(n) + 1
			e := j.held.at(int(n))
			return &e.facts, e.id
		}
	}
	if p := j.pending[string(key)]; p != nil {
		return &p.facts, p.id
	}
	return nil, ""
}

// factsOf returns the relations of record id, made pending if there are
// none yet.
func (j *join[R, F]) factsOf(id string) *F {
	if f, _ := j.facts([]byte(id)); f != nil {
		return f
	}
	p := &early[F]{id: id}
	j.pending[id] = p
	return &p.facts
}

// leftover returns the first ID, in order, of the relations of a record
// the export does not hold, and those relations; nil when there is none.
func (j *join[R, F]) leftover() (string, *F) {
	var first *early[F]
	for id, p := range j.pending {
		if first == nil || id < first.id {
			first = p
		}
	}
	if first == nil {
		return "", nil
	}
	return first.id, &first.facts
}

// export is what the read of an export of records R with relations F
// holds: the one skeleton of both exports' readers.
type export[R, F any] struct {
	d     *dec
	top   rec
	j     join[R, F]
	yield func(R) error // nil: the join collects
}

// begin readies the read of r: yield takes each record (nil collects
// them), done completes one once the relation members are read.
func (e *export[R, F]) begin(r io.Reader, yield func(R) error, relations int, done func(*R, *entry[F]) error) {
	e.d, e.yield, e.j = newDec(r), yield, newJoin(relations, yield == nil, done)
}

// hand passes a complete record to yield, or leaves it with those the
// join collects.
func (e *export[R, F]) hand(v *R) error {
	if e.yield == nil {
		return nil
	}
	return e.yield(*v)
}

// end hands on the records still held, refuses relations of a record the
// export does not hold (words say so; listed tells which member listed
// it), and returns the records collected.
func (e *export[R, F]) end(listed func(*F) sections, words string) ([]R, error) {
	if err := e.j.flush(); err != nil {
		return nil, err
	}
	if id, f := e.j.leftover(); f != nil {
		return nil, &Error{Source: listed(f).name(), Index: -1, ID: id, Offset: -1, Err: errtext.Explain(provisioning.ErrUnknown, words)}
	}
	return e.j.result(), nil
}

// readExport reads the top-level object of an export src, of shape s,
// into v, with top at it, and checks that nothing follows it.
func readExport[T any](d *dec, top *rec, src string, s *shape[T], v *T) error {
	*top = rec{d: d, at: lone(src), index: -1}
	null, err := d.object()
	if err != nil {
		return top.fail("", err)
	}
	if null {
		return &Error{Source: src, Index: -1, Offset: 0, Err: errtext.Explain(provisioning.ErrMissing, "the export is null")}
	}
	if err := readObject(d, top, root, d.Offset(), s, v); err != nil {
		return err
	}
	return finish(d, src)
}
