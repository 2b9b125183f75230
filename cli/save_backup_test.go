package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"improvementtracker/storage/bolt"
)

// recordResponse runs a command that saves one change, the PCC's published
// response to the register's PEEL report, and fails the test if it fails.
// It returns what the command said on stderr.
func recordResponse(t *testing.T, db string) string {
	t.Helper()
	code, _, errOut := run(t, "report", "record", "--db", db, "--report", "PEEL", "--event", "pcc-response",
		"--date", "01/06/2022", "--link", "https://www.example.org/pcc-response", "--summary", "The PCC published a response.")
	if code != 0 {
		t.Fatalf("report record: exit %d: %s", code, errOut)
	}
	return errOut
}

// responded reports whether the register at db holds the response
// recordResponse saves, as the reports command shows it.
func responded(t *testing.T, db string) bool {
	t.Helper()
	code, out, errOut := run(t, "reports", "--db", db)
	if code != 0 || !strings.Contains(out, "PEEL 2021/22") {
		t.Fatalf("reports --db %s: exit %d: %s%s", db, code, out, errOut)
	}
	return strings.Contains(out, "PCC response published 01/06/2022")
}

// firstOfTheDay makes a register on which the next command that saves is
// the day's first: it has no backups.
func firstOfTheDay(t *testing.T) string {
	t.Helper()
	db := registerWith(t)
	if err := os.RemoveAll(filepath.Join(filepath.Dir(db), "backups")); err != nil {
		t.Fatal(err)
	}
	return db
}

// daily is the register's one backup, failing the test unless there is
// exactly one and it is a daily one.
func daily(t *testing.T, db string) bolt.BackupInfo {
	t.Helper()
	all, err := bolt.ListBackups(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].Kind != bolt.KindDaily {
		t.Fatalf("backups %+v, want the day's one", all)
	}
	return all[0]
}

// The day's backup made by a command that saves, alongside its work,
// holds the register as it was before the command's save, and the
// register holds the save: restored elsewhere, the backup has no response
// recorded, the register has it.
func TestSavingCommandsBackupIsTheRegisterBeforeItsSave(t *testing.T) {
	db := firstOfTheDay(t)
	if responded(t, db) {
		t.Fatal("the register holds the response before it was recorded")
	}
	recordResponse(t, db)
	if !responded(t, db) {
		t.Error("the register does not hold the response the command saved")
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	if err := bolt.Restore(restored, daily(t, db).Path, time.Now()); err != nil {
		t.Fatal(err)
	}
	if responded(t, restored) {
		t.Error("the day's backup holds the command's save: it is not the register as it was before the command")
	}
}

// A day's backup that cannot be written (a file where the backups folder
// should be) is said on stderr, in the words an open that makes it uses,
// and the command's save lands all the same.
func TestSavingCommandsBackupThatFailsIsSaid(t *testing.T) {
	db := firstOfTheDay(t)
	inTheWay := filepath.Join(filepath.Dir(db), "backups")
	if err := os.WriteFile(inTheWay, []byte("in the way"), 0o600); err != nil {
		t.Fatal(err)
	}
	errOut := recordResponse(t, db)
	if !strings.Contains(errOut, "Warning: the daily backup of "+db+" could not be written to "+inTheWay) {
		t.Errorf("the failed backup is not said: %q", errOut)
	}
	if strings.Count(errOut, "Warning: ") != 1 {
		t.Errorf("want the one warning, got %q", errOut)
	}
	if !responded(t, db) {
		t.Error("the command's save was lost with the backup")
	}
}

// A command that saves ends only once the day's backup it started is
// written: when it has returned, the backup is there under its name,
// whole (it checks clean), and no half-written copy is left beside it.
// Were the command to close the register without waiting, closing would
// give the backup up.
func TestSavingCommandWaitsForTheDaysBackup(t *testing.T) {
	db := firstOfTheDay(t)
	if errOut := recordResponse(t, db); strings.Contains(errOut, "Warning") {
		t.Errorf("a backup that was made gave a warning: %q", errOut)
	}
	b := daily(t, db)
	if groups, err := bolt.CheckFile(b.Path); err != nil || len(groups) > 0 {
		t.Fatalf("the day's backup checks %v, %v", groups, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(b.Path), ".writing-*.tmp")); len(left) > 0 {
		t.Errorf("half-written copies left: %v", left)
	}
	// A second command that day makes no second backup.
	code, _, errOut := run(t, "report", "record", "--db", db, "--report", "PEEL", "--event", "revisit", "--date", "01/12/2022")
	if code != 0 {
		t.Fatalf("a second report record: exit %d: %s", code, errOut)
	}
	daily(t, db)
}
