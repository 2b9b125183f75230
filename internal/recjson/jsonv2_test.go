//go:build goexperiment.jsonv2

package recjson_test

import jsonv2 "encoding/json/v2"

// encoding/json/v2 is measured beside the others when the toolchain has
// it (GOEXPERIMENT=jsonv2 on Go 1.26).
func init() {
	decoders = append(decoders, decoder{"encoding-json-v2", func(raw []byte, v any) error { return jsonv2.Unmarshal(raw, v) }})
}
