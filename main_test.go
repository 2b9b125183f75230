package main

import "testing"

// TestAppInfo checks that the embedded FyneApp.toml parses, since the
// program stops at start-up if it does not.
func TestAppInfo(t *testing.T) {
	info := appInfo()
	if info.ID != "org.improvementtracker.app" {
		t.Errorf("app ID %q: the data folder is named after it, so it must not change", info.ID)
	}
}
