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
		copy(out[i*chunk:], b)
		c.blocks[i] = nil
	}
	*c = chunks[T]{}
	return out
}

// drain passes each value to fn, in order, letting each block go once
// passed, and leaves c empty; it stops at fn's first error.
func (c *chunks[T]) drain(fn func(*T) error) error {
	for i := range c.n {
		b := c.blocks[i/chunk]
		err := fn(&b[i%chunk])
		if i%chunk == chunk-1 || i == c.n-1 {
			c.blocks[i/chunk] = nil
		}
		if err != nil {
			return err
		}
	}
	*c = chunks[T]{}
	return nil
}
