package cli

import (
	"archive/zip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

// tool finds a program the papers are checked with, the way a reader
// would read them. CI on Linux installs them (poppler-utils is among the
// Makefile's test packages), so there a missing one is a failure.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if runtime.GOOS == "linux" {
			t.Fatalf("%s is needed to read the papers back (Debian: make deps-test installs poppler-utils)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// pdfText is a PDF's text as pdftotext reads it.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

// smallestPoints is the smallest text of a PDF, in points, from the
// heights of the word boxes pdftotext -bbox gives. For the bundled DejaVu
// Sans a word box is 1.164 times the font size (measured: 8.5, 9.5, 12
// and 15 points give 9.89, 11.05, 13.96 and 17.45).
func smallestPoints(t *testing.T, path string) (float64, int) {
	t.Helper()
	out, err := exec.Command(tool(t, "pdftotext"), "-bbox", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox %s: %v", path, err)
	}
	re := regexp.MustCompile(`<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">`)
	smallest, words := 1000.0, 0
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		y0, _ := strconv.ParseFloat(m[1], 64)
		y1, _ := strconv.ParseFloat(m[2], 64)
		smallest = min(smallest, (y1-y0)/1.164)
		words++
	}
	return smallest, words
}

func TestExportFindingAndRegisterPapers(t *testing.T) {
	dir, db := sampleRegister(t, "kent.db")
	finding := filepath.Join(dir, "finding.pdf")
	code, stdout, errOut := runCLI(t, "export", "finding", "--db", db, "--finding", "KEN-PEEL2122-AFI-08", "--format", "pdf",
		"--marking", "OFFICIAL-SENSITIVE", "--as-at", "31/12/2025", "--out", finding)
	if code != 0 {
		t.Fatalf("export finding: exit %d, %s", code, errOut)
	}
	if !strings.Contains(stdout, "Saved "+finding) {
		t.Errorf("stdout %q", stdout)
	}
	text := pdfText(t, finding)
	for _, want := range []string{"KEN-PEEL2122-AFI-08", "Domestic abuse team resourcing", "OFFICIAL-SENSITIVE", "As at 31/12/2025",
		"Page 1 of", "Made ", "The inspectorate's wording", "Milestones and their outcomes", "Progress", "Evidence"} {
		if !strings.Contains(text, want) {
			t.Errorf("the finding's PDF lacks %q", want)
		}
	}
	// The marking at the top and bottom of every page.
	pages := strings.Count(text, "\f")
	if n := strings.Count(text, "OFFICIAL-SENSITIVE"); pages == 0 || n < 2*pages {
		t.Errorf("%d markings on %d pages", n, pages)
	}

	register := filepath.Join(dir, "register.pdf")
	code, stdout, errOut = runCLI(t, "export", "register", "--db", db, "--format", "pdf", "--status", "open", "--out", register)
	if code != 0 {
		t.Fatalf("export register: exit %d, %s", code, errOut)
	}
	text = pdfText(t, register)
	var shown []string
	_, list, _ := runCLI(t, "list", "--db", db, "--format", "csv", "--status", "open")
	for _, line := range strings.Split(list, "\n")[1:] {
		if ref, _, ok := strings.Cut(strings.TrimPrefix(line, "\ufeff"), ","); ok {
			shown = append(shown, ref)
		}
	}
	if len(shown) < 10 || !strings.Contains(stdout, strconv.Itoa(len(shown))+" findings, filtered: status open") {
		t.Fatalf("list shows %d open findings; export said %q", len(shown), stdout)
	}
	for _, ref := range shown {
		if !strings.Contains(text, ref) {
			t.Errorf("the register's PDF lacks %s", ref)
		}
	}
	// Closed findings are filtered out, as list filters them.
	if strings.Contains(text, "KEN-PEEL2122-AFI-12") {
		t.Error("the open register lists the closed KEN-PEEL2122-AFI-12")
	}
	for _, pdf := range []string{finding, register} {
		pt, words := smallestPoints(t, pdf)
		if words < 100 || pt < 8 {
			t.Errorf("%s: smallest text %.1f pt over %d words; want 8 pt or more", filepath.Base(pdf), pt, words)
		}
	}

	// The same view as a workbook, and filters refused in words.
	if code, _, errOut := runCLI(t, "export", "register", "--db", db, "--format", "xlsx", "--rag", "red", "--out", filepath.Join(dir, "red.xlsx")); code != 0 {
		t.Errorf("export register --format xlsx: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "export", "register", "--db", db, "--status", "finished"); code != 2 || !strings.Contains(errOut, "is not a status") {
		t.Errorf("a bad status: exit %d, %q", code, errOut)
	}
}

// unzip extracts a zip into dir.
func unzip(t *testing.T, path, dir string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		target := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		_ = r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

func TestExportPackVerifiesWithSha256sum(t *testing.T) {
	const ref = "KEN-PEEL2122-AFI-12"
	dir, db := sampleRegister(t, "kent.db")
	// An attached file beside the sample's references.
	s, err := bolt.Open(db, bolt.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	letter := []byte("%PDF-1.4 compliance report: victim needs assessments above 90 percent\n")
	err = s.Update(context.Background(), model.Actor{Who: "Tester"}, func(tx model.Tx) error {
		f, err := tx.FindingByRef(ref)
		if err != nil {
			return err
		}
		e := model.Evidence{FindingID: f.ID, Title: "Compliance report: victim needs assessments", FileName: "VNA compliance.pdf",
			EffectiveDate: model.MustDate("30/11/2025"), Shared: true}
		return tx.AddEvidence(&e, letter)
	})
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "pack.zip")
	code, stdout, errOut := runCLI(t, "export", "pack", "--db", db, "--finding", ref, "--out", out, "--marking", "OFFICIAL-SENSITIVE")
	if code != 0 {
		t.Fatalf("export pack: exit %d, %s", code, errOut)
	}
	if !strings.Contains(stdout, "Recorded against "+ref) {
		t.Errorf("stdout %q", stdout)
	}
	x := filepath.Join(dir, "x")
	names := unzip(t, out, x)
	want := []string{"00 Cover – " + ref + ".pdf", "evidence/01 Compliance report – victim needs assessments.pdf", "manifest.sha256"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("the pack holds %q, want %q", names, want)
	}
	if b, _ := os.ReadFile(filepath.Join(x, filepath.FromSlash(want[1]))); string(b) != string(letter) {
		t.Error("the attached file in the pack is not the one attached")
	}
	check := exec.Command(tool(t, "sha256sum"), "-c", "manifest.sha256")
	check.Dir = x
	res, err := check.CombinedOutput()
	if err != nil || strings.Count(string(res), ": OK") != 2 {
		t.Errorf("sha256sum -c: %v\n%s", err, res)
	}
	cover := pdfText(t, filepath.Join(x, want[0]))
	for _, w := range []string{"Closure evidence pack", "Kent Police isn’t always completing and recording victim needs assessments",
		"Closure rationale", "Milestones and their outcomes", "Progress", "in this pack:", "OFFICIAL-SENSITIVE"} {
		if !strings.Contains(strings.Join(strings.Fields(cover), " "), w) {
			t.Errorf("the cover lacks %q", w)
		}
	}
	if pt, _ := smallestPoints(t, filepath.Join(x, want[0])); pt < 8 {
		t.Errorf("the cover's smallest text is %.1f pt", pt)
	}

	// Recorded against the finding, with the zip's SHA-256.
	zipped, _ := os.ReadFile(out)
	s, err = bolt.Open(db, bolt.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var subs []model.Submission
	var trail []model.AuditEvent
	_ = s.View(context.Background(), func(tx model.ReadTx) error {
		f, err := tx.FindingByRef(ref)
		if err != nil {
			return err
		}
		if subs, err = tx.Submissions(); err != nil {
			return err
		}
		trail, err = tx.Audit(f.ID)
		return err
	})
	if len(subs) != 1 || subs[0].Kind != model.SubmissionPack || subs[0].Filter != ref || subs[0].SHA256 != model.Digest(zipped) {
		t.Fatalf("submissions %+v", subs)
	}
	if last := trail[len(trail)-1]; !strings.Contains(last.Summary, "Closure evidence pack for "+ref) {
		t.Errorf("the finding's history ends %q", last.Summary)
	}
}
