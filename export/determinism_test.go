package export_test

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/model"
)

// writeAt builds a workbook on the given clock and returns its bytes.
func writeAt(t *testing.T, s model.Store, briefing bool, now time.Time) []byte {
	t.Helper()
	var w *export.Workbook
	var err error
	if briefing {
		w, err = newBriefing(s, export.BriefingOptions{AsAt: model.MustDate("31/12/2025"), Marking: sensitive, Now: now})
	} else {
		w, err = newReturn(s, export.ReturnOptions{Period: q3, Marking: sensitive, Now: now})
	}
	if err != nil {
		t.Fatal(err)
	}
	return written(t, w)
}

// written writes a workbook unprotected, closes it and returns its bytes.
func written(t *testing.T, w *export.Workbook) []byte {
	t.Helper()
	defer w.Close()
	var buf bytes.Buffer
	if _, err := w.Write(&buf, ""); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// parts reads a workbook's zip into name -> content, keeping the order.
func parts(t *testing.T, b []byte) ([]string, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, f.Name)
		out[f.Name] = string(data)
	}
	return names, out
}

// TestExportsAreReproducible exports the same register at the same as-at
// date several times: on the same clock the files are identical byte for
// byte; on another clock only the document's dates differ.
func TestExportsAreReproducible(t *testing.T) {
	s, _ := sampleStore(t)
	at := time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)
	for _, briefing := range []bool{false, true} {
		name := "return"
		if briefing {
			name = "briefing"
		}
		t.Run(name, func(t *testing.T) {
			first := writeAt(t, s, briefing, at)
			for range 3 {
				if again := writeAt(t, s, briefing, at); !bytes.Equal(first, again) {
					names, a := parts(t, first)
					_, b := parts(t, again)
					for _, n := range names {
						if a[n] != b[n] {
							t.Errorf("%s differs between two exports", n)
						}
					}
					t.Fatalf("two exports on the same clock differ (%d and %d bytes)", len(first), len(again))
				}
			}
			names, a := parts(t, first)
			if names[0] != "[Content_Types].xml" {
				t.Errorf("first part %q, want [Content_Types].xml", names[0])
			}
			later, b := parts(t, writeAt(t, s, briefing, at.Add(36*time.Hour)))
			if strings.Join(names, ",") != strings.Join(later, ",") {
				t.Errorf("parts %v, later %v", names, later)
			}
			for _, n := range names {
				if a[n] != b[n] && n != "docProps/core.xml" {
					t.Errorf("%s differs between exports made on different days", n)
				}
			}
			if !strings.Contains(a["docProps/core.xml"], "2026-01-05T09:30:00Z") {
				t.Errorf("core properties do not carry the export's time:\n%s", a["docProps/core.xml"])
			}
		})
	}
}

var (
	dimensionRef = regexp.MustCompile(`<dimension ref="([A-Z0-9:]+)"`)
	cellRef      = regexp.MustCompile(`<c r="([A-Z]+)([0-9]+)"`)
)

// TestSheetsDeclareTheirRange checks each sheet's <dimension> against the
// cells it holds: from A1 to the last row and the rightmost column.
func TestSheetsDeclareTheirRange(t *testing.T) {
	s, _ := sampleStore(t)
	for _, briefing := range []bool{false, true} {
		names, content := parts(t, writeAt(t, s, briefing, time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)))
		sheets := 0
		for _, n := range names {
			if !strings.HasPrefix(n, "xl/worksheets/sheet") {
				continue
			}
			sheets++
			xml := content[n]
			m := dimensionRef.FindStringSubmatch(xml)
			if m == nil {
				t.Errorf("%s declares no range", n)
				continue
			}
			maxCol, maxRow := 0, 0
			for _, c := range cellRef.FindAllStringSubmatch(xml, -1) {
				col, row, err := excelize.CellNameToCoordinates(c[1] + c[2])
				if err != nil {
					t.Fatal(err)
				}
				maxCol, maxRow = max(maxCol, col), max(maxRow, row)
			}
			want, _ := excelize.CoordinatesToCellName(maxCol, maxRow)
			if m[1] != "A1:"+want {
				t.Errorf("%s declares %s; its cells run from A1 to %s", n, m[1], want)
			}
		}
		if sheets == 0 {
			t.Fatal("no sheets")
		}
	}
}
