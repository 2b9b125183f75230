package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage/transfer"
)

// File → Save a copy… of a shared register writes a register file that
// opens without the server: for working offline, or handing the register
// over. The copy is the same register (every ID, reference and audit
// event), made by storage/transfer from one consistent view of the server,
// then checked as any register file is.

// copySharedTimeout bounds a copy from the server: a large register takes
// seconds, so one still running after this long has lost its server.
const copySharedTimeout = 10 * time.Minute

// copyShared writes the shared register store into a new register file at
// path, in dir. It writes to a hidden file first and renames it into
// place once the copy is complete and checks clean, so a failure never
// leaves a half copy under the final name.
func (u *ui) copyShared(store model.Store, dir, path string) (string, error) {
	src, ok := store.(transfer.Source)
	if !ok || u.newRegisterFile == nil {
		return "", errors.New("this register cannot be copied to a file from here")
	}
	// The folder must be there already: a register file opened where
	// there is none makes its folder, which a mistyped or unplugged
	// folder must not get.
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if err == nil {
			err = errors.New("it is not a folder")
		}
		return "", fmt.Errorf("the copy could not be written in %s: %w", dir, err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	tmp := filepath.Join(dir, ".register-copy-"+hex.EncodeToString(b)+".tmp")
	defer os.Remove(tmp) // after a successful rename this finds nothing
	dst, err := u.newRegisterFile(tmp)
	if err != nil {
		return "", fmt.Errorf("the copy could not be written in %s: %w", dir, err)
	}
	closed := false
	defer func() {
		if !closed {
			_ = dst.Close()
		}
	}()
	target, ok := dst.(transfer.Target)
	file, isFile := dst.(model.FileStore)
	if !ok || !isFile {
		return "", fmt.Errorf("%w: a new register file cannot take a copy", model.ErrProgram)
	}
	ctx, cancel := context.WithTimeout(context.Background(), copySharedTimeout)
	defer cancel()
	if _, err := transfer.Copy(ctx, src, target); err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("the copy was not finished within %s, so it was not kept: check the connection to the server and try again", copySharedTimeout)
		}
		return "", fmt.Errorf("the copy could not be made, so it was not kept: %w", err)
	}
	problems, err := file.Check()
	if err != nil {
		return "", fmt.Errorf("the copy could not be checked, so it was not kept: %w", err)
	}
	if len(problems) > 0 {
		return "", fmt.Errorf("the copy's check found problems, so it was not kept: %s", strings.Join(problems, "; "))
	}
	closed = true
	if err := dst.Close(); err != nil {
		return "", fmt.Errorf("the copy could not be written in %s: %w", dir, err)
	}
	// The copy holds what the register holds: readable by its owner only.
	if err := os.Chmod(tmp, 0o600); err != nil {
		return "", fmt.Errorf("the copy's permissions could not be set: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("the copy could not be named %s: %w", filepath.Base(path), err)
	}
	return path, nil
}

// copySavedMessage is what the window says once a copy is saved.
func copySavedMessage(store model.Store, saved string) string {
	if _, ok := store.(model.FileStore); !ok {
		return "A copy of the shared register was saved as\n" + saved + "\n\n" +
			"It opens without the server: choose File → Open register…. Changes made in the copy stay in it " +
			"and do not reach the shared register. Keep it as safe as the register itself: it holds everything in it."
	}
	return "A copy of the register was saved as\n" + saved + "\n\n" +
		"To use it on another computer, choose File → Open register… there. " +
		"Keep the copy as safe as the register itself: it holds everything in it."
}
