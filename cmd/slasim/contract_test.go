package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunContract(t *testing.T) {
	args := []string{"run", "contract", "--replications", "4"}
	code, text, errs := slasim(t, context.Background(), append(args, "--workers", "1")...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Contract (12 months measured, 2024-01 to 2024-12; term 12 months, amounts in CNY):",
		"cost per month (credits after the 30% cap, plus escalation costs): mean ",
		"by rule, mean: per-breach ",
		"probability that a month meets its level:",
		"routine  response    90%",
		"1. double service time, free (costs 60,000): ",
		"probability of a termination right within the 12-month term: ",
		"reserve of 3% of a year's revenue (108,000 a year): ",
	} {
		if !strings.Contains(words(text), words(want)) {
			t.Errorf("the text report lacks %q:\n%s", want, text)
		}
	}
	if _, two, _ := slasim(t, context.Background(), append(args, "--workers", "2")...); two != text {
		t.Error("the contract figures change with the number of workers")
	}

	// JSON: the contract object, with figures that add up.
	dir := t.TempDir()
	code, out, errs := slasim(t, context.Background(), append(args, "--json", "--csv", dir)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Contract *struct {
			Periods []string `json:"periods"`
			Cost    struct {
				Mean struct{ Mean float64 } `json:"mean"`
			} `json:"cost_per_period"`
			ByRule []struct {
				Rule string                 `json:"rule"`
				Mean struct{ Mean float64 } `json:"mean"`
			} `json:"by_rule"`
			Levels     []json.RawMessage `json:"levels"`
			Escalation struct {
				Termination *struct{ Trials int64 } `json:"termination"`
			} `json:"escalation"`
			Reserve *struct{} `json:"reserve"`
		} `json:"contract"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Contract
	if c == nil {
		t.Fatal("no contract object in the JSON report")
	}
	sum := 0.0
	for _, r := range c.ByRule {
		sum += r.Mean.Mean
	}
	if len(c.Periods) != 12 || len(c.ByRule) != 5 || len(c.Levels) != 6 || c.Escalation.Termination == nil ||
		c.Escalation.Termination.Trials != 4 || c.Reserve == nil {
		t.Errorf("contract object incomplete: %+v", c)
	}
	if diff := sum - c.Cost.Mean.Mean; diff*diff > 1e-12*c.Cost.Mean.Mean*c.Cost.Mean.Mean {
		t.Errorf("rules add up to %v, the cost is %v", sum, c.Cost.Mean.Mean)
	}
	// The per-replication rows of --csv are collected beside the contract.
	if b, err := os.ReadFile(filepath.Join(dir, "replications.csv")); err != nil || strings.Count(string(b), "\n") != 1+4*3*2 {
		t.Errorf("replications.csv: %v, %d lines", err, strings.Count(string(b), "\n"))
	}
}

func TestRunContractShortWindow(t *testing.T) {
	code, text, errs := slasim(t, context.Background(), "run", "contract", "--replications", "2", "--horizon", "9w")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Contract (2 months measured, 2024-01 to 2024-02; term 12 months",
		"note: the measured window holds 2 of the term's 12 months: the probability of termination covers those only",
		"note: the measured window holds no whole contract year: the 3% reserve is not checked",
	} {
		if !strings.Contains(words(text), words(want)) {
			t.Errorf("the text report lacks %q:\n%s", want, text)
		}
	}
}

func TestRunWithoutContract(t *testing.T) {
	_, text, _ := slasim(t, context.Background(), "run", "testdata/small.yaml", "--replications", "2")
	_, out, _ := slasim(t, context.Background(), "run", "testdata/small.yaml", "--replications", "2", "--json")
	if strings.Contains(text, "Contract") || strings.Contains(out, `"contract"`) {
		t.Error("a scenario without a contract reports one")
	}
}

// words is s with every run of white space one space: text as read, where
// a line wrapped to fit 80 columns breaks nothing.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }
