package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim/contract"
)

// contractBase is valid with a quarter's measured window (January to
// March 2024), ready for a contract section from line 15.
const contractBase = valid + "simulation: {horizon: 13w}\ncontract:\n"

func TestContractParse(t *testing.T) {
	s, err := Parse("test.yaml", []byte(contractBase+`  currency: EUR
  fee: {monthly: 20000, per_ticket: 8}
  term: 3
  tiers:
    - {tier: urgent, response: 95%, resolution: 90%, per_breach: 200%, lateness: 5%, lateness_cap: 100%, outage: [1.5, 2], attainment: 2%, attainment_max: 10%}
    - {tier: routine, per_breach: 10%, outage: 0.5}
  per_breach: {clock: resolution}
  lateness: {step: 30m}
  outage: {duration: whole}
  attainment: {step: 1%}
  escalation:
    per: period
    counts: breached_ticket
    tiers: [urgent]
    clock: response
    steps:
      - {action: review, cost: 2000}
      - {credit: 20%, terminate: true}
  cap: 30%
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Warnings) > 0 {
		t.Errorf("warnings: %v", s.Warnings)
	}
	c := s.Contract
	if c == nil {
		t.Fatal("no contract")
	}
	want := &contract.Contract{
		Currency: "EUR", Fee: contract.Fee{Monthly: 20000, PerTicket: 8}, PeriodMonths: 1, Term: 3,
		Levels: []contract.Levels{{Response: 0.95, Resolution: 0.9}, {}},
		Credits: []contract.Credit{
			&contract.PerBreach{Clock: contract.Resolution, Credit: []float64{2, 0.1}},
			&contract.Lateness{Clock: contract.Resolution, Step: 30 * time.Minute, Credit: []float64{0.05, 0}, Cap: []float64{1, 0}},
			&contract.Outage{Clock: contract.Resolution, Whole: true, Coefficient: []contract.Range{{Lo: 1.5, Hi: 2}, {Lo: 0.5, Hi: 0.5}}},
			&contract.Attainment{Credit: []float64{0.02, 0}, Step: 0.01, Max: []float64{0.1, 0}},
		},
		Escalation: &contract.Ladder{PerPeriod: true, Counts: contract.BreachedTicket, Tiers: []bool{true, false}, Clock: contract.Response,
			Steps: []contract.Step{{Action: "review", Cost: 2000}, {Credit: 0.2, Terminate: true}}},
		Cap: 0.3,
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("contract\n\t%s\nwant\n\t%s", describeContract(c), describeContract(want))
	}
	if err := c.Validate(len(s.Tiers)); err != nil {
		t.Error(err)
	}

	// Defaults: a monthly period, a 12-month term, either clock for
	// per-breach credits; no rule a tier does not use.
	s, err = Parse("test.yaml", []byte(valid+"simulation: {horizon: 53w}\ncontract:\n  fee: {per_ticket: 40}\n  tiers: [{tier: urgent, per_breach: 50%}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	c = s.Contract
	if pb, ok := c.Credits[0].(*contract.PerBreach); c.PeriodMonths != 1 || c.Term != 12 || len(c.Credits) != 1 || !ok || pb.Clock != contract.Either ||
		c.Levels != nil || c.Escalation != nil || c.Cap != 0 || c.Reserve != 0 {
		t.Errorf("defaults: %s", describeContract(c))
	}

	// No contract section, no contract and no plan.
	s, err = Parse("test.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := s.ContractPlan(s.Model()); s.Contract != nil || p != nil || err != nil {
		t.Errorf("without a contract: %v, plan %v, %v", s.Contract, p, err)
	}
}

// describeContract prints a contract with its rules, for messages.
func describeContract(c *contract.Contract) string {
	d := *c
	d.Credits, d.Escalation = nil, nil
	s := fmt.Sprintf("%+v", d)
	for _, r := range c.Credits {
		s += fmt.Sprintf("; %+v", r)
	}
	return s + fmt.Sprintf("; %+v", c.Escalation)
}

func TestContractErrors(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"no fee", "  term: 3\n",
			"test.yaml:16: contract.fee: missing; a contract needs a fee, monthly or per ticket, such as fee: {monthly: 250000}"},
		{"zero fee", "  fee: {monthly: 0}\n",
			"test.yaml:16: contract.fee: needs a monthly or a per-ticket fee > 0: credits are shares of the fee"},
		{"negative fee", "  fee: {monthly: -1}\n",
			"test.yaml:16: contract.fee.monthly: must be an amount from 0 to 1e15, got -1"},
		{"unknown tier", "  fee: {monthly: 1000}\n  tiers: [{tier: urgnet, per_breach: 200%}]\n",
			`test.yaml:17: contract.tiers[0].tier: no tier named "urgnet"; did you mean urgent?`},
		{"repeated tier", "  fee: {monthly: 1000}\n  tiers:\n    - {tier: urgent, per_breach: 2}\n    - {tier: urgent, per_breach: 1}\n",
			"test.yaml:19: contract.tiers[1].tier: repeats tier urgent of contract.tiers[0]; give each tier's terms once"},
		{"negative credit", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, per_breach: -5%}]\n",
			"test.yaml:17: contract.tiers[0].per_breach: must be a share of the fee from 0 to 10000%, such as 50%, got -5%"},
		{"lateness without a step", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, lateness: 5%}]\n",
			"test.yaml:16: contract.lateness.step: missing; tiers with a lateness credit need its step, such as lateness: {step: 30m}"},
		{"empty outage range", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, outage: [2, 1]}]\n",
			"test.yaml:17: contract.tiers[0].outage: is an empty range: 2 is above 1"},
		{"outage list of three", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, outage: [1, 2, 3]}]\n",
			"test.yaml:17: contract.tiers[0].outage: must be a coefficient such as 2, or a range of two numbers such as [1.5, 2.0], got a list of 3"},
		{"attainment without a level", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, attainment: 5%}]\n",
			"test.yaml:17: contract.tiers[0].attainment: needs a level to fall short of: give the tier's response, resolution or a named clock's level, such as response: 95%"},
		{"level above 100%", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, response: 105%}]\n",
			"test.yaml:17: contract.tiers[0].response: must be >= 0 and <= 1 (100%), got 105%"},
		{"misspelt clock", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, per_breach: 1}]\n  per_breach: {clock: respons}\n",
			"test.yaml:18: contract.per_breach.clock: must be response, resolution or either (a breach of either clock), got respons; did you mean response?"},
		{"unknown period", "  fee: {monthly: 1000}\n  period: week\n",
			"test.yaml:17: contract.period: must be month or quarter, got week"},
		{"ladder without steps", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, response: 95%}]\n  escalation: {per: contract}\n",
			"test.yaml:18: contract.escalation.steps: missing; give the ladder's steps, such as steps: [{action: review, cost: 5000}, {credit: 20%}, {terminate: true}]"},
		{"ladder of no steps", "  fee: {monthly: 1000}\n  tiers: [{tier: urgent, response: 95%}]\n  escalation: {steps: []}\n",
			"test.yaml:18: contract.escalation.steps: must list at least one step"},
		{"ladder counting levels no tier has", "  fee: {monthly: 1000}\n  escalation: {counts: missed_level, steps: [{terminate: true}]}\n",
			"test.yaml:17: contract.escalation.counts: counts missed levels, but no tier it counts has one: give levels in contract.tiers (response: 95%), or count breached_ticket"},
		{"zero cap", "  fee: {monthly: 1000}\n  cap: 0\n",
			"test.yaml:17: contract.cap: must be > 0 and <= 1 (100%), got 0"},
		{"misspelt field", "  fee: {monthly: 1000}\n  tierz: []\n",
			"test.yaml:17: contract.tierz: unknown field; did you mean tiers?"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, contractBase+tt.src)
			if !slices.Equal(got, []string{tt.want}) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), tt.want)
			}
		})
	}
}

func TestContractWarnings(t *testing.T) {
	for _, tt := range []struct{ name, src, want string }{
		{"no full month", valid + "contract:\n  fee: {monthly: 1}\n  tiers: [{tier: urgent, response: 95%}]\n",
			"test.yaml:15: contract: the measured window (4w from 2024-01-01) holds no full calendar month, so the contract has nothing to measure: lengthen simulation.horizon or start on the 1st"},
		{"term longer than the window", contractBase + "  fee: {monthly: 1}\n  tiers: [{tier: urgent, response: 95%}]\n  escalation: {steps: [{terminate: true}]}\n",
			"test.yaml:16: contract.term: the measured window holds 3 full months of the 12-month term: the probability of termination covers those only; lengthen simulation.horizon to cover the term"},
		{"reserve without a year", contractBase + "  fee: {monthly: 1}\n  term: 3\n  tiers: [{tier: urgent, response: 95%}]\n  reserve: 3%\n",
			"test.yaml:19: contract.reserve: the measured window holds 3 full months, less than a contract year: the fund cannot be checked; lengthen simulation.horizon to a year or more"},
		{"one month of the term", strings.Replace(contractBase, "13w", "5w", 1) + "  fee: {monthly: 1}\n  tiers: [{tier: urgent, response: 95%}]\n  escalation: {steps: [{terminate: true}]}\n",
			"test.yaml:16: contract.term: the measured window holds 1 full month of the 12-month term: the probability of termination covers those only; lengthen simulation.horizon to cover the term"},
		{"one month for the reserve", strings.Replace(contractBase, "13w", "5w", 1) + "  fee: {monthly: 1}\n  term: 1\n  tiers: [{tier: urgent, response: 95%}]\n  reserve: 3%\n",
			"test.yaml:19: contract.reserve: the measured window holds 1 full month, less than a contract year: the fund cannot be checked; lengthen simulation.horizon to a year or more"},
		{"rule section without credits", contractBase + "  fee: {monthly: 1}\n  term: 3\n  tiers: [{tier: urgent, response: 95%}]\n  lateness: {step: 30m}\n",
			"test.yaml:19: contract.lateness: has no effect: no tier in contract.tiers has a lateness credit"},
		{"no level and no rule", contractBase + "  fee: {monthly: 1}\n  term: 3\n",
			"test.yaml:16: contract: sets no attainment level and no rule: a run reports only the fees"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("test.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range s.Warnings {
				got = append(got, w.String())
			}
			if !slices.Equal(got, []string{tt.want}) {
				t.Errorf("got warnings\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), tt.want)
			}
		})
	}
}

func TestContractPlan(t *testing.T) {
	s, err := Open("contract")
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	p, err := s.ContractPlan(m)
	if err != nil {
		t.Fatal(err)
	}
	ps := p.Periods()
	if len(ps) != 12 || ps[0].Label() != "2024-01" || ps[11].Label() != "2024-12" {
		t.Fatalf("periods %v, want the 12 months of 2024", ps)
	}
	// The measured window begins at 00:00 on 1 January in Shanghai, the
	// end of the warm-up.
	if ps[0].Start != m.WarmUp || ps[1].Start-ps[0].Start != 31*24*time.Hour {
		t.Errorf("January is [%v, %v) in simulation time, want [%v, +31d)", ps[0].Start, ps[0].End, m.WarmUp)
	}
	// A shorter horizon given on the command line shortens the plan.
	m.Horizon = 13 * 7 * 24 * time.Hour
	if p, err = s.ContractPlan(m); err != nil || len(p.Periods()) != 3 {
		t.Errorf("a 13-week horizon gives %d periods (%v), want 3", len(p.Periods()), err)
	}
}

// TestContractClockLevels: contract.tiers[].clocks sets attainment levels
// on a tier's named clocks, indexed like the contract's clocks; a name
// the tier does not have, or the updates clock, is an error at its key.
func TestContractClockLevels(t *testing.T) {
	base := journeyValid + "simulation: {horizon: 13w}\ncontract:\n  fee: {monthly: 1000}\n"
	s, err := Parse("test.yaml", []byte(base+"  tiers: [{tier: faults, clocks: {repair: 80%, on site: 90%}, attainment: 5%}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Contract
	if !slices.Equal(c.Clocks, []string{"on site", "repair"}) || !slices.Equal(c.Levels[0].Clocks, []float64{0.9, 0.8}) || len(c.Credits) != 1 {
		t.Errorf("clocks %q, levels %+v, credits %v", c.Clocks, c.Levels, c.Credits)
	}
	if s, err = Parse("test.yaml", []byte(base+"  tiers: [{tier: faults, clocks: {on site: 90%}}]\n")); err != nil || !slices.Equal(s.Contract.Levels[0].Clocks, []float64{0.9}) {
		t.Errorf("one level: %v, %+v", err, s.Contract.Levels)
	}
	updates := strings.Replace(base, "    clocks:\n", "    updates: {every: 30m, handling: {mean: 3m}, target: 10m}\n    clocks:\n", 1)
	for _, tt := range []struct{ name, src, want string }{
		{"unknown clock", base + "  tiers: [{tier: faults, clocks: {onsite: 90%}}]\n",
			`test.yaml:19: contract.tiers[0].clocks.onsite: the tier has no clock named "onsite"; its clocks: on site, repair; did you mean on site?`},
		{"not a mapping", base + "  tiers: [{tier: faults, clocks: [on site]}]\n",
			"test.yaml:19: contract.tiers[0].clocks: must map the tier's named clocks to levels, such as clocks: {on site: 90%}, got a list"},
		{"above 100%", base + "  tiers: [{tier: faults, clocks: {on site: 150%}}]\n",
			"test.yaml:19: contract.tiers[0].clocks.on site: must be >= 0 and <= 1 (100%), got 150%"},
		{"repeated", base + "  tiers: [{tier: faults, clocks: {on site: 90%, on site: 80%}}]\n",
			"test.yaml:19: contract.tiers[0].clocks.on site: repeated; first given on line 19"},
		{"updates", updates + "  tiers: [{tier: faults, clocks: {updates: 90%}}]\n",
			"test.yaml:20: contract.tiers[0].clocks.updates: a level on the updates clock is not built yet: the contract judges tickets, and updates are not tickets; the run reports the updates clock's attainment"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := problems(t, tt.src); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), tt.want)
			}
		})
	}
}
