package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/charmap"

	"improvementtracker/internal/infile"
)

// MaxFileBytes caps a report file read from disk. Published PEEL reports
// are a few megabytes; a larger file is most likely a scan, which holds
// pictures of text rather than text.
const MaxFileBytes = 64 << 20

// ReadFile returns the text of a report file: a .txt file as it is, a .pdf
// file with its text extracted, a saved web page (.html, .htm) read through
// an HTML parser. Other files are refused with a plain
// message.
func ReadFile(path string) (string, error) {
	// Only a regular file is read, and its size is known first: a device
	// or a pipe given by mistake would never end or never start.
	b, err := infile.Read(path, "the report", MaxFileBytes)
	if err != nil {
		return "", err
	}
	return Decode(filepath.Base(path), b)
}

// Decode returns the text of a report file's bytes, by its name and its
// content: PDF files start with "%PDF".
func Decode(name string, b []byte) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case bytes.HasPrefix(b, []byte("%PDF")):
		text, err := PDFText(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return text, nil
	case ext == ".pdf":
		return "", fmt.Errorf("%s is named as a PDF but is not one", name)
	case ext == ".html" || ext == ".htm" || ext == ".xhtml" || isHTML(b):
		text, err := HTMLText(b)
		if err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		if len(text) > MaxInputBytes {
			return "", fmt.Errorf("%s holds more text than a report can (over %d MB)", name, MaxInputBytes>>20)
		}
		return text, nil
	case ext == ".docx" || ext == ".doc" || ext == ".odt" || ext == ".xlsx" || bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return "", fmt.Errorf("%s is a word-processor or spreadsheet file; save the report as plain text (.txt), PDF or a web page (.html), or copy its text and paste it", name)
	}
	if len(b) > MaxInputBytes {
		return "", fmt.Errorf("%s is %.1f MB, more than the %d MB a report's text can be", name, float64(len(b))/(1<<20), MaxInputBytes>>20)
	}
	if !utf8.Valid(b) {
		b = fromWindows1252(b)
	}
	return string(b), nil
}

// fromWindows1252 reads text saved in the Windows-1252 code page, as
// Notepad on older Windows does: the bytes 0x80 to 0x9F are its curly
// quotes, dashes, euro sign and the rest, the others Latin-1.
func fromWindows1252(b []byte) []byte {
	// The decoder maps every byte (the five Windows leaves undefined
	// become U+FFFD), so it cannot fail.
	out, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return out
}

// ErrNoText is returned for a PDF with no text in it, such as a scan.
var ErrNoText = errors.New("the PDF has no text in it (it may be a scan); open it, copy the text and paste it instead")

// PDFText extracts a PDF's text line by line, with a blank line where the
// gap between lines shows a new paragraph and a form feed between pages,
// which is what the report parser expects of extracted text.
func PDFText(r io.ReaderAt, size int64) (text string, err error) {
	// The PDF library panics on some damaged files; a damaged file must
	// give a message, never stop the app.
	defer func() {
		if p := recover(); p != nil {
			text, err = "", fmt.Errorf("the PDF is damaged or uses features that cannot be read (%v); copy its text and paste it instead", p)
		}
	}()
	rd, err := pdf.NewReader(r, size)
	if err != nil {
		if strings.Contains(strings.ToLower(err.Error()), "encrypt") || strings.Contains(strings.ToLower(err.Error()), "password") {
			return "", errors.New("the PDF is protected with a password; open it, copy the text and paste it instead")
		}
		return "", fmt.Errorf("the PDF cannot be read (%v); copy its text and paste it instead", err)
	}
	pages, err := pdfPages(rd)
	if err != nil {
		return "", err
	}
	var out strings.Builder
	var budget pdfBudget
	for i, page := range pages {
		if err := budget.checkPage(page, i+1); err != nil {
			return "", err
		}
		writePage(&out, dropLineEnds(page, page.Content().Text))
		out.WriteString("\f\n")
		if out.Len() > MaxInputBytes {
			return "", fmt.Errorf("the PDF holds more text than a report can (over %d MB)", MaxInputBytes>>20)
		}
	}
	if strings.TrimSpace(strings.ReplaceAll(out.String(), "\f", "")) == "" {
		return "", ErrNoText
	}
	return out.String(), nil
}

// dropLineEnds removes the character the PDF library adds after each run
// of positioned text: it passes a line feed through the font's encoding, so
// a font whose code 10 is a letter (LibreOffice's subset fonts map it to
// whatever glyph came tenth) gains that letter at the end of every run. It
// is told from a real letter by where the next character is: a real letter
// is followed on the same line right after it, the added one by a jump to
// the next run.
func dropLineEnds(page pdf.Page, texts []pdf.Text) []pdf.Text {
	added := map[string]string{}
	for _, name := range page.Fonts() {
		f := page.Font(name)
		base := f.BaseFont()
		if i := strings.Index(base, "+"); i >= 0 {
			base = base[i+1:]
		}
		if enc := f.Encoder(); enc != nil {
			added[base] = enc.Decode("\n")
		} else {
			added[base] = "\n"
		}
	}
	out := texts[:0:0]
	for k, t := range texts {
		if t.S == "\n" {
			continue
		}
		if nl, ok := added[t.Font]; ok && nl != "" && t.S == nl {
			if k+1 == len(texts) {
				continue
			}
			next := texts[k+1]
			sameLine := math.Abs(next.Y-t.Y) < 0.5*math.Max(t.FontSize, 1)
			adjacent := math.Abs(next.X-(t.X+t.W)) < 0.5*math.Max(t.W, 1)
			if !sameLine || !adjacent {
				continue
			}
		}
		out = append(out, t)
	}
	return out
}

// writePage writes one page's characters as lines of text, top to bottom.
func writePage(out *strings.Builder, texts []pdf.Text) {
	type line struct {
		y, size float64
		chars   []pdf.Text
	}
	var lines []*line
	// Characters of one line share a baseline; PDF writers emit them in
	// order, but not always, so they are grouped by height.
	byY := map[int]*line{}
	for _, t := range texts {
		if t.S == "" {
			continue
		}
		key := int(math.Round(t.Y * 2))
		l := byY[key]
		if l == nil {
			l = byY[key+1]
		}
		if l == nil {
			l = byY[key-1]
		}
		if l == nil {
			l = &line{y: t.Y, size: t.FontSize}
			byY[key] = l
			lines = append(lines, l)
		}
		l.chars = append(l.chars, t)
		if t.FontSize > l.size {
			l.size = t.FontSize
		}
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].y > lines[j].y })
	prevY, prevSize := math.NaN(), 0.0
	for _, l := range lines {
		sort.SliceStable(l.chars, func(i, j int) bool { return l.chars[i].X < l.chars[j].X })
		if !math.IsNaN(prevY) {
			gap := prevY - l.y
			size := math.Max(prevSize, l.size)
			if size <= 0 {
				size = 10
			}
			// Lines are set about 1.2 font sizes apart; a gap well over
			// that is a paragraph break.
			if gap > 1.75*size {
				out.WriteString("\n")
			}
		}
		var b strings.Builder
		end := math.NaN()
		runX, runN := math.NaN(), 0
		for _, c := range l.chars {
			size := math.Max(c.FontSize, 1)
			gap := c.X - end
			if c.W == 0 {
				// The library gives no widths for some fonts (the CID
				// fonts Chromium writes): every character of a run then
				// has the run's position. A run is taken to reach at most
				// one font size per character, so that only a real gap
				// (a column, a table cell) makes a space: the words' own
				// spaces are characters of the run.
				if c.X == runX {
					runN++
					b.WriteString(c.S)
					continue
				}
				gap = c.X - (runX + float64(runN)*size)
				if math.IsNaN(runX) {
					gap = 0
				}
				runX, runN = c.X, 1
				if gap > 0.5*size && !strings.HasSuffix(b.String(), " ") && c.S != " " {
					b.WriteString(" ")
				}
				b.WriteString(c.S)
				end = math.NaN()
				continue
			}
			runX, runN = math.NaN(), 0
			if !math.IsNaN(end) && gap > 0.2*size && !strings.HasSuffix(b.String(), " ") && c.S != " " {
				b.WriteString(" ")
			}
			b.WriteString(c.S)
			end = c.X + c.W
		}
		out.WriteString(b.String())
		out.WriteString("\n")
		prevY, prevSize = l.y, l.size
	}
}
