package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// ignoredFields change on every save or are not the user's doing, so the
// history would only be noise if they were listed.
var ignoredFields = map[string]bool{"id": true, "modified": true, "created": true, "version": true}

// Namer turns a stored ID field into words: "chief_officer_id" 7 gives
// "Assistant Chief Constable (Crime)". It returns "" when it cannot.
type Namer func(field string, id ID) string

// Diff lists the fields that differ between two records of the same type, in
// the order the type declares them, with before and after both as stored
// values (to roll back) and as words (to show). names may be nil.
func Diff(before, after any, names Namer) []FieldChange {
	b := fieldsOf(before)
	a := fieldsOf(after)
	var out []FieldChange
	for _, field := range jsonFieldOrder(reflect.TypeOf(after)) {
		if ignoredFields[field] {
			continue
		}
		bv, av := b[field], a[field]
		if bytes.Equal(bv, av) || (isEmptyJSON(bv) && isEmptyJSON(av)) {
			continue
		}
		out = append(out, FieldChange{
			Field:      field,
			Label:      FieldLabel(field),
			Before:     describe(field, bv, names),
			After:      describe(field, av, names),
			BeforeJSON: bv,
			AfterJSON:  av,
		})
	}
	return out
}

// RollBack sets the fields of *record back to the Before values of changes,
// newest change first, so that a record can be seen as it stood before them.
func RollBack(record any, changes []FieldChange) error {
	raw, err := json.Marshal(record)
	if err != nil {
		return err
	}
	m := map[string]json.RawMessage{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	for i := len(changes) - 1; i >= 0; i-- {
		c := changes[i]
		if len(c.BeforeJSON) == 0 {
			delete(m, c.Field)
		} else {
			m[c.Field] = c.BeforeJSON
		}
	}
	raw, err = json.Marshal(m)
	if err != nil {
		return err
	}
	// Start from the zero value: fields absent from the old version must
	// not keep their current values.
	v := reflect.ValueOf(record).Elem()
	v.Set(reflect.Zero(v.Type()))
	return json.Unmarshal(raw, record)
}

func fieldsOf(v any) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	if v == nil {
		return m
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return m
	}
	_ = json.Unmarshal(raw, &m)
	return m
}

func jsonFieldOrder(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	if t.Kind() != reflect.Struct {
		return out
	}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

func isEmptyJSON(b []byte) bool {
	s := string(bytes.TrimSpace(b))
	switch s {
	case "", "null", `""`, "0", "false", "[]", "{}":
		return true
	}
	return false
}

// describe writes a stored value in words.
func describe(field string, raw json.RawMessage, names Namer) string {
	if isEmptyJSON(raw) {
		return "(none)"
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	switch x := v.(type) {
	case string:
		if d, err := ParseDate(x); err == nil && len(x) == 10 && x[4] == '-' {
			return d.String()
		}
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		if strings.HasSuffix(field, "_id") || field == "superseded_by" {
			if names != nil {
				if n := names(field, ID(x)); n != "" {
					return n
				}
			}
			return fmt.Sprintf("#%d", int64(x))
		}
		return fmt.Sprintf("%v", x)
	case []any:
		switch field {
		case "target_revisions", "revisions":
			return fmt.Sprintf("%d %s", len(x), Plural(len(x), "revision", "revisions"))
		case "reopenings":
			if len(x) == 1 {
				return "reopened once"
			}
			return fmt.Sprintf("reopened %d times", len(x))
		}
		return fmt.Sprintf("%d %s", len(x), Plural(len(x), "item", "items"))
	case map[string]any:
		if field == "marking" || field == "default_marking" {
			var m Marking
			if json.Unmarshal(raw, &m) == nil {
				return m.String()
			}
		}
	}
	return string(raw)
}
