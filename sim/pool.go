package sim

import (
	"time"

	"github.com/slasim/slasim/sim/internal/cacheline"
	"github.com/slasim/slasim/sim/internal/waitlist"
)

// pool is a set of servers in teams and the lines of tickets waiting for
// them: the mechanism that people and the automated channel both are. It
// keeps which servers are off duty, which have a free slot (a server holds
// up to its team's slots tickets at once: an agent one, the automated
// engine its capacity), how many slots are in use, and which tickets wait
// in which line, by (class, level). Who takes which ticket is decided by
// the dispatch discipline (dispatch.go) and the automated channel
// (automation.go); when servers come and go, by staffing (staffing.go).
type pool struct {
	teams   []team
	servers []server
	// Line class*levels+level holds the tickets of that class waiting at
	// that level, first come first served.
	lines        waitlist.Lines
	levels       int
	waiting      int   // tickets in the lines
	classWaiting []int // tickets in the lines, by class
	// rules are what the discipline knows of each class.
	rules []classRule
	// meter integrates the counts over the measured window; every change
	// to a team's busy or on-duty count, or to classWaiting, goes through
	// it.
	meter *poolMeter
}

type serverStatus uint8

const (
	offDuty serverStatus = iota
	onSite
	onCall
)

// server is one agent, or the automated engine.
type server struct {
	team    int32
	ticket  int32 // the ticket in hand of a one-slot server, -1 if none
	status  serverStatus
	leaving bool   // finishing its tickets after the shift ended
	onBreak bool   // leaving for a break (shrinkage) within its shift: no overtime (outlastShifts)
	multi   bool   // it has several slots (chat agents, the automated engine)
	held    uint16 // slots in use
	// readyAt is when an agent paged on call arrives: the work of a
	// several-slot agent's later tickets starts then too.
	readyAt time.Duration
}

// team is a group of servers with the same skills and schedule.
type team struct {
	// skills[class] has bit l set when the team works on level l of class.
	skills  [maxTiers]uint8
	members []int32
	// Stacks of servers off duty, and of free slots on site and on call:
	// a server is on an idle stack once for each slot it has free.
	off, idleSite, idleCall []int32
	site, call, leaving     int // servers on site, on call (not leaving), and leaving
	pastShift               int // leaving servers whose shift ended (not a break): overtime
	busy                    int // slots in use
	callBusy                int // slots in use by agents on call
	engaged                 int // servers with a slot in use
	slots                   int // slots per server
	// onCallDelay draws the time from a page to the start of work (nil:
	// none) from the team's roster's paging stream.
	onCallDelay Distribution
}

func (tm *team) skilled(class, level int8) bool { return tm.skills[class]&(1<<level) != 0 }

func (tm *team) available() int { return tm.site + tm.call + tm.leaving }

// newPool makes a pool whose lines are by class and level, without teams,
// its counts integrated by meter.
func newPool(classes, levels int, meter *poolMeter) pool {
	p := pool{levels: levels, teams: cacheline.Make[team](0), servers: cacheline.Make[server](0),
		classWaiting: cacheline.Make[int](classes), rules: cacheline.Make[classRule](classes), meter: meter}
	for c := range p.rules {
		p.rules[c].room = -1
	}
	p.lines.Init(classes * levels)
	meter.waitingNs = cacheline.Make[hours](classes)
	meter.busyNs, meter.availNs, meter.overNs = cacheline.Make[hours](0), cacheline.Make[hours](0), cacheline.Make[hours](0)
	meter.callBusy, meter.engaged, meter.callOuts = cacheline.Make[integral](0), cacheline.Make[integral](0), cacheline.Make[int64](0)
	return p
}

// addTeam adds a team of n servers, each holding up to slots tickets.
func (p *pool) addTeam(skills [maxTiers]uint8, n, slots int, onCallDelay Distribution) {
	k := int32(len(p.teams))
	tm := team{skills: skills, slots: slots, onCallDelay: onCallDelay}
	for range n {
		tm.members = append(tm.members, int32(len(p.servers)))
		p.servers = append(p.servers, server{team: k, multi: slots > 1})
	}
	tm.off = cacheline.Make[int32](n)[:0]
	tm.idleSite = cacheline.Make[int32](n * slots)[:0]
	tm.idleCall = cacheline.Make[int32](n * slots)[:0]
	p.teams = append(p.teams, tm)
	p.meter.busyNs = append(p.meter.busyNs, hours{})
	p.meter.availNs = append(p.meter.availNs, hours{})
	p.meter.overNs = append(p.meter.overNs, hours{})
	p.meter.callBusy = append(p.meter.callBusy, integral{})
	p.meter.callOuts = append(p.meter.callOuts, 0)
	p.meter.engaged = append(p.meter.engaged, integral{})
}

// reset empties the lines and sends every server off duty.
func (p *pool) reset() {
	p.lines.Reset()
	p.waiting = 0
	clear(p.classWaiting)
	for i := range p.servers {
		p.servers[i] = server{team: p.servers[i].team, ticket: -1, multi: p.servers[i].multi}
	}
	for i := range p.teams {
		tm := &p.teams[i]
		tm.off, tm.idleSite, tm.idleCall = tm.off[:0], tm.idleSite[:0], tm.idleCall[:0]
		for j := len(tm.members) - 1; j >= 0; j-- {
			tm.off = append(tm.off, tm.members[j])
		}
		tm.site, tm.call, tm.leaving, tm.pastShift, tm.busy, tm.callBusy, tm.engaged = 0, 0, 0, 0, 0, 0, 0
	}
}

// enqueue puts ticket i in the line of its class and level: at the back,
// or at the front for a preempted ticket that resumes before the others.
func (p *pool) enqueue(class, level int8, i int32, front bool) {
	q := int(class)*p.levels + int(level)
	if front {
		p.lines.PushFront(q, i)
	} else {
		p.lines.PushBack(q, i)
	}
	p.waiting++
	p.classWaiting[class]++
	p.meter.add(&p.meter.waitingNs[class], 1)
	p.meter.waiting.plus(p.meter.rest)
}

// dequeue takes the first ticket of line q, of the given class.
func (p *pool) dequeue(q, class int) int32 {
	p.waiting--
	p.classWaiting[class]--
	p.meter.add(&p.meter.waitingNs[class], -1)
	p.meter.waiting.plus(-p.meter.rest)
	return p.lines.PopFront(q)
}

// classRule is what the discipline knows of a class of tickets: whether
// they may interrupt lower classes' work, how many may wait at once (-1:
// any number), and the aging that moves those waiting up.
type classRule struct {
	room     int
	preempts bool
	aging    Aging
}

// waitingFor reports whether a ticket waits in a line team tm works on.
func (p *pool) waitingFor(tm *team) bool {
	if p.waiting == 0 {
		return false
	}
	for class, n := range p.classWaiting {
		for l := 0; n > 0 && l < p.levels; l++ {
			if p.lines.Len(class*p.levels+l) > 0 && tm.skilled(int8(class), int8(l)) {
				return true
			}
		}
	}
	return false
}

// full reports whether the lines of the class have no room for another
// ticket.
func (p *pool) full(class int8) bool {
	room := p.rules[class].room
	return room >= 0 && p.classWaiting[class] >= room
}

// remove takes ticket i out of line q, of the given class, wherever it is
// in the line.
func (p *pool) remove(q, class int, i int32) {
	p.waiting--
	p.classWaiting[class]--
	p.meter.add(&p.meter.waitingNs[class], -1)
	p.meter.waiting.plus(-p.meter.rest)
	p.lines.Remove(q, i)
}

// claim takes the free slot on top of an idle stack, and returns its
// server. The caller then gives it a ticket with hold.
func (p *pool) claim(stack *[]int32) int32 {
	n := len(*stack) - 1
	a := (*stack)[n]
	*stack = (*stack)[:n]
	return a
}

// hold and drop count a slot of server sv taken and freed; an agent on
// call keeps that status until the slot is freed, so that its work is
// counted as on-call work from the page to the end. For a server of
// several slots they also count whether it is engaged (has a slot in
// use): a one-slot server is engaged when busy.
func (p *pool) hold(sv *server) {
	p.teams[sv.team].busy++
	p.meter.add(&p.meter.busyNs[sv.team], 1)
	sv.held++
	if sv.status == onCall {
		p.teams[sv.team].callBusy++
		p.meter.callBusy[sv.team].plus(p.meter.rest)
	}
	if sv.multi && sv.held == 1 {
		p.teams[sv.team].engaged++
		p.meter.engaged[sv.team].plus(p.meter.rest)
	}
}

func (p *pool) drop(sv *server) {
	p.teams[sv.team].busy--
	p.meter.add(&p.meter.busyNs[sv.team], -1)
	sv.held--
	if sv.status == onCall {
		p.teams[sv.team].callBusy--
		p.meter.callBusy[sv.team].plus(-p.meter.rest)
	}
	if sv.multi && sv.held == 0 {
		p.teams[sv.team].engaged--
		p.meter.engaged[sv.team].plus(-p.meter.rest)
	}
}

// staff changes by delta one of team k's counts of servers on duty: n is
// its site, call or leaving.
func (p *pool) staff(k int32, n *int, delta int) {
	*n += delta
	p.meter.add(&p.meter.availNs[k], delta)
}

// overtime changes by delta team k's count of servers working past their
// shift's end.
func (p *pool) overtime(k int32, delta int) {
	p.teams[k].pastShift += delta
	p.meter.add(&p.meter.overNs[k], delta)
}

// credit adds to the integrals of the hour bin the counts times length,
// the hour's time in the measured window, as the hour begins.
func (p *pool) credit(bin int, length time.Duration) {
	m := p.meter
	for k := range p.teams {
		tm := &p.teams[k]
		m.busyNs[k][bin].add(int64(tm.busy), length)
		m.availNs[k][bin].add(int64(tm.available()), length)
		if tm.pastShift != 0 {
			m.overNs[k][bin].add(int64(tm.pastShift), length)
		}
	}
	for class, n := range p.classWaiting {
		if n != 0 {
			m.waitingNs[class][bin].add(int64(n), length)
		}
	}
}

// idle puts a free slot of server a on its team's idle stack for its
// status.
func (p *pool) idle(a int32) {
	sv := &p.servers[a]
	tm := &p.teams[sv.team]
	if sv.status == onCall {
		tm.idleCall = append(tm.idleCall, a)
	} else {
		tm.idleSite = append(tm.idleSite, a)
	}
}
