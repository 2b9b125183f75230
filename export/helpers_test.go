package export_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
)

// clock is the store's time in these tests: after every date the sample
// speaks of, so that edits made in a test come after any as-at date.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func openStore(t *testing.T) (*bolt.Store, *clock) {
	t.Helper()
	c := &clock{now: time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)}
	s, err := bolt.Open(filepath.Join(t.TempDir(), "register.db"), bolt.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if problems, err := s.Check(); err != nil || len(problems) > 0 {
			t.Errorf("register check: %v %v", problems, err)
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s, c
}

func sampleStore(t *testing.T) (*bolt.Store, *clock) {
	t.Helper()
	s, c := openStore(t)
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	return s, c
}

var q3 = model.Quarter{StartYear: 2025, Q: 3}

var sensitive = model.Marking{Classification: model.OfficialSensitive}

func buildReturn(t *testing.T, s model.Store, opts export.ReturnOptions) (*export.Workbook, string) {
	t.Helper()
	if opts.Period.IsZero() {
		opts.Period = q3
	}
	if opts.Marking.Classification == "" {
		opts.Marking = sensitive
	}
	w, err := newReturn(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	path := filepath.Join(t.TempDir(), w.DefaultFileName())
	if _, err := w.Save(path, export.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	return w, path
}

// newReturn reads the register as at the return's date and builds it, on
// the store's clock unless opts gives one.
func newReturn(s model.Store, opts export.ReturnOptions) (*export.Workbook, error) {
	if opts.Now.IsZero() {
		opts.Now = s.Now()
	}
	src, err := readSource(s, opts.AsAtDate())
	if err != nil {
		return nil, err
	}
	return export.BuildReturn(src, opts)
}

// newBriefing is newReturn for a briefing.
func newBriefing(s model.Store, opts export.BriefingOptions) (*export.Workbook, error) {
	if opts.Now.IsZero() {
		opts.Now = s.Now()
	}
	src, err := readSource(s, opts.AsAtDate())
	if err != nil {
		return nil, err
	}
	return export.BuildBriefing(src, opts)
}

func readSource(s model.Store, asAt model.Date) (export.Source, error) {
	var src export.Source
	err := s.View(context.Background(), func(tx model.ReadTx) (err error) { src, err = export.ReadSource(tx, asAt); return })
	return src, err
}

func openBook(t *testing.T, path string, opts ...excelize.Options) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Close(); err != nil {
			t.Error(err)
		}
	})
	return f
}

func rows(t *testing.T, f *excelize.File, sheet string) [][]string {
	t.Helper()
	r, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// table returns a table sheet's header (row 3) and data rows, each data
// row as header -> text.
func table(t *testing.T, f *excelize.File, sheet string) ([]string, []map[string]string) {
	t.Helper()
	all := rows(t, f, sheet)
	if len(all) < 3 {
		t.Fatalf("%s has %d rows, want a header in row 3", sheet, len(all))
	}
	head := all[2]
	var out []map[string]string
	for _, r := range all[3:] {
		m := map[string]string{}
		empty := true
		for i, h := range head {
			if i < len(r) {
				m[h] = r[i]
				empty = empty && r[i] == ""
			}
		}
		if !empty {
			out = append(out, m)
		}
	}
	return head, out
}

func cell(t *testing.T, f *excelize.File, sheet string, col, row int) string {
	t.Helper()
	ref, _ := excelize.CoordinatesToCellName(col, row)
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// findRow returns the row number of the first cell in column A equal to
// label, or 0.
func findRow(t *testing.T, f *excelize.File, sheet, label string) int {
	t.Helper()
	for i, r := range rows(t, f, sheet) {
		if len(r) > 0 && r[0] == label {
			return i + 1
		}
	}
	return 0
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return n
}

// colOf returns the 1-based column of a header on a table sheet.
func colOf(t *testing.T, head []string, h string) int {
	t.Helper()
	for i, x := range head {
		if x == h {
			return i + 1
		}
	}
	t.Fatalf("no column %q in %v", h, head)
	return 0
}
