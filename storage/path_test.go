package storage_test

import (
	"os"
	"path/filepath"
	"testing"

	"improvementtracker/storage"
)

// TestDefaultPathFor checks the register's default location on each
// operating system: the folder fyne v2.7.1 gives the app (its
// internal/app rootConfigDir, then the app ID), and register.db in it.
func TestDefaultPathFor(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		name, goos, home string
		env              map[string]string
		want             string
		fails            bool
	}{
		{"linux", "linux", "/home/jo", nil, "/home/jo/.config/fyne/org.improvementtracker.app/register.db", false},
		{"linux with XDG", "linux", "/home/jo", map[string]string{"XDG_CONFIG_HOME": "/data/cfg"}, "/data/cfg/fyne/org.improvementtracker.app/register.db", false},
		{"linux relative XDG ignored", "linux", "/home/jo", map[string]string{"XDG_CONFIG_HOME": "cfg"}, "/home/jo/.config/fyne/org.improvementtracker.app/register.db", false},
		{"freebsd", "freebsd", "/usr/home/jo", nil, "/usr/home/jo/.config/fyne/org.improvementtracker.app/register.db", false},
		{"linux no home", "linux", "", nil, "", true},
		{"windows", "windows", `C:\Users\jo`, nil, `C:\Users\jo\AppData\Roaming\fyne\org.improvementtracker.app\register.db`, false},
		{"windows from USERPROFILE", "windows", "", map[string]string{"USERPROFILE": `D:\Profiles\jo`}, `D:\Profiles\jo\AppData\Roaming\fyne\org.improvementtracker.app\register.db`, false},
		{"windows no profile", "windows", "", nil, "", true},
		{"macOS", "darwin", "/Users/jo", nil, "/Users/jo/Library/Preferences/fyne/org.improvementtracker.app/register.db", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := storage.DefaultPathFor(c.goos, env(c.env), c.home)
			if c.fails {
				if err == nil {
					t.Errorf("got %q, want an error", got)
				}
				return
			}
			if err != nil || got != c.want {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

// TestLocate checks the order: --db, then IMPROVEMENT_TRACKER_DB, then the
// default location.
func TestLocate(t *testing.T) {
	dir := t.TempDir()
	home, _ := os.UserHomeDir()
	def, err := storage.DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == storage.EnvDB {
				return v
			}
			return ""
		}
	}
	for _, c := range []struct {
		name, flag, env, want string
		fails                 bool
	}{
		{"flag wins", filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "a.db"), false},
		{"environment next", "", filepath.Join(dir, "b.db"), filepath.Join(dir, "b.db"), false},
		{"default last", "", "", def, false},
		{"home expanded", "~/registers/kent.db", "", filepath.Join(home, "registers", "kent.db"), false},
		{"a folder is refused", dir, "", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			loc, err := storage.Locate(c.flag, env(c.env))
			got := loc.Path()
			if c.fails {
				if err == nil {
					t.Errorf("got %q, want an error", got)
				}
				return
			}
			if err != nil || got != c.want || loc.Server() {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
	// A relative path is made absolute, so the messages name the file fully.
	loc, err := storage.Locate("x.db", env(""))
	if err != nil || !filepath.IsAbs(loc.Path()) {
		t.Errorf("relative path gave %q, %v", loc.Path(), err)
	}
}
