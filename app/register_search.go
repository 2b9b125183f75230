package app

// The register's search text: each finding's reference, wording and
// progress narratives, lower-cased once per load so that a keystroke only
// scans. On a large register the narratives are most of the text read, so
// the text is written lower-case as it is gathered, once, rather than
// gathered and then lower-cased into a second copy.

import (
	"encoding/binary"
	"unicode"
	"unicode/utf8"

	"improvementtracker/model"
)

// searchText is a finding's search text: its reference, references, title,
// wording and interpretation, the report it came from and the force (where
// holds them, "" when not known), and its narratives, each lower-cased as
// strings.ToLower does and ended by a line break. A search term holds no
// white space, so it never matches across two of them, and the order of
// the narratives does not change what it finds.
func searchText[T string | []byte](f *model.Finding, where string, narratives []T) []byte {
	fields := [...]string{f.Ref, f.InspectorateRef, f.Title, f.Verbatim, f.Interpretation, where}
	size := 0
	for _, s := range fields {
		size += len(s) + 1
	}
	for _, s := range narratives {
		size += len(s) + 1
	}
	b := make([]byte, 0, size)
	for _, s := range fields {
		b = append(appendLower(b, s), '\n')
	}
	for _, s := range narratives {
		b = append(appendLower(b, s), '\n')
	}
	return b
}

// appendLower appends s to b lower-cased exactly as strings.ToLower
// lower-cases it: ASCII eight bytes at a time, anything else a character
// at a time with unicode.ToLower, which is what strings.ToLower uses (a
// byte that is not UTF-8 becomes U+FFFD, as there).
func appendLower[T string | []byte](b []byte, s T) []byte {
	start := len(b)
	b = append(b, s...)
	t := b[start:]
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(t); i += 8 {
		w := binary.LittleEndian.Uint64(t[i:])
		if w&tops != 0 {
			break
		}
		// With every byte below 0x80, adding 0x80-'A' sets a byte's top
		// bit when it is 'A' or above, and adding 0x80-('Z'+1) when it
		// is above 'Z', with no carry into the next byte.
		upper := (w + ones*(0x80-'A')) &^ (w + ones*(0x80-'Z'-1)) & tops
		binary.LittleEndian.PutUint64(t[i:], w|upper>>2)
	}
	for ; i < len(t); i++ {
		c := t[i]
		if c >= utf8.RuneSelf {
			return appendLowerRunes(b[:start+i], s[i:])
		}
		if 'A' <= c && c <= 'Z' {
			t[i] = c + 'a' - 'A'
		}
	}
	return b
}

// appendLowerRunes is appendLower from the first character outside ASCII.
func appendLowerRunes[T string | []byte](b []byte, s T) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := decodeRune(s[i:])
		// An invalid byte decodes as utf8.RuneError, written as U+FFFD.
		b = utf8.AppendRune(b, unicode.ToLower(r))
		i += size
	}
	return b
}

// decodeRune is utf8.DecodeRune of text or bytes: the character's bytes
// are copied out first, which neither copies the rest nor allocates.
func decodeRune[T string | []byte](s T) (rune, int) {
	var c [utf8.UTFMax]byte
	return utf8.DecodeRune(c[:copy(c[:], s)])
}
