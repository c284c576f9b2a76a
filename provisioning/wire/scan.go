package wire

import (
	"encoding/binary"
	"math/bits"
)

// scanner finds the units of a whole-tenant export (see ahead) in its
// bytes, read after read, by its brackets, quotes and member names alone.
// It checks nothing: the reader checks everything, and takes a unit only
// where a worker read it cleanly, so a scanner misled by malformed input
// costs time, never a wrong result.
type scanner struct {
	depth int
	obj   uint64 // bit d: the container open at depth d (1 to 63) is an object
	str   bool   // in a string
	esc   bool   // in a string, after a backslash
	want  bool   // a string now would be a member name
	keep  bool   // the string being read is a member name the scanner looks at
	name  []byte // that name, so far
	// top is what the member of the export being read holds: the entries
	// of a relation keyed by user, users (topUsers), or neither (0).
	top sections
	// value[d] reports that the member being read of the object at depth
	// d (2 or 3) is "value".
	value [4]bool
	// The unit being read: it starts at unit (-1 outside one) of an
	// array or object open at depth udepth; drop when it is too long to
	// hand on.
	unit   int64
	udepth int
	kind   sections
	drop   bool
	lost   bool // the input is not what the scanner expects: no more units
	// found takes each unit found, of its kind (0 for a user object).
	found func(kind sections, u unit)
}

// topUsers marks the "users" member in scanner.top: no relation has all
// these bits.
const topUsers = ^sections(0)

// maxName is the longest member name the scanner looks at.
const maxName = 24

// reset readies s to scan an export from its start, handing the units to
// found.
func (s *scanner) reset(found func(kind sections, u unit)) {
	*s = scanner{unit: -1, name: make([]byte, 0, maxName), found: found}
}

// isObject reports whether the container open at depth d is an object.
func (s *scanner) isObject(d int) bool { return d < 64 && s.obj&(1<<d) != 0 }

// scan reads b, the bytes of the input from offset base, handing the
// units it ends to found.
func (s *scanner) scan(b []byte, base int64) {
	i := 0
	for i < len(b) && !s.lost {
		switch {
		case s.str:
			i = s.inString(b, i)
		case s.unit >= 0:
			i = s.inUnit(b, i, base)
		default:
			i = s.structure(b, i, base)
		}
	}
	if s.unit >= 0 && !s.drop && base+int64(len(b))-s.unit > maxUnit {
		s.drop = true
	}
}

// inString reads b from i inside a string, and returns where it stopped:
// past its closing quote, or at the end of b.
func (s *scanner) inString(b []byte, i int) int {
	if s.esc {
		s.esc = false
		i++
	}
	if s.keep {
		return s.inName(b, i)
	}
	end, closed := stringEnd(b, i)
	if !closed {
		s.esc = end > len(b) // a backslash ends b
		return len(b)
	}
	s.str = false
	return end
}

// stringEnd returns the index past the closing quote of the string whose
// bytes start at b[i], and true; or, when b ends first, an index at or
// past the end of b (past it when b ends with a backslash), and false.
func stringEnd(b []byte, i int) (int, bool) {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	for i < len(b) {
		// Eight bytes at a time to the next quote or backslash.
		for i+8 <= len(b) {
			w := binary.LittleEndian.Uint64(b[i:])
			q, bs := w^(ones*'"'), w^(ones*'\\')
			if m := ((q-ones)&^q | (bs-ones)&^bs) & highs; m != 0 {
				i += bits.TrailingZeros64(m) / 8
				break
			}
			i += 8
		}
		for i < len(b) && b[i] != '"' && b[i] != '\\' {
			i++
		}
		switch {
		case i == len(b):
		case b[i] == '"':
			return i + 1, true
		default:
			i += 2 // a backslash and the byte it escapes
		}
	}
	return i, false
}

// inName is inString of a member name the scanner looks at, byte by byte:
// it keeps the name's first maxName bytes, as they are written.
func (s *scanner) inName(b []byte, i int) int {
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case s.esc:
			s.esc = false
		case c == '"':
			s.str = false
			s.member()
			return i + 1
		case c == '\\':
			s.esc = true
		case len(s.name) < maxName:
			s.name = append(s.name, c)
		}
	}
	return i
}

// inUnit reads b from i inside a unit, only for its brackets and strings,
// and returns where it stopped: past the unit's end, in a string that b
// ends in, or at the end of b.
func (s *scanner) inUnit(b []byte, i int, base int64) int {
	depth := s.depth
	for ; i < len(b); i++ {
		switch b[i] {
		case '"':
			end, closed := stringEnd(b, i+1)
			if !closed {
				s.depth, s.str, s.esc = depth, true, end > len(b)
				return len(b)
			}
			i = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == s.udepth {
				if !s.drop {
					s.found(s.kind, unit{start: s.unit, end: base + int64(i) + 1, depth: int32(s.udepth)})
				}
				s.depth, s.unit, s.drop, s.want = depth, -1, false, false
				return i + 1
			}
		}
	}
	s.depth = depth
	return i
}

// structure reads the byte at b[i], outside units, and returns where to
// go on.
func (s *scanner) structure(b []byte, i int, base int64) int {
	switch c := b[i]; c {
	case '"':
		s.str, s.keep = true, false
		if s.want && (s.depth == 1 || s.top == topUsers && s.depth <= 3) {
			s.keep, s.name = true, s.name[:0]
		}
		s.want = false
	case '{', '[':
		if s.starts(c) {
			s.unit, s.udepth, s.kind = base+int64(i), s.depth, s.top
			if s.top == topUsers {
				s.kind = 0
			}
		}
		s.depth++
		if s.depth >= 64 {
			s.lost = true
			break
		}
		if c == '{' {
			s.obj |= 1 << s.depth
		} else {
			s.obj &^= 1 << s.depth
		}
		if s.depth < len(s.value) {
			s.value[s.depth] = false
		}
		s.want = c == '{'
	case '}', ']':
		s.depth--
		s.want = false
		if s.depth < 0 {
			s.lost = true
		}
		if s.depth == 1 {
			s.top = 0
		}
	case ',':
		s.want = s.isObject(s.depth)
	}
	return i + 1
}

// starts reports whether an object or array opening with c, where the
// scanner is, is a unit: an entry of a relation keyed by user, or a user
// object in the "value" of a page of "users" (a page, or an array of
// pages).
func (s *scanner) starts(c byte) bool {
	switch {
	case s.top == 0:
		return false
	case s.top != topUsers:
		return s.depth == 2 && s.isObject(2)
	case c != '{':
		return false
	case s.depth == 3:
		return s.isObject(2) && s.value[2] && !s.isObject(3)
	case s.depth == 4:
		return !s.isObject(2) && s.isObject(3) && s.value[3] && !s.isObject(4)
	}
	return false
}

// member takes the member name just read.
func (s *scanner) member() {
	s.keep = false
	switch {
	case s.depth == 1:
		s.top = unitsOf(s.name)
	case s.depth < len(s.value):
		s.value[s.depth] = string(s.name) == "value"
	}
}

// unitsOf returns what the export's member name holds for the scanner.
func unitsOf(name []byte) sections {
	switch string(name) {
	case "users":
		return topUsers
	case "licenseDetails":
		return sectionLicenseDetails
	case "memberOf":
		return sectionMemberOf
	case "transitiveMemberOf":
		return sectionTransitiveMemberOf
	case "ownedObjects":
		return sectionOwnedObjects
	}
	return 0
}
