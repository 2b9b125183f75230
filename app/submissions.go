package app

import (
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// submissionsScreen lists the returns and briefings recorded as submitted,
// newest first: what was sent, for which period and as-at date, under which
// marking, when and by whom, and the SHA-256 of the file, so that a copy
// found later can be checked against what was sent.
type submissionsScreen struct {
	u       *ui
	content fyne.CanvasObject
	list    *widget.List
	detail  *widget.Label
	empty   *widget.Label

	subs []model.Submission
}

func newSubmissionsScreen(u *ui) *submissionsScreen {
	s := &submissionsScreen{u: u}
	s.detail = widget.NewLabel("")
	s.detail.Wrapping = fyne.TextWrapWord
	s.detail.Selectable = true
	s.empty = hint("Nothing has been recorded as submitted yet. Export a return or briefing, send it, then choose " +
		"\"Record as submitted\" on the Export screen.")
	s.list = widget.NewList(
		func() int { return len(s.subs) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.subs) {
				o.(*widget.Label).SetText(submissionLine(s.subs[i]))
			}
		},
	)
	s.list.OnSelected = func(i widget.ListItemID) {
		if i < len(s.subs) {
			s.detail.SetText(submissionDetail(s.subs[i]))
		}
	}
	top := container.NewVBox(heading("Submissions"), hint("Returns and briefings as they were sent. "+
		"The next return's \"Changes since last return\" sheet compares with the latest one here."), s.empty)
	s.content = container.NewBorder(top, container.NewPadded(s.detail), nil, nil, s.list)
	return s
}

// refresh reloads the list.
func (s *submissionsScreen) refresh() {
	var subs []model.Submission
	s.u.read(func(tx model.ReadTx) (err error) {
		subs, err = tx.Submissions()
		return err
	}, func(err error) {
		if err != nil {
			s.detail.SetText("The submissions could not be read: " + err.Error())
			return
		}
		s.show(subs)
	})
}

// show lists subs, newest first.
func (s *submissionsScreen) show(subs []model.Submission) {
	slices.Reverse(subs) // newest first
	s.subs = subs
	s.list.UnselectAll()
	s.list.Refresh()
	s.detail.SetText("")
	if len(subs) == 0 {
		s.empty.Show()
	} else {
		s.empty.Hide()
	}
}

func submissionWhat(sub model.Submission) string {
	if sub.Kind == model.SubmissionPack {
		return "Closure evidence pack for " + sub.Filter
	}
	if sub.Kind == model.SubmissionBriefing {
		what := "Chief officer briefing"
		if sub.Filter != "" {
			what += " (" + sub.Filter + ")"
		}
		return what
	}
	return sub.Period.String() + " progress return"
}

func submissionLine(sub model.Submission) string {
	return fmt.Sprintf("%s, as at %s · %s · recorded %s by %s · %d rows · %s",
		submissionWhat(sub), sub.AsAt, sub.Marking, formatTime(sub.Recorded), orNone(sub.By), len(sub.Rows), sub.FileName)
}

func submissionDetail(sub model.Submission) string {
	return fmt.Sprintf("%s, as at %s\nMarking: %s\nFile: %s\nSHA-256: %s\nRecorded %s by %s; %d rows kept as sent.",
		submissionWhat(sub), sub.AsAt, sub.Marking, sub.FileName, sub.SHA256, formatTime(sub.Recorded), orNone(sub.By), len(sub.Rows))
}

func orNone(s string) string {
	if s == "" {
		return "(not recorded)"
	}
	return s
}
