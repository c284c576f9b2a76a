package wire

// chunk is the number of values in a block of chunks.
const chunk = 1024

// chunks collects values in blocks of chunk elements, so that a million
// of them are never copied into a growing array (each growth copies every
// value before it, and leaves the old array as garbage), and a value
// stays where it was put. slice returns them in one array of the exact
// size.
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

// slice returns the values in order, nil when there are none, and lets
// each block go as soon as it is copied.
func (c *chunks[T]) slice() []T {
	if c.n == 0 {
		return nil
	}
	out := make([]T, c.n)
	for i, b := range c.blocks {
		// A few values at a time: one copy of a whole block cannot be
		// preempted, and a collector that wants to scan this goroutine's
		// stack meanwhile spins until it can.
		b = b[:min(len(b), c.n-i*chunk)]
		for k := 0; k < len(b); k += 32 {
			copy(out[i*chunk+k:], b[k:min(k+32, len(b))])
		}
		c.blocks[i] = nil
	}
	*c = chunks[T]{}
	return out
}

// release lets go of the block of value i once i is its last, or the
// last of all: the values of a block passed in order go with it.
func (c *chunks[T]) release(i int) {
	if i%chunk == chunk-1 || i == c.n-1 {
		c.blocks[i/chunk] = nil
	}
}
