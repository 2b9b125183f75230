package bolt

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestUpgradeCompacts: a register upgraded on opening is written again
// without the pages the upgrade gave up, so that it is no larger than the
// same register made new; it checks clean, takes saves, and the copy kept
// before the upgrade is the file as it was.
func TestUpgradeCompacts(t *testing.T) {
	orig, err := os.ReadFile(shippedFixtures[7])
	if err != nil {
		t.Fatal(err)
	}
	// The same upgrade without the compaction, for the size it leaves.
	plain := copyFixture(t, 7)
	db, err := bolt.Open(plain, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return migrate(tx, 7) }); err != nil {
		t.Fatal(err)
	}
	plainFree := db.Stats().FreePageN + db.Stats().PendingPageN
	db.Close()
	plainInfo, err := os.Stat(plain)
	if err != nil {
		t.Fatal(err)
	}

	s := openFixtureAt(t, 7)
	info, err := os.Stat(s.path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() >= plainInfo.Size() {
		t.Errorf("the upgraded register is %d bytes, %d upgraded without compacting: want smaller", info.Size(), plainInfo.Size())
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		// The fixture is a few pages: the commits after the swap free
		// two of eight, a quarter, so it is held to the same upgrade
		// not compacted rather than to mostlyFree alone.
		if st := tx.DB().Stats(); mostlyFree(tx) && st.FreePageN+st.PendingPageN >= plainFree {
			t.Errorf("%d of the upgraded register's %d bytes are free pages, %d pages upgraded without compacting", (st.FreePageN+st.PendingPageN)*tx.DB().Info().PageSize, tx.Size(), plainFree)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the compacted register's mode is %v", info.Mode().Perm())
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check after the upgrade: %v %v", problems, err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(s.path), ".copying-*.tmp")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	backups, err := ListBackups(s.path)
	if err != nil {
		t.Fatal(err)
	}
	var kept string
	for _, b := range backups {
		if b.Kind == KindBeforeUpgrade {
			kept = b.Path
		}
	}
	if kept == "" {
		t.Fatal("no copy kept before the upgrade")
	}
	unpacked, err := unpackToTemp(kept, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(unpacked)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(orig) {
		t.Error("the copy kept before the upgrade is not the file as it was")
	}
}
