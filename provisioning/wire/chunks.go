package wire

// chunk is the number of values in a block of chunks.
const chunk = 1024

// chunks collects values in blocks of chunk elements, so that a million
// of them are never copied into a growing array (each growth copies every
// value before it, and leaves the old array as garbage), and a value
// stays where it was put. appendTo puts them in one array.
type chunks[T any] struct {
	blocks [][]T
	n      int
}

// next appends a zero value and returns it, to be filled in place.
func (c *chunks[T]) next() *T {
	k := c.n % chunk
	if k == 0 {
		c.blocks = append(c.blocks, make([]T, chunk))
	}
	c.n++
	return &c.blocks[len(c.blocks)-1][k]
}

// add appends v.
func (c *chunks[T]) add(v T) { *c.next() = v }

// at returns value i.
func (c *chunks[T]) at(i int) *T { return &c.blocks[i/chunk][i%chunk] }

// appendTo appends the values to dst, in order, lets each block go as
// soon as it is copied, and empties c.
func (c *chunks[T]) appendTo(dst []T) []T {
	for i := range c.n {
		// One value at a time: a copy of many (a runtime call that cannot
		// be preempted) keeps a collector that wants to scan this
		// goroutine's stack spinning until it ends.
		dst = append(dst, *c.at(i))
		c.release(i)
	}
	*c = chunks[T]{}
	return dst
}

// release lets go of the block of value i once i is its last, or the
// last of all: the values of a block passed in order go with it.
func (c *chunks[T]) release(i int) {
	if i%chunk == chunk-1 || i == c.n-1 {
		c.blocks[i/chunk] = nil
	}
}
