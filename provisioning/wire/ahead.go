package wire

import (
	"io"
	"sync"
	"sync/atomic"

	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
)

// ahead reads a whole-tenant export ahead of its reader, on other
// goroutines, so that the read takes more than one core.
//
// The reader reads the input a window ahead of its decoder, on the
// calling goroutine (so that the io.Reader is read where it is read on
// one core), and hands each read to a scanner goroutine, which finds in
// it, by the brackets and quotes alone, the units: the user objects of
// "users" and each user's entry of "licenseDetails", "memberOf",
// "transitiveMemberOf" and "ownedObjects", whose reading needs nothing
// read before them. It gathers them into jobs that workers read, each
// with a parser of its own, from the same bytes. The reader goes through
// the export in order as it does alone, checking everything; where it
// comes to a unit a worker read cleanly, of the kind it expects, at the
// nesting it is at, it takes what the worker read and moves past the
// unit's bytes (jsonread.Decoder.SkipTo), instead of reading them itself.
// A unit no worker has started yet, it reads itself rather than wait.
//
// What a worker read is what the reader would have: the same parser over
// the same bytes, starting at the same nesting, and a unit is taken only
// when its reading ended without an error where the scanner found it to
// end. Any other unit (a worker's error, a unit cut by a failed read of
// the input, a scanner misled by malformed input) the reader reads
// itself, and finds the error itself. And the decoder gets the very reads
// of the io.Reader it would have got alone: the reader asks for reads of
// jsonread.BufferSize, as the decoder does, and passes each on with its
// error. So the users, their order and the first error are those of a
// read on one goroutine, however the goroutines run.
//
// Memory stays bounded: the reader reads at most a window ahead of its
// decoder, a sixteenth of what the decoder has taken (so that an export
// streams as it does on one goroutine, one read ahead at most while it is
// small) and never more than maxLead. The other goroutines start only
// once the input has shown to be long (startAfter): a short one is read
// on one goroutine, as fast as alone.
type ahead struct {
	r        io.Reader
	classify *Classifier
	workers  int
	started  bool          // the goroutines run
	stop     chan struct{} // closed when the read ends
	queue    jobQueue      // the jobs, in the order of their units
	free     chan *block   // blocks no one holds
	spare    chan *job     // jobs the reader is done with
	work     workStack     // jobs no one has started
	scanned  chan []piece  // the reads of r, to the scanner, a few at a time

	// The reader's.
	at, taken int64   // bytes read from r, bytes taken by the decoder
	ended     bool    // r has returned an error, or the end
	fill      *block  // the block being filled
	pending   []piece // reads the decoder has not taken, from head on
	head      int
	toScan    []piece // reads not yet handed to the scanner
	toScanN   int     // their bytes
	rest      []byte  // what is left of a read the decoder took in part
	last      piece
	cur       *job // the job of the decoder's next unit
	next      int  // its index in cur
	took      int  // units taken as workers read them

	// The scanner's.
	scan scanner
	held []piece // the reads it may still need, in order
	job  *job    // the job being gathered

	wg sync.WaitGroup
}

const (
	// maxLead bounds how far the reader reads ahead of its decoder.
	maxLead = 8 << 20
	// blockSize is the size of the blocks the input is read into, once
	// it is long.
	blockSize = 16 * jsonread.BufferSize
	// jobSize is how many bytes of units a job gathers before it is
	// handed to a worker.
	jobSize = 32 << 10
	// maxUnit bounds a unit: a longer one the reader reads itself, so that
	// no one holds more than the window for it.
	maxUnit = 1 << 20
	// startAfter is how much of the input the reader reads before it
	// starts the other goroutines: a short input is read on one, as fast.
	startAfter = 4 * jsonread.BufferSize
)

// piece is one read of the input: its bytes, from offset at, its error,
// and the block holding them.
type piece struct {
	b   []byte
	at  int64
	err error
	blk *block
}

// block holds consecutive reads of the input, from offset base.
type block struct {
	buf  []byte
	base int64
	n    int          // bytes read into it; the reader's alone
	refs atomic.Int32 // the reader while it fills it, each read not yet taken or scanned, each job not yet read
}

// release gives back one reference to b; the last makes it free again.
func (a *ahead) release(b *block) {
	if b.refs.Add(-1) == 0 {
		select {
		case a.free <- b:
		default:
		}
	}
}

// unit is one record of the export that a worker reads: the bytes from
// start to end, at nesting depth.
type unit struct {
	start, end int64
	depth      int32
}

// job is a run of units of one kind, read by a worker (or, if the reader
// comes to it first, by the reader).
type job struct {
	// kind is the relation whose entries the units are, 0 for user
	// objects.
	kind   sections
	units  []unit
	blocks []*block // the blocks holding the units' bytes
	state  atomic.Int32
	done   chan struct{} // a worker's word that it has read the job
	waited bool          // the reader has had that word
	// What the worker read of each unit, and whether it read it cleanly.
	users []readUser
	facts []facts
	ok    []bool
}

// The states of a job.
const (
	jobGathering int32 = iota // the scanner is adding units to it
	jobQueued
	jobReading
	jobRead
	jobStolen // the reader reads the units itself
)

// workStack holds the jobs no one has started: the workers take the
// newest, the reader (see ahead.find) the oldest, when it comes to one
// before any worker has, so that they meet in between and neither waits
// on the other.
type workStack struct {
	mu     sync.Mutex
	more   sync.Cond // on mu
	jobs   []*job
	closed bool
}

// push adds a job.
func (w *workStack) push(j *job) {
	w.mu.Lock()
	w.jobs = append(w.jobs, j)
	w.mu.Unlock()
	w.more.Signal()
}

// pop returns the newest job not yet taken, waiting for one; nil once the
// stack is closed and empty.
func (w *workStack) pop() *job {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for n := len(w.jobs); n > 0; n = len(w.jobs) {
			j := w.jobs[n-1]
			w.jobs[n-1] = nil
			w.jobs = w.jobs[:n-1]
			if j.state.Load() == jobQueued {
				return j
			}
		}
		if w.closed {
			return nil
		}
		w.more.Wait()
	}
}

// drop lets go of the oldest jobs that are no longer queued: the reader
// took them.
func (w *workStack) drop() {
	w.mu.Lock()
	k := 0
	for k < len(w.jobs) && w.jobs[k].state.Load() != jobQueued {
		k++
	}
	if k > 0 {
		n := copy(w.jobs, w.jobs[k:])
		clear(w.jobs[n:])
		w.jobs = w.jobs[:n]
	}
	w.mu.Unlock()
}

// close wakes the workers waiting, for them to end once it is empty.
func (w *workStack) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	w.more.Broadcast()
}

// jobQueue holds the jobs, in the order of their units, between the
// scanner that makes them and the reader that takes their units.
type jobQueue struct {
	mu   sync.Mutex
	jobs []*job
	head int
}

// push adds a job, after those before it in the input.
func (q *jobQueue) push(j *job) {
	q.mu.Lock()
	if q.head == len(q.jobs) {
		q.jobs, q.head = q.jobs[:0], 0
	}
	q.jobs = append(q.jobs, j)
	q.mu.Unlock()
}

// pop returns the first job, or nil.
func (q *jobQueue) pop() *job {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.head == len(q.jobs) {
		return nil
	}
	j := q.jobs[q.head]
	q.jobs[q.head] = nil
	q.head++
	return j
}

// newAhead readies the read of r ahead, with workers goroutines reading
// the units, started once the input is long; the decoder reads the export
// from the result, and the read ends with close.
func newAhead(r io.Reader, workers int, c *Classifier) *ahead {
	a := &ahead{
		r: r, classify: c, workers: workers,
		stop:    make(chan struct{}),
		free:    make(chan *block, maxLead/blockSize+4),
		spare:   make(chan *job, maxLead/jobSize+2),
		scanned: make(chan []piece, maxLead/jsonread.BufferSize+2),
	}
	a.work.more.L = &a.work.mu
	a.scan.reset(a.add)
	return a
}

// start starts the scanner and the workers.
func (a *ahead) start() {
	a.started = true
	a.wg.Add(1 + a.workers)
	go a.scanInput()
	for range a.workers {
		go a.read()
	}
}

// close ends the read ahead, and returns once no goroutine of it is
// running.
func (a *ahead) close() {
	close(a.stop)
	a.wg.Wait()
}

// Read is the input as r gave it: each call returns one read of r, its
// bytes and its error, as r returned them, to a decoder that asks for
// reads of its whole buffer, as the reader does.
func (a *ahead) Read(p []byte) (int, error) {
	if len(a.rest) == 0 {
		// The decoder has taken everything before: no unit before can
		// be taken any more.
		a.prune(a.taken)
		for !a.ended && (a.head == len(a.pending) || a.at-a.taken+jsonread.BufferSize <= min(max(a.taken/16, jsonread.BufferSize), maxLead)) {
			a.readInput()
		}
		if a.head == len(a.pending) {
			return 0, io.EOF // never asked by a decoder, which stops at the end or an error
		}
		a.last = a.pending[a.head]
		if a.head++; a.head == len(a.pending) {
			a.pending, a.head = a.pending[:0], 0
		}
		a.rest = a.last.b
	}
	n := copy(p, a.rest)
	a.rest = a.rest[n:]
	if len(a.rest) > 0 {
		return n, nil // a smaller buffer than the reads: correct, not the same reads
	}
	a.release(a.last.blk)
	a.taken += int64(len(a.last.b))
	return n, a.last.err
}

// readInput reads r once, for the decoder and the scanner.
func (a *ahead) readInput() {
	b := a.fill
	if b == nil || len(b.buf)-b.n < jsonread.BufferSize {
		if b != nil {
			a.release(b)
		}
		select {
		case b = <-a.free:
		default:
			// Small while the input is: a short one costs no more than it
			// takes (and a block holds at least two reads).
			size := 2 * jsonread.BufferSize
			for size < blockSize && int64(size) < a.at/8 {
				size *= 2
			}
			b = &block{buf: make([]byte, size)}
		}
		b.base, b.n = a.at, 0
		b.refs.Store(1)
		a.fill = b
	}
	n, err := a.r.Read(b.buf[b.n : b.n+jsonread.BufferSize])
	n = min(max(n, 0), jsonread.BufferSize)
	c := piece{b: b.buf[b.n : b.n+n], at: a.at, err: err, blk: b}
	b.n += n
	a.at += int64(n)
	b.refs.Add(2)
	a.pending = append(a.pending, c)
	if err != nil {
		a.ended = true
	}
	// To the scanner when they make a whole read's worth, so that an input
	// read a few bytes at a time costs no goroutine switch a read.
	a.toScan = append(a.toScan, c)
	a.toScanN += n
	if !a.started && a.at >= startAfter {
		a.start() // its scanner takes every read from the first
	}
	if a.started && (a.toScanN >= jsonread.BufferSize || a.ended) {
		select {
		case a.scanned <- a.toScan:
		case <-a.stop:
		}
		a.toScan, a.toScanN = nil, 0
	}
}

// scanInput finds the units of the reads, gathers them into jobs and
// hands those to the workers and the reader, until the input ends or the
// read does.
func (a *ahead) scanInput() {
	defer a.wg.Done()
	defer a.work.close()
	defer func() {
		for _, c := range a.held {
			a.release(c.blk)
		}
	}()
	for {
		var reads []piece
		select {
		case reads = <-a.scanned:
		default:
			a.emit() // caught up with the reader: give the workers what there is
			select {
			case reads = <-a.scanned:
			case <-a.stop:
				return
			}
		}
		for _, c := range reads {
			a.held = append(a.held, c) // before the scan, which may make jobs of it
			if c.err == nil || c.err == io.EOF {
				a.scan.scan(c.b, c.at)
			} else {
				a.scan.lost = true // a unit cut by the failed read is the reader's
			}
			a.keep(c.at + int64(len(c.b)))
			if c.err != nil {
				a.emit()
				return
			}
		}
	}
}

// keep lets go of the reads the scanner no longer needs, having scanned up
// to offset end: those before the first unit it has not yet handed on.
func (a *ahead) keep(end int64) {
	need := end
	if a.scan.unit >= 0 && !a.scan.drop {
		need = a.scan.unit
	}
	if a.job != nil && len(a.job.units) > 0 {
		need = min(need, a.job.units[0].start)
	}
	k := 0
	for k < len(a.held) && a.held[k].at+int64(len(a.held[k].b)) <= need {
		a.release(a.held[k].blk)
		k++
	}
	if k > 0 {
		a.held = append(a.held[:0], a.held[k:]...)
	}
}

// add adds a unit of kind, found by the scanner, to the job being
// gathered.
func (a *ahead) add(kind sections, u unit) {
	if a.job != nil && (a.job.kind != kind || u.end-a.job.units[0].start > jobSize) {
		a.emit()
	}
	if a.job == nil {
		select {
		case a.job = <-a.spare:
			a.job.state.Store(jobGathering)
			a.job.waited = false
		default:
			a.job = &job{done: make(chan struct{}, 1)}
		}
		a.job.kind = kind
	}
	a.job.units = append(a.job.units, u)
}

// emit hands the job being gathered to the workers and to the reader.
func (a *ahead) emit() {
	j := a.job
	if j == nil {
		return
	}
	a.job = nil
	from, to := j.units[0].start, j.units[len(j.units)-1].end
	for _, c := range a.held {
		if c.at < to && c.at+int64(len(c.b)) > from && (len(j.blocks) == 0 || j.blocks[len(j.blocks)-1] != c.blk) {
			c.blk.refs.Add(1)
			j.blocks = append(j.blocks, c.blk)
		}
	}
	// Queued only now: a worker that still holds the job from an earlier
	// round (popped, but not yet claimed) cannot take it half made.
	j.state.Store(jobQueued)
	a.queue.push(j)
	a.work.push(j)
}

// read reads the jobs' units, with a parser of its own.
func (a *ahead) read() {
	defer a.wg.Done()
	var memo classifyMemo
	var p parser
	var joined []byte
	for {
		j := a.work.pop()
		select {
		case <-a.stop:
			return // the read has ended: what is left is no one's
		default:
		}
		if j == nil {
			return
		}
		if !j.state.CompareAndSwap(jobQueued, jobReading) {
			continue
		}
		if p.d == nil { // made for the first job: a short input may have none
			memo = newClassifyMemo(a.classify)
			p.reset(&dec{Decoder: new(jsonread.Decoder), ids: map[string]string{}, text: newTextCache()}, &memo)
		}
		j.ok = grown(j.ok, len(j.units))
		if j.kind == 0 {
			j.users = grown(j.users, len(j.units))
		} else {
			j.facts = grown(j.facts, len(j.units))
		}
		for i, u := range j.units {
			var b []byte
			b, joined = j.bytes(u, joined)
			p.d.ResetBytes(b, u.start, int(u.depth))
			r := &p.d.item // not a variable of its own, which would escape
			*r = rec{d: p.d, at: where{section: "read ahead", page: -1}, index: -1, start: u.start}
			var err error
			if j.kind == 0 {
				err = p.readUser(r, &j.users[i])
			} else {
				err = p.entry(j.kind, r.at, &j.facts[i])
			}
			j.ok[i] = err == nil && p.d.Offset() == u.end && p.d.Depth() == int(u.depth)
			if err != nil {
				p.reset(p.d, p.memo) // a record read in part leaves its buffers dirty
			}
		}
		for _, b := range j.blocks {
			a.release(b)
		}
		// The job is the reader's from here: the worker's last word.
		j.state.Store(jobRead)
		j.done <- struct{}{}
	}
}

// grown returns s with length n, zero values past its old length.
func grown[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// bytes returns the bytes of unit u, in place when one block holds them,
// else joined into buf.
func (j *job) bytes(u unit, buf []byte) ([]byte, []byte) {
	buf = buf[:0]
	for _, b := range j.blocks {
		// Not b.n, which the reader may be changing: the unit's bytes
		// were all read before the job was made.
		lo, hi := max(u.start, b.base), min(u.end, b.base+int64(len(b.buf)))
		if lo >= hi {
			continue
		}
		part := b.buf[lo-b.base : hi-b.base]
		if lo == u.start && hi == u.end {
			return part, buf
		}
		buf = append(buf, part...)
	}
	return buf, buf
}

// prune drops the jobs after the current one whose units all start
// before off, where the reader is: it can take none of them any more. The
// current job it leaves to find, for the reader may be using what a
// worker read of it (prune runs when the decoder reads, as when it moves
// past a unit taken).
func (a *ahead) prune(off int64) {
	for a.cur == nil {
		if a.cur, a.next = a.queue.pop(), 0; a.cur == nil {
			return
		}
		if a.cur.units[len(a.cur.units)-1].start < off {
			a.retire()
		}
	}
}

// retire lets go of the reader's current job: one a worker has read, or
// that the reader read itself, goes back to the scanner, its results
// cleared; one a worker is reading is left to it, and to the collector.
func (a *ahead) retire() {
	j := a.cur
	a.cur = nil
	if j.state.CompareAndSwap(jobQueued, jobStolen) {
		for _, b := range j.blocks {
			a.release(b)
		}
	}
	if !j.waited {
		switch j.state.Load() {
		case jobRead:
			<-j.done
		case jobReading:
			return
		}
	}
	clear(j.users)
	clear(j.facts)
	j.units, j.blocks = j.units[:0], j.blocks[:0]
	select {
	case a.spare <- j:
	default:
	}
}

// find returns the job holding the unit of kind that starts at the
// decoder's offset, read cleanly, and its index; nil when there is none,
// and the reader reads the unit itself.
func (a *ahead) find(d *dec, kind sections) (*job, int) {
	at := d.Offset()
	for {
		if a.cur == nil {
			if a.cur, a.next = a.queue.pop(), 0; a.cur == nil {
				return nil, 0
			}
		}
		j := a.cur
		for a.next < len(j.units) && j.units[a.next].start < at {
			a.next++
		}
		if a.next == len(j.units) {
			a.retire()
			continue
		}
		u := j.units[a.next]
		if u.start != at || j.kind != kind || int(u.depth) != d.Depth() {
			return nil, 0
		}
		// No worker has started the job: the reader reads its units
		// itself rather than wait.
		if j.state.CompareAndSwap(jobQueued, jobStolen) {
			for _, b := range j.blocks {
				a.release(b)
			}
			a.work.drop()
		}
		if j.state.Load() == jobStolen {
			return nil, 0
		}
		if !j.waited {
			<-j.done
			j.waited = true
		}
		if !j.ok[a.next] {
			return nil, 0
		}
		return j, a.next
	}
}

// user returns the user object at the decoder, record r of its page, if
// a worker read it (valid until the next unit taken; nil when no worker
// did), and the decoder has moved past it.
func (a *ahead) user(d *dec, r *rec) (*readUser, error) {
	if a == nil {
		return nil, nil
	}
	j, i := a.find(d, 0)
	if j == nil {
		return nil, nil
	}
	a.took++
	u := &j.users[i]
	r.id = u.u.ObjectID
	if err := d.SkipTo(j.units[i].end); err != nil {
		return nil, decodeError(r.at.String(), r.index, r.id, "", err)
	}
	return u, nil
}

// entry adds to f the entry of relation sec at the decoder, at, if a
// worker read it: it reports whether it did, and the decoder has moved
// past it.
func (a *ahead) entry(d *dec, sec sections, at where, f *facts) (bool, error) {
	if a == nil {
		return false, nil
	}
	if _, err := d.Peek(); err != nil {
		return false, nil // the reader's own read reports it
	}
	j, i := a.find(d, sec)
	if j == nil {
		return false, nil
	}
	f.merge(&j.facts[i])
	j.facts[i] = facts{}
	a.took++
	if err := d.SkipTo(j.units[i].end); err != nil {
		return false, decodeError(at.String(), -1, "", "", err)
	}
	return true, nil
}
