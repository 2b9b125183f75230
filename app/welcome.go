package app

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
	"improvementtracker/sample"
)

// welcomeScreen is shown on an empty register: load the sample, start
// empty, or import a report.
type welcomeScreen struct {
	u       *ui
	content fyne.CanvasObject

	sample, empty, importBtn *widget.Button
	importBox                *fyne.Container // hidden until something can import
}

func newWelcomeScreen(u *ui) *welcomeScreen {
	s := &welcomeScreen{u: u}
	title := widget.NewLabelWithStyle("Welcome to Improvement Tracker", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel("Keep the register of everything the inspectorate has asked the force to improve:\n" +
		"areas for improvement, causes of concern and recommendations, with their owners,\n" +
		"milestones, evidence and progress updates. This register is empty. How would you like to start?")
	intro.Alignment = fyne.TextAlignCenter

	s.sample = widget.NewButtonWithIcon("Load the Kent PEEL 2021/22 sample", theme.DownloadIcon(), s.onSample)
	s.sample.Importance = widget.HighImportance
	sampleHelp := widget.NewLabel("Every finding of the published Kent Police report, with example milestones and\nupdates marked as sample data. Good for a first look.")
	s.empty = widget.NewButtonWithIcon("Start an empty register", theme.ContentAddIcon(), s.onEmpty)
	emptyHelp := widget.NewLabel("Name the force and the reference prefix, then add reports and findings by hand.")
	s.importBtn = widget.NewButtonWithIcon("Import a report…", theme.FileTextIcon(), func() {
		if s.u.importReport != nil {
			s.u.importReport()
		}
	})
	importHelp := widget.NewLabel("Read the findings from the text of a published inspection report.")
	s.importBox = container.NewVBox(s.importBtn, importHelp)
	if u.importReport == nil {
		s.importBox.Hide()
	}
	for _, l := range []*widget.Label{sampleHelp, emptyHelp, importHelp} {
		l.TextStyle = fyne.TextStyle{Italic: true}
		l.Alignment = fyne.TextAlignCenter
	}
	choices := container.NewVBox(
		container.NewVBox(s.sample, sampleHelp),
		container.NewVBox(s.empty, emptyHelp),
		s.importBox,
	)
	s.content = container.NewCenter(container.NewVBox(title, intro, widget.NewSeparator(), container.NewCenter(choices)))
	return s
}

// onSample loads the Kent sample off the UI goroutine.
func (s *welcomeScreen) onSample() {
	progress := dialog.NewCustomWithoutButtons("Loading the sample",
		container.NewVBox(widget.NewLabel("Loading the Kent PEEL 2021/22 register…"), widget.NewProgressBarInfinite()), s.u.win)
	progress.Show()
	store := s.u.store
	s.u.background(func() error {
		return sample.Load(store)
	}, func(err error) {
		progress.Hide()
		if err != nil {
			if errors.Is(err, model.ErrNotEmpty) {
				s.u.showError(fmt.Errorf("the sample was not loaded because this register already holds findings. Start a new register file to try the sample"))
			} else {
				s.u.showError(fmt.Errorf("the sample could not be loaded: %w", err))
			}
			return
		}
		s.u.showTabs()
		s.u.selectTab("Register")
		s.u.changed()
	})
}

// onEmpty asks for the register's settings, then shows the empty register.
func (s *welcomeScreen) onEmpty() {
	s.u.settingsDialog(func() {
		s.u.showTabs()
		s.u.selectTab("Reports")
	})
}
