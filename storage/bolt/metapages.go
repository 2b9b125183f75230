package bolt

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// bbolt keeps two header (meta) pages and writes them in turn: each save
// writes the new state's pages and then the header page of the new
// transaction. On opening it takes the valid header with the higher
// transaction ID, and if the newest header is damaged it quietly opens the
// state before the last save. checkMetas reads both headers first, so that
// a lost save is said out loud.

// errLastSaveLost is the detail of the error for a damaged newest header.
const errLastSaveLost = "the header page of its newest save is damaged, so the last save may be lost: what can be read is the register as it was before it"

// metaState is what the two header pages say.
type metaState struct {
	valid   [2]bool
	txid    [2]uint64 // as written; not to be trusted where !valid
	newest  int       // the valid header bbolt would use; -1 when none
	problem string    // "" when both are sound
	// lastSaveLost is set when the damaged header is, or may be, the
	// newest: bbolt would open the older state without a word.
	lastSaveLost bool
}

// readMetas reads the file's two header pages.
func readMetas(path string) (metaState, error) {
	st := metaState{newest: -1}
	f, err := os.Open(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	head := make([]byte, pageHeaderSize+64)
	if _, err := f.ReadAt(head, 0); err != nil {
		return st, errors.New("the file is too short to hold its header")
	}
	m0 := readMeta(head)
	sizes := []int64{4096, 16384, 8192, 32768, 65536, 1024, 2048}
	if m0.valid {
		sizes = []int64{int64(m0.pageSize)}
	}
	var m1 meta
	for _, ps := range sizes {
		head1 := make([]byte, pageHeaderSize+64)
		if _, err := f.ReadAt(head1, ps); err != nil && !errors.Is(err, io.EOF) {
			return st, err
		}
		if m1 = readMeta(head1); m1.valid && int64(m1.pageSize) == ps {
			break
		}
	}
	st.valid = [2]bool{m0.valid, m1.valid}
	st.txid = [2]uint64{m0.txid, m1.txid}
	switch {
	case m0.valid && m1.valid:
		st.newest = 0
		if m1.txid > m0.txid {
			st.newest = 1
		}
	case !m0.valid && !m1.valid:
		st.problem = "both of its header pages are damaged (" + m0.problem + ")"
	default:
		good, bad := 0, 1
		if m1.valid {
			good, bad = 1, 0
		}
		st.newest = good
		// Saves alternate between the two pages, so the damaged one
		// held the save just before the valid one, or the one just
		// after it. Only a damaged page that still reads as the older
		// save is taken as such: anything else may have been the
		// newest.
		if st.txid[bad]+1 == st.txid[good] {
			st.problem = "the header page of an older save is damaged; the newest save is whole, and the next save rewrites the damaged page"
		} else {
			st.problem = errLastSaveLost
			st.lastSaveLost = true
		}
	}
	return st, nil
}

// checkMetas returns the damaged-register error for a file whose newest
// save may have been lost, or whose headers are both damaged; nil
// otherwise (an older damaged header is repaired by the next save).
func checkMetas(path string) error {
	st, err := readMetas(path)
	if err != nil {
		return damagedError(path, err.Error())
	}
	if st.lastSaveLost || st.newest < 0 {
		return damagedError(path, st.problem)
	}
	return nil
}

// metaProblem is what check reports about the header pages, "" when both
// are sound.
func metaProblem(path string) string {
	st, err := readMetas(path)
	if err != nil {
		return fmt.Sprintf("the header pages cannot be read (%v)", err)
	}
	return st.problem
}
