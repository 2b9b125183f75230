package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs a command in-process with no environment, so the register is
// only ever the --db file in the test's temp dir.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(args, &Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

// sampleRegister loads the Kent sample into a register file of the given
// name in a temp dir, and returns the dir and the file.
func sampleRegister(t *testing.T, name string) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, name)
	if code, _, errOut := runCLI(t, "sample", "--db", db); code != 0 {
		t.Fatalf("sample: %s", errOut)
	}
	return dir, db
}

func TestSampleCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kent.db")

	code, out, errOut := runCLI(t, "sample", "--db", db)
	if code != 0 {
		t.Fatalf("sample: exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "21 findings") || !strings.Contains(out, "[Sample data]") {
		t.Errorf("sample printed %q", out)
	}

	code, out, errOut = runCLI(t, "list", "--db", db)
	if code != 0 {
		t.Fatalf("list: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"Domestic abuse team resourcing", "Bail and released under investigation (RUI) policy",
		"Registered sex offender management operating model", "KEN-PEEL2122-AFI-01", "KEN-PEEL2122-IP-02",
		"Diversity information about victims of crime"} {
		if !strings.Contains(out, want) {
			t.Errorf("list does not show %q", want)
		}
	}

	// A second load is refused: non-zero exit, the reason on stderr.
	code, out, errOut = runCLI(t, "sample", "--db", db)
	if code != 1 || out != "" {
		t.Errorf("second sample: exit %d, stdout %q; want 1 and nothing", code, out)
	}
	if !strings.Contains(errOut, "the register already holds 21 findings; the sample can only be loaded into an empty register") {
		t.Errorf("second sample: stderr %q", errOut)
	}
}

func TestSampleCommandUsage(t *testing.T) {
	code, out, _ := runCLI(t, "sample", "--help")
	if code != 0 || !strings.Contains(out, "sample [--db PATH]") || !strings.Contains(out, "-db") {
		t.Errorf("sample --help: exit %d, %q", code, out)
	}
	code, _, errOut := runCLI(t, "sample", "extra", "--db", filepath.Join(t.TempDir(), "x.db"))
	if code != 2 || !strings.Contains(errOut, "sample takes no arguments") {
		t.Errorf("sample extra: exit %d, stderr %q", code, errOut)
	}
}
