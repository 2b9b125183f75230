package sample_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
)

// now is the injected clock: the day the sample is loaded in these tests.
var now = time.Date(2026, time.November, 25, 10, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(filepath.Join(t.TempDir(), "register.db"), bolt.Options{Now: func() time.Time { return now }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		problems, err := s.Check()
		if err != nil || len(problems) > 0 {
			t.Errorf("consistency check: %v %v", problems, err)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func loaded(t *testing.T) *bolt.Store {
	t.Helper()
	s := openStore(t)
	if err := sample.Load(s); err != nil {
		t.Fatalf("loading the sample: %v", err)
	}
	return s
}

func reference(t *testing.T) string {
	t.Helper()
	for _, p := range []string{
		filepath.Join("testdata", "kent-peel-2021-22.txt"),
		filepath.Join("..", "..", "shared", "reference", "kent-peel-2021-22.txt"),
	} {
		if b, err := os.ReadFile(p); err == nil {
			return strings.Join(strings.Fields(string(b)), " ")
		}
	}
	t.Fatal("the Kent PEEL 2021/22 reference text is missing")
	return ""
}

type register struct {
	settings   model.Settings
	reports    []model.Report
	people     []model.Person
	findings   []model.Finding
	milestones []model.Milestone
	updates    []model.Update
	evidence   []model.Evidence
	audit      []model.AuditEvent
}

func read(t *testing.T, s model.Store) register {
	t.Helper()
	var r register
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		if r.settings, err = tx.Settings(); err != nil {
			return err
		}
		if r.reports, err = tx.Reports(); err != nil {
			return err
		}
		if r.people, err = tx.People(); err != nil {
			return err
		}
		if r.findings, err = tx.Findings(); err != nil {
			return err
		}
		if r.milestones, err = tx.Milestones(0); err != nil {
			return err
		}
		if r.updates, err = tx.Updates(0); err != nil {
			return err
		}
		if r.evidence, err = tx.Evidence(0); err != nil {
			return err
		}
		r.audit, err = tx.Audit(0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestLoadStoresTheReportAndEveryFinding(t *testing.T) {
	r := read(t, loaded(t))

	if r.settings.ForceName != "Kent Police" || r.settings.RefPrefix != "KEN" ||
		r.settings.DefaultMarking.String() != "OFFICIAL" || r.settings.Author != "Improvement lead" {
		t.Errorf("settings: %+v", r.settings)
	}
	if len(r.reports) != 1 {
		t.Fatalf("got %d reports, want 1", len(r.reports))
	}
	rep := r.reports[0]
	if rep.Force != "Kent Police" || rep.Type != model.PEEL || rep.Cycle != "2021/22" || rep.RefCode() != "PEEL2122" || !rep.Sample {
		t.Errorf("report: %+v", rep)
	}
	// The report's text does not state its publication date; the sample
	// takes it from the Kent PCC's list of reports and says so.
	if rep.Published != model.MustDate("28/04/2022") || rep.PCCResponseDue() != model.MustDate("23/06/2022") {
		t.Errorf("published %s, PCC response due %s; want 28/04/2022 and 23/06/2022", rep.Published, rep.PCCResponseDue())
	}
	if !strings.Contains(rep.Notes, "Police and Crime Commissioner's list") {
		t.Errorf("the report's notes do not say where the publication date comes from: %q", rep.Notes)
	}
	if !strings.Contains(rep.Notes, "Kent Police requires improvement at investigating crime.") ||
		!strings.Contains(rep.Notes, "Providing a service to the victims of crime: Not graded.") {
		t.Errorf("the report's notes do not list the judgments: %q", rep.Notes)
	}

	counts := map[string]int{}
	for _, f := range r.findings {
		counts[string(f.Type)+" | "+f.Area+" | "+string(f.Grade)]++
	}
	want := map[string]int{
		"AFI | Crime data integrity | Outstanding":                                                     1,
		"AFI | Engaging with and treating the public with fairness and respect | Good":                 1,
		"Innovative practice | Engaging with and treating the public with fairness and respect | Good": 1,
		"AFI | Preventing crime and anti-social behaviour | Good":                                      1,
		"Innovative practice | Preventing crime and anti-social behaviour | Good":                      1,
		"AFI | Responding to the public | Requires improvement":                                        4,
		"AFI | Investigating crime | Requires improvement":                                             6,
		"AFI | Protecting vulnerable people | Adequate":                                                2,
		"AFI | Managing offenders and suspects | Requires improvement":                                 3,
		"AFI | Strategic planning, organisational management and value for money | Good":               1,
	}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%s: got %d findings, want %d", k, counts[k], n)
		}
	}
	for k, n := range counts {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected %d findings: %s", n, k)
		}
	}
	if len(r.findings) != 21 {
		t.Errorf("got %d findings, want 21", len(r.findings))
	}

	ref := reference(t)
	for _, f := range r.findings {
		if !f.Sample || f.ReportID != rep.ID || f.ChiefOfficerID == 0 || f.DeliveryLeadID == 0 {
			t.Errorf("%s: sample %v, report %d, leads %d and %d", f.Ref, f.Sample, f.ReportID, f.ChiefOfficerID, f.DeliveryLeadID)
		}
		if !strings.HasPrefix(f.Ref, "KEN-PEEL2122-") {
			t.Errorf("%s: reference does not follow the register's prefix and report code", f.Ref)
		}
		if f.WordingMissing {
			continue
		}
		v := strings.Join(strings.Fields(f.Verbatim), " ")
		if v == "" || !strings.Contains(ref, v) {
			t.Errorf("%s: verbatim is not the report's text: %q", f.Ref, f.Verbatim)
		}
		if strings.Contains(f.Verbatim, "Sample") {
			t.Errorf("%s: the report's words carry a sample label", f.Ref)
		}
	}
}

// TestEmptyBoxesHaveTheirPagesWording checks the two boxes that came out
// empty in the extracted text: their wording is the last block of the
// heading's page (see the comment on findings), so no finding of the sample
// is left without wording.
func TestEmptyBoxesHaveTheirPagesWording(t *testing.T) {
	r := read(t, loaded(t))
	want := map[string]string{
		"Crime data integrity": "The force needs to improve how it collects information about the diversity of crime victims",
		"Strategic planning, organisational management and value for money": "The force needs to review how it allocates resources to ensure it can meet demand",
	}
	for _, f := range r.findings {
		if f.WordingMissing {
			t.Errorf("%s (%s): flagged wording missing", f.Ref, f.Area)
		}
		if w, ok := want[f.Area]; ok {
			if !strings.HasPrefix(f.Verbatim, w) || f.Type != model.AFI || f.Grade == "" {
				t.Errorf("%s: %s %q %q, want an AFI whose wording starts %q", f.Ref, f.Type, f.Grade, f.Verbatim, w)
			}
			delete(want, f.Area)
		}
	}
	if len(want) > 0 {
		t.Errorf("no finding under %v", want)
	}
}

func TestTheThreeNamedFindingsAreEasyToFind(t *testing.T) {
	r := read(t, loaded(t))
	cases := []struct {
		search, area, verbatim string
	}{
		{"domestic abuse team resourcing", "Investigating crime", "The force is failing to properly resource the teams that investigate domestic abuse"},
		{"bail and released under investigation (rui) policy", "Managing offenders and suspects", "The force needs to review its policy for people released on bail and while under investigation"},
		{"registered sex offender", "Managing offenders and suspects", "The force needs to review whether its operating model is hampering its ability to effectively manage registered sex offenders"},
	}
	for _, c := range cases {
		found := 0
		for _, f := range r.findings {
			if strings.Contains(strings.ToLower(f.Title), c.search) {
				found++
				if f.Area != c.area || !strings.HasPrefix(f.Verbatim, c.verbatim) || f.Type != model.AFI {
					t.Errorf("%q: %s in %q, verbatim %q", c.search, f.Ref, f.Area, f.Verbatim)
				}
			}
		}
		if found != 1 {
			t.Errorf("%q: %d findings have it in their title, want 1", c.search, found)
		}
	}
}

func TestSampleProgressIsMarkedAsSample(t *testing.T) {
	r := read(t, loaded(t))
	const label = "[Sample data] "
	for _, p := range r.people {
		if !p.Sample || p.Name != p.Role || p.Role == "" {
			t.Errorf("person %+v: want a sample role title, no invented name", p)
		}
	}
	if len(r.milestones) == 0 || len(r.updates) == 0 || len(r.evidence) == 0 {
		t.Fatalf("got %d milestones, %d updates, %d evidence", len(r.milestones), len(r.updates), len(r.evidence))
	}
	for _, m := range r.milestones {
		if !m.Sample || !strings.HasPrefix(m.Title, label) {
			t.Errorf("milestone %q is not marked as sample", m.Title)
		}
		for _, rev := range m.Revisions {
			if !strings.HasPrefix(rev.Reason, label) {
				t.Errorf("milestone revision reason %q is not marked as sample", rev.Reason)
			}
		}
	}
	for _, u := range r.updates {
		if !u.Sample || !strings.HasPrefix(u.Narrative, label) {
			t.Errorf("update %q is not marked as sample", u.Narrative)
		}
	}
	for _, e := range r.evidence {
		if !e.Sample || !strings.HasPrefix(e.Title, label) {
			t.Errorf("evidence %q is not marked as sample", e.Title)
		}
	}
	for _, f := range r.findings {
		for _, rev := range f.TargetRevisions {
			if !strings.HasPrefix(rev.Reason, label) {
				t.Errorf("%s: revision reason %q is not marked as sample", f.Ref, rev.Reason)
			}
		}
		if f.Type != model.InnovativePractice && f.ClosureRationale != "" && !strings.HasPrefix(f.ClosureRationale, label) {
			t.Errorf("%s: closure rationale %q is not marked as sample", f.Ref, f.ClosureRationale)
		}
	}
	for _, ev := range r.audit {
		if ev.Who != "Sample data" || !strings.Contains(ev.Note, "loaded the Kent PEEL 2021/22 sample") {
			t.Errorf("audit event by %q with note %q", ev.Who, ev.Note)
			break
		}
	}
}

// TestSampleShowsTheAppWorking checks that the sample has something to show
// at the two dates the brief names: the Q3 2025/26 return (as at
// 31/12/2025) and the day the tests load it.
func TestSampleShowsTheAppWorking(t *testing.T) {
	r := read(t, loaded(t))
	q3, err := model.ParseQuarter("Q3 2025/26")
	if err != nil {
		t.Fatal(err)
	}
	q3End := q3.AsAt()
	today := model.DateOf(now)

	inQ3 := 0
	for _, u := range r.updates {
		if q3.Contains(u.Date) {
			inQ3++
		}
	}
	if inQ3 < 10 {
		t.Errorf("only %d updates fall in Q3 2025/26", inQ3)
	}

	// Targets as they stood at the end of Q3: revisions recorded later are
	// not yet made.
	overdueQ3, overdueToday := 0, 0
	for _, f := range r.findings {
		if model.Overdue(f, today) {
			overdueToday++
		}
		target := f.OriginalTarget
		for _, rev := range f.TargetRevisions {
			if !model.DateOf(rev.At).After(q3End) {
				target = rev.To
			}
		}
		status := model.Status("")
		for _, u := range r.updates {
			if u.FindingID == f.ID && !u.Date.After(q3End) {
				status = u.Status
			}
		}
		g := f
		g.CurrentTarget, g.Status = target, status
		if status != "" && model.Overdue(g, q3End) {
			overdueQ3++
		}
	}
	if overdueQ3 < 2 || overdueToday < 3 {
		t.Errorf("overdue at the end of Q3: %d, today: %d; the sample should show overdue items at both", overdueQ3, overdueToday)
	}

	var proposed, closed, revised, slipped int
	for _, f := range r.findings {
		switch f.Status {
		case model.ClosureProposed:
			proposed++
			if f.ClosureRationale == "" || f.ClosureProposedDate.IsZero() {
				t.Errorf("%s: proposed for closure without rationale or date", f.Ref)
			}
		case model.Closed:
			closed++
		}
		if len(f.TargetRevisions) > 0 {
			revised++
		}
	}
	for _, m := range r.milestones {
		if model.RevisionCount(model.Finding{TargetRevisions: m.Revisions}, today) > 0 {
			slipped++
			for _, rev := range m.Revisions {
				if rev.Reason == "" || rev.AgreedBy == "" {
					t.Errorf("milestone %q: revision without reason or agreement", m.Title)
				}
			}
		}
	}
	if proposed < 1 || closed < 1 || revised < 1 || slipped < 1 {
		t.Errorf("proposed %d, closed %d, targets revised %d, milestones slipped %d: want at least one of each", proposed, closed, revised, slipped)
	}
}

func TestLoadRefusesANonEmptyRegister(t *testing.T) {
	s := loaded(t)
	before := read(t, s)
	err := sample.Load(s)
	if !errors.Is(err, model.ErrNotEmpty) {
		t.Fatalf("second load: got %v, want an error wrapping model.ErrNotEmpty", err)
	}
	want := "the register already holds 21 findings; the sample can only be loaded into an empty register"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not say %q", err.Error(), want)
	}
	after := read(t, s)
	if len(after.findings) != len(before.findings) || len(after.updates) != len(before.updates) || len(after.audit) != len(before.audit) {
		t.Errorf("a refused load changed the register")
	}
}

func TestLoadRefusesARegisterWithOneFinding(t *testing.T) {
	s := openStore(t)
	err := s.Update(context.Background(), model.Actor{Who: "Tester"}, func(tx model.Tx) error {
		if err := tx.SaveSettings(model.Settings{ForceName: "Essex Police", RefPrefix: "ESX"}); err != nil {
			return err
		}
		r := model.Report{Title: "Thematic", Type: model.Thematic}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		f := model.Finding{ReportID: r.ID, Type: model.AFI, Title: "A real finding", Verbatim: "The force should…", Status: model.NotStarted}
		return tx.SaveFinding(&f)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = sample.Load(s)
	if !errors.Is(err, model.ErrNotEmpty) || !strings.Contains(err.Error(), "already holds 1 finding;") {
		t.Fatalf("got %v", err)
	}
	if got := read(t, s).settings.ForceName; got != "Essex Police" {
		t.Errorf("a refused load changed the settings to %q", got)
	}
}

// TestSnapshotTodayHasExceptions reads the sample the way the dashboard,
// return and briefing do: as at the day it was loaded and as at the end of
// Q3 2025/26.
func TestSnapshotTodayHasExceptions(t *testing.T) {
	s := loaded(t)
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		snap, err := model.TakeSnapshot(tx, model.DateOf(now))
		if err != nil {
			return err
		}
		if len(snap.Findings) != 21 {
			t.Errorf("the snapshot holds %d findings, want 21", len(snap.Findings))
		}
		if n := len(snap.OverdueFindings()); n < 3 {
			t.Errorf("%d overdue findings, want at least 3", n)
		}
		if n := len(snap.SlippedMilestones()); n < 1 {
			t.Errorf("%d slipped milestones, want at least 1", n)
		}
		if n := len(snap.ProposedForClosure()); n < 1 {
			t.Errorf("%d findings proposed for closure, want at least 1", n)
		}
		q3, err := model.TakeSnapshot(tx, model.MustDate("31/12/2025"))
		if err != nil {
			return err
		}
		// Every finding was raised when the report was published, so the
		// Q3 return has a row for each although the sample was loaded
		// later: 19 areas for improvement and 2 innovative practices.
		tracked := 0
		for _, f := range q3.Findings {
			if f.Type.Tracked() {
				tracked++
			}
		}
		if len(q3.Findings) != 21 || tracked != 19 {
			t.Errorf("as at 31/12/2025 the snapshot holds %d findings, %d tracked; want 21 and the 19 areas for improvement", len(q3.Findings), tracked)
		}
		if n := len(q3.OverdueFindings()); n < 1 {
			t.Errorf("as at 31/12/2025: %d overdue findings, want at least 1", n)
		}
		if n := len(q3.ProposedForClosure()); n < 1 {
			t.Errorf("as at 31/12/2025: %d findings proposed for closure, want at least 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
