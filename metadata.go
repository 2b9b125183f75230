package main

import (
	_ "embed"

	"improvementtracker/internal/version"
)

// fyneAppTOML is FyneApp.toml, the one place the application's name, ID and
// version are set. "fyne package" reads the same file for the Windows and
// macOS packages.
//
//go:embed FyneApp.toml
var fyneAppTOML []byte

// appInfo is the application's identity. FyneApp.toml is part of the
// source, so a mistake in it is a programming error: TestAppInfo catches it
// before a release, and the program stops at once rather than run unnamed.
func appInfo() version.Info {
	info, err := version.Parse(fyneAppTOML)
	if err != nil {
		panic(err)
	}
	return info
}
