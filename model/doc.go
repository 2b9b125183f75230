// Package model holds the domain of the improvement register: the records a
// force keeps about inspection findings, the rules that apply to them (status,
// RAG, overdue, two-stage closure, UK financial quarters) and the Store
// contract that every store implements: the file on this computer, the
// PostgreSQL server and the one in memory for tests.
//
// Nothing here knows about bbolt, PostgreSQL, Fyne or excelize, so the rules
// can be tested on their own and every other package can depend on this one.
package model
