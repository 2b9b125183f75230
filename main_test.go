package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestAppInfo checks that the embedded FyneApp.toml parses, since the
// program stops at start-up if it does not.
func TestAppInfo(t *testing.T) {
	info := appInfo()
	if info.ID != "org.improvementtracker.app" {
		t.Errorf("app ID %q: the data folder is named after it, so it must not change", info.ID)
	}
}

// TestNoLocaleComplaintUnderCUTF8 starts this test binary again with the
// locale many Linux servers have, and checks that Fyne says nothing about
// it while the program starts: internal/locale must run before Fyne's lang
// package.
func TestNoLocaleComplaintUnderCUTF8(t *testing.T) {
	if os.Getenv("IMPROVEMENT_TRACKER_LOCALE_CHILD") == "1" {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestNoLocaleComplaintUnderCUTF8$")
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=", "IMPROVEMENT_TRACKER_LOCALE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "Error parsing user locale") {
		t.Fatalf("Fyne complained about the locale at start-up:\n%s", out)
	}
}

// TestGUIPath checks which register the window opens: --db first, then
// IMPROVEMENT_TRACKER_DB, and a command line it does not understand is
// refused in words rather than ignored.
func TestGUIPath(t *testing.T) {
	dir := t.TempDir()
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "IMPROVEMENT_TRACKER_DB" {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name    string
		args    []string
		env     string
		want    string
		problem string
	}{
		{"flag", []string{"--db", filepath.Join(dir, "reg.db")}, "", filepath.Join(dir, "reg.db"), ""},
		{"flag with =", []string{"-db=" + filepath.Join(dir, "a.db")}, "", filepath.Join(dir, "a.db"), ""},
		{"flag beats environment", []string{"--db", filepath.Join(dir, "reg.db")}, filepath.Join(dir, "env.db"), filepath.Join(dir, "reg.db"), ""},
		{"environment", nil, filepath.Join(dir, "env.db"), filepath.Join(dir, "env.db"), ""},
		{"empty flag", []string{"--db", ""}, "", "", "--db needs"},
		{"flag without value", []string{"--db"}, "", "", "flag needs an argument"},
		{"unknown flag", []string{"--register", "x.db"}, "", "", "-register"},
		{"command after flag", []string{"--db", "x.db", "list"}, "", "", `"list" is not understood`},
		{"folder", []string{"--db", dir}, "", "", "is a folder"},
		{"shared register in environment", nil, " postgres://jsmith@db.kent.police.uk/register ", "postgres://jsmith@db.kent.police.uk/register", ""},
		{"shared register flag", []string{"--db", "postgresql:///register?host=/run/pg"}, filepath.Join(dir, "env.db"), "postgresql:///register?host=/run/pg", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := guiLocation(tt.args, env(tt.env))
			got := loc.String()
			if tt.problem != "" {
				if err == nil || !strings.Contains(err.Error(), tt.problem) {
					t.Fatalf("got %q, %v; want a problem saying %q", got, err, tt.problem)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
