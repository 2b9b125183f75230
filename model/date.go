package model

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date with no time of day and no time zone. Target dates,
// due dates and update dates are days, not instants: storing them as
// time.Time invites off-by-one errors when a laptop changes time zone.
//
// The zero Date means "not set".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date, normalising overflow (31 April becomes 1 May) the
// way time.Date does.
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the local calendar date of now.
func Today(now time.Time) Date { return DateOf(now.Local()) }

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.Year == 0 && d.Month == 0 && d.Day == 0 }

// Time returns midnight UTC at the start of the date. Useful for arithmetic and
// for spreadsheet date cells, which have no time zone either.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// EndOfDay returns the last instant of the date in loc: an event recorded at
// any time on the date happened "as at" that date.
func (d Date) EndOfDay(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 23, 59, 59, int(time.Second-1), loc)
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.Time().AddDate(0, 0, n)) }

// DaysUntil returns the number of whole days from d to e; negative when e is
// before d.
func (d Date) DaysUntil(e Date) int {
	return int(e.Time().Sub(d.Time()).Hours() / 24)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e. The zero
// date sorts first.
func (d Date) Compare(e Date) int {
	// Field by field rather than through time.Time: sorting a large
	// register compares dates millions of times.
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	}
	return cmpInt(d.Day, e.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// String formats the date the UK way, dd/mm/yyyy, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year)
}

// ISO formats the date as yyyy-mm-dd, or "" when unset.
func (d Date) ISO() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// ParseDate reads a date typed by a person or found in a file. It accepts the
// UK form dd/mm/yyyy (also with dashes or dots, and two-digit years) and the
// ISO form yyyy-mm-dd. An empty string gives the zero date and no error.
//
// It never guesses between day-first and month-first: a US-style 03/25/2026 is
// refused because there is no 25th month, rather than silently read.
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Date{}, nil
	}
	// Split keeping empty parts, so "-1/03/2026" or "1//2026" is refused
	// rather than quietly read.
	fields := strings.Split(strings.NewReplacer("-", "/", ".", "/").Replace(s), "/")
	if len(fields) != 3 {
		return Date{}, fmt.Errorf("%q is not a date: write it as dd/mm/yyyy, for example 31/03/2026", s)
	}
	nums := make([]int, 3)
	for i, f := range fields {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 0 || strings.TrimSpace(f) == "" || strings.ContainsAny(f, "+-") {
			return Date{}, fmt.Errorf("%q is not a date: write it as dd/mm/yyyy, for example 31/03/2026", s)
		}
		nums[i] = n
	}
	var y, m, d int
	if len(fields[0]) == 4 { // ISO yyyy-mm-dd
		y, m, d = nums[0], nums[1], nums[2]
	} else {
		d, m, y = nums[0], nums[1], nums[2]
		if len(fields[2]) <= 2 {
			y += 2000
		}
	}
	if y < 1900 || y > 2200 {
		return Date{}, fmt.Errorf("%q has a year out of range: write it as dd/mm/yyyy, for example 31/03/2026", s)
	}
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("%q has no month %d: write it as dd/mm/yyyy, day first", s, m)
	}
	date := NewDate(y, time.Month(m), d)
	if d < 1 || date.Day != d {
		return Date{}, fmt.Errorf("%q is not a real date: %s has no day %d", s, time.Month(m), d)
	}
	return date, nil
}

// MustDate is ParseDate for literals in code and tests; it panics on error.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// MarshalJSON stores the date as "yyyy-mm-dd" ("" when unset), so the file
// stays readable and sortable.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.ISO()) }

// UnmarshalJSON reads the form written by MarshalJSON.
func (d *Date) UnmarshalJSON(b []byte) error {
	// The form MarshalJSON writes is read directly: a large register
	// holds hundreds of thousands of dates.
	if len(b) == 12 && b[0] == '"' && b[5] == '-' && b[8] == '-' && b[11] == '"' {
		y, ok1 := digits(b[1:5])
		m, ok2 := digits(b[6:8])
		day, ok3 := digits(b[9:11])
		if ok1 && ok2 && ok3 && m >= 1 && m <= 12 && day >= 1 && day <= 31 {
			if nd := NewDate(y, time.Month(m), day); nd.Day == day {
				*d = nd
				return nil
			}
		}
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: %w", err)
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return fmt.Errorf("date %q: %w", s, err)
	}
	*d = DateOf(t)
	return nil
}

// digits reads a run of ASCII digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
