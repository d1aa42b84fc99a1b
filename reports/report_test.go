package reports

import "testing"

func TestVerdict(t *testing.T) {
	est := func(lo, hi float64) *Estimate { return &Estimate{Mean: (lo + hi) / 2, Lo: &lo, Hi: &hi} }
	tests := []struct {
		name string
		e    *Estimate
		want Verdict
	}{
		{"no replications", nil, NotDetermined},
		{"one replication", &Estimate{Mean: 1}, NotDetermined},
		{"all above", est(0.96, 0.99), Meets},
		{"lower bound on the level", est(0.95, 0.97), Meets},
		{"all below", est(0.90, 0.94), Fails},
		{"straddles", est(0.94, 0.96), NotDetermined},
	}
	for _, tt := range tests {
		if got := verdict(tt.e, 0.95); got != tt.want {
			t.Errorf("%s: verdict = %q, want %q", tt.name, got, tt.want)
		}
	}
}
