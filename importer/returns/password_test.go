package returns_test

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"improvementtracker/importer/returns"
	"improvementtracker/internal/officecrypt"
)

// TestProtectedFiles reads files that begin as a compound file does: a
// return saved with a password (as the app writes it), given the wrong
// password or none; an old Excel file (.xls), which is a compound file
// with no encryption in it; and a damaged one. Each is told in its own
// words, and only a wrong password is called one.
func TestProtectedFiles(t *testing.T) {
	_, _, path := setup(t, "Secret-2026")
	protected, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// An .xls: a compound file whose streams are not those of an
	// encrypted workbook (the names are changed where they are stored,
	// in UTF-16, keeping their length).
	xls, err := officecrypt.Encrypt([]byte("PK not really"), "pw")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"EncryptionInfo", "EncryptedPackage"} {
		from, to := utf16le(name), utf16le("Workbook"+strings.Repeat("x", len(name)-len("Workbook")))
		if !bytes.Contains(xls, from) {
			t.Fatalf("no stream named %s to rename", name)
		}
		xls = bytes.Replace(xls, from, to, 1)
	}
	damaged := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, bytes.Repeat([]byte{0x5a}, 600)...)

	for name, tc := range map[string]struct {
		file     []byte
		password string
		want     error  // nil: none of the package's errors
		says     string // a part of the message
	}{
		"no password":    {protected, "", returns.ErrPassword, "protected with a password"},
		"wrong password": {protected, "guess", returns.ErrWrongPassword, "password is not right"},
		".xls":           {xls, "", returns.ErrNotReturn, "save it as an Excel Workbook, .xlsx"},
		".xls, password": {xls, "pw", returns.ErrNotReturn, "Excel 97-2003"},
		"damaged":        {damaged, "pw", nil, "damaged"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := returns.Read("return.xlsx", tc.file, tc.password)
			if err == nil {
				t.Fatal("read without complaint")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
			if tc.want != returns.ErrWrongPassword && errors.Is(err, returns.ErrWrongPassword) {
				t.Errorf("told as a wrong password: %v", err)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("message %q does not say %q", err, tc.says)
			}
			if tc.want == returns.ErrWrongPassword && strings.Contains(err.Error(), "97-2003") {
				t.Errorf("a wrong password is put down to an old file: %v", err)
			}
		})
	}
	if ret, err := returns.Read("return.xlsx", protected, "Secret-2026"); err != nil || len(ret.Rows) == 0 {
		t.Errorf("the right password: %v, %v", err, ret)
	}
}

// utf16le is a name as a compound file's directory stores it.
func utf16le(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = append(b, byte(c), byte(c>>8))
	}
	return b
}
