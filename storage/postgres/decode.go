package postgres

import (
	"bytes"
	"errors"
)

// ErrNulText: PostgreSQL's jsonb cannot hold the NUL character, which the
// file can. It comes into text pasted from some PDFs and old systems.
var ErrNulText = errors.New("the text holds a NUL character (an invisible control character, usually pasted from a PDF or another system), which the shared register cannot store: remove it and save again")

// storable checks that JSON text can go into a jsonb column: it must not
// hold an escaped NUL (\u0000). An escaped backslash before "u0000" is the
// text \u0000 itself, which is fine.
func storable(raw []byte) error {
	for i := 0; ; {
		j := bytes.Index(raw[i:], []byte(`\u0000`))
		if j < 0 {
			return nil
		}
		j += i
		slashes := 0
		for k := j - 1; k >= 0 && raw[k] == '\\'; k-- {
			slashes++
		}
		if slashes%2 == 0 {
			return ErrNulText
		}
		i = j + 1
	}
}
