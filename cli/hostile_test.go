package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/testkit/faults/bomb"
	"improvementtracker/testkit/faults/corrupt"
	"improvementtracker/testkit/faults/hostile"
)

// osPhrases are the operating system's and libraries' words that must not
// reach a person, besides those corrupt.Internal knows.
var osPhrases = []string{"no such file", "errno", "EOF", "bolt", "zip:", "xml:", "is a directory", "permission denied",
	"input/output error", "resource temporarily unavailable", "bad file descriptor", "syscall", "malformed PDF", "objptr"}

// unworded returns the first phrase of the machine's in text, or "".
func unworded(text string) string {
	if p := corrupt.Internal(text); p != "" {
		return p
	}
	for _, p := range osPhrases {
		if strings.Contains(text, p) {
			return p
		}
	}
	return ""
}

// TestHostileInputsInWords feeds every input the rule for files refuses
// through the command line: devices and a pipe as a report, a return or
// the register; the hostile PDFs and workbooks; an edit past the last row
// read; a mistyped --db for a return. Each must fail, in the app's words,
// and leave the register as it was (and make none where there was none).
func TestHostileInputsInWords(t *testing.T) {
	_, db := sampleRegister(t, "register.db")
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var inputs []string
	for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
		if _, err := os.Stat(dev); err == nil {
			inputs = append(inputs, dev)
		}
	}
	if fifo := makeFIFO(t, dir); fifo != "" {
		inputs = append(inputs, fifo)
	}
	var commands [][]string
	for _, in := range inputs {
		commands = append(commands,
			[]string{"import", "report", in, "--db", db},
			[]string{"import", "return", in, "--db", db},
			[]string{"list", "--db", in},
			[]string{"import", "report", write("report.txt", []byte("A report.\n")), "--db", in},
			[]string{"restore", in, "--db", db})
	}
	for i, kind := range hostile.PDFs {
		if kind == hostile.PDFFlat {
			continue // read in full: a report, if a strange one
		}
		p := write("hostile-"+string(rune('a'+i))+".pdf", hostile.PDF(kind))
		commands = append(commands, []string{"import", "report", p, "--db", db})
	}
	for i, kind := range []bomb.Kind{bomb.ManyStrings, bomb.DeepNesting, bomb.RowPastCap} {
		raw, err := bomb.UnderCapBytes(kind)
		if err != nil {
			t.Fatal(err)
		}
		p := write("return-"+string(rune('a'+i))+".xlsx", raw)
		commands = append(commands, []string{"import", "return", p, "--db", db}, []string{"import", "return", p, "--db", db, "--dry-run"})
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands {
		code, stdout, stderr := run(t, c...)
		text := stdout + stderr
		t.Logf("%s:\n%s", strings.Join(c, " "), text)
		if code == 0 {
			t.Errorf("%s: succeeded:\n%s", strings.Join(c, " "), text)
		}
		if p := unworded(text); p != "" {
			t.Errorf("%s: %q reached the user:\n%s", strings.Join(c, " "), p, text)
		}
		if strings.Contains(text, "damaged") && !strings.Contains(text, ".pdf") && !strings.Contains(text, ".xlsx") {
			t.Errorf("%s: called damaged:\n%s", strings.Join(c, " "), text)
		}
		after, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(before, after) {
			t.Fatalf("%s changed the register", strings.Join(c, " "))
		}
	}

	// A return applied to a mistyped register makes no register and no
	// folders there.
	raw, err := bomb.Bytes(bomb.LongCell, 10)
	if err != nil {
		t.Fatal(err)
	}
	ret := write("return.xlsx", raw)
	typo := filepath.Join(dir, "Registers", "regster.db")
	code, _, stderr := run(t, "import", "return", ret, "--db", typo)
	if code == 0 || !strings.Contains(stderr, "no register at") {
		t.Errorf("import return to a mistyped register: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Dir(typo)); err == nil {
		t.Errorf("import return to a mistyped register made %s", filepath.Dir(typo))
	}
}
