// Package version reads the application's name, ID and version from
// FyneApp.toml, the one place they are set. The root package embeds that
// file and parses it here, so the "version" command, Help → About and the
// Windows and macOS packages (which "fyne package" builds from the same
// file) always agree.
package version

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/BurntSushi/toml"
)

// Info is the application's identity as FyneApp.toml gives it.
type Info struct {
	Name    string // "Improvement Tracker"
	ID      string // reverse-DNS application ID; it also names the data folder
	Version string // semantic version, "0.1.0"
	Build   int    // build number, increased with each release build
}

// fyneApp is the part of FyneApp.toml read here.
type fyneApp struct {
	Details struct {
		Name    string
		ID      string
		Version string
		Build   int
	}
}

// Parse reads FyneApp.toml. Name, ID and Version must be set and the
// version must be of the form x.y.z, because the Windows version resource
// and the macOS bundle both need numbers.
func Parse(data []byte) (Info, error) {
	var f fyneApp
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&f)
	if err != nil {
		return Info{}, fmt.Errorf("reading FyneApp.toml: %w", err)
	}
	if !md.IsDefined("Details") {
		return Info{}, errors.New("reading FyneApp.toml: there is no [Details] section")
	}
	i := Info{
		Name:    strings.TrimSpace(f.Details.Name),
		ID:      strings.TrimSpace(f.Details.ID),
		Version: strings.TrimSpace(f.Details.Version),
		Build:   f.Details.Build,
	}
	switch {
	case i.Name == "":
		return Info{}, errors.New("reading FyneApp.toml: Name is empty")
	case i.ID == "":
		return Info{}, errors.New("reading FyneApp.toml: ID is empty")
	case !semver(i.Version):
		return Info{}, fmt.Errorf("reading FyneApp.toml: Version %q is not of the form 1.2.3", i.Version)
	case i.Build < 0:
		return Info{}, fmt.Errorf("reading FyneApp.toml: Build %d is negative", i.Build)
	}
	return i, nil
}

// semver reports whether v is three dot-separated decimal numbers.
func semver(v string) bool {
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 9 {
			return false
		}
		for _, r := range p {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// String is the one-line identity shown by the "version" command and in
// Help → About: "Improvement Tracker 0.1.0 (build 1)".
func (i Info) String() string {
	return i.Name + " " + i.Release()
}

// Release is the version with its build number, "0.1.0 (build 1)", as
// Help → About shows it under the name.
func (i Info) Release() string {
	return fmt.Sprintf("%s (build %d)", i.Version, i.Build)
}

// Platform names the Go release and the operating system and processor the
// binary was built for, for support requests: "go1.26.8 windows/amd64".
func Platform() string {
	return runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
}
