package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"improvementtracker/internal/officecrypt"
	"improvementtracker/model"
)

// Workbook is a built return or briefing, ready to be saved once.
type Workbook struct {
	Kind    model.SubmissionKind
	Period  model.Quarter
	AsAt    model.Date
	Marking model.Marking
	Force   string
	// Filter is the chief officer a briefing is filtered to, if any.
	Filter string
	// DeliveryLead is the delivery lead an update request is for, and
	// DeliveryLeadID theirs in the register: the import of the workbook
	// sent back takes rows only for the findings they lead.
	DeliveryLead   string
	DeliveryLeadID model.ID
	// Warnings are what the user should be told after saving: text cut to
	// fit a cell, for example.
	Warnings []string

	book *book
	warn warnings
	// The rows of the main sheet, for the record of what was sent.
	cols []column
	rows [][]any
	refs []string
	// fileName, when set, is the name a save dialog offers.
	fileName string
}

// Rows returns the main sheet's rows as their cells read, column header to
// text: the snapshot kept when the workbook is recorded as submitted. It
// makes a map for every row, so a count is RowCount.
func (w *Workbook) Rows() []model.SnapshotRow {
	out := make([]model.SnapshotRow, len(w.rows))
	for i := range w.rows {
		out[i] = w.row(i)
	}
	return out
}

// RowCount is the number of rows on the main sheet.
func (w *Workbook) RowCount() int { return len(w.rows) }

// row is the main sheet's row i as its cells read.
func (w *Workbook) row(i int) model.SnapshotRow {
	values := make(map[string]string, len(w.cols))
	for j, c := range w.cols {
		if t := text(w.rows[i][j]); t != "" {
			values[c.header] = t
		}
	}
	return model.SnapshotRow{Ref: w.refs[i], Values: values}
}

// Close releases the workbook's temporary files.
func (w *Workbook) Close() error {
	if w.book == nil {
		return nil
	}
	err := w.book.f.Close()
	w.book = nil
	return err
}

// customProps are written into the file so the app can tell its own
// workbooks, and what they are, when one is recorded as submitted later.
func (w *Workbook) customProps() map[string]string {
	p := map[string]string{
		"Improvement Tracker workbook": string(w.Kind),
		"Protective marking":           w.Marking.String(),
		"Force":                        w.Force,
		"As at":                        w.AsAt.ISO(),
	}
	if !w.Period.IsZero() {
		p["Period"] = w.Period.String()
	}
	if w.Filter != "" {
		p["Chief officer lead"] = w.Filter
	}
	if w.DeliveryLeadID != 0 {
		p[PropDeliveryLead] = w.DeliveryLead
		p[PropDeliveryLeadID] = fmt.Sprint(uint64(w.DeliveryLeadID))
	}
	return p
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// MaxDescriptor is the longest descriptor a marking may carry, in
// characters: the marking is printed in the centre of every page's header
// and footer, which hold 255 characters each with the force and period.
const MaxDescriptor = 60

// checkMarking refuses a marking too long to print on every page.
func checkMarking(m model.Marking) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(m.Descriptor)); n > MaxDescriptor {
		return fmt.Errorf("the descriptor after the marking is %d characters long; keep it to %d or fewer, like PERSONAL or COMMERCIAL", n, MaxDescriptor)
	}
	return nil
}

// DefaultFileName is the name a save dialog offers: the marking first, so
// that it shows in every file list and e-mail attachment, then the force
// and what the workbook is. "OFFICIAL-SENSITIVE – Kent Police – progress
// return Q3 2025-26.xlsx".
func (w *Workbook) DefaultFileName() string {
	if w.fileName != "" {
		return w.fileName
	}
	if w.Kind == model.SubmissionBriefing {
		return BriefingFileName(w.Marking, w.Force, w.AsAt, w.Filter)
	}
	return ReturnFileName(w.Marking, w.Force, w.Period)
}

// ReturnFileName is the default file name of a progress return.
func ReturnFileName(m model.Marking, force string, q model.Quarter) string {
	return safeFileName(m.String()+" – "+forceOr(force)+" – progress return "+q.FileLabel()) + ".xlsx"
}

// BriefingFileName is the default file name of a chief officer briefing,
// naming the chief officer when it is filtered to one.
func BriefingFileName(m model.Marking, force string, asAt model.Date, lead string) string {
	what := "chief officer briefing " + strings.ReplaceAll(asAt.String(), "/", "-")
	if lead != "" {
		what += " – " + lead
	}
	return safeFileName(m.String()+" – "+forceOr(force)+" – "+what) + ".xlsx"
}

func forceOr(force string) string {
	return forceName(model.Settings{ForceName: force})
}

// maxNameBytes caps a default file name's length before ".xlsx": file
// systems refuse names over 255 bytes, and Windows paths over 260
// characters, so a long force or chief officer name is cut rather than
// making the save fail.
const maxNameBytes = 120

// safeFileName replaces the characters Windows and macOS refuse in file
// names, and cuts a long name at maxNameBytes.
func safeFileName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', ':', '*', '?', '"', '<', '>', '|':
			return '-'
		}
		if r < 32 {
			return -1
		}
		return r
	}, s)
	if len(s) > maxNameBytes {
		cut := 0
		for i, r := range s {
			if i+utf8.RuneLen(r) > maxNameBytes-len("…") {
				break
			}
			cut = i + utf8.RuneLen(r)
		}
		s = strings.TrimSpace(s[:cut]) + "…"
	}
	return strings.TrimRight(strings.TrimSpace(s), ".")
}

// Write writes the workbook to out, encrypted with password when it is not
// empty, and returns the SHA-256 of the bytes written. Encryption is
// ECMA-376 Agile Encryption (AES-256, SHA-512), as Excel writes it.
func (w *Workbook) Write(out io.Writer, password string) (string, error) {
	if w.book == nil {
		return "", errors.New("the workbook has already been closed")
	}
	if err := w.book.setDimensions(); err != nil {
		return "", err
	}
	h := sha256.New()
	if password == "" {
		if err := w.book.writeZip(io.MultiWriter(out, h)); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	// Encryption works on the whole file, so it is built in memory first.
	var plain bytes.Buffer
	if err := w.book.writeZip(&plain); err != nil {
		return "", err
	}
	enc, err := officecrypt.Encrypt(plain.Bytes(), password)
	if err != nil {
		return "", err
	}
	if _, err := io.MultiWriter(out, h).Write(enc); err != nil {
		return "", fmt.Errorf("writing the workbook: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeZip writes the workbook's zip file to out as it is made. The
// library's own Write makes the whole file in a memory buffer and then
// copies it out: for a large return that buffer grew by doubling to three
// times the file's size, beside the compressed parts already held. Its zip
// writer (orderedZip) is pointed at out instead, so the buffer it is given
// stays empty; one that is not would mean a library that writes in some
// other way, and the file would be incomplete.
func (b *book) writeZip(out io.Writer) error {
	b.dest = out
	defer func() { b.dest = nil }()
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	if buf.Len() != 0 {
		return fmt.Errorf("writing the workbook: %w: the spreadsheet library wrote %d bytes past its zip writer", model.ErrProgram, buf.Len())
	}
	return nil
}

// ErrExists is returned by Save when the file exists and replacing it was
// not asked for.
var ErrExists = errors.New("a file with that name already exists")

// SaveOptions say how to save.
type SaveOptions struct {
	// Password encrypts the workbook when not empty.
	Password string
	// Replace allows an existing file to be replaced: only after the user
	// confirmed it (GUI) or gave --force (command line).
	Replace bool
}

// Saved describes a saved workbook.
type Saved struct {
	Path   string
	SHA256 string
	Size   int64
}

// Save writes the workbook to path. It writes a temporary file in the same
// folder and renames it into place, so the target is either the old file or
// the whole new one, never half of one; on any failure the temporary file
// is removed.
func (w *Workbook) Save(path string, opts SaveOptions) (Saved, error) {
	if strings.TrimSpace(path) == "" {
		return Saved{}, errors.New("choose where to save the workbook")
	}
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		path += ".xlsx"
	}
	if !opts.Replace {
		if _, err := os.Stat(path); err == nil {
			return Saved{}, fmt.Errorf("%s: %w; choose another name, or confirm that it should be replaced", path, ErrExists)
		}
	}
	dir := filepath.Dir(path)
	// A short temporary name: the target's own name may already be near
	// the file system's limit.
	tmp, err := os.CreateTemp(dir, ".improvement-tracker-*.xlsx.tmp")
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
	sum, err := w.Write(tmp, opts.Password)
	if err != nil {
		return Saved{}, err
	}
	if err := tmp.Sync(); err != nil {
		return Saved{}, fmt.Errorf("saving %s: %w", path, err)
	}
	info, err := tmp.Stat()
	if err != nil {
		return Saved{}, fmt.Errorf("saving %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return Saved{}, fmt.Errorf("saving %s: %w", path, err)
	}
	if !opts.Replace {
		// Checked again: the file may have appeared while we wrote.
		if _, err := os.Stat(path); err == nil {
			return Saved{}, fmt.Errorf("%s: %w; choose another name, or confirm that it should be replaced", path, ErrExists)
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Saved{}, fmt.Errorf("could not save %s (if it is open in Excel, close it and try again): %w", path, err)
	}
	done = true
	return Saved{Path: path, SHA256: sum, Size: info.Size()}, nil
}

// Submission is the record of this workbook as sent: what, when for, which
// marking, the file's SHA-256 and every row of its main sheet.
func (w *Workbook) Submission(saved Saved, by string, now time.Time) model.Submission {
	return model.Submission{
		Kind:     w.Kind,
		Period:   w.Period,
		AsAt:     w.AsAt,
		Marking:  w.Marking,
		FileName: filepath.Base(saved.Path),
		SHA256:   saved.SHA256,
		Filter:   w.Filter,
		Recorded: now,
		By:       by,
		Rows:     w.Rows(),
	}
}

// RecordSubmission stores a submission, so that the next return (or
// briefing) can show what changed since.
func RecordSubmission(s model.Store, sub *model.Submission) error {
	err := s.Update(context.Background(), model.Actor{Who: sub.By, Note: "recorded as submitted: " + sub.FileName}, func(tx model.Tx) error {
		if sub.By == "" {
			settings, err := tx.Settings()
			if err != nil {
				return err
			}
			sub.By = settings.Author
		}
		return tx.SaveSubmission(sub)
	})
	if err != nil {
		return fmt.Errorf("recording %s as submitted: %w", sub.FileName, err)
	}
	return nil
}
