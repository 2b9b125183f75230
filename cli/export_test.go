package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	exportpkg "improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

func TestExportReturnCommand(t *testing.T) {
	dir, db := sampleRegister(t, "kent.db")
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
	dir, db := sampleRegister(t, "kent.db")
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
	dir, db := sampleRegister(t, "kent.db")
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

// An export lets the register go once it has read it: while the workbook
// is built and written the app can open the register (it is not locked,
// and a large one is not held in memory). Recording the workbook opens the
// register again; when it cannot, the user is told the file was saved but
// not recorded, and how to record it.
func TestExportLetsTheRegisterGoOnceRead(t *testing.T) {
	dir, db := sampleRegister(t, "kent.db")
	out := filepath.Join(dir, "return.xlsx")
	var app *bolt.Store
	hold := false
	t.Cleanup(func() {
		if app != nil {
			_ = app.Close()
		}
	})
	export := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		env := &Env{Args: append([]string{"--db", db, "--quarter", "Q3 2025/26", "--out", out, "--force"}, args...),
			Stdout: &stdout, Stderr: &stderr, Getenv: func(string) string { return "" }}
		fs := newFlags(env, commands["export return"])
		quarter := fs.String("quarter", "", "")
		x := addExportFlags(fs)
		if _, err := parse(fs, env.Args); err != nil {
			t.Fatal(err)
		}
		q, err := model.ParseQuarter(*quarter)
		if err != nil {
			t.Fatal(err)
		}
		err = x.export(env, exportKind{
			asAt: func(model.Date, time.Time) model.Date { return q.AsAt() },
			build: func(src exportpkg.Source, asAt model.Date, marking model.Marking, now time.Time) (*exportpkg.Workbook, error) {
				// The app opens the register while the workbook is built,
				// and keeps it open when hold is set.
				var err error
				if app, err = bolt.Open(db, bolt.Options{Timeout: 100 * time.Millisecond}); err != nil {
					t.Errorf("the register could not be opened while the workbook was built: %v", err)
					app = nil
				} else if !hold {
					_ = app.Close()
					app = nil
				}
				return exportpkg.BuildReturn(src, exportpkg.ReturnOptions{Period: q, AsAt: asAt, Marking: marking, Now: now})
			},
		})
		if err != nil {
			fmt.Fprintln(&stderr, err)
			return 1, stdout.String(), stderr.String()
		}
		return 0, stdout.String(), stderr.String()
	}

	code, stdout, stderr := export()
	if code != 0 || !strings.Contains(stdout, "Saved "+out) {
		t.Fatalf("export: exit %d, %q %q", code, stdout, stderr)
	}

	// The app still has the register open when the export would record.
	hold = true
	code, stdout, stderr = export("--record")
	if code == 0 || !strings.Contains(stdout, "Saved "+out) ||
		!strings.Contains(stderr, out+" was saved, but not recorded as submitted: ") ||
		!strings.Contains(stderr, "open in another Improvement Tracker window") ||
		!strings.Contains(stderr, "To record it, export it again with --record") {
		t.Errorf("export --record with the register open in the app: exit %d, %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("the saved return: %v", err)
	}
	if app != nil {
		_ = app.Close()
	}
	app, hold = nil, false

	// Once the app lets it go, the export records it.
	code, stdout, stderr = export("--record")
	if code != 0 || !strings.Contains(stdout, "Recorded as submitted (submission 1)") {
		t.Errorf("export --record: exit %d, %q %q", code, stdout, stderr)
	}
}
