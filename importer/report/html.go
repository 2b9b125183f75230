package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
)

// The web page reader. The inspectorate publishes every report as a web
// page as well as a PDF; a saved page (.html or .htm) is read through an
// HTML parser into the text the report parser reads, one paragraph per
// block, so that nothing depends on how a browser would lay it out.
//
// What it relies on:
//   - headings (h1–h6), paragraphs, list items and table cells are blocks:
//     each becomes a paragraph; a list item becomes a bullet ("• ").
//   - a box (an aside, or a div, section or details element whose class
//     names a box: "box", "callout", "panel", "highlight", "afi",
//     "area-for-improvement", "cause-of-concern", "innovative-practice",
//     "recommendation") ends where its element ends, whatever follows.
//   - page furniture is left out: script, style, template, nav, header,
//     footer, form, button, svg and iframe elements, anything with
//     role="navigation", "banner", "contentinfo" or "search", anything
//     hidden (hidden, aria-hidden="true"), and elements whose class or id
//     names a breadcrumb, skip link, cookie banner, share bar or "back to
//     top" link.
//   - the page's title (the title element) is kept as its first line, as
//     the force and cycle are often named there.

// maxHTMLDepth caps how deep the reader follows nested elements; the HTML
// parser itself stops nesting at 512.
const maxHTMLDepth = 600

var (
	// boxClass names a box in a class attribute.
	boxClass = regexp.MustCompile(`(?i)(?:^|[\s_-])(?:box|callout|panel|highlight|afi|area-for-improvement|areas-for-improvement|cause-of-concern|causes-of-concern|innovative-practice|recommendations?)(?:$|[\s_-])`)
	// furnitureClass names page furniture in a class or id.
	furnitureClass = regexp.MustCompile(`(?i)breadcrumb|skip-?link|skip-to|cookie|share|back-to-top|print-page|visually-hidden|sr-only|site-header|site-footer|govuk-header|govuk-footer`)
)

// HTMLText returns the text of a saved report web page, in the form the
// report parser reads: one paragraph per block, blank lines between.
func HTMLText(b []byte) (string, error) {
	enc, name, _ := charset.DetermineEncoding(b, "text/html")
	if name != "utf-8" && enc != nil {
		if d, err := enc.NewDecoder().Bytes(b); err == nil {
			b = d
		}
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("the web page cannot be read (%v); open it in a browser, copy the text and paste it instead", err)
	}
	w := &htmlWriter{}
	if t := findTitle(doc); t != "" {
		w.text(t)
		w.block()
	}
	w.walk(doc, 0)
	w.block()
	out := strings.ToValidUTF8(w.out.String(), "\uFFFD")
	if strings.TrimSpace(strings.ReplaceAll(out, boxEnd, "")) == "" {
		return "", fmt.Errorf("the web page has no text in it; check that it is the report's page, saved as a complete web page or as HTML only")
	}
	return out, nil
}

type htmlWriter struct {
	out  strings.Builder
	line strings.Builder // the paragraph being built
}

// text adds running text to the paragraph, white space folded.
func (w *htmlWriter) text(s string) {
	f := strings.Fields(strings.ReplaceAll(s, "\u00a0", " "))
	if len(f) == 0 {
		if w.line.Len() > 0 && len(s) > 0 {
			w.space()
		}
		return
	}
	if startsWithSpace(s) {
		w.space()
	}
	w.line.WriteString(strings.Join(f, " "))
	if endsWithSpace(s) {
		w.space()
	}
}

func (w *htmlWriter) space() {
	if w.line.Len() > 0 && !strings.HasSuffix(w.line.String(), " ") {
		w.line.WriteString(" ")
	}
}

// block ends the paragraph being built.
func (w *htmlWriter) block() {
	t := strings.TrimSpace(w.line.String())
	if t == "•" {
		// A list item whose text is in a paragraph of its own: the
		// bullet waits for it.
		return
	}
	w.line.Reset()
	if t == "" {
		return
	}
	w.out.WriteString(t)
	w.out.WriteString("\n\n")
}

// endBox marks where a box ends.
func (w *htmlWriter) endBox() {
	w.block()
	w.out.WriteString(boxEnd + "\n\n")
}

func (w *htmlWriter) walk(n *html.Node, depth int) {
	if depth > maxHTMLDepth {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
		if furniture(n) {
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	isBlock := blockElement(n)
	box := n.Type == html.ElementNode && isBox(n)
	if isBlock {
		w.block()
	}
	switch n.DataAtom {
	case atom.Li:
		w.line.WriteString("• ")
	case atom.Br:
		w.block()
	case atom.Img:
		// Charts and pictures: their alternative text is not the
		// report's wording.
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, depth+1)
	}
	switch {
	case box:
		w.endBox()
	case isBlock:
		w.block()
	case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
		w.space()
	}
}

// blockElement reports whether an element starts and ends a paragraph.
func blockElement(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Div, atom.Section,
		atom.Article, atom.Aside, atom.Blockquote, atom.Tr, atom.Dt, atom.Dd, atom.Figcaption, atom.Caption,
		atom.Details, atom.Summary, atom.Main, atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Figure, atom.Pre,
		atom.Hr, atom.Body:
		return true
	}
	return false
}

// isBox reports whether an element is a box whose end ends its wording.
func isBox(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Aside:
		return true
	case atom.Div, atom.Section, atom.Details:
		return boxClass.MatchString(attr(n, "class"))
	}
	return false
}

// furniture reports whether an element is page furniture, not report.
func furniture(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Nav, atom.Header, atom.Footer,
		atom.Form, atom.Button, atom.Svg, atom.Iframe, atom.Select, atom.Title, atom.Head, atom.Object, atom.Video, atom.Audio:
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "banner", "contentinfo", "search":
		return true
	}
	if hasAttr(n, "hidden") || strings.EqualFold(attr(n, "aria-hidden"), "true") {
		return true
	}
	return furnitureClass.MatchString(attr(n, "class")) || furnitureClass.MatchString(attr(n, "id"))
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// findTitle returns the text of the page's title element.
func findTitle(doc *html.Node) string {
	var walk func(n *html.Node, depth int) string
	walk = func(n *html.Node, depth int) string {
		if depth > maxHTMLDepth {
			return ""
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Title {
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					b.WriteString(c.Data)
				}
			}
			return strings.Join(strings.Fields(b.String()), " ")
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Body {
			return ""
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if t := walk(c, depth+1); t != "" {
				return t
			}
		}
		return ""
	}
	return walk(doc, 0)
}

func startsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n\r\f\u00a0", rune(s[0]))
}

func endsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n\r\f", rune(s[len(s)-1]))
}

// isHTML reports whether a file's bytes are a web page.
func isHTML(b []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(b[:min(len(b), 1024)]))
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	return bytes.HasPrefix(head, []byte("<!doctype html")) || bytes.HasPrefix(head, []byte("<html")) ||
		(bytes.HasPrefix(head, []byte("<")) && bytes.Contains(head, []byte("<html")))
}
