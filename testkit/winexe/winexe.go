// Package winexe reads what a Windows user's shell sees in an .exe — its
// subsystem (window or console), icon, version resource and the DLLs it
// needs — so that the Windows build, which cannot be run here, is proved
// from the file itself. It also turns the window build into the console
// build of the same program by changing its subsystem, as Microsoft's
// "editbin /SUBSYSTEM" does.
package winexe

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf16"
)

// Resource types used by the checks (winuser.h).
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

// Info is what a Windows executable says about itself.
type Info struct {
	Machine   uint16 // pe.IMAGE_FILE_MACHINE_AMD64 for the laptops' builds
	Subsystem uint16 // pe.IMAGE_SUBSYSTEM_WINDOWS_GUI or _CUI
	// DLLs are the libraries the loader must find, as named in the import
	// table.
	DLLs []string
	// Icons are the icon groups, each listing the pixel sizes it offers
	// (256 stands for "256 or larger", as in the ICO format).
	Icons [][]int
	// IconImages counts the RT_ICON images the groups refer to.
	IconImages int
	// Version is the version resource; nil when there is none.
	Version *Version
	// Manifest is the application manifest, empty when there is none.
	Manifest string
}

// Version is an RT_VERSION resource: the numeric versions of its fixed part
// and the strings Windows shows under Properties → Details.
type Version struct {
	File    [4]uint16 // major, minor, patch, build
	Product [4]uint16
	Strings map[string]string // "ProductName", "ProductVersion", "FileDescription", …
}

// Read reads the executable at path.
func Read(path string) (*Info, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s is not a Windows executable: %w", path, err)
	}
	defer f.Close()

	info := &Info{Machine: f.Machine}
	var dir pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		info.Subsystem = oh.Subsystem
		if len(oh.DataDirectory) > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	case *pe.OptionalHeader32:
		info.Subsystem = oh.Subsystem
		if len(oh.DataDirectory) > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			dir = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	default:
		return nil, fmt.Errorf("%s has no optional header", path)
	}
	// debug/pe's ImportedLibraries is not implemented for PE files, so the
	// DLL names come from the imported symbols ("CreateFileW:kernel32.dll").
	syms, err := f.ImportedSymbols()
	if err != nil {
		return nil, fmt.Errorf("reading the imports of %s: %w", path, err)
	}
	for _, s := range syms {
		if _, dll, ok := strings.Cut(s, ":"); ok && !slices.Contains(info.DLLs, dll) {
			info.DLLs = append(info.DLLs, dll)
		}
	}
	slices.Sort(info.DLLs)
	if dir.VirtualAddress == 0 || dir.Size == 0 {
		return info, nil
	}

	rsrc, err := readRVA(f, dir.VirtualAddress, dir.Size)
	if err != nil {
		return nil, fmt.Errorf("reading the resources of %s: %w", path, err)
	}
	leaves, err := walkResources(rsrc)
	if err != nil {
		return nil, fmt.Errorf("reading the resources of %s: %w", path, err)
	}
	for _, l := range leaves {
		data, err := readRVA(f, l.rva, l.size)
		if err != nil {
			return nil, fmt.Errorf("reading resource type %d of %s: %w", l.typ, path, err)
		}
		switch l.typ {
		case rtIcon:
			info.IconImages++
		case rtGroupIcon:
			sizes, err := parseGroupIcon(data)
			if err != nil {
				return nil, fmt.Errorf("reading the icon of %s: %w", path, err)
			}
			info.Icons = append(info.Icons, sizes)
		case rtVersion:
			v, err := parseVersion(data)
			if err != nil {
				return nil, fmt.Errorf("reading the version resource of %s: %w", path, err)
			}
			info.Version = v
		case rtManifest:
			info.Manifest = string(data)
		}
	}
	return info, nil
}

// readRVA returns n bytes at relative virtual address rva.
func readRVA(f *pe.File, rva, n uint32) ([]byte, error) {
	for _, s := range f.Sections {
		if rva >= s.VirtualAddress && uint64(rva)+uint64(n) <= uint64(s.VirtualAddress)+uint64(s.Size) {
			b := make([]byte, n)
			if _, err := s.ReadAt(b, int64(rva-s.VirtualAddress)); err != nil {
				return nil, err
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("address %#x (+%d bytes) is outside every section", rva, n)
}

// leaf is one resource: its type and where its bytes are.
type leaf struct {
	typ       uint32
	rva, size uint32
}

// walkResources lists the resources of the three-level resource tree
// (type, then name, then language) held in rsrc.
func walkResources(rsrc []byte) ([]leaf, error) {
	var out []leaf
	var walk func(off uint32, depth int, typ uint32) error
	walk = func(off uint32, depth int, typ uint32) error {
		if depth > 3 {
			return errors.New("the resource tree is deeper than three levels")
		}
		if uint64(off)+16 > uint64(len(rsrc)) {
			return errors.New("a resource directory lies outside the resource section")
		}
		named := binary.LittleEndian.Uint16(rsrc[off+12:])
		ids := binary.LittleEndian.Uint16(rsrc[off+14:])
		for i := uint32(0); i < uint32(named)+uint32(ids); i++ {
			e := off + 16 + 8*i
			if uint64(e)+8 > uint64(len(rsrc)) {
				return errors.New("a resource entry lies outside the resource section")
			}
			name := binary.LittleEndian.Uint32(rsrc[e:])
			target := binary.LittleEndian.Uint32(rsrc[e+4:])
			t := typ
			if depth == 0 {
				t = name // a named type has the high bit set and matches no standard type
			}
			if target&0x80000000 != 0 {
				if err := walk(target&0x7fffffff, depth+1, t); err != nil {
					return err
				}
				continue
			}
			if uint64(target)+8 > uint64(len(rsrc)) {
				return errors.New("a resource data entry lies outside the resource section")
			}
			out = append(out, leaf{
				typ:  t,
				rva:  binary.LittleEndian.Uint32(rsrc[target:]),
				size: binary.LittleEndian.Uint32(rsrc[target+4:]),
			})
		}
		return nil
	}
	return out, walk(0, 0, 0)
}

// parseGroupIcon reads a GRPICONDIR and returns the width of each image.
func parseGroupIcon(b []byte) ([]int, error) {
	if len(b) < 6 || binary.LittleEndian.Uint16(b[2:]) != 1 {
		return nil, errors.New("the icon group header is not an icon directory")
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	if len(b) < 6+14*n {
		return nil, fmt.Errorf("the icon group lists %d images but holds %d bytes", n, len(b))
	}
	sizes := make([]int, n)
	for i := range sizes {
		w := int(b[6+14*i])
		if w == 0 {
			w = 256
		}
		sizes[i] = w
	}
	return sizes, nil
}

// node is one block of a version resource: a key, a value and children.
type node struct {
	key      string
	text     bool
	value    []byte
	children []node
}

// parseVersion reads a VS_VERSIONINFO block.
func parseVersion(b []byte) (*Version, error) {
	root, _, err := parseNode(b, 0)
	if err != nil {
		return nil, err
	}
	if root.key != "VS_VERSION_INFO" {
		return nil, fmt.Errorf("the version resource starts with %q, not VS_VERSION_INFO", root.key)
	}
	v := &Version{Strings: map[string]string{}}
	if len(root.value) >= 52 {
		if sig := binary.LittleEndian.Uint32(root.value); sig != 0xFEEF04BD {
			return nil, fmt.Errorf("the fixed version information has signature %#x", sig)
		}
		word := func(i int) uint32 { return binary.LittleEndian.Uint32(root.value[4*i:]) }
		v.File = [4]uint16{uint16(word(2) >> 16), uint16(word(2)), uint16(word(3) >> 16), uint16(word(3))}
		v.Product = [4]uint16{uint16(word(4) >> 16), uint16(word(4)), uint16(word(5) >> 16), uint16(word(5))}
	}
	for _, c := range root.children {
		if c.key != "StringFileInfo" {
			continue
		}
		for _, table := range c.children {
			for _, s := range table.children {
				v.Strings[s.key] = decodeUTF16(s.value)
			}
		}
	}
	return v, nil
}

// parseNode reads the block at off: wLength, wValueLength, wType, a
// NUL-terminated UTF-16 key, the value and the children, each part aligned
// to 32 bits. It returns the block and the offset after it.
func parseNode(b []byte, off int) (node, int, error) {
	if off+6 > len(b) {
		return node{}, 0, errors.New("a version block is cut short")
	}
	length := int(binary.LittleEndian.Uint16(b[off:]))
	valueLen := int(binary.LittleEndian.Uint16(b[off+2:]))
	n := node{text: binary.LittleEndian.Uint16(b[off+4:]) == 1}
	end := off + length
	if length < 6 || end > len(b) {
		return node{}, 0, fmt.Errorf("a version block claims %d bytes where %d remain", length, len(b)-off)
	}
	p := off + 6
	var key []uint16
	for {
		if p+2 > end {
			return node{}, 0, errors.New("a version block's key is not terminated")
		}
		c := binary.LittleEndian.Uint16(b[p:])
		p += 2
		if c == 0 {
			break
		}
		key = append(key, c)
	}
	n.key = string(utf16.Decode(key))
	p = align4(p)
	if n.text {
		valueLen *= 2 // counted in UTF-16 units for text values
	}
	if p+valueLen > end {
		// Some writers count the text value's terminator inconsistently;
		// keep what is there.
		valueLen = end - p
	}
	if valueLen > 0 {
		n.value = b[p : p+valueLen]
		p = align4(p + valueLen)
	}
	for p < end {
		c, next, err := parseNode(b, p)
		if err != nil {
			return node{}, 0, err
		}
		n.children = append(n.children, c)
		p = align4(next)
	}
	return n, end, nil
}

func align4(p int) int { return (p + 3) &^ 3 }

func decodeUTF16(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, binary.LittleEndian.Uint16(b[i:]))
	}
	return strings.TrimRight(string(utf16.Decode(u)), "\x00")
}

// Offsets in the headers, from the PE format specification: the optional
// header follows the 4-byte signature and the 20-byte COFF header; its
// CheckSum and Subsystem fields are at the same place in PE32 and PE32+.
const (
	offPEPointer = 0x3c
	offChecksum  = 4 + 20 + 64
	offSubsystem = 4 + 20 + 68
)

// SetSubsystem copies the executable src to dst with its subsystem set to
// sub (pe.IMAGE_SUBSYSTEM_WINDOWS_CUI for a console program). Nothing else
// changes, except the header checksum when the linker wrote one, so the two
// files run the same code with the same icon and version.
func SetSubsystem(src, dst string, sub uint16) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	f, err := pe.NewFile(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%s is not a Windows executable: %w", src, err)
	}
	f.Close()
	if len(b) < offPEPointer+4 {
		return fmt.Errorf("%s is too short to be a Windows executable", src)
	}
	hdr := int(binary.LittleEndian.Uint32(b[offPEPointer:]))
	if hdr < 0 || hdr+offSubsystem+2 > len(b) || string(b[hdr:hdr+4]) != "PE\x00\x00" {
		return fmt.Errorf("%s has no PE header where its DOS header points", src)
	}
	binary.LittleEndian.PutUint16(b[hdr+offSubsystem:], sub)
	if binary.LittleEndian.Uint32(b[hdr+offChecksum:]) != 0 {
		binary.LittleEndian.PutUint32(b[hdr+offChecksum:], checksum(b, hdr+offChecksum))
	}
	return os.WriteFile(dst, b, 0o755)
}

// checksum is the PE image checksum (as imagehlp's CheckSumMappedFile
// computes it): the 16-bit one's-complement-style sum of the file, skipping
// the checksum field, plus the file's length.
func checksum(b []byte, skip int) uint32 {
	var sum uint64
	for i := 0; i+1 < len(b); i += 2 {
		if i == skip || i == skip+2 {
			continue
		}
		sum += uint64(binary.LittleEndian.Uint16(b[i:]))
		sum = (sum & 0xffff) + (sum >> 16)
	}
	if len(b)%2 == 1 {
		sum += uint64(b[len(b)-1])
		sum = (sum & 0xffff) + (sum >> 16)
	}
	sum = (sum & 0xffff) + (sum >> 16)
	return uint32(sum) + uint32(len(b))
}
