package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/internal/infile"
	"improvementtracker/model"
)

// evidenceTab lists what shows progress on a finding: mostly references to
// documents on force systems, sometimes a small attached file.
type evidenceTab struct {
	e       *editorScreen
	content fyne.CanvasObject
	recordList[model.Evidence]

	open, digest, remove *widget.Button
	// path takes a file's path typed or pasted (Explorer's "Copy as
	// path" included): quicker than the file dialog for a lead who has
	// the file open in another window.
	path *lineEntry
}

// prefEvidenceFolder keeps the folder a file was last attached from, so
// that the file dialog and the next attachment start there.
const prefEvidenceFolder = "evidence.folder"

func newEvidenceTab(e *editorScreen) *evidenceTab {
	t := &evidenceTab{e: e}
	t.init(t.showItem, t.enableActions)
	ref := widget.NewButtonWithIcon("Add reference…", theme.ContentAddIcon(), t.onAddReference)
	attach := widget.NewButtonWithIcon("Attach file…", theme.FileIcon(), t.onAttach)
	t.open = widget.NewButtonWithIcon("Open", theme.FolderOpenIcon(), t.onOpen)
	t.digest = widget.NewButtonWithIcon("Show SHA-256", theme.InfoIcon(), t.onDigest)
	t.remove = widget.NewButtonWithIcon("Remove…", theme.DeleteIcon(), t.onRemove)
	bar := container.NewHBox(ref, attach, t.open, t.digest, t.remove)
	t.path = newLineEntry()
	t.path.SetPlaceHolder("Type or paste a file's path and press Enter to attach it, or drop a file on this window")
	t.path.OnSubmitted = func(p string) { t.attachPath(p) }
	attachPath := widget.NewButton("Attach", func() { t.attachPath(t.path.Text) })
	top := container.NewVBox(bar, container.NewBorder(nil, nil, nil, attachPath, t.path))
	t.content = container.NewBorder(top, nil, nil, nil, t.list)
	t.refresh()
	return t
}

func (t *evidenceTab) showItem(ev model.Evidence, title, detail *widget.Label) {
	title.SetText(ev.Title)
	var parts []string
	if ev.HasFile() {
		// The digest's start is enough to compare with the inspectorate's
		// copy at a glance; Show SHA-256 gives all of it.
		parts = append(parts, fmt.Sprintf("Attached file %s (%s, SHA-256 %s…)", ev.FileName, sizeText(ev.FileSize), shortDigest(ev.SHA256)))
	}
	if ev.Location != "" {
		parts = append(parts, ev.Location)
	}
	parts = append(parts, "effective "+orText(ev.EffectiveDate.String(), "(no date)"))
	if ev.Shared {
		parts = append(parts, "shared with the inspectorate")
	} else {
		parts = append(parts, "not shared with the inspectorate")
	}
	detail.SetText(strings.Join(parts, " · "))
}

// shortDigest is the first 16 hex digits of a SHA-256 digest.
func shortDigest(d string) string {
	if len(d) > 16 {
		return d[:16]
	}
	return d
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func (t *evidenceTab) refresh() {
	t.reload(findingItems(t.e, "evidence", model.ReadTx.Evidence))
	t.enableActions()
}

func (t *evidenceTab) enableActions() {
	ev, ok := t.current()
	for _, b := range []*widget.Button{t.open, t.digest, t.remove} {
		b.Disable()
	}
	if !ok {
		return
	}
	t.remove.Enable()
	if ev.HasFile() {
		t.open.Enable()
		t.digest.Enable()
	}
}

// detailsDialog asks for what the evidence shows, where it is, when it is
// effective and whether the inspectorate has it; file is attached when not
// nil.
func (t *evidenceTab) detailsDialog(ev model.Evidence, file []byte) {
	title := newLineEntry()
	title.SetText(ev.Title)
	title.SetPlaceHolder("What it shows")
	location := newLineEntry()
	location.SetText(ev.Location)
	location.SetPlaceHolder("Path, link or document ID on force systems")
	effective := newDateEntry()
	effective.SetDate(ev.EffectiveDate)
	shared := widget.NewCheck("Shared with the inspectorate", nil)
	shared.SetChecked(ev.Shared)
	problem := newFieldError()
	items := []*widget.FormItem{widget.NewFormItem("Title", title)}
	heading := "Add an evidence reference"
	if file != nil {
		heading = "Attach evidence file"
		items = append(items, widget.NewFormItem("File", widget.NewLabel(fmt.Sprintf("%s (%s)", ev.FileName, sizeText(int64(len(file)))))))
	}
	items = append(items,
		widget.NewFormItem("Location", location),
		widget.NewFormItem("Effective from", container.NewHBox(effective)),
		widget.NewFormItem("", shared))
	t.e.u.formDialog(heading, "Save", container.NewVBox(widget.NewForm(items...), problem), problem, func() error {
		d, err := effective.Date()
		if err != nil {
			return err
		}
		n := ev
		n.FindingID = t.e.orig.ID
		n.Title = strings.TrimSpace(title.Text)
		n.Location = strings.TrimSpace(location.Text)
		n.EffectiveDate = d
		n.Shared = shared.Checked
		n.AddedBy = t.e.u.actor().Who
		return t.add(n, file)
	})
}

// add stores new evidence, with its file when there is one.
func (t *evidenceTab) add(ev model.Evidence, file []byte) error {
	if len(file) > model.MaxAttachmentSize {
		return fmt.Errorf("the file is %s; the limit is %s. Keep it on force systems and add a reference to it instead",
			sizeText(int64(len(file))), sizeText(model.MaxAttachmentSize))
	}
	if err := ev.Validate(); err != nil {
		return err
	}
	if err := t.e.u.update(func(tx model.Tx) error { return tx.AddEvidence(&ev, file) }); err != nil {
		return fmt.Errorf("the evidence was not saved: %w", err)
	}
	t.refresh()
	t.e.history.refresh()
	t.e.u.changed()
	return nil
}

func (t *evidenceTab) onAddReference() {
	if t.e.u.refuseChange() {
		return
	}
	t.detailsDialog(model.Evidence{EffectiveDate: t.e.u.today()}, nil)
}

// onAttach picks a file with the file dialog, then asks for its details.
func (t *evidenceTab) onAttach() {
	if t.e.u.refuseChange() {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			t.e.u.showError(fmt.Errorf("opening the file: %w", err))
			return
		}
		if r == nil {
			return // cancelled
		}
		t.rememberFolder(r.URI())
		t.attachFrom(r.URI().Name(), r)
	}, t.e.u.win)
	if dir := t.e.u.prefs.String(prefEvidenceFolder); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(t.e.u.win.Canvas().Size().Subtract(fyne.NewSize(120, 120)))
	d.Show()
}

// rememberFolder keeps the folder of a file attached, for the next time.
func (t *evidenceTab) rememberFolder(u fyne.URI) {
	if u == nil || u.Scheme() != "file" {
		return
	}
	t.e.u.prefs.SetString(prefEvidenceFolder, filepath.Dir(u.Path()))
}

// attachPath attaches the file at a path typed or pasted into the path
// box. Quotes around it (Windows Explorer's "Copy as path") and a file://
// address are accepted.
func (t *evidenceTab) attachPath(p string) {
	p = strings.TrimSpace(p)
	p = strings.Trim(p, `"'`)
	if p == "" {
		t.e.u.showError(errors.New("type or paste the path of the file to attach"))
		return
	}
	if u, err := url.Parse(p); err == nil && u.Scheme == "file" {
		p = filepath.FromSlash(u.Path)
	}
	p = expandPath(p)
	// Only a regular file is read, and its size is known first: a device
	// or a pipe would never end or never start.
	f, err := infile.Open(p, "the file to attach", model.MaxAttachmentSize)
	if err != nil {
		t.e.u.showError(err)
		return
	}
	t.e.u.prefs.SetString(prefEvidenceFolder, filepath.Dir(p))
	t.path.SetText("")
	t.attachFrom(filepath.Base(p), f)
}

// onDropped attaches a file dropped on the window while the evidence tab
// is in view. Each file needs its own title and date, so several dropped
// at once are refused in words rather than attached half-described.
func (t *evidenceTab) onDropped(uris []fyne.URI) {
	if t.e.u.refuseChange() {
		return
	}
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	switch len(paths) {
	case 0:
		return
	case 1:
		t.attachPath(paths[0])
	default:
		t.e.u.showError(fmt.Errorf("%d files were dropped; drop them one at a time, since each needs its own title and date", len(paths)))
	}
}

// attachFrom reads a file to attach (closing r) and asks for its details.
func (t *evidenceTab) attachFrom(name string, r io.ReadCloser) {
	data, over, err := readCapped(r, model.MaxAttachmentSize)
	if err != nil {
		t.e.u.showError(fmt.Errorf("reading %s: %w", name, err))
		return
	}
	if over {
		t.e.u.showError(fmt.Errorf("%s is larger than %s, the most the register holds. Keep it on force systems and add a reference to it instead",
			name, sizeText(model.MaxAttachmentSize)))
		return
	}
	t.detailsDialog(model.Evidence{FileName: name, Title: strings.TrimSuffix(name, filepath.Ext(name)),
		EffectiveDate: t.e.u.today()}, data)
}

// readFile returns an attached file's bytes; the store checks them against
// the recorded SHA-256.
func (t *evidenceTab) readFile(ev model.Evidence) ([]byte, error) {
	var data []byte
	err := t.e.u.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		data, err = tx.EvidenceFile(ev.ID)
		return err
	})
	if err != nil {
		if errors.Is(err, model.ErrDigestMismatch) {
			return nil, fmt.Errorf("%s cannot be opened: %w. Restore the register from a backup to get the original back", ev.FileName, err)
		}
		return nil, fmt.Errorf("reading %s: %w", ev.FileName, err)
	}
	return data, nil
}

// onOpen writes the attached file to a private temporary folder and asks
// the system to open it with its default application.
func (t *evidenceTab) onOpen() {
	ev, ok := t.current()
	if !ok || !ev.HasFile() {
		return
	}
	data, err := t.readFile(ev)
	if err != nil {
		t.e.u.showError(err)
		return
	}
	dir, err := os.MkdirTemp("", "improvement-tracker-evidence-")
	if err != nil {
		t.e.u.showError(fmt.Errorf("preparing %s to open: %w", ev.FileName, err))
		return
	}
	path := filepath.Join(dir, filepath.Base(ev.FileName))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.e.u.showError(fmt.Errorf("preparing %s to open: %w", ev.FileName, err))
		return
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if err := t.e.u.app.OpenURL(u); err != nil {
		// The system's own message ("exec: xdg-open: executable file not
		// found") means nothing to a lead: say what it amounts to.
		fyne.LogError("opening "+path, err)
		t.e.u.showError(fmt.Errorf("no application on this computer opened %s. A copy of it is at %s: open that with the right application, or install a viewer for %s files",
			ev.FileName, path, strings.TrimPrefix(filepath.Ext(ev.FileName), ".")))
	}
}

// onDigest checks the attached file and shows its SHA-256, for comparing
// with the copy the inspectorate holds.
func (t *evidenceTab) onDigest() {
	ev, ok := t.current()
	if !ok || !ev.HasFile() {
		return
	}
	data, err := t.readFile(ev)
	if err != nil {
		t.e.u.showError(err)
		return
	}
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	l := widget.NewLabel(digest)
	l.Selectable = true
	l.TextStyle = fyne.TextStyle{Monospace: true}
	note := widget.NewLabel("The file matches the digest recorded when it was attached.")
	dialog.ShowCustom("SHA-256 of "+ev.FileName, "Close", container.NewVBox(l, note), t.e.u.win)
}

func (t *evidenceTab) onRemove() {
	if t.e.u.refuseChange() {
		return
	}
	ev, ok := t.current()
	if !ok {
		return
	}
	t.e.confirmRemove("evidence", "Remove \""+ev.Title+"\" from this finding?\nAn attached file is removed from the register too. The removal is recorded in the history.",
		func(tx model.Tx) error { return tx.DeleteEvidence(ev.ID) }, t.refresh)
}
