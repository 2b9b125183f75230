// Package pages reads a bbolt file's pages itself, checking every offset
// against the page and the file, before bbolt is trusted with the file:
// bbolt follows the offsets stored in its pages through a memory map
// without checking them, and on a damaged file that can touch memory
// outside the map, which no recover catches when it happens in bbolt's own
// goroutines. It knows the file format and nothing of the register.
package pages

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// The bbolt file format (version 2), as far as Verify needs it. Numbers
// are little-endian on every platform the app is built for.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16 // id uint64, flags uint16, count uint16, overflow uint32
	elementSize      = 16 // branch: pos, ksize uint32, pgid uint64; leaf: flags, pos, ksize, vsize uint32
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	freelistPageFlag = 0x10
	bucketLeafFlag   = 0x01
	noFreelist       = ^uint64(0)
)

// Verify checks a bbolt file's structure by reading its pages itself, so
// that nothing of bbolt's reads a page this has not checked first.
//
// It checks the meta pages (magic, version, checksum), that the file holds
// every page the meta page counts, that every branch and leaf page has the
// right id and type and elements inside it, that the keys of each tree are
// in order (within a page, and each page's within the range the page above
// it gives), that no page is referred to twice, that no page is both free
// and in use, and that every page is either in use or on the freelist:
// all that bbolt's own check (tx.Check) finds.
func Verify(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	v := &verifier{f: f, size: info.Size()}
	return v.run()
}

type verifier struct {
	f        *os.File
	size     int64
	pageSize int64
	hwm      uint64
	state    []byte // per page: 0 unseen, 1 in use, 2 free
	// bufs holds a page read at each depth of the tree, reused for the
	// next page read at that depth: a page is needed only until the walk
	// leaves it, and a new buffer for each was as many bytes of garbage
	// as the file has.
	bufs [][]byte
}

type meta struct {
	pageSize       uint32
	root, freelist uint64
	pgid, txid     uint64
	valid          bool
	problem        string
}

// headers reads the file's two header (meta) pages. The second is one page
// in; when the first is damaged its page size cannot be trusted, so the
// second is looked for where each page size bbolt allows would put it.
func headers(f io.ReaderAt) (m0, m1 meta, err error) {
	head := make([]byte, pageHeaderSize+64)
	if _, err := f.ReadAt(head, 0); err != nil {
		return meta{}, meta{}, errors.New("the file is too short to hold its header")
	}
	m0 = readMeta(head)
	sizes := []int64{4096, 16384, 8192, 32768, 65536, 1024, 2048, 512}
	if m0.valid {
		sizes = []int64{int64(m0.pageSize)}
	}
	for _, ps := range sizes {
		head1 := make([]byte, pageHeaderSize+64)
		if _, err := f.ReadAt(head1, ps); err != nil && !errors.Is(err, io.EOF) {
			return m0, m1, err
		}
		if m1 = readMeta(head1); m1.valid && int64(m1.pageSize) == ps {
			break
		}
	}
	return m0, m1, nil
}

func readMeta(buf []byte) meta {
	if len(buf) < pageHeaderSize+64 {
		return meta{problem: "the file is too short to hold its header"}
	}
	m := buf[pageHeaderSize:]
	le := binary.LittleEndian
	out := meta{pageSize: le.Uint32(m[8:]), root: le.Uint64(m[16:]), freelist: le.Uint64(m[32:]), pgid: le.Uint64(m[40:]), txid: le.Uint64(m[48:])}
	h := fnv.New64a()
	h.Write(m[:56])
	switch {
	case le.Uint32(m[0:]) != boltMagic:
		out.problem = "it is not a database file"
	case le.Uint32(m[4:]) != boltVersion:
		out.problem = "it is in a database format this app does not read"
	case le.Uint64(m[56:]) != h.Sum64():
		out.problem = "its header pages fail their checksum"
	default:
		out.valid = true
	}
	return out
}

func (v *verifier) run() error {
	m0, m1, err := headers(v.f)
	if err != nil {
		return err
	}
	// bbolt uses the valid header with the higher transaction ID.
	m := m0
	if m1.valid && (!m0.valid || m1.txid > m0.txid) {
		m = m1
	}
	if !m.valid {
		return errors.New(m0.problem)
	}
	v.pageSize = int64(m.pageSize)
	if v.pageSize < 512 || v.pageSize > 1<<16 || v.pageSize&(v.pageSize-1) != 0 {
		return fmt.Errorf("its header gives an impossible page size (%d)", v.pageSize)
	}
	v.hwm = m.pgid
	if v.hwm < 2 || v.hwm > uint64(v.size/v.pageSize) {
		return fmt.Errorf("the file is %d bytes but its contents need %d: it has been cut short", v.size, int64(v.hwm)*v.pageSize)
	}
	v.state = make([]byte, v.hwm)
	v.state[0], v.state[1] = 1, 1
	if m.freelist != noFreelist {
		if err := v.freelist(m.freelist); err != nil {
			return err
		}
	}
	if err := v.tree(m.root, 0, nil, nil); err != nil {
		return err
	}
	for id := uint64(2); id < v.hwm; id++ {
		if v.state[id] == 0 {
			return fmt.Errorf("page %d is neither in use nor free", id)
		}
	}
	return nil
}

// page reads page id with its overflow pages and marks them in use, into
// the buffer of the depth it is read at (valid until the next page read
// at that depth).
func (v *verifier) page(id uint64, want uint16, depth int) ([]byte, error) {
	if id < 2 || id >= v.hwm {
		return nil, fmt.Errorf("a page number (%d) is outside the file", id)
	}
	for len(v.bufs) <= depth {
		v.bufs = append(v.bufs, make([]byte, v.pageSize))
	}
	// Read one page; most pages have no overflow, so this is usually all.
	hdr := v.bufs[depth][:v.pageSize]
	if _, err := v.f.ReadAt(hdr, int64(id)*v.pageSize); err != nil {
		return nil, fmt.Errorf("page %d cannot be read: %v", id, err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(hdr); got != id {
		return nil, fmt.Errorf("page %d is labelled as page %d", id, got)
	}
	// One type, and one wanted: bbolt takes a page with any other bit set
	// for no type at all.
	if flags := le.Uint16(hdr[8:]); flags == 0 || flags&(flags-1) != 0 || flags&^want != 0 {
		return nil, fmt.Errorf("page %d has the wrong type (%#x)", id, flags)
	}
	overflow := uint64(le.Uint32(hdr[12:]))
	if id+overflow >= v.hwm {
		return nil, fmt.Errorf("page %d runs past the end of the file", id)
	}
	for i := id; i <= id+overflow; i++ {
		if v.state[i] != 0 {
			return nil, fmt.Errorf("page %d is used twice", i)
		}
		v.state[i] = 1
	}
	if overflow == 0 {
		return hdr, nil
	}
	size := int64(overflow+1) * v.pageSize
	if int64(cap(v.bufs[depth])) < size {
		v.bufs[depth] = make([]byte, size)
	}
	buf := v.bufs[depth][:size]
	if _, err := v.f.ReadAt(buf, int64(id)*v.pageSize); err != nil {
		return nil, fmt.Errorf("page %d cannot be read: %v", id, err)
	}
	return buf, nil
}

func (v *verifier) freelist(id uint64) error {
	buf, err := v.page(id, freelistPageFlag, 0)
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	count, start := uint64(le.Uint16(buf[10:])), uint64(pageHeaderSize)
	if count == 0xFFFF {
		count, start = le.Uint64(buf[pageHeaderSize:]), pageHeaderSize+8
	}
	if count > uint64(len(buf)) || start+count*8 > uint64(len(buf)) {
		return fmt.Errorf("the list of free pages (page %d) is damaged", id)
	}
	for i := uint64(0); i < count; i++ {
		free := le.Uint64(buf[start+i*8:])
		if free < 2 || free >= v.hwm {
			return fmt.Errorf("the list of free pages names page %d, outside the file", free)
		}
		if v.state[free] != 0 {
			return fmt.Errorf("page %d is listed as free twice, or is also in use", free)
		}
		v.state[free] = 2
	}
	return nil
}

// tree checks the B+tree rooted at page id, whose keys must be at least
// lo and below hi (nil: no bound), as its parent's keys say.
func (v *verifier) tree(id uint64, depth int, lo, hi []byte) error {
	if depth > 64 {
		return errors.New("the tree of pages loops back on itself")
	}
	if v.state[min(id, uint64(len(v.state)-1))] == 2 {
		return fmt.Errorf("page %d is both free and in use", id)
	}
	buf, err := v.page(id, branchPageFlag|leafPageFlag, depth)
	if err != nil {
		return err
	}
	return v.nodes(buf, id, depth, lo, hi)
}

// nodes checks the elements of a page (or of an inline bucket's page) held
// in buf, whose keys must be at least lo and below hi. A branch element's
// key is the least its child's keys may be, and the next element's the
// bound they must stay below: so the keys of the whole tree are in order,
// as bbolt's own check (tx.Check) holds them to.
func (v *verifier) nodes(buf []byte, id uint64, depth int, lo, hi []byte) error {
	le := binary.LittleEndian
	flags, count := le.Uint16(buf[8:]), int(le.Uint16(buf[10:]))
	if pageHeaderSize+count*elementSize > len(buf) {
		return fmt.Errorf("page %d claims more entries than it can hold", id)
	}
	var prev []byte
	// A branch element's child is checked once the next element's key,
	// its bound, is known.
	var child uint64
	var childLo []byte
	pending := false
	for i := range count {
		off := pageHeaderSize + i*elementSize
		e := buf[off : off+elementSize]
		var pos, ksize, vsize uint64
		if flags&branchPageFlag != 0 {
			pos, ksize = uint64(le.Uint32(e[0:])), uint64(le.Uint32(e[4:]))
		} else {
			pos, ksize, vsize = uint64(le.Uint32(e[4:])), uint64(le.Uint32(e[8:])), uint64(le.Uint32(e[12:]))
		}
		start := uint64(off) + pos
		if start+ksize+vsize > uint64(len(buf)) {
			return fmt.Errorf("entry %d of page %d points outside the page", i, id)
		}
		key := buf[start : start+ksize]
		if i > 0 && bytes.Compare(prev, key) >= 0 {
			return fmt.Errorf("the keys of page %d are out of order", id)
		}
		if lo != nil && bytes.Compare(key, lo) < 0 || hi != nil && bytes.Compare(key, hi) >= 0 {
			return fmt.Errorf("the keys of page %d are outside the range the page above it gives them", id)
		}
		prev = key
		if flags&branchPageFlag != 0 {
			if pending {
				if err := v.tree(child, depth+1, childLo, key); err != nil {
					return err
				}
			}
			child, childLo, pending = le.Uint64(e[8:]), key, true
			continue
		}
		if le.Uint32(e[0:])&bucketLeafFlag == 0 {
			continue
		}
		val := buf[start+ksize : start+ksize+vsize]
		if len(val) < 16 {
			return fmt.Errorf("a bucket header in page %d is cut short", id)
		}
		if root := le.Uint64(val); root != 0 {
			if err := v.tree(root, depth+1, nil, nil); err != nil {
				return err
			}
			continue
		}
		inline := val[16:]
		if len(inline) < pageHeaderSize || le.Uint16(inline[8:]) != leafPageFlag {
			return fmt.Errorf("a small bucket stored in page %d is damaged", id)
		}
		if err := v.nodes(inline, id, depth+1, nil, nil); err != nil {
			return err
		}
	}
	if pending {
		return v.tree(child, depth+1, childLo, hi)
	}
	return nil
}
