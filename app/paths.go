package app

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// defaultExportFolder is where workbooks are offered to be saved: the
// user's Documents folder, which Windows, macOS and Linux desktops all
// have, or the home folder when there is none.
func defaultExportFolder() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	docs := filepath.Join(home, "Documents")
	if info, err := os.Stat(docs); err == nil && info.IsDir() {
		return docs
	}
	return home
}

// shortPath writes a path under the home folder as ~/…, the way macOS and
// Linux users read their folders. Windows users expect the full path, so
// it is left as it is there.
func shortPath(p string) string {
	if runtime.GOOS == "windows" || p == "" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" || home == "/" {
		return p
	}
	if p == home {
		return "~"
	}
	if rel, ok := strings.CutPrefix(p, home+string(filepath.Separator)); ok {
		return "~/" + filepath.ToSlash(rel)
	}
	return p
}

// expandPath undoes shortPath, so a folder typed or shown as ~/Documents
// is found.
func expandPath(p string) string {
	if runtime.GOOS == "windows" || (p != "~" && !strings.HasPrefix(p, "~/")) {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, strings.TrimPrefix(strings.TrimPrefix(p, "~"), "/"))
}
