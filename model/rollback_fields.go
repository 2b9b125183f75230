package model

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// rollBackFields is RollBack for a record decoded from its stored JSON, as
// every record a store hands back is: only the changed fields are decoded
// again, each from its oldest Before value into its zero value, where
// RollBack encodes and decodes the whole record twice. For such a record
// the result is the same, since decoding the JSON of a decoded value gives
// it back; the snapshot rolls back every finding changed after the as-at
// date, which on a large register is most of them. A field the type does
// not name plainly is left to RollBack.
func rollBackFields(record any, changes []FieldChange) error {
	v := reflect.ValueOf(record).Elem()
	index := jsonFieldIndex(v.Type())
	if index == nil {
		return RollBack(record, changes)
	}
	for _, c := range changes {
		if _, ok := index[c.Field]; !ok {
			return RollBack(record, changes)
		}
	}
	// The oldest change to a field holds what it was before them all.
	done := make(map[string]bool, len(changes))
	for _, c := range changes {
		if done[c.Field] {
			continue
		}
		done[c.Field] = true
		f := v.Field(index[c.Field])
		f.Set(reflect.Zero(f.Type()))
		if len(c.BeforeJSON) > 0 {
			if err := json.Unmarshal(c.BeforeJSON, f.Addr().Interface()); err != nil {
				return err
			}
		}
	}
	return nil
}

// rollBackRecord is how the snapshot rolls a record back: a variable so
// that the engine's test can compare it with RollBack.
var rollBackRecord = rollBackFields

var fieldIndexes sync.Map // reflect.Type to map[string]int, or nil

// jsonFieldIndex maps the JSON names of a struct's fields to their
// indexes; nil when encoding/json would read its fields in a way this does
// not follow (embedded structs, names given twice, the string option).
func jsonFieldIndex(t reflect.Type) map[string]int {
	if m, ok := fieldIndexes.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			m = nil
			break
		}
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		if _, twice := m[name]; twice || strings.Contains(opts, "string") {
			m = nil
			break
		}
		m[name] = i
	}
	fieldIndexes.Store(t, m)
	return m
}
