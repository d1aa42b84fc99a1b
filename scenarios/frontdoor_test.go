package scenarios

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/sim"
)

// TestFrontDoorFields: the fields of issue 13 reach the model as written,
// and their errors name the field.
func TestFrontDoorFields(t *testing.T) {
	src := strings.Replace(valid, "    handling: {mean: 30m}\n", `    handling: {mean: 30m}
    patience: {distribution: lognormal, mean: 2m, cv: 0.5}
    queue_capacity: 12
`, 1)
	src = strings.Replace(src, "    handling: {distribution: lognormal, mean: 1h, cv: 1.2}\n", `    handling: {distribution: lognormal, mean: 1h, cv: 1.2}
    patience: {mean: 30s}
    queue_capacity: 0
`, 1)
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	urgent, routine := m.Tiers[0], m.Tiers[1]
	if urgent.Patience != (sim.Exponential{Mu: 30 * time.Second}) || !urgent.Blocking || urgent.QueueCapacity != 0 {
		t.Errorf("urgent: patience %v, blocking %v, queue capacity %d", urgent.Patience, urgent.Blocking, urgent.QueueCapacity)
	}
	if routine.Patience != sim.NewLogNormal(2*time.Minute, 0.5) || !routine.Blocking || routine.QueueCapacity != 12 {
		t.Errorf("routine: patience %v, blocking %v, queue capacity %d", routine.Patience, routine.Blocking, routine.QueueCapacity)
	}
	s, err = Parse("test.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if tier := s.Model().Tiers[0]; tier.Patience != nil || tier.Blocking {
		t.Errorf("without the fields: patience %v, blocking %v", tier.Patience, tier.Blocking)
	}

	for _, tt := range []struct {
		name, field string
		want        []string
	}{
		{"queue capacity below 0", "queue_capacity: -1", []string{"test.yaml:9: tiers[0].queue_capacity: must be >= 0, got -1"}},
		{"queue capacity not whole", "queue_capacity: 2.5", []string{"test.yaml:9: tiers[0].queue_capacity: must be a whole number, got 2.5"}},
		{"queue capacity too large", "queue_capacity: 20000000", []string{"test.yaml:9: tiers[0].queue_capacity: must be at most 10000000, got 20000000"}},
		{"patience as a duration", "patience: 2m", []string{"test.yaml:9: tiers[0].patience: must be a mapping (field: value, one per line or in {}), got 2m"}},
		{"patience without a mean", "patience: {distribution: gamma, cv: 1}", []string{"test.yaml:9: tiers[0].patience.mean: missing; gamma takes mean and cv"}},
		{"patience of zero", "patience: {mean: 0s}", []string{"test.yaml:9: tiers[0].patience.mean: must be > 0, got 0s"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(valid, "    handling: {distribution: lognormal, mean: 1h, cv: 1.2}\n",
				"    handling: {distribution: lognormal, mean: 1h, cv: 1.2}\n    "+tt.field+"\n", 1)
			if got := problems(t, src); !slices.Equal(got, tt.want) {
				t.Errorf("got problems\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// TestChatFields: tiers[].concurrent and teams[].concurrency reach the
// model, and a team of several slots serving other work, or handing
// tickets back, is refused on its field.
func TestChatFields(t *testing.T) {
	const chat = `name: chat
tiers:
  - name: chat
    rate: 20/h
    handling: {mean: 6m}
    targets: {response: 30s, resolution: 1h}
    concurrent: true
  - name: phone
    rate: 5/h
    handling: {mean: 6m}
    targets: {response: 30s, resolution: 1h}
teams:
  - name: chat desk
    tiers: [chat]
    concurrency: 3
    shifts: [{hours: "00:00-24:00", agents: 2}]
  - name: phones
    tiers: [phone]
    shifts: [{hours: "00:00-24:00", agents: 2}]
`
	s, err := Parse("chat.yaml", []byte(chat))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	if !m.Tiers[0].Concurrent || m.Tiers[1].Concurrent || m.Teams[0].Concurrency != 3 || m.Teams[1].Concurrency != 1 {
		t.Errorf("concurrent %v %v, concurrency %d %d", m.Tiers[0].Concurrent, m.Tiers[1].Concurrent, m.Teams[0].Concurrency, m.Teams[1].Concurrency)
	}
	if err := m.Validate(); err != nil {
		t.Error(err)
	}
	for _, tt := range []struct{ name, from, to, want string }{
		{"serves a tier not concurrent", "    tiers: [chat]\n", "    tiers: [chat, phone]\n",
			"chat.yaml:15: teams[0].concurrency: chat desk's agents hold up to 3 tickets at once, but it serves phone, which is not concurrent: give phone concurrent: true, or the team concurrency: 1 and tiers without phone (a team mixing concurrent work with other work is not simulated)"},
		{"hands back", "    concurrency: 3\n", "    concurrency: 3\n    shift_end: hand_back\n",
			"chat.yaml:16: teams[0].shift_end: hand_back is not simulated for agents holding several tickets at once (concurrency 3): they finish them; use shift_end: finish"},
		{"zero", "    concurrency: 3\n", "    concurrency: 0\n", "chat.yaml:15: teams[0].concurrency: must be >= 1, got 0"},
		{"too many", "    concurrency: 3\n", "    concurrency: 101\n", "chat.yaml:15: teams[0].concurrency: must be at most 100, got 101"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("chat.yaml", []byte(strings.Replace(chat, tt.from, tt.to, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestDelayFields: tiers[].travel, tiers[].response_stops and an
// on_call_delay given as a duration or as a distribution reach the model,
// and their errors name the field.
func TestDelayFields(t *testing.T) {
	const field = `name: field
tiers:
  - name: fault
    rate: 2/h
    handling: {mean: 1h}
    targets: {response: 1h, resolution: 8h}
    travel: {distribution: lognormal, mean: 40m, cv: 0.5}
    response_stops: remote_start
teams:
  - name: engineers
    shifts: [{hours: "08:00-20:00", agents: 4}, {hours: "20:00-08:00", agents: 2, on_call: true}]
    on_call_delay: {mean: 20m}
`
	s, err := Parse("field.yaml", []byte(field))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Model()
	if tier := m.Tiers[0]; tier.Travel != sim.NewLogNormal(40*time.Minute, 0.5) || !tier.RemoteResponse {
		t.Errorf("travel %v, remote response %v", tier.Travel, tier.RemoteResponse)
	}
	if d := m.Teams[0].OnCallDelay; d != (sim.Exponential{Mu: 20 * time.Minute}) {
		t.Errorf("on-call delay %v", d)
	}
	if err := m.Validate(); err != nil {
		t.Error(err)
	}
	for _, tt := range []struct{ name, from, to, want string }{
		{"fixed delay", "on_call_delay: {mean: 20m}", "on_call_delay: 20m", ""},
		{"no delay", "on_call_delay: {mean: 20m}", "on_call_delay: 0s", ""},
		{"on site", "response_stops: remote_start", "response_stops: on_site", ""},
		{"stops elsewhere", "response_stops: remote_start", "response_stops: phone", "field.yaml:8: tiers[0].response_stops: must be on_site (the response clock stops on arrival on site) or remote_start (when an agent takes the ticket and starts remote work), got phone"},
		{"stops without travel", "    travel: {distribution: lognormal, mean: 40m, cv: 0.5}\n", "", "field.yaml:7: tiers[0].response_stops: applies to a tier with travel only: without it work starts where the agent is"},
		{"travel without mean", "travel: {distribution: lognormal, mean: 40m, cv: 0.5}", "travel: {distribution: lognormal, cv: 0.5}", "field.yaml:7: tiers[0].travel.mean: missing; lognormal takes mean and cv"},
		{"delay below zero", "on_call_delay: {mean: 20m}", "on_call_delay: -5m", "field.yaml:12: teams[0].on_call_delay: must be >= 0"},
		{"delay with a bad field", "on_call_delay: {mean: 20m}", "on_call_delay: {mean: 20m, cv: 1}", "field.yaml:12: teams[0].on_call_delay.cv: does not apply to exponential, which takes mean"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("field.yaml", []byte(strings.Replace(field, tt.from, tt.to, 1)))
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				switch tt.name {
				case "fixed delay":
					if d := s.Model().Teams[0].OnCallDelay; d != (sim.Deterministic{Value: 20 * time.Minute}) {
						t.Errorf("on-call delay %v", d)
					}
				case "no delay":
					if d := s.Model().Teams[0].OnCallDelay; d != nil {
						t.Errorf("on-call delay %v", d)
					}
				case "on site":
					if s.Model().Tiers[0].RemoteResponse {
						t.Error("remote response")
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestAgingFields: tiers[].aging reaches the model, and a rule moving a
// ticket down, or to no tier, is refused on its field.
func TestAgingFields(t *testing.T) {
	src := strings.Replace(valid, "    handling: {mean: 30m}\n", "    handling: {mean: 30m}\n    aging: {after: 45m, to: urgent}\n", 1)
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if a := s.Model().Tiers[1].Aging; a != (sim.Aging{After: 45 * time.Minute, To: 0}) {
		t.Errorf("aging %+v", a)
	}
	for _, tt := range []struct{ field, want string }{
		{"aging: {after: 45m, to: routine}", "test.yaml:13: tiers[1].aging.to: must be a tier of a higher priority than routine, listed before it; routine is not"},
		{"aging: {after: 45m, to: normal}", `test.yaml:13: tiers[1].aging.to: no tier named "normal"`},
		{"aging: {to: urgent}", "test.yaml:13: tiers[1].aging.after: missing; aging needs after and to, such as aging: {after: 30m, to: urgent}"},
		{"aging: {after: 0s, to: urgent}", "test.yaml:13: tiers[1].aging.after: must be > 0, got 0s"},
	} {
		src := strings.Replace(valid, "    handling: {mean: 30m}\n", "    handling: {mean: 30m}\n    "+tt.field+"\n", 1)
		if _, err := Parse("test.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v\nwant %s", tt.field, err, tt.want)
		}
	}
}
