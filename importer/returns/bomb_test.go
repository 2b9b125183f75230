package returns_test

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"improvementtracker/importer/returns"
	"improvementtracker/testkit/faults/bomb"
	"improvementtracker/testkit/faults/corrupt"
)

// TestBombsRefused feeds each zip bomb of the hostile corpus to the reader:
// each is refused in words, allocating far less than the 300 MB the
// reader may use, and leaves no temporary file. The bombs here unpack to
// 128 MB, twice the cap, so the test stays quick; "make faults" uses 1 GB
// ones and measures time and memory in a separate process.
func TestBombsRefused(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, kind := range []bomb.Kind{bomb.SharedString, bomb.ReturnSheet, bomb.LyingHeader} {
		t.Run(string(kind), func(t *testing.T) {
			raw, err := bomb.Bytes(kind, 128<<20)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			ret, err := returns.Read("bomb.xlsx", raw, "")
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("a %s bomb was read: %d rows", kind, len(ret.Rows))
			}
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s (%d KB): refused in %v, %d MB allocated: %v", kind, len(raw)>>10, took, allocated>>20, err)
			if allocated > 300<<20 {
				t.Errorf("%d MB allocated to refuse it", allocated>>20)
			}
			if p := corrupt.Internal(err.Error()); p != "" {
				t.Errorf("the message shows %q: %v", p, err)
			}
			if !strings.Contains(err.Error(), "bomb.xlsx") {
				t.Errorf("the message does not name the file: %v", err)
			}
			switch kind {
			case bomb.LyingHeader:
				// Its table of contents claims a small sheet: it is
				// found out as damaged when unpacked.
				if !strings.Contains(err.Error(), "damaged") && !strings.Contains(err.Error(), "cannot be read") {
					t.Errorf("the message does not say the file is damaged: %v", err)
				}
			default:
				if !strings.Contains(err.Error(), "unpacks to more than 64 MB") {
					t.Errorf("the message does not say the file is too large: %v", err)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestBadCellsNamed reads returns with a NUL byte and bytes that are not
// UTF-8 in a cell: the spreadsheet library would stop reading the sheet
// there without a word (reading the progress as cleared), so the file is
// refused, naming the cell. A cell longer than a spreadsheet allows is
// blanked and named against its row, and the rest is read.
func TestBadCellsNamed(t *testing.T) {
	for _, kind := range []bomb.Kind{bomb.NULCell, bomb.BadUTF8} {
		raw, err := bomb.Bytes(kind, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = returns.Read("bad.xlsx", raw, "")
		want := "bad.xlsx: cell D2 of the Return sheet holds a NUL byte or other character that is not text, or bytes that are not UTF-8, so the sheet cannot be read past it: retype that cell in Excel and save the file again"
		if err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %s", kind, err, want)
		}
	}
	raw, err := bomb.Bytes(bomb.LongCell, 40000)
	if err != nil {
		t.Fatal(err)
	}
	ret, err := returns.Read("long.xlsx", raw, "")
	if err != nil {
		t.Fatalf("not read: %v", err)
	}
	var got []string
	for _, p := range ret.Problems {
		got = append(got, p.String())
	}
	want := "Return, row 3: cell D3 holds 40000 characters, more than a spreadsheet cell may (32767); it was not read: retype it"
	if len(got) != 1 || got[0] != want {
		t.Errorf("problems %q, want %q", got, want)
	}
	if len(ret.Rows) != 2 {
		t.Fatalf("rows read as %+v", ret.Rows)
	}
	first, second := ret.Rows[0], ret.Rows[1]
	if first.Ref != "KEN-PEEL2122-AFI-01" || first.Status == nil || *first.Status != "In progress" || first.RAG == nil || *first.RAG != "Amber" ||
		first.Progress == nil || *first.Progress != "On track." {
		t.Errorf("row 2 read as %+v", first)
	}
	if second.Ref != "KEN-PEEL2122-AFI-02" || second.Progress == nil || *second.Progress != "" {
		t.Errorf("row 3 read as %+v", second)
	}
}
