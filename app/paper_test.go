package app

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/model"
)

// saveIn points the open paper dialog at a folder.
func (h *harness) saveIn(dir string) {
	h.t.Helper()
	for _, e := range h.dialogEntries() {
		if l, ok := e.(*lineEntry); ok && l.PlaceHolder == "the folder to save in" {
			typeInto(l, dir)
			return
		}
	}
	h.t.Fatal("the dialog has no folder to save in")
}

// Prepare closure pack…: the zip holds the cover and the manifest whose
// digests match, and the pack is recorded against the finding.
func TestClosurePackFromTheMenu(t *testing.T) {
	const ref = "KEN-PEEL2122-AFI-12"
	h := newHarness(t, true)
	dir := t.TempDir()
	h.u.register.openRef(ref)
	h.u.wait()
	menuItemByLabel(t, h.u, "Prepare closure pack…").Action()
	h.saveIn(dir)
	h.tapDialog("Save")
	h.u.wait()
	if !h.dialogShows("recorded against " + ref) {
		t.Fatal("the pack is not said to be recorded")
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "*closure evidence pack.zip"))
	if len(matches) != 1 {
		t.Fatalf("packs saved: %v", matches)
	}
	zr, err := zip.OpenReader(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	sums := map[string]string{}
	var manifest string
	for _, f := range zr.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		_ = r.Close()
		if f.Name == "manifest.sha256" {
			manifest = string(b)
			continue
		}
		sum := sha256.Sum256(b)
		sums[f.Name] = hex.EncodeToString(sum[:])
	}
	for name, sum := range sums {
		if !strings.Contains(manifest, sum+"  "+name+"\n") {
			t.Errorf("the manifest lacks %s of %s:\n%s", sum, name, manifest)
		}
	}
	zipped, _ := os.ReadFile(matches[0])
	var subs []model.Submission
	_ = h.u.store.View(context.Background(), func(tx model.ReadTx) (err error) { subs, err = tx.Submissions(); return })
	if len(subs) != 1 || subs[0].Kind != model.SubmissionPack || subs[0].Filter != ref || subs[0].SHA256 != model.Digest(zipped) {
		t.Errorf("recorded %+v", subs)
	}
}

// Export this view…: the PDF holds the findings the Register shows, and
// Request updates… writes one workbook per delivery lead.
func TestExportViewAndRequestUpdatesFromTheMenu(t *testing.T) {
	h := newHarness(t, true)
	h.search("victim")
	shown := h.shownRefs()
	if len(shown) == 0 || len(shown) == len(h.u.register.data.rows) {
		t.Fatalf("the search shows %d findings", len(shown))
	}
	dir := t.TempDir()
	menuItemByLabel(t, h.u, "Export this view…").Action()
	h.saveIn(dir)
	h.tapDialog("Export")
	h.u.wait()
	if !h.dialogShows("Saved ") {
		t.Fatal("the view is not said to be saved")
	}
	h.tapDialog("OK")
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*register*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("papers saved: %v", pdfs)
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		out, err := exec.Command(pdftotext, pdfs[0], "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, ref := range shown {
			if !strings.Contains(string(out), ref) {
				t.Errorf("the view's PDF lacks %s", ref)
			}
		}
		if !strings.Contains(string(out), "containing victim") {
			t.Error("the view's PDF does not say how it was filtered")
		}
	}

	requests := t.TempDir()
	menuItemByLabel(t, h.u, "Request updates…").Action()
	h.saveIn(requests)
	h.tapDialog("Write the workbooks")
	h.u.wait()
	books, _ := filepath.Glob(filepath.Join(requests, "*update request*.xlsx"))
	if len(books) < 5 || !h.dialogShows("Superintendent, Criminal Justice: 2 findings") {
		t.Errorf("%d update requests written", len(books))
	}
}
