package format

import "fmt"

// Hours writes an estimate given in hours to three significant figures, in
// the unit a planner reads it in: 45m, 26.4h, 3.2d.
func Hours(h float64) string {
	switch {
	case h < 1:
		return fmt.Sprintf("%.3gm", h*60)
	case h < 48:
		return fmt.Sprintf("%.3gh", h)
	default:
		return fmt.Sprintf("%.3gd", h/24)
	}
}
