package report

import (
	"errors"
	"fmt"
	"io"

	"github.com/ledongthuc/pdf"
)

// The bounds on the work a PDF may ask for. The PDF library follows a
// file's page tree and inflates its streams as the file says, so a file
// made to loop, to claim billions of pages or to inflate to gigabytes
// would hang the app or exhaust its memory. The tree is therefore walked
// here, once, with its depth and size counted, and every stream a page's
// text is read from is inflated here first, against a cap, before the
// library is let at it.
const (
	// MaxPDFPages is the most pages a report's PDF may have. Published
	// inspection reports run to a few hundred.
	MaxPDFPages = 10_000
	// maxTreeDepth is how deep the page tree may go: real files are two
	// or three levels deep; a tree that points back at itself is
	// infinitely deep.
	maxTreeDepth = 64
	// maxTreeNodes caps the entries of the page tree visited, pages and
	// their groups together, so a tree that shares a branch many times
	// over cannot multiply the work.
	maxTreeNodes = 2*MaxPDFPages + 1000
	// MaxPageStreamBytes is the most one page's content may inflate to.
	// A page of text is tens of kilobytes; each character of it becomes
	// an entry of about a hundred bytes in the library's hands, so this
	// also bounds the memory one page takes.
	MaxPageStreamBytes = 2 << 20
	// maxFontMapBytes is the most one font's character map may inflate to.
	maxFontMapBytes = 1 << 20
	// MaxPDFInflateBytes is the most all the streams read may inflate to
	// together, which bounds the time spent inflating.
	MaxPDFInflateBytes = 512 << 20
)

// errPDFTree is the refusal of a page tree that loops.
var errPDFTree = errors.New("the PDF's list of pages goes round in a circle (a page or group of pages contains itself), so its pages cannot be found; it was not read. Open it, copy the text and paste it instead")

// pdfBudget counts what reading one PDF has inflated so far.
type pdfBudget struct {
	inflated int64
}

// pdfPages lists the pages of the PDF in order, walking its page tree
// once: the library's own Page(i) walks it from the top for every page,
// which takes time in the square of the pages, and follows a loop for
// ever.
func pdfPages(rd *pdf.Reader) ([]pdf.Page, error) {
	root := rd.Trailer().Key("Root").Key("Pages")
	if root.Key("Type").Name() == "Page" {
		return []pdf.Page{{V: root}}, nil
	}
	var pages []pdf.Page
	nodes := 0
	var walk func(node pdf.Value, depth int) error
	walk = func(node pdf.Value, depth int) error {
		if depth > maxTreeDepth {
			return errPDFTree
		}
		kids := node.Key("Kids")
		for i := range kids.Len() {
			if nodes++; nodes > maxTreeNodes {
				return tooManyPages()
			}
			kid := kids.Index(i)
			switch kid.Key("Type").Name() {
			case "Pages":
				if err := walk(kid, depth+1); err != nil {
					return err
				}
			case "Page":
				if len(pages) == MaxPDFPages {
					return tooManyPages()
				}
				pages = append(pages, pdf.Page{V: kid})
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

func tooManyPages() error {
	return fmt.Errorf("the PDF has more than %d pages, far more than a report: it was not read. If it is a genuine report, save the part with the findings as its own PDF, or copy its text and paste it", MaxPDFPages)
}

// checkPage makes sure the library can read page n (counted from 1)
// within bounds: the chain of parents it searches for the page's
// resources ends, and its content and the
// character maps of its fonts inflate to no more than their caps.
func (b *pdfBudget) checkPage(page pdf.Page, n int) error {
	// The library looks for a page's resources up its chain of parents,
	// as far as the first that has them: the same walk, counted.
	v := page.V
	for depth := 0; !v.IsNull() && v.Key("Resources").IsNull(); depth++ {
		if depth > maxTreeDepth {
			return errPDFTree
		}
		v = v.Key("Parent")
	}
	var content int64
	contents := page.V.Key("Contents")
	streams := []pdf.Value{contents}
	if contents.Kind() == pdf.Array {
		streams = streams[:0]
		for i := range contents.Len() {
			streams = append(streams, contents.Index(i))
		}
	}
	for _, s := range streams {
		if s.Kind() != pdf.Stream {
			continue
		}
		size, err := b.inflate(s, MaxPageStreamBytes-content)
		if err != nil {
			return err
		}
		if content += size; content > MaxPageStreamBytes {
			return fmt.Errorf("page %d of the PDF unpacks to more than %d MB, far more than a page of text: it was not read. It may have been made to exhaust the computer's memory; if it is a genuine report, copy its text and paste it instead", n, MaxPageStreamBytes>>20)
		}
	}
	fonts := page.Resources().Key("Font")
	for _, name := range fonts.Keys() {
		cmap := fonts.Key(name).Key("ToUnicode")
		if cmap.Kind() != pdf.Stream {
			continue
		}
		size, err := b.inflate(cmap, maxFontMapBytes)
		if err != nil {
			return err
		}
		if size > maxFontMapBytes {
			return fmt.Errorf("a font on page %d of the PDF has a character map that unpacks to more than %d MB, far more than any font's: it was not read. Copy its text and paste it instead", n, maxFontMapBytes>>20)
		}
	}
	return nil
}

// inflate reads stream s to its end or to just past limit bytes, and
// returns how many bytes it gave, counting them against the budget.
func (b *pdfBudget) inflate(s pdf.Value, limit int64) (int64, error) {
	rc := s.Reader()
	defer rc.Close()
	n, err := io.Copy(io.Discard, io.LimitReader(rc, limit+1))
	b.inflated += n
	if b.inflated > MaxPDFInflateBytes {
		return n, fmt.Errorf("the PDF unpacks to more than %d MB, far more than a report: it was not read. It may have been made to exhaust the computer's memory; if it is a genuine report, copy its text and paste it instead", MaxPDFInflateBytes>>20)
	}
	if err != nil {
		// The library reports a stream it cannot inflate when it reads
		// it, in its own words; said here in ours.
		return n, errors.New("the PDF is damaged: a part of a page cannot be unpacked; copy its text and paste it instead")
	}
	return n, nil
}
