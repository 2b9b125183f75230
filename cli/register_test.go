package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

// run runs a command in-process and returns its exit code and output.
func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(args, &Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

// registerWith makes a register holding two findings, one with a long
// title, and returns its path.
func registerWith(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		if err := tx.SaveSettings(model.Settings{ForceName: "Kent Police", RefPrefix: "KEN"}); err != nil {
			return err
		}
		r := model.Report{Title: "PEEL 2021/22", Type: model.PEEL, Cycle: "2021/22"}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		lead := model.Person{Name: "Detective Superintendent (Public Protection)"}
		if err := tx.SavePerson(&lead); err != nil {
			return err
		}
		for _, f := range []model.Finding{
			{ReportID: r.ID, Type: model.AFI, Area: "Investigating crime", Grade: model.RequiresImprovement, DeliveryLeadID: lead.ID,
				Title: "Domestic abuse team resourcing, with, commas", Verbatim: "text", CurrentTarget: model.MustDate("31/03/2026"),
				Status: model.InProgress, RAG: model.Amber},
			{ReportID: r.ID, Type: model.AFI, Area: "Managing offenders and suspects", Grade: model.Adequate,
				Verbatim: "The force should review its registered sex offender operating model so that it has enough staff to manage the risk posed by the growing number of offenders in the community. More words follow here."},
		} {
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestList(t *testing.T) {
	path := registerWith(t)
	code, out, errOut := run(t, "list", "--db", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("table has %d lines:\n%s", len(lines), out)
	}
	for _, h := range listHeader {
		if !strings.Contains(lines[0], h) {
			t.Errorf("header lacks %q: %s", h, lines[0])
		}
	}
	// Aligned: the Title column starts at the same place on every line.
	col := strings.Index(lines[0], "Title") // the header is plain ASCII
	if !strings.HasPrefix(string([]rune(lines[1])[col:]), "Domestic abuse team resourcing") {
		t.Errorf("columns not aligned:\n%s", out)
	}
	for _, want := range []string{"KEN-PEEL2122-AFI-01", "In progress", "Amber", "31/03/2026", "Detective Superintendent", "Requires improvement"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("row lacks %q: %s", want, lines[1])
		}
	}
	if !strings.HasSuffix(lines[2], "…") || strings.Contains(lines[2], "More words") {
		t.Errorf("a long title is not cut short: %s", lines[2])
	}

	code, out, _ = run(t, "list", "--db", path, "--format", "csv")
	if code != 0 {
		t.Fatalf("csv exit %d", code)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][8] != "Domestic abuse team resourcing, with, commas" || rows[1][0] != "KEN-PEEL2122-AFI-01" {
		t.Errorf("csv rows: %q", rows)
	}

	if code, _, errOut := run(t, "list", "--db", path, "--format", "xml"); code != 2 || !strings.Contains(errOut, "--format") {
		t.Errorf("a bad format gave exit %d: %s", code, errOut)
	}
	if code, out, _ := run(t, "list", "--help"); code != 0 || !strings.Contains(out, "--format") && !strings.Contains(out, "-format") {
		t.Errorf("help: exit %d %s", code, out)
	}
}

func TestBackupRestoreCheck(t *testing.T) {
	path := registerWith(t)
	code, out, errOut := run(t, "backup", "--db", path)
	if code != 0 || !strings.Contains(out, "Backup written: ") {
		t.Fatalf("backup: exit %d %s %s", code, out, errOut)
	}
	backup := strings.TrimSpace(strings.TrimPrefix(out, "Backup written: "))

	// Change the register, then restore the backup.
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		f, err := tx.FindingByRef("KEN-PEEL2122-AFI-01")
		if err != nil {
			return err
		}
		return tx.DeleteFinding(f.ID)
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "restore", "--db", path); code != 2 || !strings.Contains(errOut, backup) {
		t.Errorf("restore without a file should list the backups; exit %d: %s", code, errOut)
	}
	code, out, errOut = run(t, "restore", backup, "--db", path)
	if code != 0 || !strings.Contains(out, "Restored") || !strings.Contains(out, "before-restore") {
		t.Fatalf("restore: exit %d %s %s", code, out, errOut)
	}
	if _, out, _ := run(t, "list", "--db", path); !strings.Contains(out, "KEN-PEEL2122-AFI-01") {
		t.Errorf("after restore the finding is not back:\n%s", out)
	}

	code, out, errOut = run(t, "check", "--db", path)
	if code != 0 || !strings.Contains(out, "no problems") || !strings.Contains(out, "2 findings") {
		t.Errorf("check: exit %d %s %s", code, out, errOut)
	}

	// A damaged register: non-zero exit, the message on stderr.
	bad := filepath.Join(t.TempDir(), "bad.db")
	if err := writeTestFile(bad, []byte("this is not a register")); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"check", "list", "backup"} {
		code, out, errOut := run(t, cmd, "--db", bad)
		// check also lists what it found, grouped, on stdout.
		if cmd == "check" && out == "Header pages:\n  - the header pages cannot be read (the file is too short to hold its header)\n" {
			out = ""
		}
		if code != 1 || out != "" || !strings.Contains(errOut, "damaged") || !strings.Contains(errOut, bad) {
			t.Errorf("%s on a damaged file: exit %d, stdout %q, stderr %q", cmd, code, out, errOut)
		}
	}
	if code, _, errOut := run(t, "restore", bad, "--db", path); code != 1 || !strings.Contains(errOut, "damaged") {
		t.Errorf("restoring from a damaged file: exit %d %s", code, errOut)
	}
	for _, cmd := range []string{"backup", "restore", "check"} {
		if code, out, _ := run(t, cmd, "--help"); code != 0 || !strings.Contains(out, "Usage: improvement-tracker "+cmd) {
			t.Errorf("%s --help: exit %d %s", cmd, code, out)
		}
	}
}

func writeTestFile(path string, data []byte) error { return os.WriteFile(path, data, 0o600) }

// TestListCSVIsSafeForSpreadsheets lists findings whose text a spreadsheet
// would take for a formula: every such cell starts with an apostrophe, the
// rest are as stored, and the file starts with a UTF-8 byte-order mark.
func TestListCSVIsSafeForSpreadsheets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	titles := []string{
		"=cmd|' /C calc'!A0",
		"+SUM(1,2)",
		"-2+3",
		"@SUM(A1:A2)",
		"Plain – with ’quotes’",
	}
	areas := []string{"=HYPERLINK(\"http://example.com\")", "Investigating crime", "-", "@", "+"}
	err = s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		if err := tx.SaveSettings(model.Settings{ForceName: "Kent Police", RefPrefix: "KEN"}); err != nil {
			return err
		}
		r := model.Report{Title: "PEEL 2021/22", Type: model.PEEL, Cycle: "2021/22"}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		lead := model.Person{Name: "=Lead", Role: "Superintendent"}
		if err := tx.SavePerson(&lead); err != nil {
			return err
		}
		for i, title := range titles {
			f := model.Finding{ReportID: r.ID, Type: model.AFI, Area: areas[i], Title: title, Verbatim: "text", DeliveryLeadID: lead.ID}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errOut := run(t, "list", "--db", path, "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.HasPrefix(out, "\ufeffRef,") {
		t.Fatalf("the CSV does not start with a byte-order mark and the header: %q", out[:min(len(out), 20)])
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(titles)+1 {
		t.Fatalf("%d rows, want %d: %q", len(rows), len(titles)+1, rows)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	want := []struct{ title, area string }{
		{"'=cmd|' /C calc'!A0", "'=HYPERLINK(\"http://example.com\")"},
		{"'+SUM(1,2)", "Investigating crime"},
		{"'-2+3", "'-"},
		{"'@SUM(A1:A2)", "'@"},
		{"Plain – with ’quotes’", "'+"},
	}
	for i, w := range want {
		row := rows[i+1]
		if got := row[col["Title"]]; got != w.title {
			t.Errorf("row %d title %q, want %q", i+1, got, w.title)
		}
		if got := row[col["Area"]]; got != w.area {
			t.Errorf("row %d area %q, want %q", i+1, got, w.area)
		}
		if got := row[col["Lead"]]; got != "'=Lead (Superintendent)" {
			t.Errorf("row %d lead %q, want the quoted label", i+1, got)
		}
		if got := row[col["Ref"]]; !strings.HasPrefix(got, "KEN-") {
			t.Errorf("row %d ref %q changed", i+1, got)
		}
		for j, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("row %d, %s: %q starts a formula", i+1, rows[0][j], c)
			}
		}
	}
}

func TestCSVCellNeutralisesEachFormulaStart(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+1": "'+1", "-1": "'-1", "@A1": "'@A1", "\tx": "'\tx", "\rx": "'\rx",
		"": "", "x=1": "x=1", "'=1": "'=1", " =1": " =1", "31/03/2026": "31/03/2026",
	} {
		if got := export.CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}
