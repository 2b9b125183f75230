package recjson

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
)

// recordCases are findings, milestones, evidence, people and reports in the
// form json.Marshal writes them and in odd forms, which encoding/json must
// decide: each is checked as every kind.
var recordCases = []string{
	`{"id":1,"ref":"KEN-PEEL2122-AFI-01","report_id":2,"type":"Area for improvement","area":"Investigations","title":"Vetting","verbatim":"The force should…","marking":{"classification":"OFFICIAL"},"original_target":"2026-03-31","current_target":"2026-06-30","target_revisions":[{"from":"2026-03-31","to":"2026-06-30","reason":"Staff","agreed_by":"ACC","at":"2026-01-05T10:00:00Z"}],"status":"In progress","rag":"Amber","created":"2025-11-24T09:30:00Z","modified":"2025-11-24T09:30:00Z","version":3}`,
	`{"id":1,"ref":"R","report_id":2,"type":"Recommendation","raised":"2025-01-01","parent_id":4,"area":"","grade":"Adequate","title":"","verbatim":"Said \"done\" \u0026 left\\n\u2028 – ok ’Ö","wording_missing":true,"interpretation":"i","chief_officer_id":5,"delivery_lead_id":6,"governance_board":"g","marking":{"classification":"OFFICIAL-SENSITIVE","descriptor":"PERSONAL"},"original_target":"","current_target":"","status":"Closed","closure_rationale":"c","closure_proposed_date":"2025-02-01","closed_date":"2025-03-01","superseded_by":7,"inspectorate_position":"p","inspectorate_position_date":"2025-03-02","reopenings":[{"date":"2025-04-01","from":"Closed","reason":"r","by":"b","proposed_on":"2025-02-01","closed_on":"2025-03-01","rationale":"x"}],"related":[8,9],"sample":true,"created":"2025-11-24T09:30:00.123456789+01:00","modified":"0001-01-01T00:00:00Z"}`,
	` { "id" : 1 , "related" : [ ] , "target_revisions" : [ ] , "marking" : { } } `,
	`{"id":2,"finding_id":1,"title":"Recruit","owner_id":3,"original_due":"2026-01-31","current_due":"2026-02-28","revisions":[{"from":"2026-01-31","to":"2026-02-28","reason":"r","agreed_by":"a","agreed":"2026-01-20","at":"2026-01-21T10:00:00Z","by":"me"}],"completed":"2026-02-20","outcome":"Carried forward","carried_to":4,"notes":"n","sample":true,"version":2}`,
	`{"id":3,"finding_id":1,"title":"Minutes","location":"\\\\force\\share","effective_date":"2026-01-31","shared":true,"file_name":"a.pdf","file_size":1234,"sha256":"ab12","added":"2026-01-31T10:00:00Z","added_by":"me","sample":true}`,
	`{"id":3,"file_size":-5}`,
	`{"id":3,"file_size":-0}`,
	`{"id":3,"file_size":-}`,
	`{"id":3,"file_size":9223372036854775808}`,
	`{"id":3,"file_size":1.5}`,
	`{"id":4,"name":"Jane Smith","role":"ACC Crime","department":"Crime","email":"j@example.org","retired":true,"sample":true}`,
	`{"id":5,"title":"PEEL 2021/22","force":"Kent","type":"PEEL","cycle":"2021/22","published":"2022-04-01","code":"PEEL2122","url":"https://example.org/r","notes":"n","sample":true}`,
	`{"id":1,"ID":2}`,                          // another case
	`{"id":1,"Title":"folded"}`,                // another case
	`{"id":1,"unknown":"x"}`,                   // unknown field
	`{"id":1,"title":null}`,                    // null
	`{"id":1,"marking":null}`,                  // null
	`{"id":1,"related":null}`,                  // null
	`{"id":1,"target_revisions":null}`,         // null
	`{"id":1,"title":5}`,                       // wrong type
	`{"id":"1"}`,                               // wrong type
	`{"id":1,"sample":1}`,                      // wrong type
	`{"id":1,"marking":"OFFICIAL"}`,            // wrong type
	`{"id":1,"related":["8"]}`,                 // wrong type
	`{"id":1,"related":[8,]}`,                  // not JSON
	`{"id":1,"related":[8 9]}`,                 // not JSON
	`{"id":1,"related":{}}`,                    // wrong type
	`{"id":1,"target_revisions":[{"from":5}]}`, // wrong type
	`{"id":1,"revisions":[{"reason":"a"},{}]}`, // an empty element
	`{"id":1,"title":"a","title":"b"}`,         // repeated
	`{"id":1,"marking":{"classification":"OFFICIAL"},"marking":{"descriptor":"PERSONAL"}}`, // repeated: merged by encoding/json
	`{"id":1,"target_revisions":[{"reason":"a","to":"2026-01-01"}],"target_revisions":[{"reason":"b"}]}`,
	`{"id":1,"revisions":[{"reason":"a","reason":"b"}]}`,
	`{"id":1,"reopenings":[{"from":"Closed","from":"Closed"}]}`,
	`{"id":1,"version":18446744073709551615}`,
	`{"id":1,"version":18446744073709551616}`,
	`{"id":1,"version":-1}`,
	`{"id":01}`,
	`{"id":1,"current_target":"2026-02-30"}`,
	`{"id":1,"current_target":"31/03/2026"}`,
	`{"id":1,"current_target":"2026\u002d03-31"}`,
	`{"id":1,"published":""}`,
	`{"id":1,"created":"yesterday"}`,
	`{"id":1,"title":"bad ` + "\x01" + ` control"}`,
	"{\"id\":1,\"title\":\"bad \xff utf8\"}",
	`{"id":1,"title":"\ud83d\ude00 \ud83d"}`,
	`{"id":1,"name":"a"} x`,
	`{"id":1,"name":"a"`,
	`{"id":1,"name":"a\`,
	`{"id":1,,"name":"a"}`,
	`{"id":1 "name":"a"}`,
	`{}`,
	`[]`,
	`null`,
	``,
}

// checkAll checks raw as every kind the direct reader takes.
func checkAll(t *testing.T, raw []byte) {
	t.Helper()
	checkFast[model.Finding](t, raw)
	checkFast[model.Milestone](t, raw)
	checkFast[model.Evidence](t, raw)
	checkFast[model.Person](t, raw)
	checkFast[model.Report](t, raw)
}

func TestRecordsDecodeAsEncodingJSON(t *testing.T) {
	for _, c := range recordCases {
		checkAll(t, []byte(c))
	}
	for _, c := range fastCases {
		checkAll(t, []byte(c))
	}
}

// Records as the store writes them (and as jsonb gives them back) take the
// faster path, every field of them, and read back field for field.
func TestEveryFieldIsReadDirectly(t *testing.T) {
	for _, v := range []any{&model.Finding{}, &model.Milestone{}, &model.Evidence{}, &model.Person{}, &model.Report{}} {
		fill(reflect.ValueOf(v).Elem())
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		for name, form := range map[string][]byte{"as written": raw, "reordered and spaced": jsonbForm(t, raw)} {
			direct := reflect.New(reflect.TypeOf(v).Elem())
			plain := reflect.New(reflect.TypeOf(v).Elem())
			if !Decode(form, direct.Interface()) {
				t.Errorf("%T %s was left to encoding/json: %s", v, name, form)
				continue
			}
			if err := json.Unmarshal(form, plain.Interface()); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(direct.Interface(), plain.Interface()) {
				t.Errorf("%T %s:\n direct %+v\n json   %+v", v, name, direct.Interface(), plain.Interface())
			}
			// Nothing was lost on the way: the record reads back as
			// it was written, field for field.
			back, _ := json.Marshal(direct.Interface())
			if !bytes.Equal(back, raw) {
				t.Errorf("%T %s reads back as\n%s\nnot\n%s", v, name, back, raw)
			}
		}
	}
}

// jsonbForm is raw as a PostgreSQL server gives jsonb back: keys in
// another order, with spaces.
func jsonbForm(t *testing.T, raw []byte) []byte {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(m, " ", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fill sets every field of v to a value that is not zero, and every list to
// two items, so that json.Marshal writes every field.
func fill(v reflect.Value) {
	switch v.Interface().(type) {
	case model.Date:
		v.Set(reflect.ValueOf(model.NewDate(2026, 3, 31)))
		return
	case time.Time:
		v.Set(reflect.ValueOf(time.Date(2026, 3, 31, 10, 20, 30, 123456789, time.FixedZone("", 3600))))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(`"Quoted" & <tagged> – ’Ö ` + strings.Repeat("x", 40) + "\n")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Uint64:
		v.SetUint(1<<64 - 1)
	case reflect.Int64:
		v.SetInt(-1 << 63)
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(s.Index(i))
		}
		v.Set(s)
	default:
		panic("fill: no value for " + v.Type().String())
	}
}

// A value already holding something is merged into by encoding/json: left
// to it, and left as it was.
func TestRecordsNotEmptyAreLeft(t *testing.T) {
	f := model.Finding{Related: []model.ID{}}
	if Decode([]byte(`{"id":1}`), &f) || f.ID != 0 || f.Related == nil {
		t.Errorf("the direct path decoded into a finding that was not empty: %+v", f)
	}
	m := model.Milestone{Title: "kept"}
	if Decode([]byte(`{"id":1}`), &m) || m.ID != 0 || m.Title != "kept" {
		t.Errorf("the direct path decoded into a milestone that was not empty: %+v", m)
	}
	p := model.Person{Retired: true}
	if Decode([]byte(`{"id":1}`), &p) || p.ID != 0 {
		t.Errorf("the direct path decoded into a person who was not empty: %+v", p)
	}
}

func FuzzRecordsDecode(f *testing.F) {
	for _, c := range recordCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkAll(t, raw)
	})
}
