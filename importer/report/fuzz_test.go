package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds the parser the fixtures and mutations of them. No input
// may panic or hang, and every finding must be usable: a type, and either
// wording or the missing-wording flag.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"kent-peel-2021-22.txt", "midshire-peel-2023-25.txt", "westshire-peel-2018-19.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		// Slices of each fixture rather than the whole: the fuzzer
		// minimises every new input it finds, and minimising an 80 KB
		// report takes longer than the whole run. The whole fixtures are
		// parsed by the golden tests.
		for off := 0; off < len(b); off += len(b) / 4 {
			f.Add(string(b[off:min(len(b), off+6000)]))
		}
	}
	for _, tc := range []string{
		"", "\f", "Area for improvement", "Areas for improvement\n\n• ", "Cause of concern\n\nRecommendations\n\n•",
		"Investigating crime\n\nGood\n\nArea for improvement 1: x", strings.Repeat("Area for improvement\n", 50),
		"Main findings\n\nIn this section\n\nThe force should\n\n", "https://a\n/b\n c",
	} {
		f.Add(tc)
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := Parse(text)
		if err != nil {
			return
		}
		for i, fd := range p.Findings {
			if fd.Type == "" {
				t.Fatalf("finding %d has no type", i)
			}
			if strings.TrimSpace(fd.Text) == "" && !fd.HasFlag(FlagWordingMissing) {
				t.Fatalf("finding %d has no wording and no flag: %+v", i, fd)
			}
			if fd.Title == "" {
				t.Fatalf("finding %d has no title", i)
			}
			if fd.Parent < 0 || fd.Parent > len(p.Findings) {
				t.Fatalf("finding %d has parent %d of %d", i, fd.Parent, len(p.Findings))
			}
			if !utf8.ValidString(fd.Text) || !utf8.ValidString(fd.Title) {
				t.Fatalf("finding %d is not valid text", i)
			}
		}
	})
}

// FuzzDecode covers the file reader: any bytes, named as a PDF or as
// text, give text or a message, never a panic.
func FuzzDecode(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "kent-peel-2021-22.pdf"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add("report.pdf", b[:min(len(b), 4096)])
	f.Add("report.txt", []byte("Area for improvement\n\nThe force should\x92s"))
	f.Add("report.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		text, err := Decode(name, data)
		if err == nil {
			if _, err := Parse(text); err != nil && len(text) <= MaxInputBytes {
				t.Fatalf("decoded text could not be parsed: %v", err)
			}
		}
	})
}

// FuzzHTML covers the web page reader: any bytes give text or a message,
// never a panic; the text is valid and parses into usable findings, none
// holding the reader's box marker.
func FuzzHTML(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "kent-peel-2021-22.html"))
	if err != nil {
		f.Fatal(err)
	}
	for off := 0; off < len(b); off += len(b) / 4 {
		f.Add(b[off:min(len(b), off+5000)])
	}
	for _, tc := range []string{
		"", "<", "<html>", "<aside><h3>Area for improvement</h3><p>x</p></aside>",
		"<ul><li><p>a</p><li>b</ul>", "<div class=box><div class=box></div></div>",
		"<script>Area for improvement</script><p>Area for improvement</p><p>\uE000</p>",
		strings.Repeat("<div>", 2000), "<table><tr><td>Good<td>Areas for improvement</table>",
	} {
		f.Add([]byte(tc))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := HTMLText(data)
		if err != nil {
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("text is not valid UTF-8")
		}
		p, err := Parse(text)
		if err != nil {
			return
		}
		for i, fd := range p.Findings {
			if fd.Type == "" || fd.Title == "" || (strings.TrimSpace(fd.Text) == "" && !fd.HasFlag(FlagWordingMissing)) {
				t.Fatalf("finding %d unusable: %+v", i, fd)
			}
			if strings.Contains(fd.Text, boxEnd) || strings.Contains(fd.Title, boxEnd) {
				t.Fatalf("finding %d holds the box marker", i)
			}
		}
	})
}
