package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/internal/version"
)

// aboutItem is Help → About: what a support desk asks for first (version,
// platform, where the register file is) and what an information security
// officer asks about the data.
func (u *ui) aboutItem() *fyne.MenuItem {
	return fyne.NewMenuItem("About Improvement Tracker", u.onAbout)
}

// aboutText is the About dialog's wording, one paragraph a line.
func (u *ui) aboutText() []string {
	v := u.version
	if v == "" {
		v = "not known (a development build)"
	}
	return []string{
		"Version " + v,
		"Built with " + version.Platform(),
		"Register file: " + storePath(u.store),
		"The register is kept only in that file on this computer, readable by your user account alone. " +
			"Improvement Tracker sends nothing over the network; backups are kept in the \"backups\" folder beside the file.",
	}
}

func (u *ui) onAbout() {
	name := widget.NewLabelWithStyle("Improvement Tracker", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := container.NewVBox(name)
	for _, line := range u.aboutText() {
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapWord
		body.Add(l)
	}
	var content fyne.CanvasObject = body
	if icon := u.app.Icon(); icon != nil {
		img := canvas.NewImageFromResource(icon)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(96, 96))
		content = container.NewBorder(nil, nil, container.NewVBox(img), nil, body)
	}
	d := dialog.NewCustom("About Improvement Tracker", "Close", content, u.win)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}
