package bolt

import (
	"fmt"

	"improvementtracker/storage/bolt/pages"
)

// metaState is what the two header pages say (pages.Headers), in the
// names the store's files use.
type metaState struct {
	valid        [2]bool
	txid         [2]uint64
	newest       int
	problem      string
	lastSaveLost bool
}

// readMetas reads the file's two header pages (pages.ReadHeaders).
func readMetas(path string) (metaState, error) {
	h, err := pages.ReadHeaders(path)
	return metaState{valid: h.Valid, txid: h.TxID, newest: h.Newest, problem: h.Problem, lastSaveLost: h.LastSaveLost}, err
}

// verifyFile checks every page of the file before bbolt reads it
// (pages.Verify).
func verifyFile(path string) error { return pages.Verify(path) }

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
