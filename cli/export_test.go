package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestExportReturnCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kent.db")
	if code, _, errOut := runCLI(t, "sample", "--db", db); code != 0 {
		t.Fatalf("sample: %s", errOut)
	}
	out := filepath.Join(dir, "return.xlsx")
	args := []string{"export", "return", "--db", db, "--quarter", "Q3 2025/26", "--marking", "OFFICIAL-SENSITIVE", "--out", out}
	code, stdout, errOut := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("export return: exit %d, %s", code, errOut)
	}
	if !strings.Contains(stdout, "Saved "+out) || !strings.Contains(stdout, "SHA-256") {
		t.Errorf("stdout %q", stdout)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("Return", "A1"); v != "OFFICIAL-SENSITIVE" {
		t.Errorf("Return!A1 = %q", v)
	}
	_ = f.Close()

	// The file exists: refused without --force, and left alone.
	before, _ := os.ReadFile(out)
	code, _, errOut = runCLI(t, args...)
	if code != 1 || !strings.Contains(errOut, "--force") {
		t.Errorf("second export: exit %d, %q", code, errOut)
	}
	if after, _ := os.ReadFile(out); string(after) != string(before) {
		t.Error("the existing file changed without --force")
	}

	// --force replaces it, with a password from a file, and --record
	// records the submission.
	pw := filepath.Join(dir, "pw.txt")
	if err := os.WriteFile(pw, []byte("correct horse\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut = runCLI(t, append(args, "--force", "--password-file", pw, "--record")...)
	if code != 0 || !strings.Contains(stdout, "Recorded as submitted") {
		t.Fatalf("forced export: exit %d, %q %q", code, stdout, errOut)
	}
	if _, err := excelize.OpenFile(out); err == nil {
		t.Error("the encrypted return opened without a password")
	}
	if f, err := excelize.OpenFile(out, excelize.Options{Password: "correct horse"}); err != nil {
		t.Errorf("the encrypted return did not open with its password: %v", err)
	} else {
		_ = f.Close()
	}

	code, stdout, _ = runCLI(t, "submissions", "--db", db)
	if code != 0 || !strings.Contains(stdout, "Q3 2025/26") || !strings.Contains(stdout, "return.xlsx") || !strings.Contains(stdout, "OFFICIAL-SENSITIVE") {
		t.Errorf("submissions: exit %d, %q", code, stdout)
	}
}

func TestExportCommandMistakes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kent.db")
	if code, _, errOut := runCLI(t, "sample", "--db", db); code != 0 {
		t.Fatalf("sample: %s", errOut)
	}
	for name, args := range map[string][]string{
		"no quarter":   {"export", "return", "--db", db},
		"bad quarter":  {"export", "return", "--db", db, "--quarter", "Q5 2025/26"},
		"bad date":     {"export", "return", "--db", db, "--quarter", "Q3 2025/26", "--as-at", "12/31/2025"},
		"old marking":  {"export", "return", "--db", db, "--quarter", "Q3 2025/26", "--marking", "RESTRICTED"},
		"unknown lead": {"export", "briefing", "--db", db, "--lead", "Chief Inspector Nobody"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != 2 || errOut == "" {
			t.Errorf("%s: exit %d, stderr %q; want 2 and a reason", name, code, errOut)
		}
	}
	code, _, errOut := runCLI(t, "export", "return", "--db", db, "--quarter", "Q3 2025/26", "--out", filepath.Join(dir, "missing", "r.xlsx"))
	if code != 1 || !strings.Contains(errOut, "cannot write in") {
		t.Errorf("missing folder: exit %d, %q", code, errOut)
	}
}

func TestExportBriefingCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kent.db")
	if code, _, errOut := runCLI(t, "sample", "--db", db); code != 0 {
		t.Fatalf("sample: %s", errOut)
	}
	out := filepath.Join(dir, "briefing.xlsx")
	code, stdout, errOut := runCLI(t, "export", "briefing", "--db", db, "--lead", "ACC (Crime)", "--as-at", "31/12/2025",
		"--marking", "OFFICIAL-SENSITIVE", "--descriptor", "personal", "--out", out)
	if code != 0 {
		t.Fatalf("export briefing: exit %d, %s", code, errOut)
	}
	if !strings.Contains(stdout, "OFFICIAL-SENSITIVE PERSONAL") {
		t.Errorf("stdout %q", stdout)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Briefing", "A1"); v != "OFFICIAL-SENSITIVE PERSONAL" {
		t.Errorf("Briefing!A1 = %q", v)
	}
	if v, _ := f.GetCellValue("Briefing", "A2"); !strings.Contains(v, "Assistant Chief Constable (Crime)") {
		t.Errorf("Briefing!A2 = %q, want the lead named", v)
	}
}
