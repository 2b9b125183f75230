package cli

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
)

// updatesByRef counts each finding's progress updates.
func updatesByRef(t *testing.T, db string) map[string]int {
	t.Helper()
	s, err := bolt.Open(db, bolt.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string]int{}
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for _, f := range fs {
			us, err := tx.Updates(f.ID)
			if err != nil {
				return err
			}
			out[f.Ref] = len(us)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExportRequestsOneLeadsWorkbookAppliesOnlyTheirFindings(t *testing.T) {
	// The sample is loaded an hour ago by its store's clock: the import
	// takes an update recorded after the workbook's creation time, which
	// the file keeps to the second, for a change made in the app since,
	// and a sample loaded in the same second as the export would read so.
	dir := t.TempDir()
	db := filepath.Join(dir, "kent.db")
	earlier, err := bolt.Open(db, bolt.Options{NoBackup: true, Now: func() time.Time { return time.Now().Add(-time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	err = sample.Load(earlier)
	if cerr := earlier.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "requests")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut := runCLI(t, "export", "requests", "--db", db, "--out", folder, "--marking", "OFFICIAL-SENSITIVE")
	if code != 0 {
		t.Fatalf("export requests: exit %d, %s", code, errOut)
	}
	// One workbook per delivery lead of an open finding.
	_, list, _ := runCLI(t, "list", "--db", db, "--format", "csv", "--status", "open")
	leads := map[string][]string{}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(list, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, cells := range records[1:] {
		if cells[1] != "Innovative practice" {
			leads[cells[6]] = append(leads[cells[6]], cells[0])
		}
	}
	files, _ := os.ReadDir(folder)
	if len(files) != len(leads) || len(leads) < 5 || strings.Count(stdout, "Saved ") != len(leads) {
		t.Fatalf("%d workbooks for %d delivery leads:\n%s", len(files), len(leads), stdout)
	}
	const lead = "Superintendent, Criminal Justice"
	var book string
	for _, f := range files {
		if strings.HasSuffix(f.Name(), "– "+lead+".xlsx") && strings.HasPrefix(f.Name(), "OFFICIAL-SENSITIVE") {
			book = filepath.Join(folder, f.Name())
		}
	}
	if book == "" {
		t.Fatalf("no workbook for %s among %v", lead, files)
	}

	// Only the lead's findings are in it; the lead updates one, and
	// writes a row for a finding somebody else leads.
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Return")
	col := map[string]string{}
	for i, v := range rows[2] {
		col[v], _ = excelize.ColumnNumberToName(i + 1)
	}
	var refs []string
	for _, r := range rows[3:] {
		if len(r) > 0 && strings.HasPrefix(r[0], "KEN-") {
			refs = append(refs, r[0])
		}
	}
	if strings.Join(refs, ",") != strings.Join(leads[lead], ",") {
		t.Fatalf("the workbook holds %v; %s leads %v", refs, lead, leads[lead])
	}
	const other = "KEN-PEEL2122-AFI-04" // led by the Force Control and Incident Room
	mine := refs[0]
	_ = f.SetCellValue("Return", col["Progress this period"]+"4", "Victim withdrawal reasons now recorded in 93 percent of cases.")
	_ = f.SetCellValue("Return", col["Ref"]+"5", other)
	_ = f.SetCellValue("Return", col["Progress this period"]+"5", "Written by the wrong lead.")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()

	before := updatesByRef(t, db)
	code, stdout, errOut = runCLI(t, "import", "return", book, "--db", db)
	if code != 1 || !strings.Contains(stdout, "This is the update request sent to "+lead) ||
		!strings.Contains(stdout, other+" is led by Chief Superintendent, Force Control and Incident Room, not by "+lead) ||
		!strings.Contains(errOut, "refused") {
		t.Errorf("import: exit %d\n%s\n%s", code, stdout, errOut)
	}
	after := updatesByRef(t, db)
	for ref, n := range after {
		want := before[ref]
		if ref == mine {
			want++
		}
		if n != want {
			t.Errorf("%s has %d updates, want %d", ref, n, want)
		}
	}
}
