package model

import "strings"

// fieldLabels names stored fields as a person knows them, for validation
// messages and the history. Keys are the JSON field names.
var fieldLabels = map[string]string{
	"ref":                        "reference",
	"inspectorate_ref":           "inspectorate reference",
	"report_id":                  "report",
	"parent_id":                  "parent cause of concern",
	"verbatim":                   "inspectorate wording",
	"wording_missing":            "wording missing from the source text",
	"chief_officer_id":           "chief officer lead",
	"delivery_lead_id":           "delivery lead",
	"governance_board":           "governance board",
	"marking":                    "protective marking",
	"original_target":            "original target",
	"current_target":             "current target",
	"target_revisions":           "target revisions",
	"rag":                        "RAG",
	"closure_rationale":          "closure rationale",
	"closure_proposed_date":      "date closure proposed",
	"closed_date":                "date the inspectorate agreed closure",
	"superseded_by":              "superseded by",
	"inspectorate_position":      "inspectorate position",
	"related":                    "related findings",
	"finding_id":                 "finding",
	"owner_id":                   "owner",
	"original_due":               "original due date",
	"current_due":                "current due date",
	"effective_date":             "effective date",
	"shared":                     "shared with the inspectorate",
	"file_name":                  "attached file",
	"force_name":                 "force name",
	"ref_prefix":                 "reference prefix",
	"default_marking":            "default protective marking",
	"author":                     "author",
	"email":                      "email",
	"published":                  "publication date",
	"raised":                     "date raised",
	"reopenings":                 "reopenings",
	"inspectorate_position_date": "date of the inspectorate position",
	"outcome":                    "outcome",
	"carried_to":                 "carried into",
	"closed_not_rated":           "closed findings not rated",
	"life":                       "report's life (response, revisits, letters)",
}

// FieldLabel returns the words for a stored field name: "current_target"
// gives "current target".
func FieldLabel(field string) string {
	if l, ok := fieldLabels[field]; ok {
		return l
	}
	return strings.ReplaceAll(field, "_", " ")
}
