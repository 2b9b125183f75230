package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"improvementtracker/model"
)

// readableTheme is Fyne's own theme with the colours that carry meaning
// (overdue red, in-closure green, due-soon orange, the primary blue of
// buttons, placeholders) darkened in the light variant and lightened in the
// dark one, so that every text and chip meets WCAG 2.2 AA contrast: 4.5:1
// for text, 3:1 for large text and chips (checked by TestContrast). Fyne's
// own red, green and orange are made for icons and fills: its green on a
// light grey tile measured 1.33:1.
//
// The variant still follows the system (or FYNE_THEME), as Fyne's does.
type readableTheme struct {
	fyne.Theme
}

func newReadableTheme() fyne.Theme { return &readableTheme{theme.DefaultTheme()} }

// readableColors are the colours replaced, by variant.
var readableColors = map[fyne.ThemeVariant]map[fyne.ThemeColorName]color.Color{
	theme.VariantLight: {
		theme.ColorNameError:       color.NRGBA{0xb3, 0x26, 0x1e, 0xff},
		theme.ColorNameSuccess:     color.NRGBA{0x17, 0x70, 0x1e, 0xff},
		theme.ColorNameWarning:     color.NRGBA{0x9a, 0x4f, 0x00, 0xff},
		theme.ColorNamePrimary:     color.NRGBA{0x15, 0x65, 0xc0, 0xff},
		theme.ColorNameHyperlink:   color.NRGBA{0x15, 0x65, 0xc0, 0xff},
		theme.ColorNamePlaceHolder: color.NRGBA{0x69, 0x69, 0x69, 0xff},
		// The outline of an unticked checkbox or radio button, and of a
		// field: Fyne's measured 1.1:1 against the page, and WCAG 1.4.11
		// asks 3:1 of what shows a control is there.
		theme.ColorNameInputBorder: color.NRGBA{0x75, 0x75, 0x75, 0xff},
	},
	theme.VariantDark: {
		theme.ColorNameError:               color.NRGBA{0xff, 0x7b, 0x6e, 0xff},
		theme.ColorNameSuccess:             color.NRGBA{0x5c, 0xc8, 0x6f, 0xff},
		theme.ColorNameWarning:             color.NRGBA{0xff, 0x98, 0x00, 0xff},
		theme.ColorNamePrimary:             color.NRGBA{0x6c, 0xa6, 0xff, 0xff},
		theme.ColorNameHyperlink:           color.NRGBA{0x6c, 0xa6, 0xff, 0xff},
		theme.ColorNameForegroundOnPrimary: color.NRGBA{0x10, 0x10, 0x12, 0xff},
		theme.ColorNameInputBorder:         color.NRGBA{0x8c, 0x8c, 0x8c, 0xff},
	},
}

// Color returns the readable colour where one is set, else Fyne's.
func (t *readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if c, ok := readableColors[v][n]; ok {
		return c
	}
	return t.Theme.Color(n, v)
}

// variant is the theme variant in use.
func variant() fyne.ThemeVariant {
	if a := fyne.CurrentApp(); a != nil {
		return a.Settings().ThemeVariant()
	}
	return theme.VariantLight
}

// ragPalette gives each RAG rating its chip colour and the colour of the
// word on it, by variant. The light variant follows the common
// public-sector palette, with amber deepened so the chip stands out from a
// white page; the dark variant uses lighter fills with dark words, so the
// chips stand out from a dark page and an overdue row's tint.
var ragPalette = map[fyne.ThemeVariant]map[model.RAG][2]color.NRGBA{
	theme.VariantLight: {
		model.Red:   {{0xc4, 0x2b, 0x1c, 0xff}, {0xff, 0xff, 0xff, 0xff}},
		model.Amber: {{0xad, 0x68, 0x00, 0xff}, {0x00, 0x00, 0x00, 0xff}},
		model.Green: {{0x00, 0x70, 0x3c, 0xff}, {0xff, 0xff, 0xff, 0xff}},
		model.Blue:  {{0x1d, 0x70, 0xb8, 0xff}, {0xff, 0xff, 0xff, 0xff}},
	},
	theme.VariantDark: {
		model.Red:   {{0xf2, 0x8b, 0x82, 0xff}, {0x10, 0x10, 0x12, 0xff}},
		model.Amber: {{0xfd, 0xc0, 0x4e, 0xff}, {0x10, 0x10, 0x12, 0xff}},
		model.Green: {{0x81, 0xc9, 0x95, 0xff}, {0x10, 0x10, 0x12, 0xff}},
		model.Blue:  {{0x8a, 0xb4, 0xf8, 0xff}, {0x10, 0x10, 0x12, 0xff}},
	},
}

// ragColors are the chip colours of r in the variant in use. "Not rated"
// is a grey outline-like chip in the page's own text colour.
func ragColors(r model.RAG) (bg, fg color.Color) {
	return ragColorsFor(r, variant())
}

func ragColorsFor(r model.RAG, v fyne.ThemeVariant) (bg, fg color.Color) {
	if p, ok := ragPalette[v][r]; ok {
		return p[0], p[1]
	}
	return color.NRGBA{0x80, 0x80, 0x80, 0x28}, fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameForeground, v)
}

// overdueTint is the fill of an overdue row: the theme's red, faint.
func overdueTint(v fyne.ThemeVariant) color.NRGBA {
	r, g, b, _ := fyne.CurrentApp().Settings().Theme().Color(theme.ColorNameError, v).RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x30}
}

// The outlines of an unticked checkbox and radio button, drawn half as
// thick again as Fyne's: its 1.7-pixel line is smoothed into the page, so
// that even the input border colour measured under 2:1 on screen; a line
// of 2.5 pixels shows its own colour (see TestContrast).
var (
	checkOutline = theme.NewThemedResource(fyne.NewStaticResource("check-outline.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
			`<path d="M18 6v12H6V6h12m1-3H5c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2V5c0-1.1-.9-2-2-2z"/></svg>`)))
	radioOutline = theme.NewThemedResource(fyne.NewStaticResource("radio-outline.svg", []byte(
		`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
			`<path d="M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm0 17c-3.87 0-7-3.13-7-7s3.13-7 7-7 7 3.13 7 7-3.13 7-7 7z"/></svg>`)))
)

// Icon gives the bolder outlines; every other icon is Fyne's.
func (t *readableTheme) Icon(n fyne.ThemeIconName) fyne.Resource {
	switch n {
	case theme.IconNameCheckButton:
		return checkOutline
	case theme.IconNameRadioButton:
		return radioOutline
	}
	return t.Theme.Icon(n)
}
