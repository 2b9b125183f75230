package app

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestShortAndExpandPath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows paths are shown in full")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	docs := filepath.Join(home, "Documents")

	if got := defaultExportFolder(); got != home {
		t.Errorf("with no Documents folder the default is %q, want the home folder", got)
	}
	if err := os.Mkdir(docs, 0o700); err != nil {
		t.Fatal(err)
	}
	if got := defaultExportFolder(); got != docs {
		t.Errorf("default export folder = %q, want %q", got, docs)
	}
	for in, want := range map[string]string{
		docs:                 "~/Documents",
		home:                 "~",
		"/srv/returns":       "/srv/returns",
		home + "-other/file": home + "-other/file",
	} {
		short := shortPath(in)
		if short != want {
			t.Errorf("shortPath(%q) = %q, want %q", in, short, want)
		}
		if back := expandPath(short); back != in {
			t.Errorf("expandPath(%q) = %q, want %q", short, back, in)
		}
	}
}

// The title bar names the register's file and the force, so that a lead
// with two registers knows which one is open.
func TestTitleNamesTheRegisterFile(t *testing.T) {
	h := newFileHarness(t, true)
	if got, want := h.u.win.Title(), "register.db — Kent Police — Improvement Tracker"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
}
