package pages

import (
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestSecondHeaderFoundAtEveryPageSize spoils the first header page of
// files made with each page size bbolt allows, and checks that both the
// header reader and the page verifier find the second header where that
// page size puts it, and so read the file as bbolt would.
func TestSecondHeaderFoundAtEveryPageSize(t *testing.T) {
	for _, ps := range []int{512, 1024, 2048, 4096, 8192, 16384, 32768, 65536} {
		path := filepath.Join(t.TempDir(), "r.db")
		db, err := bolt.Open(path, 0o600, &bolt.Options{PageSize: ps})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if err := db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists([]byte("records"))
				if err != nil {
					return err
				}
				return b.Put([]byte{byte(i)}, make([]byte, 100))
			}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		before, err := ReadHeaders(path)
		if err != nil || before.Problem != "" || before.Newest < 0 {
			t.Fatalf("page size %d: a sound file reads %+v, %v", ps, before, err)
		}
		// Spoil the first header's checksum.
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte{0xFF, 0xFF}, pageHeaderSize+56); err != nil {
			t.Fatal(err)
		}
		f.Close()
		h, err := ReadHeaders(path)
		if err != nil || h.Valid != [2]bool{false, true} || h.Newest != 1 || h.Problem == "" {
			t.Errorf("page size %d: with the first header spoilt: %+v, %v", ps, h, err)
		}
		// The first header held the newest save or the one before it:
		// either way the file is still whole at the second.
		if err := Verify(path); err != nil {
			t.Errorf("page size %d: the verifier did not find the second header: %v", ps, err)
		}
	}
}
