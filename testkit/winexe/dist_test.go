package winexe

import (
	"debug/pe"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/internal/version"
)

// The packaged Windows programs are checked where "make dist-windows" puts
// them, or where IMPROVEMENT_TRACKER_EXE points (the window build; the
// console build is expected beside it). Without them the test is skipped,
// unless IMPROVEMENT_TRACKER_REQUIRE_EXE=1, which "make check-windows" sets
// so that CI cannot pass without the build.
func distExe(t *testing.T) string {
	t.Helper()
	exe := os.Getenv("IMPROVEMENT_TRACKER_EXE")
	if exe == "" {
		exe = filepath.Join("..", "..", "dist", "improvement-tracker.exe")
	}
	if _, err := os.Stat(exe); err != nil {
		if os.Getenv("IMPROVEMENT_TRACKER_REQUIRE_EXE") == "1" {
			t.Fatalf("the Windows build is required but missing: %v", err)
		}
		t.Skipf("no Windows build at %s: run \"make check-windows\" to build and check it", exe)
	}
	return exe
}

func TestDistWindows(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "FyneApp.toml"))
	if err != nil {
		t.Fatal(err)
	}
	app, err := version.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	gui := distExe(t)
	cli := filepath.Join(filepath.Dir(gui), "improvement-tracker-cli.exe")

	for _, tt := range []struct {
		path      string
		subsystem uint16
	}{
		{gui, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI},
		{cli, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI},
	} {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			info, err := Read(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			checkDist(t, info, app, tt.subsystem)
			if tt.subsystem == pe.IMAGE_SUBSYSTEM_WINDOWS_CUI {
				checkChecksum(t, tt.path)
			}
			t.Logf("subsystem %d, icons %v, version %v, DLLs %v", info.Subsystem, info.Icons, info.Version, info.DLLs)
			if st, err := os.Stat(tt.path); err == nil {
				t.Logf("%s: %.1f MB", filepath.Base(tt.path), float64(st.Size())/1e6)
			}
		})
	}
}

func checkDist(t *testing.T, info *Info, app version.Info, subsystem uint16) {
	t.Helper()
	if info.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		t.Errorf("Machine = %#x, want AMD64 (%#x)", info.Machine, pe.IMAGE_FILE_MACHINE_AMD64)
	}
	if info.Subsystem != subsystem {
		t.Errorf("Subsystem = %d, want %d", info.Subsystem, subsystem)
	}

	// The icon: one group whose images exist and include one large enough
	// for Explorer's big tiles.
	if len(info.Icons) == 0 || info.IconImages == 0 {
		t.Errorf("no icon: %d icon groups, %d images", len(info.Icons), info.IconImages)
	} else if largest := maxOf(info.Icons[0]); largest < 256 {
		t.Errorf("the largest icon image is %d pixels, want 256", largest)
	}

	// The version resource carries FyneApp.toml's version and build.
	want := fmt.Sprintf("%s.%d", app.Version, app.Build)
	if info.Version == nil {
		t.Fatal("no version resource")
	}
	got := fmt.Sprintf("%d.%d.%d.%d", info.Version.File[0], info.Version.File[1], info.Version.File[2], info.Version.File[3])
	if got != want {
		t.Errorf("file version %s, want %s (FyneApp.toml)", got, want)
	}
	if s := info.Version.Strings["ProductVersion"]; s != want {
		t.Errorf("ProductVersion %q, want %q", s, want)
	}
	for _, key := range []string{"ProductName", "FileDescription"} {
		if s := info.Version.Strings[key]; s != app.Name {
			t.Errorf("%s %q, want %q", key, s, app.Name)
		}
	}
	if !strings.Contains(info.Manifest, `version="`+want+`"`) {
		t.Errorf("the application manifest does not carry version %s:\n%s", want, info.Manifest)
	}

	// Only DLLs every Windows has: a MinGW runtime DLL (libgcc, libwinpthread)
	// would stop the program starting on a laptop.
	for _, dll := range info.DLLs {
		if strings.HasPrefix(strings.ToLower(dll), "lib") {
			t.Errorf("the program needs %s, which Windows does not have", dll)
		}
	}
}

// checkChecksum compares the console build's header checksum, which
// SetSubsystem recomputes, with the file's. (The window build's is stale:
// the go command stamps its build ID into the file after the C linker has
// summed it. Windows checks the sum only for drivers, so that is harmless.)
func checkChecksum(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	field := int(binary.LittleEndian.Uint32(b[offPEPointer:])) + offChecksum
	if stored := binary.LittleEndian.Uint32(b[field:]); stored != 0 {
		if got := checksum(b, field); got != stored {
			t.Errorf("header checksum %#x, but the file sums to %#x", stored, got)
		}
	}
}

func maxOf(xs []int) int {
	m := 0
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}
