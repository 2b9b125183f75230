package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

// holdOpen opens the register for saving, as the window does, until the
// test ends.
func holdOpen(t *testing.T, db string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(db, bolt.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// While a window has the register open, the commands that only read
// answer from a copy of it as it was when read, and say so; a command
// that saves is still refused in one sentence.
func TestReadingWhileTheWindowHasTheRegister(t *testing.T) {
	_, db := sampleRegister(t, "kent.db")
	holdOpen(t, db)

	code, out, errOut := run(t, "list", "--db", db)
	if code != 0 || !strings.Contains(out, "KEN-PEEL2122-AFI-16") {
		t.Fatalf("list while the window has the register: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "is open in another Improvement Tracker window, so what follows is the register as it was at ") {
		t.Errorf("list does not say it read a copy: %q", errOut)
	}
	code, out, errOut = run(t, "summary", "--db", db, "--format", "json")
	if code != 0 || !strings.Contains(out, `"open"`) {
		t.Errorf("summary while the window has the register: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = run(t, "report", "record", "--db", db, "--report", "PEEL 2021/22", "--event", "revisit", "--date", "01/12/2026")
	if code == 0 || !strings.Contains(errOut, "open in another Improvement Tracker window") {
		t.Errorf("a command that saves is not refused: exit %d, %q", code, errOut)
	}
}

// roundTitle is how the writer below marks each save's titles.
var roundTitle = regexp.MustCompile(`^Round (\d+): `)

// Reading while the window saves, again and again: each answer is one
// save's register, every title of the same round, never a mix of two
// saves (a torn read); or a refusal in words when every read met a save.
func TestReadingWhileTheWindowSavesIsNeverTorn(t *testing.T) {
	_, db := sampleRegister(t, "kent.db")
	w := holdOpen(t, db)
	stop := make(chan struct{})
	done := make(chan error)
	go func() {
		// Each save rewrites every finding's title with its round, so
		// that a read mixing two saves shows two rounds.
		for n := 1; ; n++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			err := w.Update(context.Background(), model.Actor{Who: "window"}, func(tx model.Tx) error {
				fs, err := tx.Findings()
				if err != nil {
					return err
				}
				for _, f := range fs {
					f.Title = fmt.Sprintf("Round %d: %s", n, roundTitle.ReplaceAllString(f.Title, ""))
					if err := tx.SaveFinding(&f); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				done <- err
				return
			}
		}
	}()
	answered, refused, last := 0, 0, 0
	for range 25 {
		code, out, errOut := run(t, "list", "--db", db, "--format", "csv")
		if code != 0 {
			if !strings.Contains(errOut, "saved to it each of the") || !strings.Contains(errOut, "try again in a moment") {
				t.Fatalf("list failed other than in words: exit %d, %q", code, errOut)
			}
			refused++
			continue
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, export.CSVByteOrderMark))).ReadAll()
		if err != nil || len(rows) != 22 {
			t.Fatalf("list gave %d rows (%v):\n%s", len(rows), err, out)
		}
		title := len(listHeader) - 1
		rounds := map[string]bool{}
		for _, row := range rows[1:] {
			m := roundTitle.FindStringSubmatch(row[title])
			r := "none"
			if m != nil {
				r = m[1]
			}
			rounds[r] = true
		}
		if len(rounds) != 1 {
			t.Fatalf("one answer mixes saves: rounds %v", rounds)
		}
		for r := range rounds {
			n := 0
			fmt.Sscan(r, &n)
			if n < last {
				t.Fatalf("round %d read after round %d", n, last)
			}
			last = n
		}
		answered++
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	t.Logf("%d answers (last of round %d), %d refusals in words", answered, last, refused)
	if answered == 0 {
		t.Error("no read was answered while the window saved")
	}
	if last == 0 {
		t.Error("no read saw a save made while the window had the register: the test proves nothing")
	}
}

// A command that only reads (check among them) changes nothing, so it does
// not make the day's backup (seconds at 10,000 findings); a command that
// saves does, on the first open of the day.
func TestOnlyCommandsThatSaveMakeTheDaysBackup(t *testing.T) {
	path := registerWith(t)
	backups := filepath.Join(filepath.Dir(path), "backups")
	if err := os.RemoveAll(backups); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		all, err := bolt.ListBackups(path)
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	for _, args := range [][]string{{"list"}, {"summary"}, {"reports"}, {"check"}, {"export", "return", "--quarter", "Q3 2025/26", "--out", filepath.Join(t.TempDir(), "r.xlsx")}} {
		if code, _, errOut := run(t, append(args, "--db", path)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if n := count(); n != 0 {
			t.Fatalf("%v made %d backup(s): a command that only reads made the day's backup", args, n)
		}
	}
	code, _, errOut := run(t, "report", "record", "--db", path, "--report", "PEEL", "--event", "pcc-response",
		"--date", "01/06/2022", "--link", "https://www.example.org/pcc-response", "--summary", "The PCC published a response.")
	if code != 0 {
		t.Fatalf("report record: exit %d: %s", code, errOut)
	}
	if n := count(); n != 1 {
		t.Errorf("a command that saves made %d backups on the day's first open, want 1", n)
	}
}

// check on the day's first run, which makes no backup and so leaves the
// check of every page to the check itself, still finds a damaged page,
// and says so in words with a failing exit.
func TestCheckFindsADamagedPageOnTheDaysFirstRun(t *testing.T) {
	path := registerWith(t)
	if err := os.RemoveAll(filepath.Join(filepath.Dir(path), "backups")); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The first leaf page past the headers with entries: its entries'
	// headers overwritten point outside the page.
	const pageSize = 4096
	damaged := -1
	for id := 2; (id+1)*pageSize <= len(raw); id++ {
		p := raw[id*pageSize:]
		if int(p[0])|int(p[1])<<8 == id && p[8] == 0x02 && p[10] > 1 {
			for i := 16; i < 16+32; i++ {
				p[i] = 0xEE
			}
			damaged = id
			break
		}
	}
	if damaged < 0 {
		t.Fatal("no leaf page to damage")
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "check", "--db", path)
	if code != 1 || !strings.Contains(out+errOut, fmt.Sprintf("page %d", damaged)) || !strings.Contains(errOut, path) {
		t.Errorf("check of a register with page %d damaged: exit %d\n%s\n%s", damaged, code, out, errOut)
	}
	t.Logf("check says:\n%s%s", out, errOut)
	if all, _ := bolt.ListBackups(path); len(all) != 0 {
		t.Errorf("check made %d backup(s) of a damaged register", len(all))
	}
}
