package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/importer/report"
	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

const seedReport = "../importer/report/testdata/kent-peel-2021-22.txt"

func TestImportReportDryRunJSON(t *testing.T) {
	db := filepath.Join(t.TempDir(), "register.db")
	code, out, errOut := runCLI(t, "import", "report", seedReport, "--db", db, "--dry-run", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a dry run created the register: %v", err)
	}
	var got reportJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(got.Findings) != 21 || got.Report.Title != "Kent Police PEEL 2021/22" || !got.DryRun {
		t.Fatalf("got %d findings for %q", len(got.Findings), got.Report.Title)
	}
	missing, moved, ips := 0, 0, 0
	for _, f := range got.Findings {
		if f.Type == "" || f.Area == "" || f.Grade == "" || f.Title == "" {
			t.Errorf("incomplete finding %+v", f)
		}
		for _, fl := range f.Flags {
			switch fl {
			case "wording missing from the source text":
				missing++
			case report.FlagMoved:
				moved++
			}
		}
		if f.Type == "Innovative practice" {
			ips++
		}
	}
	// Every box has its wording; nine were found where the PDF put them.
	if missing != 0 || moved != 9 || ips != 2 {
		t.Errorf("%d flagged missing, %d moved, %d innovative practice; want 0, 9 and 2", missing, moved, ips)
	}
	if !strings.Contains(errOut, "9 findings' wording was found later in their section") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestImportReportThenDuplicates(t *testing.T) {
	db := filepath.Join(t.TempDir(), "register.db")
	code, out, errOut := runCLI(t, "import", "report", seedReport, "--db", db)
	if code != 0 || !strings.Contains(out, "Imported 21 findings into \"Kent Police PEEL 2021/22\"") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	// A dry run now shows every finding as already there.
	code, out, _ = runCLI(t, "import", "report", seedReport, "--db", db, "--dry-run")
	if code != 0 || !strings.Contains(out, "0 of 21 findings would be added") || !strings.Contains(out, "already in the register as KEN") && !strings.Contains(out, "already in the register as ") {
		t.Errorf("dry run after import: %s", out)
	}
	code, _, errOut = runCLI(t, "import", "report", seedReport, "--db", db)
	if code != 1 || !strings.Contains(errOut, "nothing to import") {
		t.Errorf("second import: exit %d, %s", code, errOut)
	}
}

func TestImportReportBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "register.db")
	fake := filepath.Join(dir, "report.pdf")
	os.WriteFile(fake, []byte("not a pdf"), 0o644)
	for name, args := range map[string][]string{
		"missing file": {"import", "report", filepath.Join(dir, "nope.txt"), "--db", db},
		"fake pdf":     {"import", "report", fake, "--db", db},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != 1 || errOut == "" {
			t.Errorf("%s: exit %d, %q", name, code, errOut)
		}
	}
	if code, _, _ := runCLI(t, "import", "report", "--db", db); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
}

func TestImportReturn(t *testing.T) {
	dir, db := sampleRegister(t, "register.db")
	book := filepath.Join(dir, "return.xlsx")
	func() {
		s, err := bolt.Open(db, bolt.Options{NoBackup: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		opts := export.ReturnOptions{Period: model.Quarter{StartYear: 2026, Q: 3}, Now: s.Now()}
		var src export.Source
		if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { src, err = export.ReadSource(tx, opts.AsAtDate()); return }); err != nil {
			t.Fatal(err)
		}
		w, err := export.BuildReturn(src, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if _, err := w.Save(book, export.SaveOptions{Password: "Pa55"}); err != nil {
			t.Fatal(err)
		}
	}()
	// The delivery lead changes a status and types a bad date elsewhere.
	f, err := excelize.OpenFile(book, excelize.Options{Password: "Pa55"})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Return")
	col := func(h string) string {
		for i, v := range rows[2] {
			if v == h {
				n, _ := excelize.ColumnNumberToName(i + 1)
				return n
			}
		}
		t.Fatalf("no column %s", h)
		return ""
	}
	f.SetCellValue("Return", col("Status")+"4", "Complete – pending internal sign-off")
	f.SetCellValue("Return", col("Current target")+"5", "soon")
	if err := f.SaveAs(book, excelize.Options{Password: "Pa55"}); err != nil {
		t.Fatal(err)
	}
	f.Close()

	code, _, errOut := runCLI(t, "import", "return", book, "--db", db)
	if code != 1 || !strings.Contains(errOut, "protected with a password") {
		t.Errorf("no password: exit %d %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "import", "return", book, "--db", db, "--password", "Pa55", "--dry-run")
	if code != 1 || !strings.Contains(out, "[x] Status: ") || !strings.Contains(out, "row 5") || !strings.Contains(out, `"soon" is not a date`) ||
		!strings.Contains(out, "Dry run: 1 of 1 changes would be applied") || !strings.Contains(errOut, "nothing was applied") {
		t.Errorf("dry run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "import", "return", book, "--db", db, "--password", "Pa55", "--json")
	var got struct {
		Findings []struct {
			Ref     string
			Changes []struct{ Kind, To string }
		}
		Problems []struct{ Row int }
		Applied  *struct{ Updates int }
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code != 1 || len(got.Findings) != 1 || got.Findings[0].Changes[0].To != "Complete – pending internal sign-off" ||
		len(got.Problems) != 1 || got.Applied == nil || got.Applied.Updates != 1 || !strings.Contains(errOut, "the other changes were applied") {
		t.Errorf("apply: exit %d %+v\n%s", code, got, errOut)
	}
	code, out, _ = runCLI(t, "import", "return", book, "--db", db, "--password", "Pa55")
	if !strings.Contains(out, "The return changes nothing in the register.") {
		t.Errorf("second apply: exit %d %s", code, out)
	}
}

func TestImportReportFromStdin(t *testing.T) {
	text, err := os.ReadFile("../importer/report/testdata/westshire-peel-2018-19.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	db := filepath.Join(t.TempDir(), "register.db")
	code := Run([]string{"import", "report", "-", "--db", db, "--dry-run", "--json"},
		&Env{Stdout: &out, Stderr: &errOut, Stdin: bytes.NewReader(text), Getenv: func(string) string { return "" }})
	var got reportJSON
	if code != 0 || json.Unmarshal(out.Bytes(), &got) != nil || len(got.Findings) != 10 || got.Report.Title != "Westshire Constabulary PEEL 2018/19" {
		t.Errorf("exit %d, %d findings, title %q: %s", code, len(got.Findings), got.Report.Title, errOut.String())
	}
}

// A deadline counted from publication gets its target from the date given
// with --published, and every finding carries the lines it was read from.
func TestImportReportPublishedAndSource(t *testing.T) {
	text := "Responding to the public\n\nInadequate\n\nSouthvale Police is inadequate at responding to the public.\n\n" +
		"Cause of concern\n\nThe force doesn’t answer calls quickly enough.\n\n" +
		"Recommendations\n\nWe recommend that, within six months, the force:\n\n• answers its calls within its standard; and\n\n• calls back the callers who hang up.\n"
	var out, errOut bytes.Buffer
	db := filepath.Join(t.TempDir(), "register.db")
	code := Run([]string{"import", "report", "-", "--db", db, "--dry-run", "--json", "--published", "14/10/2024"},
		&Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(text), Getenv: func(string) string { return "" }})
	var got reportJSON
	if code != 0 || json.Unmarshal(out.Bytes(), &got) != nil || len(got.Findings) != 3 {
		t.Fatalf("exit %d, %d findings: %s", code, len(got.Findings), errOut.String())
	}
	if got.Report.Published != "2024-10-14" {
		t.Errorf("published %q", got.Report.Published)
	}
	rec := got.Findings[1]
	if rec.Target != "2025-04-14" || rec.Deadline != "within six months" {
		t.Errorf("recommendation: deadline %q target %q", rec.Deadline, rec.Target)
	}
	if len(rec.Lines) != 1 || rec.Lines[0] != [2]int{15, 15} || !strings.Contains(rec.Source, "• answers its calls within its standard; and") {
		t.Errorf("recommendation's lines %v, source %q", rec.Lines, rec.Source)
	}
	if code := Run([]string{"import", "report", "-", "--db", db, "--dry-run", "--published", "2024-13-40"},
		&Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(text), Getenv: func(string) string { return "" }}); code != 2 {
		t.Errorf("a bad --published gave exit %d", code)
	}
}
