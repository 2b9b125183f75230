package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// AppID is the application ID of FyneApp.toml. Fyne keeps each app's files in
// a folder named after it, and the register lives there too, so that the GUI
// and the command line find the same file.
const AppID = "org.improvementtracker.app"

// FileName is the register's file name within the app's folder.
const FileName = "register.db"

// EnvDB names the environment variable that overrides the default location.
const EnvDB = "IMPROVEMENT_TRACKER_DB"

// DefaultPath returns where the register lives when neither --db nor
// IMPROVEMENT_TRACKER_DB says otherwise: Fyne's app storage root on this
// operating system, so the file sits beside the app's preferences.
func DefaultPath() (string, error) {
	home, _ := os.UserHomeDir()
	return defaultPathFor(runtime.GOOS, os.Getenv, home)
}

// defaultPathFor is DefaultPath as a pure function of the operating system,
// the environment and the home folder, so that every OS's rule is tested on
// any machine. It follows fyne v2.7.1's internal/app rootConfigDir:
//
//	Linux and BSDs: os.UserConfigDir() ($XDG_CONFIG_HOME, else ~/.config) + /fyne
//	Windows:        home + \AppData\Roaming\fyne
//	macOS:          home + /Library/Preferences/fyne
//
// and then appends the app ID, as fyneApp.storageRoot does.
func defaultPathFor(goos string, getenv func(string) string, home string) (string, error) {
	join := filepath.Join
	if goos == "windows" {
		// Built on Linux, filepath.Join would use '/', so join by hand with
		// the separator Windows uses; on Windows itself the two agree.
		join = func(parts ...string) string { return strings.Join(parts, `\`) }
	}
	var root string
	switch goos {
	case "windows":
		if home == "" {
			home = getenv("USERPROFILE")
		}
		if home == "" {
			return "", errors.New("cannot find the default location of the register: the user profile folder is not known; give one with --db or " + EnvDB)
		}
		root = join(strings.TrimRight(home, `\/`), "AppData", "Roaming", "fyne")
	case "darwin", "ios":
		if home == "" {
			return "", errors.New("cannot find the default location of the register: the home folder is not known; give one with --db or " + EnvDB)
		}
		root = join(home, "Library", "Preferences", "fyne")
	default:
		cfg := getenv("XDG_CONFIG_HOME")
		if cfg == "" || !filepath.IsAbs(cfg) {
			// os.UserConfigDir ignores a relative XDG_CONFIG_HOME, as the
			// XDG specification asks.
			if home == "" {
				return "", errors.New("cannot find the default location of the register: neither $XDG_CONFIG_HOME nor $HOME is set; give one with --db or " + EnvDB)
			}
			cfg = join(home, ".config")
		}
		root = join(cfg, "fyne")
	}
	return join(root, AppID, FileName), nil
}

// filePath makes a register file's location, as typed, into the absolute
// path of a file. A leading "~/" is expanded, because people type it in
// shortcuts and shells do not always expand it in an environment variable;
// a folder is refused with the file name it probably meant.
func filePath(p string) (string, error) {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand %q: the home folder is not known", p)
		}
		p = filepath.Join(home, p[1:])
	}
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		return "", fmt.Errorf("%s is a folder; give the register file's path, for example %s", p, filepath.Join(p, FileName))
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("cannot use %q as the register's location: %w", p, err)
	}
	return abs, nil
}
