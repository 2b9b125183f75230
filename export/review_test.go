package export_test

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"improvementtracker/export"
	"improvementtracker/model"
)

// TestHeaderKeepsLongNamesWithinTheLimit gives the force a long name with
// an ampersand and filters the briefing to a chief officer: the page header
// and footer stay within the 255 characters a spreadsheet allows, keep the
// marking whole in the centre, and cut the force's name only as far as they
// must, never leaving half of an escaped "&&".
func TestHeaderKeepsLongNamesWithinTheLimit(t *testing.T) {
	s, _ := sampleStore(t)
	force := "The Police Service of Northern Shires, Eastern Marches & Western Isles (Joint Collaboration Unit for Protective Services and Regional Organised Crime)"
	err := s.Update(model.Actor{Who: "test"}, func(tx model.Tx) error {
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		st.ForceName = force
		return tx.SaveSettings(st)
	})
	if err != nil {
		t.Fatal(err)
	}
	marking := model.Marking{Classification: model.OfficialSensitive, Descriptor: "PERSONAL"}
	var lead model.ID
	if err := s.View(func(tx model.ReadTx) error {
		leads, err := export.ChiefOfficers(tx)
		if err != nil || len(leads) == 0 {
			t.Fatalf("no chief officers: %v", err)
		}
		lead = leads[0].ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, path := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("31/12/2025"), LeadID: lead, Marking: marking})
	_, rpath := buildReturn(t, s, export.ReturnOptions{Marking: marking})
	for _, p := range []string{path, rpath} {
		// The default name is cut to what every file system takes, the
		// marking first.
		name := filepath.Base(p)
		if len(name) > 130 || !strings.HasPrefix(name, "OFFICIAL-SENSITIVE PERSONAL – The Police Service") || !strings.HasSuffix(name, "….xlsx") {
			t.Errorf("default file name %q (%d bytes)", name, len(name))
		}
		f := openBook(t, p)
		for _, sheet := range f.GetSheetList() {
			hf, err := f.GetHeaderFooter(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for what, text := range map[string]string{"header": hf.OddHeader, "footer": hf.OddFooter} {
				if n := utf8.RuneCountInString(text); n > 255 {
					t.Errorf("%s %s is %d characters, over 255", sheet, what, n)
				}
				if !strings.Contains(text, "&C&\"Arial,Bold\"&12OFFICIAL-SENSITIVE PERSONAL&R") {
					t.Errorf("%s %s lacks the whole marking in the centre: %q", sheet, what, text)
				}
				left := text[strings.Index(text, "&L&8")+4 : strings.Index(text, "&C")]
				if !strings.HasPrefix(left, "The Police Service of Northern Shires, Eastern Marches && Western Isles") {
					t.Errorf("%s %s cuts the force's name too short: %q", sheet, what, left)
				}
				if strings.HasSuffix(strings.TrimSuffix(left, "…"), "&") && !strings.HasSuffix(left, "&&…") {
					t.Errorf("%s %s ends in a lone &: %q", sheet, what, left)
				}
			}
		}
	}
}

// TestKeyExplainsTypesStatusesAndRAG checks that a reader who does not use
// the inspectorate's terms finds each type, status and RAG value on the Key
// sheet, "Not rated" included, with its meaning beside it.
func TestKeyExplainsTypesStatusesAndRAG(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path)
	var terms []string
	for _, ty := range model.FindingTypes {
		terms = append(terms, string(ty))
	}
	for _, st := range model.Statuses {
		terms = append(terms, string(st))
	}
	for _, r := range model.RAGs {
		terms = append(terms, string(r))
	}
	terms = append(terms, "Not rated")
	for _, term := range terms {
		row := findRow(t, f, export.SheetKey, term)
		if row == 0 {
			t.Errorf("the Key does not list %q", term)
			continue
		}
		if meaning := cell(t, f, export.SheetKey, 2, row); meaning == "" {
			t.Errorf("the Key explains %q as %q", term, meaning)
		}
	}
	if got := cell(t, f, export.SheetKey, 2, findRow(t, f, export.SheetKey, "AFI")); !strings.HasPrefix(got, "Area for improvement") {
		t.Errorf("the Key explains AFI as %q", got)
	}
}

// TestReturnBeforeItsAsAtDateIsProvisional exports the quarter under way,
// whose as-at date (its last day) has not come: the user is warned and the
// Summary says the figures are provisional. A return as at today is not.
func TestReturnBeforeItsAsAtDateIsProvisional(t *testing.T) {
	s, _ := sampleStore(t)
	w, path := buildReturn(t, s, export.ReturnOptions{Period: thisQuarter})
	if len(w.Warnings) != 1 || !strings.Contains(w.Warnings[0], "31/12/2026 has not come yet") {
		t.Errorf("warnings %q, want one saying the as-at date is still to come", w.Warnings)
	}
	f := openBook(t, path)
	if got := cell(t, f, export.SheetSummary, 1, 4); !strings.HasPrefix(got, "Provisional: made on 25/11/2026, before the as-at date.") {
		t.Errorf("Summary!A4 = %q, want the provisional note", got)
	}
	if row := findRow(t, f, export.SheetSummary, export.FigureOverdue); row == 0 {
		t.Error("the Summary lost its key figures")
	}

	w, path = buildReturn(t, s, export.ReturnOptions{Period: thisQuarter, AsAt: model.MustDate("25/11/2026")})
	if len(w.Warnings) != 0 {
		t.Errorf("a return as at today warns %q", w.Warnings)
	}
	if got := cell(t, openBook(t, path), export.SheetSummary, 1, 4); got != "" {
		t.Errorf("a return as at today says %q under its caption", got)
	}
}
