package app

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
)

// loadSampleData loads the Kent sample and reads it as the register does,
// as at 20/11/2026, with no window.
func loadSampleData(t *testing.T) *registerData {
	t.Helper()
	now := func() time.Time { return time.Date(2026, time.November, 10, 9, 30, 0, 0, time.Local) }
	s := openStore(t, now)
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	var d *registerData
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		d, err = loadRegister(tx, model.MustDate("20/11/2026"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func refsOf(d *registerData, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = d.rows[j].f.Ref
	}
	return out
}

// References sort by their number, not as text: AFI-2 before AFI-10.
func TestRegisterModelSortsReferencesByNumber(t *testing.T) {
	d := loadSampleData(t)
	got := refsOf(d, d.apply(registerView{SortCol: colRef}))
	if len(got) != len(d.rows) {
		t.Fatalf("no filter shows %d of %d", len(got), len(d.rows))
	}
	for i := 1; i < len(got); i++ {
		pa, na := splitRefNumber(got[i-1])
		pb, nb := splitRefNumber(got[i])
		if pa > pb || (pa == pb && na > nb) {
			t.Errorf("%s sorts before %s", got[i-1], got[i])
		}
	}
	desc := refsOf(d, d.apply(registerView{SortCol: colRef, Desc: true}))
	slices.Reverse(desc)
	if !slices.Equal(desc, got) {
		t.Error("the descending order is not the ascending one reversed")
	}
}

func TestSplitRefNumber(t *testing.T) {
	tests := []struct {
		ref    string
		prefix string
		num    int
	}{
		{"KEN-PEEL2122-AFI-16", "KEN-PEEL2122-AFI", 16},
		{"KEN-PEEL2122-AFI-2", "KEN-PEEL2122-AFI", 2},
		{"NOREF", "NOREF", 0},
	}
	for _, tt := range tests {
		p, n := splitRefNumber(tt.ref)
		if p != tt.prefix || n != tt.num {
			t.Errorf("%s splits as %q %d, want %q %d", tt.ref, p, n, tt.prefix, tt.num)
		}
	}
}

// Each filter keeps exactly the rows that match it, and search terms must
// all be found, in any case; a longer search narrows the previous one.
func TestRegisterModelFilters(t *testing.T) {
	d := loadSampleData(t)
	today := model.MustDate("20/11/2026")
	cases := []struct {
		name string
		view registerView
		keep func(r *regRow) bool
	}{
		{"overdue", registerView{Overdue: true}, func(r *regRow) bool { return model.Overdue(r.f, today) }},
		{"status", registerView{Status: string(model.InProgress)}, func(r *regRow) bool { return r.f.Status == model.InProgress }},
		{"RAG", registerView{RAG: string(model.Red)}, func(r *regRow) bool { return r.f.RAG == model.Red }},
		{"lead", registerView{Lead: d.leads[0]}, func(r *regRow) bool { return r.chief == d.leads[0] || r.delivery == d.leads[0] }},
		{"search", registerView{Search: "rui POLICY"}, func(r *regRow) bool {
			return bytes.Contains(r.search, []byte("rui")) && bytes.Contains(r.search, []byte("policy"))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var want []string
			for i := range d.rows {
				if c.keep(&d.rows[i]) {
					want = append(want, d.rows[i].f.Ref)
				}
			}
			got := refsOf(d, d.apply(c.view))
			slices.Sort(got)
			slices.Sort(want)
			if len(want) == 0 || len(want) == len(d.rows) {
				t.Fatalf("the sample gives %d of %d for this filter: the test proves nothing", len(want), len(d.rows))
			}
			if !slices.Equal(got, want) {
				t.Errorf("shows %v, want %v", got, want)
			}
		})
	}
	wide := refsOf(d, d.apply(registerView{Search: "RUI"}))
	narrow := refsOf(d, d.apply(registerView{Search: "RUI policy"}))
	for _, r := range narrow {
		if !slices.Contains(wide, r) {
			t.Errorf("%s matches the longer search but not the shorter", r)
		}
	}
}

// Each cell's text is the finding's field as the table shows it.
func TestCellText(t *testing.T) {
	r := regRow{chief: "ACC (Crime)", delivery: "Ch Supt Dan Hollands", isOver: true, overdue: 12}
	r.f = model.Finding{Ref: "KEN-PEEL2122-AFI-16", Title: "Bail and RUI", Status: model.InProgress,
		RAG: model.Amber, CurrentTarget: model.MustDate("31/12/2026"), Area: "Managing offenders"}
	want := map[int]string{colRef: "KEN-PEEL2122-AFI-16", colTitle: "Bail and RUI", colStatus: string(model.InProgress),
		colRAG: "Amber", colTarget: "31/12/2026", colOverdue: "12 days", colChief: "ACC (Crime)",
		colDelivery: "Ch Supt Dan Hollands", colArea: "Managing offenders"}
	for col, w := range want {
		if got := cellText(&r, col); got != w {
			t.Errorf("%s: %q, want %q", colTitles[col], got, w)
		}
	}
	r.isOver = false
	if got := cellText(&r, colOverdue); got != "" {
		t.Errorf("a finding not overdue shows %q days", got)
	}
}
