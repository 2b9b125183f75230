package app

import (
	"fmt"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// luminance is a colour's relative luminance (WCAG 2.2).
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	r, g, b := n.R, n.G, n.B
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
}

// contrast is the WCAG contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over lays c (which may be translucent) on an opaque background.
func over(c, bg color.Color) color.Color {
	f := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(f.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{mix(f.R, b.R), mix(f.G, b.G), mix(f.B, b.B), 0xff}
}

// TestContrast computes, from the theme's own colours, the contrast of
// every pair of text and background, and of chip and page, that the
// window uses, in the light and the dark variant, and holds each to WCAG
// 2.2 AA: 4.5:1 for text, 3:1 for chips against what they sit on.
func TestContrast(t *testing.T) {
	a := test.NewTempApp(t)
	th := newReadableTheme()
	a.Settings().SetTheme(th)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		name := map[fyne.ThemeVariant]string{theme.VariantLight: "light", theme.VariantDark: "dark"}[v]
		col := func(n fyne.ThemeColorName) color.Color {
			return over(th.Color(n, v), th.Color(theme.ColorNameBackground, v))
		}
		bg := col(theme.ColorNameBackground)
		tint := over(overdueTint(v), bg)
		pages := map[string]color.Color{
			"page":        bg,
			"input":       col(theme.ColorNameInputBackground),
			"header":      col(theme.ColorNameHeaderBackground),
			"overdue row": tint,
			"menu":        col(theme.ColorNameMenuBackground),
			"dialog":      col(theme.ColorNameOverlayBackground),
		}
		check := func(what string, fg, back color.Color, min float64) {
			t.Helper()
			if r := contrast(fg, back); r < min {
				t.Errorf("%s theme: %s is %.2f:1, needs %.1f:1", name, what, r, min)
			}
		}
		// Text on every surface it appears on.
		for _, p := range []string{"page", "input", "header", "overdue row", "menu", "dialog"} {
			check("text on the "+p, col(theme.ColorNameForeground), pages[p], 4.5)
		}
		for _, p := range []string{"page", "input", "overdue row"} {
			check("red text (days overdue, problems) on the "+p, col(theme.ColorNameError), pages[p], 4.5)
		}
		for _, p := range []string{"page", "input"} {
			check("green text (in closure) on the "+p, col(theme.ColorNameSuccess), pages[p], 4.5)
			check("orange text (due soon) on the "+p, col(theme.ColorNameWarning), pages[p], 4.5)
			check("blue text (selected tab, links) on the "+p, col(theme.ColorNamePrimary), pages[p], 4.5)
		}
		check("a placeholder in a field", col(theme.ColorNamePlaceHolder), pages["input"], 4.5)
		check("text on a main button", th.Color(theme.ColorNameForegroundOnPrimary, v), col(theme.ColorNamePrimary), 4.5)
		check("text on a danger button", th.Color(theme.ColorNameForegroundOnError, v), col(theme.ColorNameError), 4.5)
		check("text on a warning button", th.Color(theme.ColorNameForegroundOnWarning, v), col(theme.ColorNameWarning), 4.5)
		check("text on a success button", th.Color(theme.ColorNameForegroundOnSuccess, v), col(theme.ColorNameSuccess), 4.5)
		// RAG chips: the word on the chip, and the chip on what it sits on
		// (the register's rows, tinted when overdue, and the dashboard's
		// tiles).
		for _, r := range model.RAGs {
			fill, word := ragColorsFor(r, v)
			check(fmt.Sprintf("the word on the %s chip", r), word, fill, 4.5)
			for _, p := range []string{"page", "input", "overdue row"} {
				check(fmt.Sprintf("the %s chip on the %s", r, p), fill, pages[p], 3)
			}
		}
		// An unticked checkbox or radio button is its outline, drawn in
		// the input border colour over its input-coloured fill, on the
		// page, a dialog or a form: WCAG 1.4.11 asks 3:1 of it against
		// both.
		for _, p := range []string{"page", "input", "dialog", "menu", "header"} {
			check("an unticked checkbox's or radio button's outline on the "+p, col(theme.ColorNameInputBorder), pages[p], 3)
		}
		// Ticked, it is the primary colour; a radio's dot is the primary
		// colour inside a foreground ring.
		for _, p := range []string{"page", "dialog"} {
			check("a ticked checkbox on the "+p, col(theme.ColorNamePrimary), pages[p], 3)
			check("a chosen radio button's ring on the "+p, col(theme.ColorNameForeground), pages[p], 3)
		}
		fill, word := ragColorsFor("", v)
		for _, p := range []string{"page", "overdue row"} {
			check("the words Not rated on the "+p, word, over(fill, pages[p]), 4.5)
		}
	}
}

// TestCheckboxOutlineAsDrawn draws an unticked checkbox and radio button
// with the theme, in both variants, and measures the darkest (light theme)
// or lightest (dark theme) pixel of their outline against the page: what
// the eye sees, after the line is smoothed, is 3:1 or better.
func TestCheckboxOutlineAsDrawn(t *testing.T) {
	a := test.NewTempApp(t)
	th := newReadableTheme()
	a.Settings().SetTheme(th)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		test.ApplyTheme(t, &variantTheme{Theme: th, v: v})
		for name, o := range map[string]fyne.CanvasObject{
			"checkbox":     widget.NewCheck("", nil),
			"radio button": widget.NewRadioGroup([]string{""}, nil),
		} {
			w := test.NewWindow(o)
			w.Resize(fyne.NewSize(60, 60))
			img := w.Canvas().Capture()
			bg := th.Color(theme.ColorNameBackground, v)
			best := 1.0
			b := img.Bounds()
			for y := b.Min.Y; y < b.Max.Y; y++ {
				for x := b.Min.X; x < b.Max.X; x++ {
					best = max(best, contrast(img.At(x, y), bg))
				}
			}
			if best < 3 {
				t.Errorf("variant %v: the unticked %s's outline is drawn at %.2f:1 against the page, needs 3:1", v, name, best)
			}
			w.Close()
		}
	}
}

// variantTheme is a theme fixed to one variant, to draw with.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t *variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}
