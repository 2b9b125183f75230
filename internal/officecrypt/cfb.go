package officecrypt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"sort"
	"unicode/utf16"
)

// A compound file (MS-CFB) of our own, for the encrypted workbook: the
// spreadsheet library's writer is not exported. It is version 3, with
// 512-byte sectors, as Excel writes its encrypted workbooks, so that
// nothing about the container is new to a reader that knows Excel's.

// cfbEntry is a stream, or a storage holding streams and storages.
type cfbEntry struct {
	name     string
	data     []byte
	storage  bool
	children []*cfbEntry
}

func cfbStreamOf(name string, data []byte) *cfbEntry { return &cfbEntry{name: name, data: data} }

func cfbStorageOf(name string, children ...*cfbEntry) *cfbEntry {
	return &cfbEntry{name: name, storage: true, children: children}
}

// Compound file constants for version 3.
const (
	cfbSector      = 512
	cfbMini        = 64
	cfbMiniCutoff  = 4096
	cfbPerSector   = cfbSector / 4 // allocation table entries in a sector
	cfbDirEntry    = 128
	cfbDirPerSect  = cfbSector / cfbDirEntry
	cfbHeaderDIFAT = 109
	cfbFree        = 0xFFFFFFFF
	cfbEnd         = 0xFFFFFFFE
	cfbFATSect     = 0xFFFFFFFD
	cfbDIFSect     = 0xFFFFFFFC
	cfbNoStream    = 0xFFFFFFFF
	cfbNameMax     = 31 // UTF-16 code units, before the terminating zero
)

// Directory entry types.
const (
	cfbTypeStorage = 1
	cfbTypeStream  = 2
	cfbTypeRoot    = 5
)

// cfbDir is a directory entry as laid out: its entry, its place in its
// storage's tree, and where its data starts.
type cfbDir struct {
	e                  *cfbEntry
	kind               byte
	left, right, child uint32
	start              uint32
	size               uint64
}

// cfbLayout is a compound file laid out: its directory, its mini stream,
// and where everything goes in its sectors.
type cfbLayout struct {
	dirs    []*cfbDir
	mini    []byte
	miniFAT []uint32
	// fat is the file allocation table; fatSects the sectors that hold it.
	fat      []uint32
	fatSects []uint32
	// Where the mini stream, the mini FAT, the directory and the DIFAT
	// begin, and how many sectors the mini FAT, FAT and DIFAT take.
	miniStart, miniFATStart, dirStart, difatStart uint32
	miniFATSectors, nFAT, nDIFAT                  int
}

// compoundFile writes the root storage's children into a compound file:
// streams under the cutoff in the mini stream, the rest in sectors of
// their own. Each storage's children form a binary search tree in the
// format's order (shorter names first, then by upper-case name), balanced
// and all black, which the format allows.
func compoundFile(root []*cfbEntry) ([]byte, error) {
	l := &cfbLayout{dirs: []*cfbDir{{e: &cfbEntry{name: "Root Entry", storage: true, children: root}, kind: cfbTypeRoot,
		left: cfbNoStream, right: cfbNoStream, child: cfbNoStream}}}
	// The directory: the root first, then every entry below it.
	if err := l.place(0); err != nil {
		return nil, err
	}
	l.layMini()
	l.laySectors()
	var out bytes.Buffer
	l.writeHeader(&out)
	l.writeBody(&out)
	return out.Bytes(), nil
}

// sectors is how many sectors of size bytes hold n bytes.
func sectors(n, size int) int { return (n + size - 1) / size }

// place adds the children of the storage at dirs[parent] to the
// directory, as a balanced tree under it, and then theirs.
func (l *cfbLayout) place(parent int) error {
	kids := append([]*cfbEntry{}, l.dirs[parent].e.children...)
	seen := map[string]bool{}
	for _, k := range kids {
		if len(utf16.Encode([]rune(k.name))) > cfbNameMax || k.name == "" {
			return errors.New("a compound file entry name must have 1 to 31 characters")
		}
		if seen[upper(k.name)] {
			return errors.New("two compound file entries share the name " + k.name)
		}
		seen[upper(k.name)] = true
	}
	sort.Slice(kids, func(i, j int) bool { return cfbLess(kids[i].name, kids[j].name) })
	first := len(l.dirs)
	for _, k := range kids {
		d := &cfbDir{e: k, kind: cfbTypeStream, left: cfbNoStream, right: cfbNoStream, child: cfbNoStream}
		if k.storage {
			d.kind = cfbTypeStorage
		}
		l.dirs = append(l.dirs, d)
	}
	// The middle of each run is the root of its subtree.
	var tree func(lo, hi int) uint32
	tree = func(lo, hi int) uint32 {
		if lo >= hi {
			return cfbNoStream
		}
		mid := (lo + hi) / 2
		d := l.dirs[first+mid]
		d.left, d.right = tree(lo, mid), tree(mid+1, hi)
		return uint32(first + mid)
	}
	l.dirs[parent].child = tree(0, len(kids))
	for i, k := range kids {
		if k.storage {
			if err := l.place(first + i); err != nil {
				return err
			}
		}
	}
	return nil
}

// layMini puts the streams under the cutoff in the mini stream, and
// makes its allocation table.
func (l *cfbLayout) layMini() {
	for _, d := range l.dirs {
		if d.kind != cfbTypeStream || len(d.e.data) >= cfbMiniCutoff {
			continue
		}
		d.size = uint64(len(d.e.data))
		if len(d.e.data) == 0 {
			d.start = cfbEnd
			continue
		}
		first := len(l.miniFAT)
		n := sectors(len(d.e.data), cfbMini)
		for j := 0; j < n; j++ {
			next := uint32(first + j + 1)
			if j == n-1 {
				next = cfbEnd
			}
			l.miniFAT = append(l.miniFAT, next)
		}
		d.start = uint32(first)
		l.mini = append(l.mini, d.e.data...)
		l.mini = append(l.mini, make([]byte, n*cfbMini-len(d.e.data))...)
	}
}

// chain gives the next n sectors to one chain in the FAT and returns the
// first, or the end of chain for none.
func (l *cfbLayout) chain(n int) uint32 {
	if n == 0 {
		return cfbEnd
	}
	first := len(l.fat)
	for j := 0; j < n; j++ {
		next := uint32(first + j + 1)
		if j == n-1 {
			next = cfbEnd
		}
		l.fat = append(l.fat, next)
	}
	return uint32(first)
}

// laySectors lays out the sectors after the header: mini stream, mini
// FAT, directory, big streams, FAT, DIFAT.
func (l *cfbLayout) laySectors() {
	l.miniStart = l.chain(sectors(len(l.mini), cfbSector))
	l.miniFATSectors = sectors(len(l.miniFAT)*4, cfbSector)
	l.miniFATStart = l.chain(l.miniFATSectors)
	l.dirStart = l.chain(sectors(len(l.dirs), cfbDirPerSect))
	for _, d := range l.dirs {
		if d.kind == cfbTypeStream && len(d.e.data) >= cfbMiniCutoff {
			d.start, d.size = l.chain(sectors(len(d.e.data), cfbSector)), uint64(len(d.e.data))
		}
	}
	if len(l.mini) > 0 {
		l.dirs[0].start, l.dirs[0].size = l.miniStart, uint64(len(l.mini))
	} else {
		l.dirs[0].start = cfbEnd
	}
	// The FAT must cover its own sectors and the DIFAT's, which cover
	// the FAT's past the header's 109: grow both until they settle.
	data := len(l.fat)
	for {
		total := data + l.nFAT + l.nDIFAT
		f := sectors(total, cfbPerSector)
		d := 0
		if f > cfbHeaderDIFAT {
			d = sectors(f-cfbHeaderDIFAT, cfbPerSector-1)
		}
		if f == l.nFAT && d == l.nDIFAT {
			break
		}
		l.nFAT, l.nDIFAT = f, d
	}
	l.fatSects = make([]uint32, l.nFAT)
	for i := range l.fatSects {
		l.fatSects[i] = uint32(len(l.fat))
		l.fat = append(l.fat, cfbFATSect)
	}
	l.difatStart = uint32(cfbEnd)
	if l.nDIFAT > 0 {
		l.difatStart = uint32(len(l.fat))
	}
	for i := 0; i < l.nDIFAT; i++ {
		l.fat = append(l.fat, cfbDIFSect)
	}
	for len(l.fat)%cfbPerSector != 0 {
		l.fat = append(l.fat, cfbFree)
	}
}

// writeHeader writes the header: one sector.
func (l *cfbLayout) writeHeader(out *bytes.Buffer) {
	le := func(v any) { _ = binary.Write(out, binary.LittleEndian, v) }
	out.Write([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	out.Write(make([]byte, 16)) // CLSID
	le(uint16(0x003E))          // minor version
	le(uint16(3))               // major version
	le(uint16(0xFFFE))          // little-endian
	le(uint16(9))               // 512-byte sectors
	le(uint16(6))               // 64-byte mini sectors
	out.Write(make([]byte, 6))
	le(uint32(0)) // directory sectors: always 0 in version 3
	le(uint32(l.nFAT))
	le(l.dirStart)
	le(uint32(0)) // transaction signature
	le(uint32(cfbMiniCutoff))
	if len(l.miniFAT) > 0 {
		le(l.miniFATStart)
	} else {
		le(uint32(cfbEnd))
	}
	le(uint32(l.miniFATSectors))
	le(l.difatStart)
	le(uint32(l.nDIFAT))
	for i := 0; i < cfbHeaderDIFAT; i++ {
		if i < l.nFAT {
			le(l.fatSects[i])
		} else {
			le(uint32(cfbFree))
		}
	}
}

// writeBody writes the sectors after the header, in the order laySectors
// gave them.
func (l *cfbLayout) writeBody(out *bytes.Buffer) {
	le := func(v any) { _ = binary.Write(out, binary.LittleEndian, v) }
	pad := func() {
		if r := out.Len() % cfbSector; r != 0 {
			out.Write(make([]byte, cfbSector-r))
		}
	}
	// Mini stream and mini FAT.
	out.Write(l.mini)
	pad()
	for _, e := range l.miniFAT {
		le(e)
	}
	for i := len(l.miniFAT); i%cfbPerSector != 0; i++ {
		le(uint32(cfbFree))
	}
	// Directory, filled to whole sectors with unused entries.
	for _, d := range l.dirs {
		cfbWriteEntry(out, d.e.name, d.kind, d.left, d.right, d.child, d.start, d.size)
	}
	for i := len(l.dirs); i%cfbDirPerSect != 0; i++ {
		cfbWriteEntry(out, "", 0, cfbNoStream, cfbNoStream, cfbNoStream, 0, 0)
	}
	// Big streams, in directory order as their sectors were given.
	for _, d := range l.dirs {
		if d.kind == cfbTypeStream && len(d.e.data) >= cfbMiniCutoff {
			out.Write(d.e.data)
			pad()
		}
	}
	// FAT, then DIFAT: each DIFAT sector lists FAT sectors past the 109
	// in the header and ends with the next DIFAT sector.
	for _, e := range l.fat {
		le(e)
	}
	rest := l.fatSects[min(l.nFAT, cfbHeaderDIFAT):]
	for d := 0; d < l.nDIFAT; d++ {
		for j := 0; j < cfbPerSector-1; j++ {
			if len(rest) > 0 {
				le(rest[0])
				rest = rest[1:]
			} else {
				le(uint32(cfbFree))
			}
		}
		if d+1 < l.nDIFAT {
			le(l.difatStart + uint32(d+1))
		} else {
			le(uint32(cfbEnd))
		}
	}
}

// cfbWriteEntry writes one 128-byte directory entry. Every used entry is
// black; class IDs, state bits and times are left zero, which the format
// allows.
func cfbWriteEntry(out *bytes.Buffer, name string, kind byte, left, right, child, start uint32, size uint64) {
	le := func(v any) { _ = binary.Write(out, binary.LittleEndian, v) }
	u := utf16.Encode([]rune(name))
	var nameBuf [64]byte
	for i, c := range u {
		binary.LittleEndian.PutUint16(nameBuf[2*i:], c)
	}
	out.Write(nameBuf[:])
	if name == "" {
		le(uint16(0))
	} else {
		le(uint16(2*len(u) + 2))
	}
	out.WriteByte(kind)
	if kind == 0 {
		out.WriteByte(0)
	} else {
		out.WriteByte(1) // black
	}
	le(left)
	le(right)
	le(child)
	out.Write(make([]byte, 16+4+8+8)) // CLSID, state, times
	le(start)
	le(size)
}

// cfbLess orders names in a storage as the format does: shorter first,
// then by upper-case code units.
func cfbLess(a, b string) bool {
	ua, ub := utf16.Encode([]rune(upper(a))), utf16.Encode([]rune(upper(b)))
	if len(ua) != len(ub) {
		return len(ua) < len(ub)
	}
	for i := range ua {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return false
}

// upper folds a stream name as the compound file orders them.
func upper(s string) string {
	r := []rune(s)
	for i, c := range r {
		if c >= 'a' && c <= 'z' {
			r[i] = c - 'a' + 'A'
		}
	}
	return string(r)
}
