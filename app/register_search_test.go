package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/testkit/memstore"
)

// lowerCases hold upper case at every place of an eight-byte word, and
// text beyond ASCII that lower-cases to another length or not at all.
var lowerCases = []string{
	"", "A", "Z", "@[`{", "ABCDEFGH", "abcdefgh", "AbCdEfGhIjKlMnOpQrStUvWxYz", "0123456789:;<=>?@AZ[\\]^_`az{|}~\x7f",
	"\t\n\r The Force SHOULD…", "Öffentliche ÖFFENTLICHE", "O’Brien’s TEAM", "STRAẞE Straße", "İSTANBUL İstanbul",
	"ΣΊΣΥΦΟΣ", "Ǆ ǅ ǆ", "\uFFFD kept", "bad \xff byte", "cut \xe2\x80", "ABCDEFG\xc3", "ABCDEFGÖABCDEFGH",
	strings.Repeat("Mixed Case Narrative – ", 9),
}

// appendLower lower-cases exactly as strings.ToLower does, after text
// already in the buffer.
func TestAppendLowerIsToLower(t *testing.T) {
	for _, s := range lowerCases {
		for p := range 9 {
			in := strings.Repeat("X", p) + s
			if got, want := string(appendLower([]byte("kept|"), in)), "kept|"+strings.ToLower(in); got != want {
				t.Errorf("appendLower(%q) = %q, want %q", in, got, want)
			}
		}
	}
}

func FuzzAppendLower(f *testing.F) {
	for _, s := range lowerCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendLower(nil, s)), strings.ToLower(s); got != want {
			t.Errorf("appendLower(%q) = %q, want %q", s, got, want)
		}
	})
}

// The search text is what the register searched before it was written
// lower-case as it was gathered: the fields and narratives, one a line,
// lower-cased.
func TestSearchTextIsLowerCasedFields(t *testing.T) {
	f := model.Finding{Ref: "KEN-PEEL2122-AFI-01", InspectorateRef: "AFI 3", Title: "Bail and RUI", Verbatim: "The force SHOULD…",
		Interpretation: "Öffentliche O’Brien"}
	narratives := []string{"Met the TEAM.", "", "İSTANBUL – Straße"}
	where := "Westshire PEEL 2021/22 Westshire Police"
	want := strings.ToLower(strings.Join([]string{f.Ref, f.InspectorateRef, f.Title, f.Verbatim, f.Interpretation, where}, "\n") +
		"\n" + strings.Join(narratives, "\n") + "\n")
	if got := string(searchText(&f, where, narratives)); got != want {
		t.Errorf("search text\n%q\nwant\n%q", got, want)
	}
}

// Searching the register's window finds what the register found when it
// lower-cased each finding's whole text (fields and every narrative) and
// looked for each term in it: with mixed case, text beyond ASCII and
// narratives recorded out of date order, in the file store and in memory.
func TestSearchFindsAsBefore(t *testing.T) {
	for name, open := range map[string]func(t *testing.T, c *clock) model.Store{
		"file":   func(t *testing.T, c *clock) model.Store { return openStore(t, c.Now) },
		"memory": func(t *testing.T, c *clock) model.Store { return memstore.New(c.Now) },
	} {
		t.Run(name, func(t *testing.T) {
			c := newClock()
			s := open(t, c)
			if err := sample.Load(s); err != nil {
				t.Fatal(err)
			}
			c.set(c.Now().AddDate(0, 0, 10))
			marked := addSearchText(t, s)
			h := harnessOver(t, s, c, false)
			for _, q := range []string{
				"ö", "Ö", "ÖFFENTLICHE", "öffentliche", "o’brien", "O’BRIEN’S", "o'brien", "straße", "STRASSE", "istanbul",
				"İSTANBUL", "team’s", "RUI policy", "rui   POLICY", "vetting", "VETTING backlog", "–", "…", "no such words anywhere",
			} {
				want := searchedBefore(t, s, q)
				h.search(q)
				got := h.shownRefs()
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("searching %q shows %v, want %v", q, got, want)
				}
			}
			for _, q := range []string{"o’brien", "ÖFFENTLICHE", "İSTANBUL"} {
				h.search(q)
				if got := h.shownRefs(); !slices.Equal(got, []string{marked}) {
					t.Errorf("searching %q shows %v, want only %s, whose text holds it", q, got, marked)
				}
			}
		})
	}
}

// addSearchText gives the first finding in progress an interpretation and
// two progress updates, the second back-dated, in mixed case and beyond
// ASCII, and returns its reference.
func addSearchText(t *testing.T, s model.Store) string {
	t.Helper()
	var ref string
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		i := slices.IndexFunc(fs, func(f model.Finding) bool { return f.Status == model.InProgress })
		f := fs[i]
		f.Interpretation = "Öffentliche Ordnung, as the TEAM’s note puts it"
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		for _, u := range []model.Update{
			{FindingID: f.ID, Date: model.MustDate("15/11/2026"), Narrative: "Met O’Brien’s team in İSTANBUL.", Status: f.Status, RAG: model.Amber, Author: "test"},
			{FindingID: f.ID, Date: model.MustDate("01/11/2026"), Narrative: "STRAẞE Straße – checked…", Status: f.Status, RAG: model.Amber, Author: "test"},
		} {
			if err := tx.AppendUpdate(&u); err != nil {
				return err
			}
		}
		ref = f.Ref
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// searchedBefore lists, in reference order, the findings whose text
// lower-cased whole holds every term of q lower-cased.
func searchedBefore(t *testing.T, s model.Store, q string) []string {
	t.Helper()
	var out []string
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for _, f := range fs {
			us, err := tx.Updates(f.ID)
			if err != nil {
				return err
			}
			parts := []string{f.Ref, f.InspectorateRef, f.Title, f.Verbatim, f.Interpretation}
			for _, u := range us {
				parts = append(parts, u.Narrative)
			}
			text := strings.ToLower(strings.Join(parts, "\n") + "\n")
			found := true
			for _, term := range strings.Fields(strings.ToLower(q)) {
				found = found && strings.Contains(text, term)
			}
			if found {
				out = append(out, f.Ref)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestSearchFindsReportAndForce: the register's search finds findings by
// their report's title and the force's name, which their own text seldom
// holds.
func TestSearchFindsReportAndForce(t *testing.T) {
	h := newHarness(t, true)
	all := len(h.u.register.data.rows)
	h.search("Kent Police PEEL 2021/22")
	if got := len(h.shownRefs()); got != all {
		t.Errorf("searching the report's title shows %d of the %d findings from it", got, all)
	}
	h.search("Kent")
	if got := len(h.shownRefs()); got != all {
		t.Errorf("searching the force's name shows %d of its %d findings", got, all)
	}
}
