package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/testkit/pgtest"
)

// A report's life, a closure pack and update requests on a shared register:
// the life rides on the report record and the pack on a submission, so the
// server carries them as the file does.
func TestReportLifeAndPackOnASharedRegister(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dir := t.TempDir()
	kent := filepath.Join(dir, "kent.db")
	mustRun(t, "sample", "--db", kent)
	mustRun(t, "server", "init", "--db", url)
	mustRun(t, "copy", "--from", kent, "--to", url)

	out := mustRun(t, "report", "record", "--db", url, "--report", "PEEL2122", "--event", "pcc-response", "--date", "20/06/2022",
		"--link", "https://www.kent-pcc.gov.uk/peel-2021-22-response")
	if !strings.Contains(out, "PCC response published 20/06/2022") {
		t.Errorf("report record says %q", out)
	}
	if out := mustRun(t, "reports", "--db", url); strings.Contains(out, "was due") || !strings.Contains(out, "PCC response published 20/06/2022") {
		t.Errorf("reports on the server: %q", out)
	}
	pack := filepath.Join(dir, "pack.zip")
	if out := mustRun(t, "export", "pack", "--db", url, "--finding", "KEN-PEEL2122-AFI-12", "--out", pack); !strings.Contains(out, "Recorded against KEN-PEEL2122-AFI-12") {
		t.Errorf("export pack says %q", out)
	}
	if out := mustRun(t, "submissions", "--db", url); !strings.Contains(out, "closure pack (KEN-PEEL2122-AFI-12)") {
		t.Errorf("submissions: %q", out)
	}
	requests := filepath.Join(dir, "requests")
	if err := os.Mkdir(requests, 0o755); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, "export", "requests", "--db", url, "--out", requests); strings.Count(out, "Saved ") < 5 {
		t.Errorf("export requests says %q", out)
	}
}
