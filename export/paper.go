package export

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"improvementtracker/model"
)

// The PDF papers (one finding, the register as filtered, a closure pack's
// cover) are printed in DejaVu Sans, bundled so that every character the
// register may hold (en dashes, accented names, curly quotes) prints the
// same on Windows, macOS and Linux, with no font installed and no other
// program. Its licence (Bitstream Vera, which allows bundling) is in
// fonts/LICENSE-DejaVu.txt.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// fontFamily is the name the papers give the bundled font.
const fontFamily = "DejaVu"

// Sizes of the papers' text, in points. The smallest is the page furniture
// at 8.5: every word a reader needs is at 8 points or more.
const (
	sizeBody    = 9.5
	sizeTable   = 8.5
	sizeSmall   = 8.5
	sizeHeading = 12
	sizeTitle   = 15
	sizeMarking = 10
)

// PaperOptions say what every PDF paper carries on every page.
type PaperOptions struct {
	Marking model.Marking
	// AsAt is the date the paper speaks for; zero means today by the clock.
	AsAt model.Date
	// Now is the clock: it dates the paper ("made …"). Zero means the
	// computer's clock.
	Now time.Time
}

// AsAtDate is the date the paper speaks for.
func (o PaperOptions) AsAtDate() model.Date {
	if !o.AsAt.IsZero() {
		return o.AsAt
	}
	return model.Today(clock(o.Now))
}

// paper is a PDF being written, A4, with the marking at the top and bottom
// of every page, the force and what the paper is, the as-at date, the date
// it was made and the page number. fpdf keeps its first error, so a page is
// written as a list of calls and checked once at the end.
type paper struct {
	pdf   *fpdf.Fpdf
	width float64 // usable width between the margins, in mm
}

// newPaper starts an A4 paper, landscape when wide, with its page
// furniture.
func newPaper(opts PaperOptions, force, what string, wide bool) (*paper, error) {
	if opts.Marking.Classification == "" {
		opts.Marking.Classification = model.Official
	}
	if err := checkMarking(opts.Marking); err != nil {
		return nil, err
	}
	orientation := "P"
	if wide {
		orientation = "L"
	}
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(fontFamily, "", fontRegular)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", fontBold)
	now := clock(opts.Now)
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetTitle(what+" – "+force, true)
	pdf.SetSubject(opts.Marking.String(), true)
	pdf.SetCreator("Improvement Tracker", true)
	pdf.SetMargins(15, 24, 15)
	pdf.SetAutoPageBreak(true, 22)
	pdf.AliasNbPages("{nb}")
	pw, ph := pdf.GetPageSize()
	p := &paper{pdf: pdf, width: pw - 30}
	marking := opts.Marking.String()
	asAt := "As at " + opts.AsAtDate().String()
	made := "Made " + now.Local().Format("02/01/2006 15:04")
	pdf.SetHeaderFuncMode(func() {
		pdf.SetTextColor(0, 0, 0)
		pdf.SetY(8)
		pdf.SetFont(fontFamily, "B", sizeMarking)
		pdf.CellFormat(0, 5, marking, "", 1, "C", false, 0, "")
		pdf.SetFont(fontFamily, "", sizeSmall)
		pdf.CellFormat(p.width*0.7, 5, force+" – "+what, "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, asAt, "", 1, "R", false, 0, "")
		pdf.SetDrawColor(150, 150, 150)
		pdf.Line(15, 19, pw-15, 19)
		pdf.SetY(24)
	}, true)
	pdf.SetFooterFunc(func() {
		pdf.SetTextColor(0, 0, 0)
		pdf.SetY(ph - 17)
		pdf.SetDrawColor(150, 150, 150)
		pdf.Line(15, ph-18, pw-15, ph-18)
		pdf.SetFont(fontFamily, "", sizeSmall)
		pdf.CellFormat(p.width/2, 5, made, "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, fmt.Sprintf("Page %d of {nb}", pdf.PageNo()), "", 1, "R", false, 0, "")
		pdf.SetFont(fontFamily, "B", sizeMarking)
		pdf.CellFormat(0, 5, marking, "", 1, "C", false, 0, "")
	})
	pdf.AddPage()
	return p, nil
}

// finish writes the paper to out and returns the first error met on the
// way.
func (p *paper) finish(out io.Writer) error {
	if err := p.pdf.Error(); err != nil {
		return fmt.Errorf("making the PDF: %w", err)
	}
	if err := p.pdf.Output(out); err != nil {
		return fmt.Errorf("writing the PDF: %w", err)
	}
	return nil
}

// pdfLine is the distance between lines of text of size pt, in mm.
func pdfLine(pt float64) float64 { return pt * 0.3528 * 1.3 }

// title writes the paper's title.
func (p *paper) title(s string) {
	p.pdf.SetFont(fontFamily, "B", sizeTitle)
	p.pdf.MultiCell(0, pdfLine(sizeTitle), s, "", "L", false)
	p.pdf.Ln(2)
}

// heading starts a section, on a new page when fewer than a few lines of
// it would fit on this one.
func (p *paper) heading(s string) {
	p.room(pdfLine(sizeHeading) + 4*pdfLine(sizeBody))
	p.pdf.Ln(2)
	p.pdf.SetFont(fontFamily, "B", sizeHeading)
	p.pdf.MultiCell(0, pdfLine(sizeHeading), s, "", "L", false)
	p.pdf.Ln(1)
}

// text writes paragraphs of body text; an empty text writes none.
func (p *paper) text(s, none string) {
	s = strings.TrimSpace(s)
	p.pdf.SetFont(fontFamily, "", sizeBody)
	if s == "" {
		s = none
	}
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		p.pdf.MultiCell(0, pdfLine(sizeBody), para, "", "L", false)
	}
}

// fields writes label–value pairs in two columns; empty values are left out.
func (p *paper) fields(pairs [][2]string) {
	labelW := 48.0
	for _, kv := range pairs {
		if strings.TrimSpace(kv[1]) == "" {
			continue
		}
		p.pdf.SetFont(fontFamily, "", sizeBody)
		lines := p.split(kv[1], p.width-labelW)
		p.room(float64(len(lines)) * pdfLine(sizeBody))
		p.pdf.SetFont(fontFamily, "B", sizeBody)
		p.pdf.CellFormat(labelW, pdfLine(sizeBody), kv[0], "", 0, "L", false, 0, "")
		p.pdf.SetFont(fontFamily, "", sizeBody)
		p.pdf.MultiCell(0, pdfLine(sizeBody), kv[1], "", "L", false)
	}
}

// room starts a new page when less than h mm is left on this one.
func (p *paper) room(h float64) {
	_, ph := p.pdf.GetPageSize()
	_, _, _, bottom := p.pdf.GetMargins()
	if p.pdf.GetY()+h > ph-bottom {
		p.pdf.AddPage()
	}
}

// split wraps text to a width in mm in the current font, keeping the
// line breaks it has.
func (p *paper) split(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r", ""), "\n") {
		lines := p.pdf.SplitText(para, w)
		if len(lines) == 0 {
			lines = []string{""}
		}
		out = append(out, lines...)
	}
	return out
}

// paperTable is a table whose column headings are repeated at the top of
// every page it runs onto.
type paperTable struct {
	headers []string
	widths  []float64 // fractions of the page's width, adding up to 1
}

// table writes rows under the table's headings. A row is never split
// across pages; one taller than a page (a very long text) is cut to a page
// with "…", its whole text being in the register.
func (p *paper) table(t paperTable, rows [][]string) {
	lh := pdfLine(sizeTable)
	widths := make([]float64, len(t.widths))
	for i, f := range t.widths {
		widths[i] = f * p.width
	}
	_, ph := p.pdf.GetPageSize()
	_, top, _, bottom := p.pdf.GetMargins()
	maxLines := int((ph-top-bottom)/lh) - 3
	head := func() {
		p.pdf.SetFont(fontFamily, "B", sizeTable)
		p.pdf.SetFillColor(222, 230, 240)
		cells := make([][]string, len(t.headers))
		n := 1
		for i, h := range t.headers {
			cells[i] = p.split(h, widths[i])
			n = max(n, len(cells[i]))
		}
		p.row(widths, cells, n, lh, true)
	}
	p.room(3 * lh)
	head()
	for _, r := range rows {
		p.pdf.SetFont(fontFamily, "", sizeTable)
		cells := make([][]string, len(r))
		n := 1
		for i, c := range r {
			cells[i] = p.split(c, widths[i])
			if len(cells[i]) > maxLines {
				cells[i] = append(cells[i][:maxLines-1], "…")
			}
			n = max(n, len(cells[i]))
		}
		if p.pdf.GetY()+float64(n)*lh > ph-bottom {
			p.pdf.AddPage()
			head()
			p.pdf.SetFont(fontFamily, "", sizeTable)
		}
		p.row(widths, cells, n, lh, false)
	}
	p.pdf.Ln(2)
}

// row draws one table row of n lines, its cells boxed.
func (p *paper) row(widths []float64, cells [][]string, n int, lh float64, fill bool) {
	x0, y0 := p.pdf.GetXY()
	h := float64(n) * lh
	x := x0
	p.pdf.SetDrawColor(170, 170, 170)
	for i, w := range widths {
		style := "D"
		if fill {
			style = "FD"
		}
		p.pdf.Rect(x, y0, w, h, style)
		for j, line := range cells[i] {
			p.pdf.SetXY(x, y0+float64(j)*lh)
			p.pdf.CellFormat(w, lh, line, "", 0, "L", false, 0, "")
		}
		x += w
	}
	p.pdf.SetXY(x0, y0+h)
}
