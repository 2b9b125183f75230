package cli

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportRecordClearsThePCCClock(t *testing.T) {
	dir, db := sampleRegister(t, "kent.db")
	code, stdout, errOut := runCLI(t, "reports", "--db", db)
	if code != 0 || !strings.Contains(stdout, "PCC response was due 23/06/2022") {
		t.Fatalf("reports: exit %d, %q %q", code, stdout, errOut)
	}
	response := filepath.Join(dir, "PCC response.pdf")
	if err := os.WriteFile(response, []byte("%PDF-1.4 the commissioner's response"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, errOut = runCLI(t, "report", "record", "--db", db, "--report", "PEEL2122", "--event", "pcc-response",
		"--date", "20/06/2022", "--link", "https://www.kent-pcc.gov.uk/peel-2021-22-response", "--file", response)
	if code != 0 || !strings.Contains(stdout, "PCC response published 20/06/2022") {
		t.Fatalf("report record: exit %d, %q %q", code, stdout, errOut)
	}
	_, stdout, _ = runCLI(t, "reports", "--db", db)
	if strings.Contains(stdout, "was due") || !strings.Contains(stdout, "PCC response published 20/06/2022: https://www.kent-pcc.gov.uk/peel-2021-22-response · PCC response.pdf") {
		t.Errorf("reports after the response: %q", stdout)
	}
	// The briefing no longer lists it.
	out := filepath.Join(dir, "briefing.xlsx")
	if code, _, errOut := runCLI(t, "export", "briefing", "--db", db, "--out", out); code != 0 {
		t.Fatalf("export briefing: %s", errOut)
	}
	if f := unzipText(t, out); strings.Contains(f, "PCC responses due or overdue") {
		t.Error("the briefing still lists the PCC's response")
	}

	// A closure letter names its findings, and the report must exist.
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"--report", "PEEL2122", "--event", "closure-agreed", "--date", "01/07/2026"}, "which findings"},
		{[]string{"--report", "PEEL1999", "--event", "revisit", "--date", "01/07/2026"}, "no report has the code"},
		{[]string{"--report", "PEEL2122", "--event", "party", "--date", "01/07/2026"}, "not an event of a report's life"},
	} {
		code, _, errOut := runCLI(t, append([]string{"report", "record", "--db", db}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.says) {
			t.Errorf("%v: exit %d, %q", tc.args, code, errOut)
		}
	}
	code, stdout, errOut = runCLI(t, "report", "record", "--db", db, "--report", "PEEL2122", "--event", "closure-agreed",
		"--date", "20/01/2026", "--findings", "KEN-PEEL2122-AFI-05")
	if code != 0 || !strings.Contains(stdout, "KEN-PEEL2122-AFI-05 is closed as from 20/01/2026") {
		t.Errorf("closure letter: exit %d, %q %q", code, stdout, errOut)
	}
}

// unzipText is the text of every XML part of a workbook, where its cells'
// strings are.
func unzipText(t *testing.T, path string) string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var all strings.Builder
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		_ = r.Close()
		all.Write(b)
	}
	return all.String()
}
