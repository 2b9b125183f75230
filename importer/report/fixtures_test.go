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
			// The boxes are written from the findings, once per area.
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
			fs := byArea[t]
			if len(fs) == 0 {
				continue
			}
			// The grade sentence comes before the boxes.
			if i+1 < len(ps) {
				if _, g, _, ok := gradeIn(ps[i+1].text); ok {
					w("<p class=\"grade\">%s</p>\n<p>%s</p>\n", esc(string(g)), esc(ps[i+1].text))
					ps[i+1].text = ""
				}
			}
			writeBox(&out, fs, "AFI", "Area for improvement", "Areas for improvement", "box box--afi")
			writeBox(&out, fs, "Innovative practice", "Innovative practice", "Innovative practice", "box box--ip")
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
