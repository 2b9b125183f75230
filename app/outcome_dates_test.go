package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// TestClosingAsksWhenEachMilestoneWasDone: a milestone 160 days overdue is
// offered its due date, one not yet due today; the dates chosen are the
// ones saved, and a date after the closing is refused in words.
func TestClosingAsksWhenEachMilestoneWasDone(t *testing.T) {
	test.NewTempApp(t)
	today := model.MustDate("25/11/2026")
	late, soon := today.AddDays(-160), today.AddDays(20)
	o := newOutcomeChoices([]model.Milestone{
		{ID: 1, Title: "Overdue work", CurrentDue: late},
		{ID: 2, Title: "Work not yet due", CurrentDue: soon},
	}, nil, today)
	if got := []string{o.dates[0].Text, o.dates[1].Text}; got[0] != late.String() || got[1] != today.String() {
		t.Errorf("dates offered %q, want the overdue one's due date %s and today %s", got, late, today)
	}
	for _, s := range o.selects {
		s.SetSelected(string(model.OutcomeCompleted))
	}
	o.dates[1].SetText("20/11/2026")
	ms, err := o.settled(today)
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].Completed != late || ms[1].Completed != model.MustDate("20/11/2026") {
		t.Errorf("settled on %s and %s, want %s and 20/11/2026", ms[0].Completed, ms[1].Completed, late)
	}
	o.dates[1].SetText("30/11/2026")
	if _, err := o.settled(today); err == nil || !strings.Contains(err.Error(), "cannot have ended on 30/11/2026, after 25/11/2026") {
		t.Errorf("a date after the closing gives %v", err)
	}
	o.dates[0].SetText("")
	if _, err := o.settled(today); err == nil || !strings.Contains(err.Error(), `say when the milestone "Overdue work" ended`) {
		t.Errorf("no date gives %v", err)
	}
}

// TestMilestoneListShowsNotesAndWhoEndedIt: a milestone's notes, and who
// recorded it done, are on its line in the list.
func TestMilestoneListShowsNotesAndWhoEndedIt(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	title, detail := widget.NewLabel(""), widget.NewLabel("")
	m := model.Milestone{Title: "Policy agreed", Notes: "Agreed at the March board; minutes on the shared drive.",
		Completed: h.u.today(), Outcome: model.OutcomeCompleted, CompletedBy: "J Smith"}
	e.milestones.showItem(m, title, detail)
	for _, want := range []string{"Notes: Agreed at the March board; minutes on the shared drive.", "Completed " + h.u.today().String() + " by J Smith"} {
		if !strings.Contains(detail.Text, want) {
			t.Errorf("the milestone's line %q lacks %q", detail.Text, want)
		}
	}
}
