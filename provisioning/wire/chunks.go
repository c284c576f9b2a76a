package wire

// chunks collects values in blocks of chunk elements, so that a million
// of them are never copied into a growing array (each growth copies every
// value before it, and leaves the old array as garbage). slice returns
// them in one array of the exact size.
type chunks[T any] struct {
	blocks [][]T
	n      int
}

// add appends v.
func (c *chunks[T]) add(v T) {
	k := c.n % chunk
	if k == 0 {
		c.blocks = append(c.blocks, make([]T, chunk))
	}
	c.blocks[len(c.blocks)-1][k] = v
	c.n++
}

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
