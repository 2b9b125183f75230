package model_test

import (
	"testing"
	"time"

	"improvementtracker/model"
)

func TestQuarters(t *testing.T) {
	tests := map[string]struct {
		in          string
		first, last model.Date
		print       string
	}{
		"Q1":            {"Q1 2025/26", model.NewDate(2025, time.April, 1), model.NewDate(2025, time.June, 30), "Q1 2025/26"},
		"Q2":            {"Q2 2025/26", model.NewDate(2025, time.July, 1), model.NewDate(2025, time.September, 30), "Q2 2025/26"},
		"Q3":            {"Q3 2025/26", model.NewDate(2025, time.October, 1), model.NewDate(2025, time.December, 31), "Q3 2025/26"},
		"Q4":            {"Q4 2025/26", model.NewDate(2026, time.January, 1), model.NewDate(2026, time.March, 31), "Q4 2025/26"},
		"long year":     {"q4 2023/2024", model.NewDate(2024, time.January, 1), model.NewDate(2024, time.March, 31), "Q4 2023/24"},
		"dash":          {"Q3 2025-26", model.NewDate(2025, time.October, 1), model.NewDate(2025, time.December, 31), "Q3 2025/26"},
		"century":       {"Q2 2099/00", model.NewDate(2099, time.July, 1), model.NewDate(2099, time.September, 30), "Q2 2099/00"},
		"leap february": {"Q4 2023/24", model.NewDate(2024, time.January, 1), model.NewDate(2024, time.March, 31), "Q4 2023/24"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			q, err := model.ParseQuarter(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if q.FirstDay() != tc.first || q.LastDay() != tc.last || q.AsAt() != tc.last {
				t.Errorf("%s: first %v last %v as-at %v, want %v–%v", tc.in, q.FirstDay(), q.LastDay(), q.AsAt(), tc.first, tc.last)
			}
			if q.String() != tc.print {
				t.Errorf("String = %q, want %q", q.String(), tc.print)
			}
			if got := model.QuarterOf(tc.first); got != q {
				t.Errorf("QuarterOf(first day) = %v", got)
			}
			if got := model.QuarterOf(tc.last); got != q {
				t.Errorf("QuarterOf(last day) = %v", got)
			}
			if !q.Contains(tc.first) || !q.Contains(tc.last) || q.Contains(tc.last.AddDays(1)) || q.Contains(tc.first.AddDays(-1)) {
				t.Error("Contains is wrong at the edges")
			}
			if q.Next().Prev() != q {
				t.Error("Next then Prev should return the same quarter")
			}
		})
	}
	for _, bad := range []string{"", "Q5 2025/26", "Q3 2025/27", "Q3 2025", "Q3", "2025/26 Q3", "Q0 2025/26"} {
		if _, err := model.ParseQuarter(bad); err == nil {
			t.Errorf("ParseQuarter(%q) should fail", bad)
		}
	}
	if got := (model.Quarter{StartYear: 2025, Q: 3}).FileLabel(); got != "Q3 2025-26" {
		t.Errorf("FileLabel = %q", got)
	}
}

func FuzzParseQuarter(f *testing.F) {
	f.Add("Q3 2025/26")
	f.Add("q1 1999/2000")
	f.Fuzz(func(t *testing.T, s string) {
		q, err := model.ParseQuarter(s)
		if err != nil {
			return
		}
		again, err := model.ParseQuarter(q.String())
		if err != nil || again != q {
			t.Fatalf("%q -> %v -> %v (%v)", s, q, again, err)
		}
		if q.LastDay().Before(q.FirstDay()) {
			t.Fatalf("%v ends before it starts", q)
		}
	})
}
