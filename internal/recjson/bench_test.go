package recjson_test

import (
	"context"
	"encoding/json"
	"testing"

	gojson "github.com/goccy/go-json"

	"improvementtracker/internal/recjson"
	"improvementtracker/model"
	"improvementtracker/testkit/synthetic"
)

// BenchmarkDecoders decodes every progress update, history entry and
// finding of the synthetic register (200 findings, 4,000 updates and as
// many history entries), as the stores hold them, with the register's own
// reader, encoding/json and github.com/goccy/go-json, one op being the
// whole lot: the measurement that decides whether the hand-written reader
// is worth keeping. Compare the ns/op of a kind across the three.
//
//	go test -tags ci -run '^$' -bench Decoders -benchmem -count 3 ./internal/recjson/
func BenchmarkDecoders(b *testing.B) {
	var updates, events, findings [][]byte
	err := synthetic.OpenSize(b, synthetic.Small).View(context.Background(), func(tx model.ReadTx) error {
		us, err := tx.Updates(0)
		if err != nil {
			return err
		}
		as, err := tx.Audit(0)
		if err != nil {
			return err
		}
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		updates, events, findings = marshalAll(b, us), marshalAll(b, as), marshalAll(b, fs)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	benchKind[model.Update](b, "updates", updates)
	benchKind[model.AuditEvent](b, "history", events)
	benchKind[model.Finding](b, "findings", findings)
}

func marshalAll[T any](b *testing.B, recs []T) [][]byte {
	out := make([][]byte, len(recs))
	for i, r := range recs {
		raw, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = raw
	}
	return out
}

func benchKind[T any](b *testing.B, kind string, raws [][]byte) {
	decoders := []struct {
		name   string
		decode func([]byte, *T) error
	}{
		{"recjson", func(raw []byte, v *T) error {
			if !recjson.Decode(raw, v) {
				return json.Unmarshal(raw, v)
			}
			return nil
		}},
		{"encoding-json", func(raw []byte, v *T) error { return json.Unmarshal(raw, v) }},
		{"goccy-go-json", func(raw []byte, v *T) error { return gojson.Unmarshal(raw, v) }},
	}
	for _, d := range decoders {
		b.Run(kind+"/"+d.name, func(b *testing.B) {
			for b.Loop() {
				for _, raw := range raws {
					var v T
					if err := d.decode(raw, &v); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
