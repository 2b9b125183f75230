package returns_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"improvementtracker/importer/returns"
)

// A workbook that says it is a delivery lead's update request takes rows
// only for the findings that lead leads; one whose lead cannot be read
// takes none, rather than every row.
func TestUpdateRequestTakesOnlyTheLeadsRows(t *testing.T) {
	for name, tc := range map[string]struct {
		id      string
		refused bool
	}{
		"the lead of the row": {"", false},
		"another lead":        {"999", true},
		"an unreadable lead":  {"not a number", true},
	} {
		t.Run(name, func(t *testing.T) {
			s, _, path := setup(t, "")
			const ref = "KEN-PEEL2122-AFI-16"
			f, _ := finding(t, s, ref)
			id := tc.id
			if id == "" {
				id = strconv.FormatUint(uint64(f.DeliveryLeadID), 10)
			}
			edit(t, path, "", func(ret, _ *sheet) {
				ret.set(ret.col("Progress this period"), ret.row(ret.col("Ref"), ref), "Custody review board now meets weekly.")
				for _, p := range []excelize.CustomProperty{{Name: "Delivery lead", Value: "Superintendent, Criminal Justice"}, {Name: "Delivery lead ID", Value: id}} {
					if err := ret.f.SetCustomProps(p); err != nil {
						t.Fatal(err)
					}
				}
			})
			r, err := returns.ReadFile(path, "")
			if err != nil {
				t.Fatal(err)
			}
			d, err := returns.Compare(s, r)
			if err != nil {
				t.Fatal(err)
			}
			if d.DeliveryLead != "Superintendent, Criminal Justice" || len(d.Warnings) == 0 || !strings.Contains(d.Warnings[0], "update request sent to Superintendent, Criminal Justice") {
				t.Errorf("the import does not say whose request it is: %q %q", d.DeliveryLead, d.Warnings)
			}
			refused := false
			for _, p := range d.Problems {
				if p.Ref == ref && strings.Contains(p.What, "whose update request this is: the row is refused") {
					refused = true
				}
			}
			if refused != tc.refused || (len(d.Findings) == 0) != tc.refused {
				t.Errorf("refused %v, %d findings changed; problems %v", refused, len(d.Findings), d.Problems)
			}
		})
	}
}
