package export_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"improvementtracker/export"
	"improvementtracker/model"
)

func TestPackRefusesFilesThatNoLongerMatch(t *testing.T) {
	s, _ := sampleStore(t)
	const ref = "KEN-PEEL2122-AFI-12"
	attached := []byte("the inspectorate's closure letter")
	err := s.Update(context.Background(), model.Actor{Who: "Tester"}, func(tx model.Tx) error {
		f, err := tx.FindingByRef(ref)
		if err != nil {
			return err
		}
		for i, name := range []string{"letter.pdf", "letter.pdf"} {
			e := model.Evidence{FindingID: f.ID, Title: fmt.Sprintf("Closure letter: copy %d", i+1), FileName: name, EffectiveDate: model.MustDate("18/06/2026")}
			if err := tx.AddEvidence(&e, attached); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	asAt := model.MustDate("25/11/2026")
	src, err := readSource(s, asAt)
	if err != nil {
		t.Fatal(err)
	}
	opts := export.PackOptions{PaperOptions: export.PaperOptions{AsAt: asAt}, Ref: ref}

	// Good files give a pack with each under its own readable name.
	var good bytes.Buffer
	pack, err := export.WritePack(&good, src.Snapshot, opts, func(model.Evidence) ([]byte, error) { return attached, nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(pack.Files) != 3 || pack.Files[1] != "evidence/01 Closure letter – copy 1.pdf" || pack.Files[2] != "evidence/02 Closure letter – copy 2.pdf" {
		t.Errorf("files %q", pack.Files)
	}

	for name, read := range map[string]func(model.Evidence) ([]byte, error){
		"altered since attached": func(e model.Evidence) ([]byte, error) {
			if strings.HasSuffix(e.Title, "2") {
				return []byte("a different letter"), nil
			}
			return attached, nil
		},
		"the store says it does not match": func(e model.Evidence) ([]byte, error) {
			if strings.HasSuffix(e.Title, "2") {
				return nil, fmt.Errorf("letter.pdf: %w", model.ErrDigestMismatch)
			}
			return attached, nil
		},
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := export.WritePack(&out, src.Snapshot, opts, read)
			if err == nil || !strings.Contains(err.Error(), `letter.pdf (evidence "Closure letter: copy 2")`) ||
				strings.Contains(err.Error(), "copy 1") {
				t.Errorf("got %v; want the second file named as no longer matching", err)
			}
			if out.Len() != 0 {
				t.Errorf("%d bytes of a pack written despite the refusal", out.Len())
			}
		})
	}
}
