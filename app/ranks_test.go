package app

import "testing"

func TestAbbreviateRanks(t *testing.T) {
	for in, want := range map[string]string{
		"Assistant Chief Constable (Crime)":             "ACC (Crime)",
		"Deputy Chief Constable":                        "DCC",
		"Chief Constable":                               "CC",
		"Chief Superintendent, Domestic Abuse":          "Ch Supt, Domestic Abuse",
		"Detective Superintendent, Public Protection":   "Det Supt, Public Protection",
		"Detective Chief Superintendent, Head of Crime": "Det Ch Supt, Head of Crime",
		"Superintendent, Criminal Justice":              "Supt, Criminal Justice",
		"Head of Digital Forensics":                     "Head of Digital Forensics",
		"Jane Smith":                                    "Jane Smith",
	} {
		if got := abbreviateRanks(in); got != want {
			t.Errorf("abbreviateRanks(%q) = %q, want %q", in, got, want)
		}
	}
}
