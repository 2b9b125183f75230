//go:build fixtures

package report

// This file makes the web page fixture of the seed report from its text:
//
//	go test -tags fixtures -run TestMakeKentHTML ./importer/report/
//
// The page is laid out as the inspectorate's report pages are: site
// header, navigation and breadcrumbs, a contents list, then per area an h2
// heading, the grade, the boxes (aside elements holding an h3 heading and,
// per finding, an h4 title and its paragraphs) in their place, the "Main
// findings" h3 and the narrative, and a footer. Unlike the PDF's text, the
// boxes are where the page shows them, not where the PDF put them.

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMakeKentHTML(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "kent-peel-2021-22.txt"))
	if err != nil {
		t.Fatal(err)
	}
	parsed, _ := Parse(string(b))
	ps := paragraphs(string(b))

	// The paragraphs that are a finding's wording are written in its box.
	inBox := map[string]bool{}
	byArea := map[string][]Proposed{}
	for _, f := range parsed.Findings {
		inBox[foldWording(f.Title)] = true
		for _, para := range strings.Split(f.Text, "\n\n") {
			inBox[foldWording(para)] = true
		}
		byArea[f.Area] = append(byArea[f.Area], f)
	}

	var out strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&out, format, a...) }
	esc := html.EscapeString
	w(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>PEEL 2021/22 – An inspection of Kent Police - His Majesty’s Inspectorate of Constabulary and Fire &amp; Rescue Services</title>
<link rel="stylesheet" href="style.css">
<style>
body { font-family: Arial, sans-serif; max-width: 52em; margin: 0 auto; line-height: 1.45; }
.site-header, .site-footer { background: #1d3b5a; color: #fff; padding: 0.5em 1em; }
.site-header nav a, .site-footer a { color: #fff; margin-right: 1em; }
aside.box { border-left: 6px solid #1d3b5a; background: #eef2f6; padding: 0.5em 1em; margin: 1em 0; }
aside.box--ip { border-color: #3a7d44; background: #eef6ef; }
.grade { font-weight: bold; text-transform: uppercase; }
.breadcrumbs ol { list-style: none; padding: 0; } .breadcrumbs li { display: inline; }
</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}</script>
</head>
<body>
<a class="skip-link" href="#main-content">Skip to main content</a>
<div id="cookie-banner" class="cookie-banner"><p>We use cookies to collect information about how you use our website.</p><button>Accept cookies</button></div>
<header class="site-header" role="banner">
<p class="logo">His Majesty’s Inspectorate of Constabulary and Fire &amp; Rescue Services</p>
<nav aria-label="Main menu"><ul><li><a href="/">Home</a></li><li><a href="/our-work/">Our work</a></li><li><a href="/publications/">Publications</a></li><li><a href="/glossary/">Glossary</a></li></ul></nav>
<form role="search"><label>Search <input type="search" name="s"></label><button>Search</button></form>
</header>
<nav class="breadcrumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/peel-assessments/">PEEL assessments</a></li><li>Kent 2021/22</li></ol></nav>
<main id="main-content">
<h1>PEEL 2021/22 <span class="subtitle">An inspection of Kent Police</span></h1>
<nav class="contents" aria-label="Contents"><h2>Contents</h2><ol>
`)
	for _, pa := range ps {
		if knownAreas[foldArea(pa.text)] {
			w("<li><a href=\"#%s\">%s</a></li>\n", anchor(pa.text), esc(pa.text))
		}
	}
	w("</ol></nav>\n")

	open := false // a section is open
	area := ""
	inList := false
	closeList := func() {
		if inList {
			w("</ul>\n")
			inList = false
		}
	}
	glossary := 0
	for i, pa := range ps {
		t := pa.text
		kw := keywordOf(t)
		switch {
		case kw == kwAFI || kw == kwAFIs || kw == kwIP:
			// The boxes are written from the findings, once per area,
			// where the area's first box heading is.
			if i > 0 && keywordOf(ps[i-1].text) == kwNone {
				closeList()
				writeBox(&out, byArea[area], "AFI", "Area for improvement", "Areas for improvement", "box box--afi")
				writeBox(&out, byArea[area], "Innovative practice", "Innovative practice", "Innovative practice", "box box--ip")
			}
			continue
		case inBox[foldWording(t)]:
			continue
		case knownAreas[foldArea(t)] || isVictimService(t) || t == "Overall summary" || t == "Reducing crime assessment" || t == "Providing a service to the victims of crime":
			closeList()
			if open {
				w("<p class=\"back-to-top\"><a href=\"#main-content\">Back to top</a></p>\n</section>\n")
			}
			w("<section id=\"%s\">\n<h2>%s</h2>\n", anchor(t), esc(t))
			open = true
			area = t
			// The grade, as the page shows it under the heading.
			if i+1 < len(ps) {
				if _, g, _, ok := gradeIn(ps[i+1].text); ok {
					w("<p class=\"grade\">%s</p>\n", esc(string(g)))
				}
			}
		case t == "":
			continue
		case kw == kwMain:
			closeList()
			w("<h3>%s</h3>\n", esc(t))
		case pa.bullet:
			if !inList {
				w("<ul>\n")
				inList = true
			}
			w("<li>%s</li>\n", esc(stripBullet(t)))
		case isTitle(pa):
			closeList()
			w("<h4>%s</h4>\n", esc(t))
		default:
			closeList()
			p := esc(t)
			// Glossary links, as the page has them.
			for _, term := range []string{"domestic abuse", "anti-social behaviour", "vulnerability"} {
				if k := strings.Index(p, term); k >= 0 && glossary%3 == 0 {
					p = p[:k] + `<a href="/glossary/` + strings.ReplaceAll(term, " ", "-") + `/" class="glossary">` + term + `</a>` + p[k+len(term):]
					break
				}
			}
			glossary++
			w("<p>%s</p>\n", p)
		}
	}
	closeList()
	if open {
		w("</section>\n")
	}
	w(`</main>
<footer class="site-footer" role="contentinfo">
<ul><li><a href="/accessibility/">Accessibility</a></li><li><a href="/privacy/">Privacy notice</a></li><li><a href="/contact/">Contact us</a></li></ul>
<p>© Crown copyright</p>
</footer>
</body>
</html>
`)
	if err := os.WriteFile(filepath.Join("testdata", "kent-peel-2021-22.html"), []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeBox writes an area's findings of one type as a box.
func writeBox(out *strings.Builder, fs []Proposed, typ, one, many, class string) {
	var mine []Proposed
	for _, f := range fs {
		if string(f.Type) == typ {
			mine = append(mine, f)
		}
	}
	if len(mine) == 0 {
		return
	}
	head := one
	if len(mine) > 1 {
		head = many
	}
	fmt.Fprintf(out, "<aside class=\"%s\">\n<h3>%s</h3>\n", class, head)
	for _, f := range mine {
		fmt.Fprintf(out, "<h4>%s</h4>\n", html.EscapeString(f.Title))
		for _, p := range strings.Split(f.Text, "\n\n") {
			fmt.Fprintf(out, "<p>%s</p>\n", html.EscapeString(p))
		}
	}
	out.WriteString("</aside>\n")
}

func anchor(s string) string {
	return strings.Trim(strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 32
		}
		return '-'
	}, s), "-")
}

// TestMakePrintSources writes, from the web page fixture, the two sources
// that testdata/pdf/make.sh prints to PDF the way the inspectorate lays
// out its reports: a print page for Chromium (a two-column cover, a
// running title at the top of every page and the web address at the foot,
// boxes drawn as boxes, notes at the end of a section, each area on a new
// page) and a flat OpenDocument file for LibreOffice (a two-column cover,
// running header, footer with page numbers, bordered boxes, and real
// footnotes at the foot of the page).
func TestMakePrintSources(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "kent-peel-2021-22.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	dir := os.Getenv("PRINT_DIR")
	if dir == "" {
		t.Skip("set PRINT_DIR to the folder to write to (make.sh does)")
	}

	// Chromium: print styles, a cover and notes added to the page.
	cover := `<div class="cover"><div class="cover-left"><p class="cover-kicker">PEEL 2021/22</p><p class="cover-title">Police effectiveness, efficiency and legitimacy</p><p class="cover-force">An inspection of Kent Police</p></div><div class="cover-right"><p>Contents</p><p>Overall summary 1</p><p>Crime data integrity 7</p><p>Investigating crime 16</p><p>Protecting vulnerable people 20</p></div></div>`
	print := `<style media="print">
@page { size: A4; margin: 22mm 18mm 20mm 18mm; }
.running-head { position: fixed; top: -14mm; left: 0; right: 0; font-size: 8pt; color: #555; }
.running-foot { position: fixed; bottom: -12mm; left: 0; right: 0; font-size: 8pt; color: #555; }
section { break-before: page; }
.cover { columns: 2; column-gap: 12mm; height: 240mm; break-after: page; }
.cover-title { font-size: 22pt; } .cover-kicker, .cover-force { font-size: 16pt; }
aside.box { break-inside: avoid; }
.note { font-size: 8pt; border-top: 1px solid #999; }
nav.contents, .site-header, .site-footer, .breadcrumbs, .cookie-banner, .skip-link { display: none; }
</style>
</head>`
	running := `<div class="running-head">PEEL 2021/22 – An inspection of Kent Police</div><div class="running-foot">www.justiceinspectorates.gov.uk/hmicfrs</div>` + cover
	out := strings.Replace(page, "</head>", print, 1)
	out = strings.Replace(out, `<main id="main-content">`, `<main id="main-content">`+running, 1)
	// Notes at the end of three sections, as footnotes print.
	n := 0
	out = replaceEach(out, `<p class="back-to-top">`, func() string {
		n++
		if n%4 != 1 {
			return `<p class="back-to-top">`
		}
		return fmt.Sprintf(`<p class="note"><sup>%d</sup> Figures are those the force gave us during the inspection.</p><p class="back-to-top">`, n/4+1)
	})
	if err := os.WriteFile(filepath.Join(dir, "kent-print.html"), []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}

	// LibreOffice: a flat OpenDocument text built from the page's text.
	text, err := HTMLText(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kent.fodt"), []byte(fodt(text)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func replaceEach(s, old string, with func() string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(with())
		s = s[i+len(old):]
	}
}

// fodt lays the report's paragraphs out as a flat OpenDocument text.
func fodt(text string) string {
	esc := html.EscapeString
	var body strings.Builder
	body.WriteString(`<text:section text:style-name="Cover" text:name="Cover">` +
		`<text:p text:style-name="CoverTitle">PEEL 2021/22</text:p>` +
		`<text:p text:style-name="CoverTitle">Police effectiveness, efficiency and legitimacy</text:p>` +
		`<text:p text:style-name="CoverTitle">An inspection of Kent Police</text:p>` +
		`<text:p text:style-name="P">Contents</text:p><text:p text:style-name="P">Overall summary 1</text:p>` +
		`<text:p text:style-name="P">Crime data integrity 7</text:p><text:p text:style-name="P">Investigating crime 16</text:p>` +
		`</text:section>`)
	inBox := false
	notes := 0
	paras := strings.Split(text, "\n\n")
	for i, p := range paras {
		p = strings.TrimSpace(p)
		if p == "" || i == 0 {
			continue // the page's title is on the cover
		}
		kw := keywordOf(p)
		style := "P"
		switch {
		case p == boxEnd:
			inBox = false
			continue
		case knownAreas[foldArea(p)] || isVictimService(p) || p == "Overall summary" || p == "Reducing crime assessment":
			style = "H2"
		case kw == kwAFI || kw == kwAFIs || kw == kwIP || kw == kwCause:
			inBox = true
			style = "BoxHead"
		case kw == kwMain:
			style = "H3"
		case inBox && isTitle(para{text: p}):
			style = "BoxTitle"
		case inBox:
			style = "Box"
		case isTitle(para{text: p}):
			style = "H4"
		}
		content := esc(p)
		if strings.HasPrefix(p, "• ") {
			content = esc(strings.TrimPrefix(p, "• "))
			body.WriteString(`<text:list text:style-name="L"><text:list-item><text:p text:style-name="` + style + `">` + content + `</text:p></text:list-item></text:list>`)
			continue
		}
		if style == "P" && strings.Contains(p, "percent") && notes < 6 {
			// A footnote, as the report gives its sources.
			notes++
			content += fmt.Sprintf(`<text:note text:id="n%d" text:note-class="footnote"><text:note-citation>%d</text:note-citation><text:note-body><text:p text:style-name="Footnote">Figures are those the force gave us during the inspection.</text:p></text:note-body></text:note>`, notes, notes)
		}
		body.WriteString(`<text:p text:style-name="` + style + `">` + content + `</text:p>`)
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:styles>
<style:style style:name="Standard" style:family="paragraph"><style:text-properties style:font-name="Liberation Sans" fo:font-size="11pt"/></style:style>
<style:style style:name="P" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:margin-bottom="0.25cm"/></style:style>
<style:style style:name="H2" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:break-before="page" fo:margin-bottom="0.4cm"/><style:text-properties fo:font-size="18pt" fo:font-weight="bold"/></style:style>
<style:style style:name="H3" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:margin-top="0.4cm" fo:margin-bottom="0.3cm"/><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>
<style:style style:name="H4" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.2cm"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="BoxHead" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:background-color="#dde6ef" fo:border-left="0.2cm solid #1d3b5a" fo:padding="0.2cm" fo:margin-top="0.3cm"/><style:text-properties fo:font-size="13pt" fo:font-weight="bold"/></style:style>
<style:style style:name="BoxTitle" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:background-color="#eef2f6" fo:border-left="0.2cm solid #1d3b5a" fo:padding="0.2cm"/><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="Box" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:background-color="#eef2f6" fo:border-left="0.2cm solid #1d3b5a" fo:padding="0.2cm" fo:margin-left="0cm" fo:margin-right="1.5cm"/><style:text-properties fo:font-size="10pt"/></style:style>
<style:style style:name="CoverTitle" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="22pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="8pt"/></style:style>
<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="8pt"/></style:style>
</office:styles>
<office:automatic-styles>
<style:style style:name="Cover" style:family="section"><style:section-properties><style:columns fo:column-count="2" fo:column-gap="1cm"/></style:section-properties></style:style>
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/><style:header-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-bottom="0.4cm"/></style:header-style><style:footer-style><style:header-footer-properties fo:min-height="0.8cm" fo:margin-top="0.4cm"/></style:footer-style></style:page-layout>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p text:style-name="Header">PEEL 2021/22 – An inspection of Kent Police</text:p></style:header>
<style:footer><text:p text:style-name="Header"><text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
</style:master-page></office:master-styles>
<office:body><office:text>` + body.String() + `</office:text></office:body></office:document>
`
}
