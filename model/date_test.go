package model_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
)

var parseDateCases = map[string]struct {
	in      string
	want    model.Date
	wantErr string
}{
	"uk":              {in: "04/03/2025", want: model.NewDate(2025, time.March, 4)},
	"uk dashes":       {in: "4-3-2025", want: model.NewDate(2025, time.March, 4)},
	"uk dots":         {in: "04.03.2025", want: model.NewDate(2025, time.March, 4)},
	"two-digit year":  {in: "31/12/25", want: model.NewDate(2025, time.December, 31)},
	"iso":             {in: "2026-03-31", want: model.NewDate(2026, time.March, 31)},
	"spaces":          {in: "  31/03/2026 ", want: model.NewDate(2026, time.March, 31)},
	"empty":           {in: "", want: model.Date{}},
	"leap day":        {in: "29/02/2024", want: model.NewDate(2024, time.February, 29)},
	"not leap":        {in: "29/02/2025", wantErr: "not a real date"},
	"us style":        {in: "03/25/2026", wantErr: "no month 25"},
	"31 april":        {in: "31/04/2026", wantErr: "not a real date"},
	"words":           {in: "next Tuesday", wantErr: "not a date"},
	"two parts":       {in: "03/2026", wantErr: "not a date"},
	"negative":        {in: "-1/03/2026", wantErr: "not a date"},
	"year far future": {in: "01/01/9999", wantErr: "year out of range"},
	"day zero":        {in: "00/01/2026", wantErr: "not a real date"},
}

func TestParseDate(t *testing.T) {
	for name, tc := range parseDateCases {
		t.Run(name, func(t *testing.T) {
			got, err := model.ParseDate(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseDate(%q) error = %v, want it to mention %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Fatalf("ParseDate(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

// FuzzParseDate checks that any accepted input round-trips through the UK
// form, and that nothing panics.
func FuzzParseDate(f *testing.F) {
	for _, tc := range parseDateCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := model.ParseDate(s)
		if err != nil || d.IsZero() {
			return
		}
		again, err := model.ParseDate(d.String())
		if err != nil || again != d {
			t.Fatalf("%q parsed as %v, which reads back as %v (%v)", s, d, again, err)
		}
	})
}

func TestDateFormatsAndArithmetic(t *testing.T) {
	d := model.NewDate(2026, time.March, 31)
	if got := d.String(); got != "31/03/2026" {
		t.Errorf("String = %q", got)
	}
	if got := d.ISO(); got != "2026-03-31" {
		t.Errorf("ISO = %q", got)
	}
	if got := d.AddDays(1); got != model.NewDate(2026, time.April, 1) {
		t.Errorf("AddDays(1) = %v", got)
	}
	if got := d.DaysUntil(model.NewDate(2026, time.June, 30)); got != 91 {
		t.Errorf("DaysUntil = %d, want 91", got)
	}
	// Across the clocks going forward (29/03/2026 in the UK) a day is
	// still a day.
	if got := model.NewDate(2026, time.March, 28).DaysUntil(model.NewDate(2026, time.March, 30)); got != 2 {
		t.Errorf("DaysUntil across BST = %d, want 2", got)
	}
	if (model.Date{}).String() != "" {
		t.Error("zero date should print as empty")
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		D model.Date `json:"d"`
		Z model.Date `json:"z"`
	}
	in := rec{D: model.NewDate(2025, time.December, 31)}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"d":"2025-12-31","z":""}` {
		t.Fatalf("marshal = %s", b)
	}
	var out rec
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Fatalf("round trip = %+v, want %+v", out, in)
	}
	if err := json.Unmarshal([]byte(`{"d":"31/12/2025"}`), &out); err == nil {
		t.Fatal("a stored date in the wrong form should be an error")
	}
}
