// Package locale keeps Fyne from complaining about a C locale.
//
// Fyne reads the locale from LC_ALL, LC_MESSAGES or LANG while its packages
// initialise, and a value such as "C.UTF-8" (the default on many Linux
// servers and containers) makes it print "Fyne error: Error parsing user
// locale C" several times before main runs, even for a command-line
// command. Plain "C" is understood and falls back to English quietly.
//
// This package must import nothing but os: Go initialises packages in
// import-path order among those whose imports are ready, so a package that
// needs only os is initialised before log and text/template, and so before
// Fyne's lang package, which needs both.
package locale

import "os"

// changed remembers what init replaced, so Restore can put it back.
var changed struct {
	name, value string
}

func init() {
	for _, name := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		if isCVariant(v) {
			changed.name, changed.value = name, v
			os.Setenv(name, "C")
		}
		return
	}
}

// isCVariant reports whether v is the C or POSIX locale with a codeset or
// modifier, such as "C.UTF-8" or "POSIX.utf8", which the locale reader
// Fyne uses passes on as the unparseable language "C".
func isCVariant(v string) bool {
	for _, base := range [...]string{"C", "POSIX"} {
		if len(v) > len(base) && v[:len(base)] == base && (v[len(base)] == '.' || v[len(base)] == '@') {
			return true
		}
	}
	return false
}

// Restore puts back the variable init changed, so that programs started
// from a command see the environment the user set. The window keeps the
// plain "C", since Fyne looks the locale up again while it runs.
func Restore() {
	if changed.name != "" {
		os.Setenv(changed.name, changed.value)
	}
}
