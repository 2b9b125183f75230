package model

import (
	"fmt"
	"strings"
)

// ChiefOfficers lists the people who lead at least one finding as chief
// officer, in the order the register keeps people: the choices a briefing
// can be filtered to.
func ChiefOfficers(tx ReadTx) ([]Person, error) {
	fs, err := tx.Findings()
	if err != nil {
		return nil, err
	}
	leads := map[ID]bool{}
	for _, f := range fs {
		if f.ChiefOfficerID != 0 {
			leads[f.ChiefOfficerID] = true
		}
	}
	people, err := tx.People()
	if err != nil {
		return nil, err
	}
	var out []Person
	for _, p := range people {
		if leads[p.ID] {
			out = append(out, p)
		}
	}
	return out, nil
}

// FindLead picks the chief officer a person typed: by name, role or label,
// in any case, or by a unique part of one. The usual abbreviations of
// chief officer ranks are understood: "ACC Crime" finds "Assistant Chief
// Constable (Crime)".
func FindLead(leads []Person, name string) (Person, error) {
	want := leadWords(name)
	var partial []Person
	for _, p := range leads {
		for _, s := range []string{p.Name, p.Role, p.Label()} {
			if want != "" && leadWords(s) == want {
				return p, nil
			}
		}
		if want != "" && strings.Contains(leadWords(p.Label()), want) {
			partial = append(partial, p)
		}
	}
	if len(partial) == 1 {
		return partial[0], nil
	}
	var names []string
	for _, p := range leads {
		names = append(names, p.Label())
	}
	if len(partial) > 1 {
		return Person{}, fmt.Errorf("%q matches more than one chief officer; choose one of: %s", name, strings.Join(names, "; "))
	}
	return Person{}, fmt.Errorf("%q does not lead any finding; chief officer leads are: %s", name, strings.Join(names, "; "))
}

// rankWords expands the abbreviations of chief officer ranks.
var rankWords = map[string]string{
	"acc":   "assistant chief constable",
	"dcc":   "deputy chief constable",
	"cc":    "chief constable",
	"t/acc": "temporary assistant chief constable",
}

// leadWords folds a name for matching: lower case, punctuation dropped,
// ranks spelt out.
func leadWords(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '(', ')', ',', '.', ':':
			return ' '
		}
		return r
	}, strings.ToLower(s))
	words := strings.Fields(s)
	for i, w := range words {
		if full, ok := rankWords[w]; ok {
			words[i] = full
		}
	}
	return strings.Join(words, " ")
}
