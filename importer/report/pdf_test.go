package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPDF reads a PDF made from the seed text (by LibreOffice's
// "--convert-to pdf") and checks that it gives the same findings as the
// text itself.
func TestPDF(t *testing.T) {
	text, err := ReadFile(filepath.Join("testdata", "kent-peel-2021-22.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("PDFDUMP") != "" {
		os.WriteFile(os.Getenv("PDFDUMP"), []byte(text), 0o644)
	}
	fromPDF, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	fromText := parseFile(t, filepath.Join("testdata", "kent-peel-2021-22.txt"))
	if len(fromPDF.Findings) != len(fromText.Findings) {
		t.Fatalf("PDF gave %d findings, the text %d", len(fromPDF.Findings), len(fromText.Findings))
	}
	for i, want := range fromText.Findings {
		got := fromPDF.Findings[i]
		if got.Type != want.Type || got.Area != want.Area || got.Grade != want.Grade || got.Title != want.Title || got.Text != want.Text || strings.Join(got.Flags, ",") != strings.Join(want.Flags, ",") {
			t.Errorf("finding %d differs:\n PDF:  %+v\n text: %+v", i+1, got, want)
		}
	}
}
