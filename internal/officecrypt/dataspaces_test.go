package officecrypt

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/richardlehane/mscfb"
)

// cfbStreams reads every stream of a compound file by its path, such as
// "\x06DataSpaces/DataSpaceInfo/StrongEncryptionDataSpace", and lists the
// storages.
func cfbStreams(t *testing.T, raw []byte) (streams map[string][]byte, storages map[string]bool) {
	t.Helper()
	doc, err := mscfb.New(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a compound file: %v", err)
	}
	// The reader keeps a leading control character ("\x06") apart from a
	// name, and leaves it out of the names in a path: put it back.
	type entry struct {
		path []string
		name string
		dir  bool
		data []byte
	}
	var entries []entry
	full := map[string]string{}
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		name := e.Name
		if e.Initial < 0x20 {
			name = string(rune(e.Initial)) + name
		}
		full[e.Name] = name
		en := entry{path: e.Path, name: name, dir: e.FileInfo().IsDir()}
		if !en.dir {
			en.data = make([]byte, e.Size)
			if _, err := doc.Read(en.data); err != nil && e.Size > 0 {
				t.Fatal(err)
			}
		}
		entries = append(entries, en)
	}
	streams, storages = map[string][]byte{}, map[string]bool{}
	for _, en := range entries {
		var parts []string
		for _, p := range en.path {
			parts = append(parts, full[p])
		}
		path := strings.Join(append(parts, en.name), "/")
		if en.dir {
			storages[path] = true
		} else {
			streams[path] = en.data
		}
	}
	return streams, storages
}

// dsReader reads the structures of [MS-OFFCRYPTO] 2.1 back, failing the
// test on anything short or misaligned.
type dsReader struct {
	t    *testing.T
	name string
	b    []byte
}

func (r *dsReader) u32() uint32 {
	r.t.Helper()
	if len(r.b) < 4 {
		r.t.Fatalf("%s ends early", r.name)
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *dsReader) version() [2]uint16 {
	r.t.Helper()
	if len(r.b) < 4 {
		r.t.Fatalf("%s ends early", r.name)
	}
	v := [2]uint16{binary.LittleEndian.Uint16(r.b), binary.LittleEndian.Uint16(r.b[2:])}
	r.b = r.b[4:]
	return v
}

// text reads a UNICODE-LP-P4: a byte length, UTF-16LE, zeros to a
// multiple of four bytes.
func (r *dsReader) text() string {
	r.t.Helper()
	n := int(r.u32())
	padded := (n + 3) / 4 * 4
	if n%2 != 0 || len(r.b) < padded {
		r.t.Fatalf("%s: a string of %d bytes in %d left", r.name, n, len(r.b))
	}
	u := make([]uint16, n/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(r.b[2*i:])
	}
	for _, c := range r.b[n:padded] {
		if c != 0 {
			r.t.Errorf("%s: padding % x after a string, want zeros", r.name, r.b[n:padded])
			break
		}
	}
	r.b = r.b[padded:]
	return string(utf16.Decode(u))
}

func (r *dsReader) end() {
	r.t.Helper()
	if len(r.b) != 0 {
		r.t.Errorf("%s has %d bytes left over: % x", r.name, len(r.b), r.b)
	}
}

// TestEncryptedWorkbookHasDataSpaces checks the \x06DataSpaces storage of
// an encrypted file, stream by stream and field by field, as
// [MS-OFFCRYPTO] 2.1.5 to 2.1.9 and 2.3.4.1 lay it down for a document
// encrypted with a password, beside EncryptionInfo and EncryptedPackage.
func TestEncryptedWorkbookHasDataSpaces(t *testing.T) {
	raw, err := Encrypt(bytes.Repeat([]byte("PK workbook "), 1000), "pass word")
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint16(raw[26:]); v != 3 || binary.LittleEndian.Uint16(raw[30:]) != 9 {
		t.Errorf("compound file version %d with sectors of 2^%d bytes; want version 3, 512-byte sectors, as Excel writes", v, binary.LittleEndian.Uint16(raw[30:]))
	}
	streams, storages := cfbStreams(t, raw)
	const ds = "\x06DataSpaces"
	for _, want := range []string{ds, ds + "/DataSpaceInfo", ds + "/TransformInfo", ds + "/TransformInfo/StrongEncryptionTransform"} {
		if !storages[want] {
			t.Errorf("no storage %q; storages: %v", want, storages)
		}
	}
	var names []string
	for name := range streams {
		names = append(names, name)
	}
	for _, want := range []string{"EncryptionInfo", "EncryptedPackage", ds + "/Version", ds + "/DataSpaceMap",
		ds + "/DataSpaceInfo/StrongEncryptionDataSpace", ds + "/TransformInfo/StrongEncryptionTransform/\x06Primary"} {
		if _, ok := streams[want]; !ok {
			t.Errorf("no stream %q; streams: %q", want, names)
		}
	}
	if len(streams) != 6 {
		t.Errorf("%d streams, want 6: %q", len(streams), names)
	}
	one := [2]uint16{1, 0}

	// Version: DataSpaceVersionInfo.
	r := &dsReader{t, "Version", streams[ds+"/Version"]}
	if got := r.text(); got != "Microsoft.Container.DataSpaces" {
		t.Errorf("Version names the feature %q", got)
	}
	for _, what := range []string{"reader", "updater", "writer"} {
		if v := r.version(); v != one {
			t.Errorf("Version: %s version %v, want 1.0", what, v)
		}
	}
	r.end()

	// DataSpaceMap: one entry, EncryptedPackage in the strong encryption
	// data space.
	r = &dsReader{t, "DataSpaceMap", streams[ds+"/DataSpaceMap"]}
	if h, n := r.u32(), r.u32(); h != 8 || n != 1 {
		t.Errorf("DataSpaceMap: header length %d and %d entries; want 8 and 1", h, n)
	}
	length, before := r.u32(), len(r.b)
	if n := r.u32(); n != 1 {
		t.Errorf("DataSpaceMap entry has %d reference components, want 1", n)
	}
	if kind, name := r.u32(), r.text(); kind != 0 || name != "EncryptedPackage" {
		t.Errorf("DataSpaceMap entry refers to %q of type %d; want the stream (0) EncryptedPackage", name, kind)
	}
	if got := r.text(); got != "StrongEncryptionDataSpace" {
		t.Errorf("DataSpaceMap entry's data space %q", got)
	}
	if used := 4 + before - len(r.b); int(length) != used {
		t.Errorf("DataSpaceMap entry says it is %d bytes; it is %d", length, used)
	}
	r.end()

	// DataSpaceDefinition: the one transform.
	r = &dsReader{t, "StrongEncryptionDataSpace", streams[ds+"/DataSpaceInfo/StrongEncryptionDataSpace"]}
	if h, n := r.u32(), r.u32(); h != 8 || n != 1 {
		t.Errorf("StrongEncryptionDataSpace: header length %d and %d transforms; want 8 and 1", h, n)
	}
	if got := r.text(); got != "StrongEncryptionTransform" {
		t.Errorf("StrongEncryptionDataSpace names the transform %q", got)
	}
	r.end()

	// \x06Primary: TransformInfoHeader, then EncryptionTransformInfo.
	r = &dsReader{t, "\\x06Primary", streams[ds+"/TransformInfo/StrongEncryptionTransform/\x06Primary"]}
	length, before = r.u32(), len(r.b)
	if kind := r.u32(); kind != 1 {
		t.Errorf("\\x06Primary: transform type %d, want 1", kind)
	}
	if id := r.text(); id != "{FF9A3F03-56EF-4613-BDD5-5A41C1D07246}" {
		t.Errorf("\\x06Primary: transform ID %q", id)
	}
	if used := 4 + before - len(r.b); int(length) != used {
		t.Errorf("\\x06Primary: TransformLength %d; the header up to the name is %d bytes", length, used)
	}
	if name := r.text(); name != "Microsoft.Container.EncryptionTransform" {
		t.Errorf("\\x06Primary: transform name %q", name)
	}
	for _, what := range []string{"reader", "updater", "writer"} {
		if v := r.version(); v != one {
			t.Errorf("\\x06Primary: %s version %v, want 1.0", what, v)
		}
	}
	if name := r.text(); name != "" {
		t.Errorf("\\x06Primary: encryption name %q, want none", name)
	}
	if size, mode, reserved := r.u32(), r.u32(), r.u32(); size != 0 || mode != 0 || reserved != 4 {
		t.Errorf("\\x06Primary: block size %d, cipher mode %d, reserved %d; want 0, 0 and 4", size, mode, reserved)
	}
	r.end()
}
