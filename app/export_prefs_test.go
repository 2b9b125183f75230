package app

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"improvementtracker/model"
)

// The export screen's choices (workbook, quarter, chief officer, marking,
// folder) are there again after a restart; the password is not.
func TestExportChoicesRemembered(t *testing.T) {
	h := newHarness(t, true)
	s := h.u.exporter
	s.show(kindBriefing)
	lead := s.lead.Options[1]
	s.lead.SetSelected(lead)
	s.marking.SetSelected(string(model.OfficialSensitive))
	s.descriptor.SetText("PERSONAL")
	dir := t.TempDir()
	s.folder.SetText(dir)
	s.kind.SetSelected(kindReturn)
	s.quarter.SetSelected("Q2 2025/26")
	s.kind.SetSelected(kindBriefing)
	s.password.SetText("secret")

	// A second window on the same app is the next run: same preferences.
	u2, err := newUI(h.u.app, Options{Store: h.store, Now: h.clock.Now}, false)
	if err != nil {
		t.Fatal(err)
	}
	s2 := u2.exporter
	got := map[string]string{"workbook": s2.kind.Selected, "quarter": s2.quarter.Selected, "chief officer": s2.lead.Selected,
		"marking": s2.marking.Selected, "descriptor": s2.descriptor.Text, "folder": s2.folder.Text, "password": s2.password.Text}
	want := map[string]string{"workbook": kindBriefing, "quarter": "Q2 2025/26", "chief officer": lead,
		"marking": string(model.OfficialSensitive), "descriptor": "PERSONAL", "folder": dir, "password": ""}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s after a restart: %q, want %q", k, got[k], w)
		}
	}
}

// formLabel finds the label the form draws for text.
func formLabel(t *testing.T, o fyne.CanvasObject, text string) *canvas.Text {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if l, ok := x.(*canvas.Text); ok && l.Text == text {
			return l
		}
	}
	t.Fatalf("no label %q", text)
	return nil
}

// A field's label is greyed exactly when its box is: "Quarter" for the
// briefing, "Chief officer" for the return.
func TestExportLabelsFollowTheirFields(t *testing.T) {
	h := newHarness(t, true)
	s := h.u.exporter
	v := fyne.CurrentApp().Settings().ThemeVariant()
	th := fyne.CurrentApp().Settings().Theme()
	grey, normal := th.Color(theme.ColorNameDisabled, v), th.Color(theme.ColorNameForeground, v)
	s.show(kindReturn)
	formLabel(t, s.content, "Quarter") // drawn once, as on the screen
	for _, c := range []struct {
		kind            string
		quarter, leadTo color.Color
	}{{kindBriefing, grey, normal}, {kindReturn, normal, grey}, {kindBriefing, grey, normal}} {
		// As a person would: the radio button on the screen in view.
		s.kind.SetSelected(c.kind)
		if got := formLabel(t, s.content, "Quarter").Color; got != c.quarter {
			t.Errorf("%s: Quarter label %v, want %v (box disabled %v)", c.kind, got, c.quarter, s.quarter.Disabled())
		}
		if got := formLabel(t, s.content, "Chief officer").Color; got != c.leadTo {
			t.Errorf("%s: Chief officer label %v, want %v (box disabled %v)", c.kind, got, c.leadTo, s.lead.Disabled())
		}
	}
}
