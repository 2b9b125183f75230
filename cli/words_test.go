package cli

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"improvementtracker/storage/bolt"
	"improvementtracker/testkit/faults/bomb"
	"improvementtracker/testkit/faults/corrupt"
)

// damagedCorpus makes damaged copies of the sample register, each in a
// folder of its own: bits flipped inside records, header pages spoilt,
// the file cut short, pages overwritten with noise, and files that are not
// registers at all. It returns their paths by name.
func damagedCorpus(t *testing.T) map[string]string {
	t.Helper()
	base := filepath.Join(t.TempDir(), "base", "register.db")
	if code, _, errOut := runCLI(t, "sample", "--db", base); code != 0 {
		t.Fatalf("sample: %s", errOut)
	}
	good, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(9, 11))
	out := map[string]string{}
	add := func(name string, data []byte, damage func(path string) error) {
		path := filepath.Join(t.TempDir(), "register.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if damage != nil {
			if err := damage(path); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		out[name] = path
	}
	for i := range 8 {
		add(fmt.Sprintf("bit flip %d", i), good, func(p string) error { _, err := corrupt.FlipInRecord(p, rnd); return err })
	}
	m, newest, err := corrupt.Metas(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, how := range []string{corrupt.ZeroChecksum, corrupt.ZeroPage} {
		add("newest header: "+how, good, func(p string) error { return corrupt.DamageMeta(p, newest, how, rnd) })
	}
	add("both headers", good, func(p string) error {
		if err := corrupt.DamageMeta(p, 1, corrupt.ZeroPage, rnd); err != nil {
			return err
		}
		return corrupt.DamageMeta(p, 0, corrupt.ZeroPage, rnd)
	})
	for _, n := range []int64{0, 100, 4096, 8192 + 17, m[newest].Used / 2, m[newest].Used - 4096} {
		add(fmt.Sprintf("cut to %d bytes", n), good, func(p string) error { return corrupt.Truncate(p, n) })
	}
	for i := range 6 {
		add(fmt.Sprintf("noise %d", i), good, func(p string) error {
			noise := make([]byte, 64)
			for j := range noise {
				noise[j] = byte(rnd.IntN(256))
			}
			f, err := os.OpenFile(p, os.O_RDWR, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteAt(noise, 2*4096+rnd.Int64N(m[newest].Used-3*4096))
			return err
		})
	}
	add("a text file", []byte("Minutes of the improvement board, 14/03/2026.\n"), nil)
	add("a zip file", func() []byte { b, _ := bomb.Bytes(bomb.NULCell, 0); return b }(), nil)
	return out
}

// TestDamagedFilesInWords feeds every damaged register through every
// command that opens one, and fails on any message that carries a text of
// Go's runtime, bbolt or another library instead of the app's own words.
// It also asks that check never calls a damaged file sound.
func TestDamagedFilesInWords(t *testing.T) {
	corpus := damagedCorpus(t)
	returnFile := filepath.Join(t.TempDir(), "return.xlsx")
	raw, err := bomb.Bytes(bomb.LongCell, 40000)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(returnFile, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	commands := [][]string{
		{"list"}, {"list", "--format", "csv"}, {"check"}, {"backup"}, {"restore"}, {"submissions"},
		{"export", "return", "--quarter", "Q3 2025/26", "--out", "OUT"},
		{"export", "briefing", "--out", "OUT"},
		{"import", "return", returnFile, "--dry-run"},
		{"import", "return", returnFile, "--apply-all"},
		{"sample"},
	}
	for name, damaged := range corpus {
		original, err := os.ReadFile(damaged)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range commands {
			// Each command gets the damaged file as it was made.
			if err := os.WriteFile(damaged, original, 0o600); err != nil {
				t.Fatal(err)
			}
			args := append([]string{}, c...)
			for i, a := range args {
				if a == "OUT" {
					args[i] = t.TempDir()
				}
			}
			args = append(args, "--db", damaged)
			code, stdout, stderr := run(t, args...)
			text := stdout + stderr
			if p := corrupt.Internal(text); p != "" {
				t.Errorf("%s, %s: %q reached the user:\n%s", name, strings.Join(c, " "), p, text)
			}
			// Noise may land in a free page or the unused end of one,
			// which holds nothing: only the words are asked of it.
			if c[0] == "check" && code == 0 && !strings.HasPrefix(name, "noise") {
				t.Errorf("%s: check called the damaged file sound:\n%s", name, text)
			}
		}
		// restore of the damaged file as a backup, over a good register.
		// (A command above may have made an empty file into a register.)
		if err := os.WriteFile(damaged, original, 0o600); err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(t.TempDir(), "register.db")
		code, stdout, stderr := run(t, "restore", damaged, "--db", target)
		if p := corrupt.Internal(stdout + stderr); p != "" {
			t.Errorf("%s, restore: %q reached the user:\n%s", name, p, stdout+stderr)
		}
		if code == 0 && !strings.HasPrefix(name, "noise") {
			t.Errorf("%s: a damaged backup was restored without --force", name)
		}
	}
}

// TestNewestHeaderDamagedCommands: with the newest save's header page
// spoilt, list and check refuse the file and say the last save may be
// lost, offering the backup.
func TestNewestHeaderDamagedCommands(t *testing.T) {
	_, db := sampleRegister(t, "register.db")
	if code, _, errOut := runCLI(t, "backup", "--db", db); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	_, newest, err := corrupt.Metas(db)
	if err != nil {
		t.Fatal(err)
	}
	if err := corrupt.DamageMeta(db, newest, corrupt.ZeroChecksum, nil); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"list", "check"} {
		code, stdout, stderr := run(t, cmd, "--db", db)
		if code != 1 || !strings.Contains(stderr, "the last save may be lost") || !strings.Contains(stderr, "The newest backup that checks clean is register-manual-") {
			t.Errorf("%s: exit %d, %s", cmd, code, stderr)
		}
		want := "Header pages:\n  - the header page of its newest save is damaged, so the last save may be lost: what can be read is the register as it was before it\n"
		if cmd == "check" && !strings.HasPrefix(stdout, want) {
			t.Errorf("check listed:\n%s\nwant it to start:\n%s", stdout, want)
		}
	}
}

// TestRegisterPathMistakes: an empty --db is refused rather than taken for
// the default register, and a command that reads refuses a path with no
// register instead of creating an empty one there.
func TestRegisterPathMistakes(t *testing.T) {
	for _, cmd := range [][]string{{"list"}, {"check"}, {"backup"}, {"sample"}} {
		code, _, stderr := run(t, append(cmd, "--db", "")...)
		if code != 2 || !strings.Contains(stderr, "--db was given no file") {
			t.Errorf("%s --db \"\": exit %d, %s", cmd[0], code, stderr)
		}
	}
	missing := filepath.Join(t.TempDir(), "typo.db")
	for _, cmd := range [][]string{{"list"}, {"check"}, {"backup"}, {"submissions"}, {"export", "briefing"}} {
		code, _, stderr := run(t, append(cmd, "--db", missing)...)
		want := "no register at " + missing + "; `improvement-tracker sample` or the window creates one"
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s on a missing register: exit %d, %s", strings.Join(cmd, " "), code, stderr)
		}
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%s created %s", strings.Join(cmd, " "), missing)
		}
	}
}

// TestExportIntoFolder: --out naming a folder writes the suggested file
// name into it, and temporary files a killed export left there are
// removed.
func TestExportIntoFolder(t *testing.T) {
	dir, db := sampleRegister(t, "register.db")
	out := filepath.Join(dir, "returns")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(out, ".improvement-tracker-123.xlsx.tmp")
	if err := os.WriteFile(stale, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	old := mustTime(t)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "export", "return", "--quarter", "Q3 2025/26", "--out", out, "--db", db)
	if code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.xlsx"))
	if len(files) != 1 || !strings.Contains(stdout, "Saved "+files[0]) {
		t.Errorf("files in the folder: %v; %s", files, stdout)
	}
	if _, err := os.Stat(out + ".xlsx"); err == nil {
		t.Error("the return was written beside the folder")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("the stale temporary file was left")
	}
}

// TestRestoreListsChecks: restore without a file lists the backups, each
// with its check, and a damaged one is marked.
func TestRestoreListsChecks(t *testing.T) {
	dir, db := sampleRegister(t, "register.db")
	if code, _, errOut := runCLI(t, "backup", "--db", db); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	all, _ := bolt.ListBackups(db)
	var good string
	for _, b := range all {
		if b.Kind == bolt.KindManual {
			good = b.Path
		}
	}
	// A plain copy, as earlier versions made backups (the day's are
	// compressed), with a record spoilt.
	bad := filepath.Join(dir, "backups", "register-manual-2020-01-01-120000.db")
	raw, _ := os.ReadFile(db)
	if err := os.WriteFile(bad, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := corrupt.FlipInRecord(bad, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "restore", "--db", db)
	if code != 2 || !strings.Contains(stderr, good+"  (manual, ") || !strings.Contains(stderr, " KB): checks clean") ||
		!strings.Contains(stderr, bad+"  (manual, 01/01/2020 12:00, "+sizeText(int64(len(raw)))+"): DAMAGED: Damaged records: ") {
		t.Errorf("restore listing: exit %d\n%s", code, stderr)
	}
	code, _, stderr = run(t, "restore", bad, "--db", db)
	if code != 1 || !strings.Contains(stderr, "give --force") {
		t.Errorf("restore of a damaged backup: exit %d %s", code, stderr)
	}
	before, _ := os.ReadFile(db)
	code, stdout, stderr := run(t, "restore", bad, "--db", db, "--force")
	if code != 0 || !strings.Contains(stdout, "Restored") {
		t.Errorf("forced restore: exit %d %s %s", code, stdout, stderr)
	}
	if after, _ := os.ReadFile(db); bytes.Equal(before, after) {
		t.Error("the forced restore changed nothing")
	}
}

// mustTime is an hour ago: older than any copy takes.
func mustTime(t *testing.T) time.Time {
	t.Helper()
	return time.Now().Add(-time.Hour)
}
