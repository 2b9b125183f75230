package console

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// fakeSystem records what attach asked of the operating system.
type fakeSystem struct {
	t         *testing.T
	streams   [3]bool // which standard streams lead somewhere
	hasParent bool    // started from a command prompt
	attached  bool
	opened    []int
}

func (f *fakeSystem) valid(s int) bool { return f.streams[s] }

func (f *fakeSystem) attachParent() error {
	if !f.hasParent {
		return errors.New("no parent console")
	}
	f.attached = true
	return nil
}

func (f *fakeSystem) open(s int) (*os.File, error) {
	if !f.attached {
		f.t.Errorf("stream %d opened before attaching", s)
	}
	f.opened = append(f.opened, s)
	return os.Create(filepath.Join(f.t.TempDir(), "console"))
}

func TestAttach(t *testing.T) {
	tests := map[string]struct {
		streams    [3]bool
		hasParent  bool
		wantAttach bool
		wantOpened []int
	}{
		"console build: nothing to do": {
			streams: [3]bool{true, true, true}, hasParent: true,
		},
		"window build at a prompt": {
			hasParent: true, wantAttach: true, wantOpened: []int{stdin, stdout, stderr},
		},
		"output redirected to a file": {
			streams: [3]bool{false, true, false}, hasParent: true, wantAttach: true, wantOpened: []int{stdin, stderr},
		},
		"everything redirected": {
			streams: [3]bool{true, true, true}, hasParent: true,
		},
		"started from Explorer": {
			hasParent: false,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			sys := &fakeSystem{t: t, streams: tt.streams, hasParent: tt.hasParent}
			files := attach(sys)
			if sys.attached != tt.wantAttach {
				t.Errorf("attached = %v, want %v", sys.attached, tt.wantAttach)
			}
			if len(sys.opened) != len(tt.wantOpened) {
				t.Fatalf("opened %v, want %v", sys.opened, tt.wantOpened)
			}
			for i, s := range tt.wantOpened {
				if sys.opened[i] != s {
					t.Errorf("opened %v, want %v", sys.opened, tt.wantOpened)
				}
				if files[s] == nil {
					t.Errorf("stream %d was opened but not returned", s)
				}
			}
			for s, f := range files {
				if f != nil && tt.streams[s] {
					t.Errorf("stream %d led somewhere but was replaced", s)
				}
			}
		})
	}
}

// TestAttachParentKeepsStreams: on this platform the process's own streams
// always stay.
func TestAttachParentKeepsStreams(t *testing.T) {
	in, out, errOut := os.Stdin, os.Stdout, os.Stderr
	AttachParent()
	if os.Stdin != in || os.Stdout != out || os.Stderr != errOut {
		t.Error("AttachParent replaced a standard stream outside Windows")
	}
}
