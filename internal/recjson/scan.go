package recjson

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"improvementtracker/model"
)

// The scanner: the plain form of JSON, value by value. The partial readers
// of records (recjson.go) are written over it.

// jscan reads JSON text in the plain form; every method returns false at
// anything else, and the caller then leaves the whole value to
// encoding/json.
type jscan struct {
	b []byte
	i int
}

func (s *jscan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jscan) take(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// end accepts only white space after the value, as encoding/json does.
func (s *jscan) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// object reads an object, calling field for each key with the scanner at
// its value; field reads the value.
func (s *jscan) object(field func(key []byte) bool) bool {
	s.ws()
	if !s.take('{') {
		return false
	}
	s.ws()
	if s.take('}') {
		return true
	}
	for {
		s.ws()
		key, escaped, ok := s.raw()
		if !ok || escaped {
			return false
		}
		s.ws()
		if !s.take(':') || !field(key) {
			return false
		}
		s.ws()
		if s.take('}') {
			return true
		}
		if !s.take(',') {
			return false
		}
	}
}

// raw reads a string and returns the bytes between its quotes, and whether
// they hold an escape. A control character or invalid UTF-8 fails.
func (s *jscan) raw() (raw []byte, escaped, ok bool) {
	if !s.take('"') {
		return nil, false, false
	}
	start := s.i
	ascii := true
	for s.i < len(s.b) {
		// Plain text, most of a narrative, is passed over eight bytes
		// at a time.
		for s.i+8 <= len(s.b) && !special(binary.LittleEndian.Uint64(s.b[s.i:])) {
			s.i += 8
		}
		if s.i >= len(s.b) {
			break
		}
		c := s.b[s.i]
		switch {
		case c == '"':
			raw = s.b[start:s.i]
			s.i++
			if !ascii && !utf8.Valid(raw) {
				return nil, false, false
			}
			return raw, escaped, true
		case c == '\\':
			// Checked here, so that a string passed over is as valid
			// as one decoded.
			escaped = true
			if s.i+1 >= len(s.b) {
				return nil, false, false
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i += 2
			case 'u':
				if s.i+6 > len(s.b) {
					return nil, false, false
				}
				for _, h := range s.b[s.i+2 : s.i+6] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return nil, false, false
					}
				}
				s.i += 6
			default:
				return nil, false, false
			}
			continue
		case c < 0x20:
			return nil, false, false
		case c >= 0x80:
			ascii = false
		}
		s.i++
	}
	return nil, false, false
}

func (s *jscan) str(out *string) bool {
	s.ws()
	start := s.i
	raw, escaped, ok := s.raw()
	if !ok {
		return false
	}
	if !escaped {
		*out = string(raw)
		return true
	}
	// Escapes are rare: encoding/json reads them, exactly as it would.
	return json.Unmarshal(s.b[start:s.i], out) == nil
}

// bytes reads a []byte as encoding/json does, from base64 in a string:
// straight from the stored text, which json.Marshal writes without
// escapes, so that the only copy made is the decoded bytes.
func (s *jscan) bytes(out *[]byte) bool {
	s.ws()
	start := s.i
	raw, escaped, ok := s.raw()
	if !ok {
		return false
	}
	if escaped {
		s.i = start
		var str string
		if !s.str(&str) {
			return false
		}
		raw = []byte(str)
	}
	b := make([]byte, base64.StdEncoding.DecodedLen(len(raw)))
	n, err := base64.StdEncoding.Decode(b, raw)
	if err != nil {
		return false
	}
	*out = b[:n]
	return true
}

func (s *jscan) id(out *model.ID) bool {
	s.ws()
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	digits := s.b[start:s.i]
	if len(digits) == 0 || (len(digits) > 1 && digits[0] == '0') {
		return false
	}
	n, err := strconv.ParseUint(string(digits), 10, 64)
	if err != nil {
		return false
	}
	*out = model.ID(n)
	return true
}

func (s *jscan) bool(out *bool) bool {
	s.ws()
	switch {
	case len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "true":
		s.i += 4
		*out = true
	case len(s.b)-s.i >= 5 && string(s.b[s.i:s.i+5]) == "false":
		s.i += 5
		*out = false
	default:
		return false
	}
	return true
}

// quoted reads a string without escapes and returns it with its quotes,
// for a type's own UnmarshalJSON.
func (s *jscan) quoted() ([]byte, bool) {
	s.ws()
	start := s.i
	_, escaped, ok := s.raw()
	if !ok || escaped {
		return nil, false
	}
	return s.b[start:s.i], true
}

func (s *jscan) date(out *model.Date) bool {
	q, ok := s.quoted()
	if ok && len(q) == 2 {
		// An unset date, as Date.UnmarshalJSON reads it, without its
		// detour through encoding/json.
		*out = model.Date{}
		return true
	}
	return ok && out.UnmarshalJSON(q) == nil
}

func (s *jscan) time(out *time.Time) bool {
	q, ok := s.quoted()
	return ok && out.UnmarshalJSON(q) == nil
}

// skipString passes over a string, refusing any other value, as decoding
// it into a string would.
func (s *jscan) skipString() bool {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return false
	}
	_, _, ok := s.raw()
	return ok
}

// skip passes over one value of any kind.
func (s *jscan) skip() bool {
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, _, ok := s.raw()
		return ok
	case c == '{':
		return s.object(func([]byte) bool { return s.skip() })
	case c == '[':
		s.i++
		s.ws()
		if s.take(']') {
			return true
		}
		for {
			if !s.skip() {
				return false
			}
			s.ws()
			if s.take(']') {
				return true
			}
			if !s.take(',') {
				return false
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
				s.i += len(lit)
				return true
			}
		}
		return false
	default:
		return s.number()
	}
}

// number passes over a number in JSON's grammar.
func (s *jscan) number() bool {
	digits := func() int {
		n := 0
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	s.take('-')
	if s.take('0') {
		// No more digits may follow a leading zero.
	} else if digits() == 0 {
		return false
	}
	if s.take('.') && digits() == 0 {
		return false
	}
	if s.take('e') || s.take('E') {
		if !s.take('+') {
			s.take('-')
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

// special reports whether any of eight bytes needs a look of its own in a
// string: a quote, a backslash, a control character or a byte of a
// multi-byte character, by word-at-a-time arithmetic in one expression: a
// byte below 0x20 borrows, and so sets its top bit, in w - 0x20×0x01…; a
// byte from 0x80 has it in w; a quote or a backslash is a zero byte of
// w^"… or w^\…, which borrows in the subtraction of 0x01…. A borrow
// carried into the next byte can set that byte's top bit as well, but only
// after a byte that is special itself, and no other byte sets it.
func special(w uint64) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	return ((w-ones*0x20)|w|(quote-ones)|(backslash-ones))&tops != 0
}

// list reads an array into a fresh slice, as encoding/json does into a nil
// one: an empty array is an empty slice, not nil. A slice *out already
// holds is written over from its start, to reuse its room.
func list[T any](s *jscan, out *[]T, elem func(*jscan, *T) bool) bool {
	s.ws()
	if !s.take('[') {
		return false
	}
	items := (*out)[:0]
	if items == nil {
		items = []T{}
	}
	s.ws()
	if s.take(']') {
		*out = items
		return true
	}
	for {
		// Read into its place in the list: an item of its own, whose
		// address elem is given, would be made on the heap for every
		// element of every list read.
		var zero T
		items = append(items, zero)
		if !elem(s, &items[len(items)-1]) {
			return false
		}
		s.ws()
		if s.take(']') {
			*out = items
			return true
		}
		if !s.take(',') {
			return false
		}
	}
}
