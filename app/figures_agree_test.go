package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"improvementtracker/cli"
	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
)

// agreed are the figures compared across the four places that give them.
type agreed struct {
	Open, ToActOn, Overdue, InClosure, Red, Closed, New, Changed int
}

// TestFiguresAgreeEverywhere: `summary --as-at D`, the dashboard, the
// briefing and the return's Summary give the same figures for the same
// date and portfolio, on the sample and on a register typed in late (every
// record entered after the dates it speaks for); and on the sample today
// "to act on" counts no closed finding.
func TestFiguresAgreeEverywhere(t *testing.T) {
	today := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	registers := map[string]func(model.Store) error{
		"the sample":            sample.Load,
		"a register typed late": typeInLate,
	}
	for name, fill := range registers {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "register.db")
			s, err := bolt.Open(path, bolt.Options{Now: func() time.Time { return today }, NoBackup: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := fill(s); err != nil {
				t.Fatal(err)
			}
			var chief model.Person
			if err := s.View(context.Background(), func(tx model.ReadTx) error {
				leads, err := model.ChiefOfficers(tx)
				if len(leads) > 0 {
					chief = leads[0]
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			dates := []string{"31/12/2025", "15/05/2026", "30/06/2026", "30/09/2026", "25/11/2026"}
			type place struct {
				asAt  model.Date
				chief model.Person
			}
			var cases []place
			for _, d := range dates {
				cases = append(cases, place{model.MustDate(d), model.Person{}})
				if chief.ID != 0 {
					cases = append(cases, place{model.MustDate(d), chief})
				}
			}
			got := map[place][4]agreed{}
			for _, c := range cases {
				var g [4]agreed
				g[0] = dashboardFigures(t, s, c.asAt, c.chief)
				g[1] = briefingFigures(t, s, c.asAt, c.chief, today)
				if c.chief.ID == 0 {
					// The return is of every portfolio.
					g[2] = returnFigures(t, s, c.asAt, today)
				}
				got[c] = g
				if c.asAt == model.MustDate("25/11/2026") && c.chief.ID == 0 && name == "the sample" {
					if err := s.View(context.Background(), func(tx model.ReadTx) error {
						snap, err := model.TakeSnapshot(tx, c.asAt)
						if err != nil {
							return err
						}
						closed, toActOn := 0, 0
						for _, f := range snap.Findings {
							switch {
							case !f.Type.Tracked():
							case f.Status.IsFinal():
								closed++
							case f.Status.IsOpen():
								toActOn++
							}
						}
						if closed == 0 {
							t.Error("the sample has no closed finding today: the test proves nothing")
						}
						// To act on is the findings awaiting allocation,
						// not started or in progress: no closed one.
						if g[0].ToActOn != toActOn {
							t.Errorf("the dashboard counts %d to act on; %d findings are awaiting allocation, not started or in progress (%d are closed)", g[0].ToActOn, toActOn, closed)
						}
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			for _, c := range cases {
				g := got[c]
				g[3] = summaryCommandFigures(t, path, c.asAt, c.chief)
				names := []string{"dashboard", "briefing", "return's Summary", "summary command"}
				for i := 1; i < 4; i++ {
					if i == 2 && c.chief.ID != 0 {
						continue
					}
					if g[i] != g[0] {
						t.Errorf("as at %s (%s): the %s gives %+v, the dashboard %+v", c.asAt, label(c.chief), names[i], g[i], g[0])
					}
				}
				if c.asAt == model.MustDate("25/11/2026") && c.chief.ID == 0 && g[0].Open == 0 {
					t.Error("nothing is open today: the comparison proves little")
				}
			}
		})
	}
}

func label(p model.Person) string {
	if p.ID == 0 {
		return "every portfolio"
	}
	return p.Label()
}

func dashboardFigures(t *testing.T, s model.Store, asAt model.Date, chief model.Person) agreed {
	t.Helper()
	var d *dashboard
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
		d, err = buildDashboard(tx, asAt, chief.Label(), "")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f := d.figures
	return agreed{f.Open, f.ToActOn, f.Overdue, f.InClosure, f.Red, f.Closed, f.New, f.Changed}
}

var briefingLine = regexp.MustCompile(`: (\d+) open \(not yet closed\), of which (\d+) to act on and (\d+) in closure; (\d+) overdue; (\d+) open and rated Red; \d+ slipped milestones\. This quarter \(from [0-9/]+\): (\d+) closed, (\d+) new, (\d+) changed\.`)

func briefingFigures(t *testing.T, s model.Store, asAt model.Date, chief model.Person, now time.Time) agreed {
	t.Helper()
	var src export.Source
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { src, err = export.ReadSource(tx, asAt); return }); err != nil {
		t.Fatal(err)
	}
	w, err := export.BuildBriefing(src, export.BriefingOptions{AsAt: asAt, LeadID: chief.ID, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	f := savedBook(t, w)
	line, err := f.GetCellValue(export.SheetBriefing, "A3")
	if err != nil {
		t.Fatal(err)
	}
	m := briefingLine.FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("the briefing's summary line %q gives no figures", line)
	}
	n := make([]int, len(m)-1)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	return agreed{n[0], n[1], n[3], n[2], n[4], n[5], n[6], n[7]}
}

func returnFigures(t *testing.T, s model.Store, asAt model.Date, now time.Time) agreed {
	t.Helper()
	q := model.QuarterOf(asAt)
	var src export.Source
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
		src, err = export.ReadSourceFrom(tx, asAt, q.FirstDay())
		return
	}); err != nil {
		t.Fatal(err)
	}
	w, err := export.BuildReturn(src, export.ReturnOptions{Period: q, AsAt: asAt, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	f := savedBook(t, w)
	rows, err := f.GetRows(export.SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	value := map[string]int{}
	red := -1
	for i, r := range rows {
		if len(r) > 1 {
			if n, err := strconv.Atoi(r[1]); err == nil {
				value[r[0]] = n
			}
		}
		// The Red of the block by RAG, beside the key figures.
		if len(r) > 4 && r[3] == "Red" && red < 0 {
			red, _ = strconv.Atoi(r[4])
			_ = i
		}
	}
	for _, l := range []string{export.FigureOpen, export.FigureToActOn, export.FigureOverdue, export.FigureInClosure, export.FigureClosed, export.FigureNew, export.FigureChanged} {
		if _, ok := value[l]; !ok {
			t.Fatalf("the return's Summary has no %q", l)
		}
	}
	return agreed{value[export.FigureOpen], value[export.FigureToActOn], value[export.FigureOverdue], value[export.FigureInClosure],
		red, value[export.FigureClosed], value[export.FigureNew], value[export.FigureChanged]}
}

func summaryCommandFigures(t *testing.T, path string, asAt model.Date, chief model.Person) agreed {
	t.Helper()
	var out, errs bytes.Buffer
	args := []string{"summary", "--db", path, "--as-at", asAt.String(), "--format", "json"}
	if chief.ID != 0 {
		args = append(args, "--chief-officer", chief.Label())
	}
	if code := cli.Run(args, &cli.Env{Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}); code != 0 {
		t.Fatalf("summary exited %d: %s", code, errs.String())
	}
	var j struct {
		Open      int `json:"open"`
		ToActOn   int `json:"to_act_on"`
		Overdue   int `json:"overdue"`
		InClosure int `json:"in_closure"`
		Red       int `json:"open_red"`
		Closed    int `json:"closed_this_period"`
		New       int `json:"new_this_period"`
		Changed   int `json:"changed_this_period"`
	}
	if err := json.Unmarshal(out.Bytes(), &j); err != nil {
		t.Fatalf("summary --format json wrote %q: %v", out.String(), err)
	}
	return agreed{j.Open, j.ToActOn, j.Overdue, j.InClosure, j.Red, j.Closed, j.New, j.Changed}
}

// savedBook writes a workbook to a file and opens it as a spreadsheet
// would.
func savedBook(t *testing.T, w *export.Workbook) *excelize.File {
	t.Helper()
	defer w.Close()
	var buf bytes.Buffer
	if _, err := w.Write(&buf, ""); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

// typeInLate enters a register in November 2026 whose history goes back to
// 2025: findings raised then, updates on the dates they speak for, a
// closure agreed in the past, a target moved with the date it was agreed.
func typeInLate(s model.Store) error {
	d := model.MustDate
	return s.Update(context.Background(), model.Actor{Who: "Improvement lead"}, func(tx model.Tx) error {
		chief := model.Person{Name: "A Chief", Role: "Assistant Chief Constable"}
		if err := tx.SavePerson(&chief); err != nil {
			return err
		}
		r := model.Report{Title: "Westshire PEEL 2025", Type: model.PEEL, Cycle: "2025–27", Published: d("10/11/2025")}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		up := func(id model.ID, date string, st model.Status, rag model.RAG) error {
			return tx.AppendUpdate(&model.Update{FindingID: id, Date: d(date), Status: st, RAG: rag, Narrative: "Typed in late."})
		}
		for i := range 8 {
			f := model.Finding{ReportID: r.ID, Type: model.AFI, Title: fmt.Sprintf("Finding %d", i+1), Verbatim: "The force should improve.",
				Status: model.NotStarted, CurrentTarget: d("31/03/2026")}
			if i%2 == 0 {
				f.ChiefOfficerID = chief.ID
			}
			if i == 7 {
				f.Raised = d("02/06/2026") // raised later than the report
			}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			if err := up(f.ID, "15/12/2025", model.InProgress, model.Green); err != nil {
				return err
			}
			switch i {
			case 0, 1: // closed in Q1 2026/27
				if err := up(f.ID, "20/04/2026", model.CompletePending, model.Blue); err != nil {
					return err
				}
				if err := up(f.ID, "10/05/2026", model.ClosureProposed, model.Blue); err != nil {
					return err
				}
				if err := up(f.ID, "01/06/2026", model.Closed, model.Blue); err != nil {
					return err
				}
			case 2: // red and overdue
				if err := up(f.ID, "20/08/2026", model.InProgress, model.Red); err != nil {
					return err
				}
			case 3: // target moved, agreed in the past
				g, _ := tx.Finding(f.ID)
				g.TargetRevisions = append(g.TargetRevisions, model.Revision{To: d("31/12/2026"), Reason: "New system", AgreedBy: "Board", Agreed: d("12/09/2026")})
				g.CurrentTarget = d("31/12/2026")
				if err := tx.SaveFinding(&g); err != nil {
					return err
				}
			case 4: // awaiting sign-off
				if err := up(f.ID, "05/10/2026", model.CompletePending, model.Blue); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
