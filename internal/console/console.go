// Package console gives the Windows window build its command line. A
// program built for the window subsystem starts with no console, so
// "improvement-tracker.exe list" typed at a prompt would print nothing.
// AttachParent borrows the console of the prompt it was started from and
// points the standard streams that lead nowhere at it; streams already
// redirected to a file or a pipe are left alone. On other systems, and in
// the console build, there is nothing to do.
package console

import "os"

// The standard streams, in the order of the arrays below.
const (
	stdin = iota
	stdout
	stderr
)

// system is what attach needs from the operating system, so that the
// decisions are tested on any platform.
type system interface {
	// valid reports whether the standard stream leads somewhere: a
	// console, a file or a pipe.
	valid(stream int) bool
	// attachParent attaches to the console of the parent process; it
	// fails when there is none (started from Explorer or a shortcut).
	attachParent() error
	// open opens the attached console for the stream and makes it the
	// process's standard handle.
	open(stream int) (*os.File, error)
}

// attach attaches to the parent's console when a standard stream leads
// nowhere, and returns the files to use for stdin, stdout and stderr: the
// console where a stream was missing, nil where the stream is kept.
func attach(sys system) (files [3]*os.File) {
	missing := false
	for s := range files {
		if !sys.valid(s) {
			missing = true
		}
	}
	if !missing {
		return files // a console program, or every stream redirected
	}
	if err := sys.attachParent(); err != nil {
		return files // no parent console: output has nowhere to go
	}
	for s := range files {
		if sys.valid(s) {
			continue
		}
		if f, err := sys.open(s); err == nil {
			files[s] = f
		}
	}
	return files
}

// AttachParent makes os.Stdin, os.Stdout and os.Stderr usable from a
// command prompt in the window build. Call it before running a command,
// never before opening the window: attaching would tie the window to the
// prompt. Without a parent console it does nothing, silently.
func AttachParent() {
	files := attach(platform{})
	if files[stdin] != nil {
		os.Stdin = files[stdin]
	}
	if files[stdout] != nil {
		os.Stdout = files[stdout]
	}
	if files[stderr] != nil {
		os.Stderr = files[stderr]
	}
}
