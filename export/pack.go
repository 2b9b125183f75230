package export

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"improvementtracker/model"
)

// PackManifest is the name of the pack's list of digests, in the format
// "sha256sum -c" reads: a digest, two spaces and the file's path in the
// pack, one file a line.
const PackManifest = "manifest.sha256"

// PackFileName is the default name of a finding's closure evidence pack.
func PackFileName(m model.Marking, ref string) string {
	return safeFileName(m.String()+" – "+ref+" – closure evidence pack") + ".zip"
}

// PackOptions say which finding's pack to make.
type PackOptions struct {
	PaperOptions
	Ref string
}

// Pack describes a written closure evidence pack.
type Pack struct {
	Ref     string
	AsAt    model.Date
	Marking model.Marking
	// Files are the paths in the pack, the cover first, then each
	// attached file; the manifest lists them all.
	Files []string
	// References are the evidence records with no file attached: listed
	// on the cover, where they are kept on force systems.
	References int
}

// WritePack writes a finding's closure evidence pack to out as a zip: a
// cover PDF (the finding's wording, the action taken, milestones and their
// outcomes, progress, the closure rationale and the evidence list, the
// marking on every page), each attached file under a readable name, and
// the manifest of their SHA-256 digests. file reads an attached file's
// bytes (the store checks them against the recorded digest); a file that
// no longer matches the register is refused, naming it, and nothing is
// written.
func WritePack(out io.Writer, snap *model.Snapshot, opts PackOptions, file func(model.Evidence) ([]byte, error)) (Pack, error) {
	f, err := snapFinding(snap, opts.Ref)
	if err != nil {
		return Pack{}, err
	}
	if opts.Marking.Classification == "" {
		opts.Marking.Classification = model.Official
	}
	pack := Pack{Ref: f.Ref, AsAt: snap.AsAt, Marking: opts.Marking}
	// Every file is read and checked before anything is written, so that
	// a damaged file stops the pack rather than leaving half of one.
	type attached struct {
		name string
		data []byte
	}
	var files []attached
	names := map[model.ID]string{}
	taken := map[string]bool{}
	var refused []string
	for _, e := range snap.EvidenceOf(f.ID) {
		if !e.HasFile() {
			pack.References++
			continue
		}
		data, err := file(e)
		if err == nil && model.Digest(data) != e.SHA256 {
			err = model.ErrDigestMismatch
		}
		if errors.Is(err, model.ErrDigestMismatch) {
			refused = append(refused, fmt.Sprintf("%s (evidence %q)", e.FileName, e.Title))
			continue
		}
		if err != nil {
			return Pack{}, fmt.Errorf("reading %s (evidence %q): %w", e.FileName, e.Title, err)
		}
		name := packName(len(files)+1, e, taken)
		names[e.ID] = name
		files = append(files, attached{name: name, data: data})
	}
	if len(refused) > 0 {
		return Pack{}, fmt.Errorf("the pack was not made: %s no longer %s the SHA-256 recorded in the register (altered or damaged since it was attached): %s",
			model.Plural(len(refused), "this file", "these files"), model.Plural(len(refused), "matches", "match"), strings.Join(refused, "; "))
	}
	var cover bytes.Buffer
	if err := WriteFindingPaper(&cover, snap, FindingPaperOptions{PaperOptions: opts.PaperOptions, Ref: f.Ref, Pack: true, PackNames: names}); err != nil {
		return Pack{}, err
	}
	coverName := safeFileName("00 Cover – "+f.Ref) + ".pdf"
	all := append([]attached{{name: coverName, data: cover.Bytes()}}, files...)
	zw := zip.NewWriter(out)
	var manifest strings.Builder
	modified := clock(opts.Now)
	for _, a := range all {
		sum := sha256.Sum256(a.data)
		fmt.Fprintf(&manifest, "%s  %s\n", hex.EncodeToString(sum[:]), a.name)
		if err := putZip(zw, a.name, a.data, modified); err != nil {
			return Pack{}, err
		}
		pack.Files = append(pack.Files, a.name)
	}
	if err := putZip(zw, PackManifest, []byte(manifest.String()), modified); err != nil {
		return Pack{}, err
	}
	if err := zw.Close(); err != nil {
		return Pack{}, fmt.Errorf("writing the pack: %w", err)
	}
	return pack, nil
}

// putZip adds one file to the pack.
func putZip(zw *zip.Writer, name string, data []byte, modified time.Time) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return fmt.Errorf("writing %s into the pack: %w", name, err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("writing %s into the pack: %w", name, err)
	}
	return nil
}

// packName is the readable name an attached file has in the pack:
// "evidence/01 Survey results Q1 2025-26.pdf", from the evidence's title
// and the file's own extension, unique within the pack.
func packName(n int, e model.Evidence, taken map[string]bool) string {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(e.FileName, "\\", "/")))
	if len(ext) > 10 || strings.ContainsAny(ext, " ") {
		ext = ""
	}
	// "Survey: Q1 results" reads better as "Survey – Q1 results" than
	// with the colon file systems refuse turned into a hyphen.
	title := strings.ReplaceAll(e.Title, ": ", " – ")
	if r := []rune(title); len(r) > 80 {
		title = string(r[:80])
	}
	base := safeFileName(fmt.Sprintf("%02d %s", n, title))
	name := "evidence/" + base + ext
	for i := 2; taken[strings.ToLower(name)]; i++ {
		name = fmt.Sprintf("evidence/%s (%d)%s", base, i, ext)
	}
	taken[strings.ToLower(name)] = true
	return name
}

// Submission is the record of the pack as sent: against the finding, with
// the date and the zip's SHA-256, as a return is recorded as submitted.
func (p Pack) Submission(saved Saved, now time.Time) model.Submission {
	return model.Submission{
		Kind:     model.SubmissionPack,
		Period:   model.QuarterOf(p.AsAt),
		AsAt:     p.AsAt,
		Marking:  p.Marking,
		FileName: path.Base(strings.ReplaceAll(saved.Path, "\\", "/")),
		SHA256:   saved.SHA256,
		Filter:   p.Ref,
		Recorded: now,
		Rows: []model.SnapshotRow{{Ref: p.Ref, Values: map[string]string{
			"Files":      strings.Join(p.Files, "\n"),
			"References": fmt.Sprint(p.References),
		}}},
	}
}
