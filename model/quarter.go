package model

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Quarter is a quarter of the UK financial year, which police forces report
// on: Q1 is April–June, Q2 July–September, Q3 October–December and Q4
// January–March of the following calendar year. "Q3 2025/26" is
// October–December 2025.
type Quarter struct {
	// StartYear is the calendar year in which the financial year begins:
	// 2025 for 2025/26.
	StartYear int
	// Q is 1 to 4.
	Q int
}

var quarterPattern = regexp.MustCompile(`^(?i)Q\s*([1-4])\s+(?:FY\s*)?(\d{4})\s*[/-]\s*(\d{2}|\d{4})$`)

// ParseQuarter reads "Q3 2025/26" (also "Q3 2025-26" and "Q3 2025/2026").
func ParseQuarter(s string) (Quarter, error) {
	m := quarterPattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Quarter{}, fmt.Errorf("%q is not a financial quarter: write it like Q3 2025/26", s)
	}
	q, _ := strconv.Atoi(m[1])
	start, _ := strconv.Atoi(m[2])
	end, _ := strconv.Atoi(m[3])
	if len(m[3]) == 2 {
		end += start / 100 * 100
		if end < start { // 2099/00
			end += 100
		}
	}
	if end != start+1 {
		return Quarter{}, fmt.Errorf("%q is not a financial quarter: the year must run into the next, like 2025/26", s)
	}
	return Quarter{StartYear: start, Q: q}, nil
}

// QuarterOf returns the financial quarter that contains d.
func QuarterOf(d Date) Quarter {
	m := int(d.Month)
	if m >= 4 {
		return Quarter{StartYear: d.Year, Q: (m-4)/3 + 1}
	}
	return Quarter{StartYear: d.Year - 1, Q: 4}
}

// String formats the quarter as "Q3 2025/26".
func (q Quarter) String() string {
	return fmt.Sprintf("Q%d %d/%02d", q.Q, q.StartYear, (q.StartYear+1)%100)
}

// FileLabel formats the quarter for a file name, where a slash is not
// allowed: "Q3 2025-26".
func (q Quarter) FileLabel() string {
	return fmt.Sprintf("Q%d %d-%02d", q.Q, q.StartYear, (q.StartYear+1)%100)
}

// IsZero reports whether the quarter is unset.
func (q Quarter) IsZero() bool { return q.Q == 0 }

// FirstDay returns the first day of the quarter.
func (q Quarter) FirstDay() Date {
	month := time.April + time.Month(3*(q.Q-1))
	year := q.StartYear
	if q.Q == 4 {
		month, year = time.January, q.StartYear+1
	}
	return NewDate(year, month, 1)
}

// LastDay returns the last day of the quarter.
func (q Quarter) LastDay() Date { return q.Next().FirstDay().AddDays(-1) }

// AsAt returns the date a return for this quarter is "as at" unless the user
// says otherwise: the quarter's last day.
func (q Quarter) AsAt() Date { return q.LastDay() }

// Contains reports whether d falls within the quarter.
func (q Quarter) Contains(d Date) bool {
	return !d.Before(q.FirstDay()) && !d.After(q.LastDay())
}

// Next returns the following quarter.
func (q Quarter) Next() Quarter {
	if q.Q == 4 {
		return Quarter{StartYear: q.StartYear + 1, Q: 1}
	}
	return Quarter{StartYear: q.StartYear, Q: q.Q + 1}
}

// Prev returns the preceding quarter.
func (q Quarter) Prev() Quarter {
	if q.Q == 1 {
		return Quarter{StartYear: q.StartYear - 1, Q: 4}
	}
	return Quarter{StartYear: q.StartYear, Q: q.Q - 1}
}
