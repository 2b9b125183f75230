package bolt

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"

	bolt "go.etcd.io/bbolt"
)

// A backup of a register that keeps its files beside it (schema version
// filesOutside on) carries no files: it carries the list of the files it
// refers to, so that they are kept while it is (sweepFiles), and check
// and restore can tell whether they are all there without unpacking it.
// In a compressed backup the list is a second skippable frame, after the
// header: the tag, the SHA-256 of the list, then the list as JSON (one
// fileRef per evidence record with a file). A zstd decoder passes over
// it; a backup without it was made by a version that kept the files inside
// the register, and so carries them. A plain copy (kept before a restore)
// is read for its evidence records instead.

const (
	listMagic = 0x184D2A5D
	listTag   = "ITFILES1"
	// maxList bounds the list read from a backup: 20,000 files take about
	// 3 MB.
	maxList = 64 << 20
)

// writeFileList writes the list frame.
func writeFileList(w io.Writer, refs []fileRef) error {
	body, err := json.Marshal(refs)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	b := binary.LittleEndian.AppendUint32(nil, listMagic)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(listTag)+len(sum)+len(body)))
	b = append(b, listTag...)
	b = append(b, sum[:]...)
	if _, err := w.Write(b); err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}

// readFileList reads the list frame from r, which is just past the header;
// listed is false (and nothing is read) when the backup has none.
func readFileList(r *bufio.Reader) (refs []fileRef, listed bool, err error) {
	head, err := r.Peek(8)
	if err != nil || binary.LittleEndian.Uint32(head) != listMagic {
		return nil, false, nil
	}
	n := binary.LittleEndian.Uint32(head[4:])
	if n < uint32(len(listTag)+sha256.Size) || n > maxList {
		return nil, true, fmt.Errorf("%w: its list of attached files is damaged", errBadPack)
	}
	if _, err := r.Discard(8); err != nil {
		return nil, true, err
	}
	content := make([]byte, n)
	if _, err := io.ReadFull(r, content); err != nil {
		return nil, true, fmt.Errorf("%w: its list of attached files is cut short", errBadPack)
	}
	if !bytes.HasPrefix(content, []byte(listTag)) {
		return nil, true, fmt.Errorf("%w: its list of attached files is damaged", errBadPack)
	}
	sum, body := content[len(listTag):len(listTag)+sha256.Size], content[len(listTag)+sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, true, fmt.Errorf("%w: its list of attached files is damaged", errBadPack)
	}
	if err := json.Unmarshal(body, &refs); err != nil {
		return nil, true, fmt.Errorf("%w: its list of attached files cannot be read", errBadPack)
	}
	for _, ref := range refs {
		if !validSum(ref.SHA256) {
			return nil, true, fmt.Errorf("%w: its list of attached files names %q, which is not a SHA-256", errBadPack, ref.SHA256)
		}
	}
	return refs, true, nil
}

// backupFileRefs lists the attached files the backup at path refers to;
// listed is false for a backup that carries its files inside it. A plain
// copy that cannot be read (a copy kept before restoring a damaged
// register) is passed over, as referring to nothing that can be known:
// its own check refuses it for a restore, and a compressed backup, which
// the app made and checked, is the one whose damaged list is an error.
func backupFileRefs(path string) (refs []fileRef, listed bool, err error) {
	if compressed(path) {
		f, err := os.Open(path)
		if err != nil {
			return nil, false, err
		}
		defer f.Close()
		if _, err := readHeader(f); err != nil {
			return nil, false, err
		}
		return readFileList(bufio.NewReader(f))
	}
	if refs, listed, err = plainFileRefs(path); err != nil {
		return nil, false, nil
	}
	return refs, listed, nil
}

// plainFileRefs lists the attached files a register file that is not open
// refers to (fileRefs).
func plainFileRefs(path string) (refs []fileRef, listed bool, err error) {
	err = guard(path, func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: DefaultTimeout, ReadOnly: true})
		if err != nil {
			return fmt.Errorf("it cannot be opened (%s)", boltProblem(err))
		}
		defer db.Close()
		return db.View(func(tx *bolt.Tx) error {
			refs, listed, err = fileRefs(tx)
			return err
		})
	})
	return refs, listed, err
}
