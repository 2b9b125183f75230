//go:build !windows

package console

import (
	"errors"
	"os"
)

// platform elsewhere: a program always has the streams its parent gave it,
// so attach never looks further.
type platform struct{}

func (platform) valid(int) bool { return true }

func (platform) attachParent() error { return errors.New("consoles are only attached on Windows") }

func (platform) open(int) (*os.File, error) {
	return nil, errors.New("consoles are only opened on Windows")
}
