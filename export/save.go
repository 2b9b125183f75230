package export

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// SaveFile writes a paper or pack to path, adding ext (".pdf", ".zip") when
// the name lacks it, as Workbook.Save writes a workbook: into a temporary
// file beside it, renamed into place once whole, so the target is either
// the old file or the whole new one. An existing file is replaced only
// when replace is set. It returns the file's SHA-256.
func SaveFile(path, ext string, replace bool, write func(io.Writer) error) (Saved, error) {
	if strings.TrimSpace(path) == "" {
		return Saved{}, errors.New("choose where to save the file")
	}
	if !strings.EqualFold(filepath.Ext(path), ext) {
		path += ext
	}
	exists := func() error {
		if _, err := os.Stat(path); err == nil && !replace {
			return fmt.Errorf("%s: %w; choose another name, or confirm that it should be replaced", path, ErrExists)
		}
		return nil
	}
	if err := exists(); err != nil {
		return Saved{}, err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".improvement-tracker-*"+ext+".tmp")
	if err != nil {
		return Saved{}, fmt.Errorf("cannot write in %s: %w", dir, err)
	}
	done := false
	defer func() {
		if !done {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	var counted counter
	if err := write(io.MultiWriter(tmp, h, &counted)); err != nil {
		return Saved{}, err
	}
	if err := tmp.Sync(); err != nil {
		return Saved{}, fmt.Errorf("saving %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return Saved{}, fmt.Errorf("saving %s: %w", path, err)
	}
	// Checked again: the file may have appeared while it was written.
	if err := exists(); err != nil {
		return Saved{}, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Saved{}, fmt.Errorf("could not save %s (if it is open in another program, close it and try again): %w", path, err)
	}
	done = true
	return Saved{Path: path, SHA256: hex.EncodeToString(h.Sum(nil)), Size: int64(counted)}, nil
}
