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

// TestPDFProducers reads the Kent web page printed to PDF by two
// producers, laid out as the inspectorate's PDFs are (see
// testdata/pdf/make.sh): the same 21 findings as the seed text.
func TestPDFProducers(t *testing.T) {
	want := parseFile(t, filepath.Join("testdata", "kent-peel-2021-22.txt"))
	for _, name := range []string{"kent-peel-2021-22.chromium.pdf", "kent-peel-2021-22.libreoffice.pdf"} {
		t.Run(name, func(t *testing.T) {
			text, err := ReadFile(filepath.Join("testdata", "pdf", name))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			if got.Force != "Kent Police" || got.Cycle != "2021/22" {
				t.Errorf("force, cycle = %q, %q", got.Force, got.Cycle)
			}
			if len(got.Findings) != len(want.Findings) {
				t.Fatalf("%d findings, want %d", len(got.Findings), len(want.Findings))
			}
			for i, w := range want.Findings {
				if d := sameFinding(got.Findings[i], w); d != "" {
					t.Errorf("finding %d: %s", i+1, d)
				}
			}
		})
	}
}

// TestWindows1252Text reads a plain-text report saved in Windows-1252, as
// Notepad on older Windows saves it: each of the 27 characters the code
// page puts at 0x80 to 0x9F comes out as itself (where a Latin-1 reading
// would give control characters), and the Latin-1 half as Latin-1.
func TestWindows1252Text(t *testing.T) {
	want := map[byte]rune{
		0x80: '€', 0x82: '‚', 0x83: 'ƒ', 0x84: '„', 0x85: '…', 0x86: '†', 0x87: '‡',
		0x88: 'ˆ', 0x89: '‰', 0x8A: 'Š', 0x8B: '‹', 0x8C: 'Œ', 0x8E: 'Ž',
		0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x95: '•', 0x96: '–', 0x97: '—',
		0x98: '˜', 0x99: '™', 0x9A: 'š', 0x9B: '›', 0x9C: 'œ', 0x9E: 'ž', 0x9F: 'Ÿ',
		0xA3: '£', 0xE9: 'é', 0xFF: 'ÿ',
	}
	if n := len(want) - 3; n != 27 {
		t.Fatalf("the table has %d of the 27 characters", n)
	}
	for b, r := range want {
		text, err := Decode("report.txt", []byte{'A', b, 'Z'})
		if err != nil {
			t.Fatal(err)
		}
		if got := []rune(text); len(got) != 3 || got[1] != r {
			t.Errorf("byte %#x read as %q, want %q", b, text, "A"+string(r)+"Z")
		}
	}
}
