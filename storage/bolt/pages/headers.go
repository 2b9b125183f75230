package pages

import (
	"errors"
	"os"
)

// ErrLastSaveLost is the detail of the damage of a file whose newest header
// page is damaged.
const ErrLastSaveLost = "the header page of its newest save is damaged, so the last save may be lost: what can be read is the register as it was before it"

// Headers is what a file's two header (meta) pages say. bbolt writes them
// in turn, each save writing the new state's pages and then the header of
// the new transaction; on opening it takes the valid header with the
// higher transaction ID, and if the newest is damaged it quietly opens the
// state before the last save. Reading both first lets a lost save be said
// out loud.
type Headers struct {
	Valid   [2]bool
	TxID    [2]uint64 // as written; not to be trusted where !Valid
	Newest  int       // the valid header bbolt would use; -1 when none
	Problem string    // "" when both are sound
	// LastSaveLost is set when the damaged header is, or may be, the
	// newest: bbolt would open the older state without a word.
	LastSaveLost bool
}

// ReadHeaders reads the two header pages of the file at path.
func ReadHeaders(path string) (Headers, error) {
	st := Headers{Newest: -1}
	f, err := os.Open(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	m0, m1, err := headers(f)
	if err != nil {
		return st, err
	}
	st.Valid = [2]bool{m0.valid, m1.valid}
	st.TxID = [2]uint64{m0.txid, m1.txid}
	switch {
	case m0.valid && m1.valid:
		st.Newest = 0
		if m1.txid > m0.txid {
			st.Newest = 1
		}
	case !m0.valid && !m1.valid:
		st.Problem = "both of its header pages are damaged (" + m0.problem + ")"
	default:
		good, bad := 0, 1
		if m1.valid {
			good, bad = 1, 0
		}
		st.Newest = good
		// Saves alternate between the two pages, so the damaged one
		// held the save just before the valid one, or the one just
		// after it. Only a damaged page that still reads as the older
		// save is taken as such: anything else may have been the
		// newest.
		if st.TxID[bad]+1 == st.TxID[good] {
			st.Problem = "the header page of an older save is damaged; the newest save is whole, and the next save rewrites the damaged page"
		} else {
			st.Problem = ErrLastSaveLost
			st.LastSaveLost = true
		}
	}
	return st, nil
}

// HeaderBytes reads the file's two header pages, byte for byte. It fails
// when the first does not read as a header (it may be being written),
// since its page size is needed to find the second.
func HeaderBytes(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, pageHeaderSize+64)
	if _, err := f.ReadAt(head, 0); err != nil {
		return nil, err
	}
	m := readMeta(head)
	if !m.valid {
		return nil, errors.New(m.problem)
	}
	buf := make([]byte, 2*int64(m.pageSize))
	if _, err := f.ReadAt(buf, 0); err != nil {
		return nil, err
	}
	return buf, nil
}
