package winexe

import (
	"debug/pe"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// buildHello cross-compiles testdata/hello into a small Windows program, so
// that the header work is tried on a file Go's own linker wrote.
func buildHello(t *testing.T, ldflags string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "hello.exe")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-ldflags", ldflags, "-o", exe, "./testdata/hello")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the Windows test program: %v\n%s", err, out)
	}
	return exe
}

func TestReadGoProgram(t *testing.T) {
	exe := buildHello(t, "-H=windowsgui")
	info, err := Read(exe)
	if err != nil {
		t.Fatal(err)
	}
	if info.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("Machine = %#x, want AMD64", info.Machine)
	}
	if info.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		t.Errorf("Subsystem = %d, want the GUI subsystem (%d)", info.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	if !slices.ContainsFunc(info.DLLs, func(d string) bool { return strings.EqualFold(d, "kernel32.dll") }) {
		t.Errorf("DLLs = %v, want kernel32.dll among them", info.DLLs)
	}
	if info.Version != nil || len(info.Icons) != 0 {
		t.Errorf("a program without resources read as having version %+v and icons %v", info.Version, info.Icons)
	}
}

func TestSetSubsystem(t *testing.T) {
	gui := buildHello(t, "-H=windowsgui")
	console := filepath.Join(t.TempDir(), "hello-cli.exe")
	if err := SetSubsystem(gui, console, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI); err != nil {
		t.Fatal(err)
	}
	info, err := Read(console)
	if err != nil {
		t.Fatal(err)
	}
	if info.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
		t.Errorf("Subsystem = %d, want the console subsystem (%d)", info.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI)
	}

	// Nothing but the subsystem field (and the checksum, which Go's linker
	// leaves at zero) may differ from the window build.
	before, err := os.ReadFile(gui)
	if err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(console)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) != len(after) {
		t.Fatalf("the console build is %d bytes, the window build %d", len(after), len(before))
	}
	field := int(binary.LittleEndian.Uint32(before[offPEPointer:])) + offSubsystem
	for i := range before {
		if before[i] != after[i] && i != field && i != field+1 {
			t.Errorf("byte %#x changed from %#x to %#x; only the subsystem at %#x should", i, before[i], after[i], field)
			break
		}
	}
}

func TestSetSubsystemRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	notExe := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notExe, []byte("not a program"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := SetSubsystem(notExe, filepath.Join(dir, "out.exe"), pe.IMAGE_SUBSYSTEM_WINDOWS_CUI); err == nil {
		t.Error("SetSubsystem accepted a text file")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.exe")); !os.IsNotExist(err) {
		t.Error("SetSubsystem wrote an output for a text file")
	}
	if _, err := Read(notExe); err == nil || !strings.Contains(err.Error(), "is not a Windows executable") {
		t.Errorf("Read(text file) error = %v, want one saying it is not a Windows executable", err)
	}
}

// TestChecksum checks the PE checksum against a hand-computed value: the
// sum of the 16-bit words (folding carries), skipping the checksum field,
// plus the length.
func TestChecksum(t *testing.T) {
	b := []byte{0xff, 0xff, 0x02, 0x00, 0xAA, 0xBB, 0xCC, 0xDD, 0x01}
	// 0xffff + 0x0002 = 0x10001 → fold → 0x0002; skip bytes 4..7; + 0x01 → 0x0003; + length 9.
	if got := checksum(b, 4); got != 0x0003+9 {
		t.Errorf("checksum = %#x, want %#x", got, 0x0003+9)
	}
}

// utf16z encodes s as NUL-terminated UTF-16LE.
func utf16z(s string) []byte {
	var b []byte
	for _, u := range append(utf16.Encode([]rune(s)), 0) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

// block builds a version-resource block as a resource compiler does.
func block(key string, text bool, value []byte, children ...[]byte) []byte {
	var b []byte
	b = append(b, 0, 0, 0, 0, 0, 0)
	b = append(b, utf16z(key)...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	vlen := len(value)
	if text {
		vlen /= 2
	}
	b = append(b, value...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	for _, c := range children {
		b = append(b, c...)
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
	}
	binary.LittleEndian.PutUint16(b[0:], uint16(len(b)))
	binary.LittleEndian.PutUint16(b[2:], uint16(vlen))
	if text {
		binary.LittleEndian.PutUint16(b[4:], 1)
	}
	return b
}

func TestParseVersion(t *testing.T) {
	fixed := make([]byte, 52)
	binary.LittleEndian.PutUint32(fixed[0:], 0xFEEF04BD)
	binary.LittleEndian.PutUint32(fixed[8:], 0<<16|1)  // file 0.1
	binary.LittleEndian.PutUint32(fixed[12:], 2<<16|3) // .2.3
	binary.LittleEndian.PutUint32(fixed[16:], 4<<16|5)
	binary.LittleEndian.PutUint32(fixed[20:], 6<<16|7)
	res := block("VS_VERSION_INFO", false, fixed,
		block("StringFileInfo", true, nil,
			block("040904B0", true, nil,
				block("ProductName", true, utf16z("Improvement Tracker")),
				block("ProductVersion", true, utf16z("0.1.0.1")),
			),
		),
		block("VarFileInfo", true, nil, block("Translation", false, []byte{9, 4, 0xB0, 4})),
	)
	v, err := parseVersion(res)
	if err != nil {
		t.Fatal(err)
	}
	if v.File != [4]uint16{0, 1, 2, 3} || v.Product != [4]uint16{4, 5, 6, 7} {
		t.Errorf("File = %v, Product = %v", v.File, v.Product)
	}
	if v.Strings["ProductName"] != "Improvement Tracker" || v.Strings["ProductVersion"] != "0.1.0.1" {
		t.Errorf("Strings = %q", v.Strings)
	}

	broken := map[string][]byte{
		"empty":          nil,
		"cut short":      res[:40],
		"wrong key":      block("VS_VERSION_INFX", false, fixed),
		"bad signature":  block("VS_VERSION_INFO", false, make([]byte, 52)),
		"length too big": append([]byte{0xff, 0x7f}, res[2:]...),
	}
	for name, b := range broken {
		if _, err := parseVersion(b); err == nil {
			t.Errorf("%s: parseVersion accepted it", name)
		}
	}
}

// FuzzParse feeds arbitrary bytes to the resource readers: a damaged file
// gives an error, never a panic or a hang.
func FuzzParse(f *testing.F) {
	f.Add([]byte{})
	f.Add(block("VS_VERSION_INFO", false, nil, block("StringFileInfo", true, nil)))
	f.Add([]byte{0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 32, 0, 0, 0, 0, 0, 0, 0, 1, 0})
	f.Add(make([]byte, 40))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = parseVersion(b)
		_, _ = parseGroupIcon(b)
		_, _ = walkResources(b)
	})
}
