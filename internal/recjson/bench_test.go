package recjson_test

import (
	"context"
	"encoding/json"
	"flag"
	"reflect"
	"testing"

	gojson "github.com/goccy/go-json"

	"improvementtracker/internal/recjson"
	"improvementtracker/model"
	"improvementtracker/testkit/synthetic"
)

// large runs BenchmarkDecoders on the Default synthetic register (10,000
// findings, 200,000 updates), made on first use and cached.
var large = flag.Bool("large", false, "decode the 10,000-finding synthetic register, not the small one")

// BenchmarkDecoders decodes every progress update, history entry and
// finding of the synthetic register (200 findings, 4,000 updates and as
// many history entries; with -large, 10,000 findings, 200,000 updates
// and their history), as the stores hold them, with the register's own
// reader, encoding/json and github.com/goccy/go-json, one op being the
// whole lot: the measurement that decides whether the hand-written reader
// is worth keeping. Compare the ns/op of a kind across the three, and
// their cpu-ns/op (the processor time, the garbage collector's included),
// which a busy machine disturbs less.
//
//	go test -tags ci -run '^$' -bench Decoders -benchmem -count 3 ./internal/recjson/
//	go test -tags ci -run '^$' -bench Decoders -benchmem -count 3 ./internal/recjson/ -args -large
func BenchmarkDecoders(b *testing.B) {
	size := synthetic.Small
	if *large {
		size = synthetic.Default
	}
	var updates, events, findings [][]byte
	err := synthetic.OpenSize(b, size).View(context.Background(), func(tx model.ReadTx) error {
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

// decoder is a JSON decoder the benchmark compares.
type decoder struct {
	name   string
	decode func(raw []byte, v any) error
}

// decoders are the decoders compared: the register's own reader (with
// encoding/json for what it leaves), encoding/json, goccy/go-json, and
// encoding/json/v2 when the toolchain has it (jsonv2_test.go).
var decoders = []decoder{
	{"recjson", func(raw []byte, v any) error {
		if !recjson.Decode(raw, v) {
			return json.Unmarshal(raw, v)
		}
		return nil
	}},
	{"encoding-json", json.Unmarshal},
	{"goccy-go-json", gojson.Unmarshal},
}

func benchKind[T any](b *testing.B, kind string, raws [][]byte) {
	// Each decoder must give what encoding/json gives, or its time
	// would be for less work.
	for _, d := range decoders[1:] {
		for _, raw := range raws {
			var got, want T
			if err := d.decode(raw, &got); err != nil {
				b.Fatalf("%s: %s: %v", kind, d.name, err)
			}
			if err := json.Unmarshal(raw, &want); err != nil {
				b.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				b.Fatalf("%s: %s decodes %s as %+v, encoding/json as %+v", kind, d.name, raw, got, want)
			}
		}
	}
	for _, d := range decoders {
		b.Run(kind+"/"+d.name, func(b *testing.B) {
			cpu0, cpuOK := cpuTime()
			for b.Loop() {
				for _, raw := range raws {
					var v T
					if err := d.decode(raw, &v); err != nil {
						b.Fatal(err)
					}
				}
			}
			if cpu1, ok := cpuTime(); ok && cpuOK {
				b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
