package reports

import (
	"testing"

	"github.com/slasim/slasim/reports/format"
)

func TestAmount(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		want string
	}{
		{0, "0"}, {0.5, "0.50"}, {71.704, "71.70"}, {-12.5, "-12.50"}, {100, "100"}, {999.6, "1,000"},
		{60000, "60,000"}, {1234567.4, "1,234,567"}, {-4500, "-4,500"},
	} {
		if got := format.Money(tt.x); got != tt.want {
			t.Errorf("format.Money(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}
