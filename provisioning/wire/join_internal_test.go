package wire

import (
	"slices"
	"strconv"
	"testing"
)

// A collecting join hands back every record, in the order read, in one
// array, however many it expected: the relations naming fewer records
// than come, as many, or none; records held until the relations end, and
// more after them.
func TestJoinCollects(t *testing.T) {
	for _, c := range []struct {
		name                 string
		named, before, after int
	}{
		{"relations first, naming as many as come", 3000, 0, 3000},
		{"relations first, naming one of many", 1, 0, 3000},
		{"relations first, naming none", 0, 0, 3000},
		{"records first", 0, 3000, 0},
		{"records first, and more after the relations", 0, 3000, 100},
		{"nothing", 0, 0, 0},
	} {
		j := newJoin[int, int](1, true, func(*int, *entry[int]) error { return nil })
		r := &rec{at: where{page: -1}}
		n := 0
		var first *int
		add := func() {
			v, e, _, ok := j.add("r"+strconv.Itoa(n), r)
			if !ok {
				t.Fatalf("%s: record %d refused", c.name, n)
			}
			if n == 0 {
				first = v
			}
			*v = n
			n++
			if err := j.added(v, e); err != nil {
				t.Fatal(err)
			}
		}
		for i := range c.named {
			*j.factsOf("r" + strconv.Itoa(i)) = i
		}
		for range c.before {
			add()
		}
		if err := j.related(); err != nil {
			t.Fatal(err)
		}
		for range c.after {
			add()
		}
		if err := j.flush(); err != nil {
			t.Fatal(err)
		}
		want := make([]int, n)
		for i := range want {
			want[i] = i
		}
		got := j.result()
		if !slices.Equal(got, want) || (n == 0) != (got == nil) {
			t.Errorf("%s: %d records back of %d, or out of order", c.name, len(got), n)
		}
		// Records that follow relations naming them all are stored
		// straight into the array returned, not copied into it.
		if c.before == 0 && c.after > 0 && c.named == c.after && &got[0] != first {
			t.Errorf("%s: the first record was copied into the result", c.name)
		}
	}
}

// A streaming join lets each block of the records it held go as soon as
// it has handed them all on, not once it has handed on every record: a
// million records held until the last relation are not all kept alive
// while they stream.
func TestJoinLetsHandedRecordsGo(t *testing.T) {
	const records = 2*chunk + 5
	var j join[int, int]
	handed := 0
	j = newJoin(1, false, func(v *int, e *entry[int]) error {
		if handed == chunk { // the first of the second block: the first is passed
			if j.recs.blocks[0] != nil || j.held.blocks[0] != nil {
				t.Errorf("record %d handed on: the first block of records (let go %v) and of entries (let go %v) is still held",
					handed, j.recs.blocks[0] == nil, j.held.blocks[0] == nil)
			}
		}
		if *v != handed {
			t.Fatalf("record %d handed on as %d", *v, handed)
		}
		handed++
		return nil
	})
	r := &rec{at: where{page: -1}}
	for i := range records {
		v, e, _, ok := j.add("r"+strconv.Itoa(i), r)
		if !ok {
			t.Fatalf("record %d refused", i)
		}
		*v = i
		if err := j.added(v, e); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.related(); err != nil || handed != records {
		t.Fatalf("after the relation: %d records handed on, %v; want %d", handed, err, records)
	}
}
