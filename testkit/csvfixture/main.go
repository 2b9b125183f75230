// Command csvfixture makes a register whose findings hold text that a
// spreadsheet would take for a formula, for make verify-xlsx to list as CSV
// and open in LibreOffice: csvfixture REGISTER.db
package main

import (
	"context"
	"fmt"
	"os"

	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

// Hostile are the titles written, each a classic formula injection.
var hostile = []string{
	"=cmd|' /C calc'!A0",
	"+SUM(1,2)",
	"-2+3",
	"@SUM(A1:A2)",
	"=HYPERLINK(\"http://example.com\",\"click\")",
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: csvfixture REGISTER.db")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "csvfixture:", err)
		os.Exit(1)
	}
}

func run(path string) error {
	s, err := bolt.Open(path, bolt.Options{NoBackup: true})
	if err != nil {
		return err
	}
	err = s.Update(context.Background(), model.Actor{Who: "csvfixture"}, func(tx model.Tx) error {
		if err := tx.SaveSettings(model.Settings{ForceName: "Kent Police", RefPrefix: "KEN"}); err != nil {
			return err
		}
		r := model.Report{Title: "PEEL 2021/22", Type: model.PEEL, Cycle: "2021/22"}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		lead := model.Person{Name: "=Lead", Role: "Superintendent"}
		if err := tx.SavePerson(&lead); err != nil {
			return err
		}
		for _, title := range hostile {
			f := model.Finding{ReportID: r.ID, Type: model.AFI, Area: "@Area", Title: title, Verbatim: "text", DeliveryLeadID: lead.ID}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}
