package main

import (
	"os"
	"os/exec"
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
