package sim

import "fmt"

// Collectors is a Collector that passes every call on to each of its
// members in turn, so that one run feeds several analyses (contract
// credits and per-replication rows, say). Members merge with the members
// of another Collectors of the same shape, one by one.
type Collectors []Collector

// Begin begins the replication in every member.
func (cs Collectors) Begin(seed uint64, rep int) {
	for _, c := range cs {
		c.Begin(seed, rep)
	}
}

// Ticket passes the ticket to every member.
func (cs Collectors) Ticket(t *TicketRecord) {
	for _, c := range cs {
		c.Ticket(t)
	}
}

// End ends the replication in every member.
func (cs Collectors) End() {
	for _, c := range cs {
		c.End()
	}
}

// Update passes the update to every member that collects updates.
func (cs Collectors) Update(u *UpdateRecord) {
	for _, c := range cs {
		if uc, ok := c.(UpdateCollector); ok {
			uc.Update(u)
		}
	}
}

// Outage passes the outage to every member that collects outages.
func (cs Collectors) Outage(o *OutageRecord) {
	for _, c := range cs {
		if oc, ok := c.(OutageCollector); ok {
			oc.Outage(o)
		}
	}
}

// Merge merges each member with its counterpart in o.
func (cs Collectors) Merge(o Collector) error {
	others, ok := o.(Collectors)
	if !ok || len(others) != len(cs) {
		return fmt.Errorf("collectors: cannot merge %T into %d collectors", o, len(cs))
	}
	for i, c := range cs {
		if err := c.Merge(others[i]); err != nil {
			return err
		}
	}
	return nil
}

// CombineCollectors returns a factory of collectors that feed each ticket
// to a collector of every factory given; nil factories are left out, and
// a single one is returned as it is.
func CombineCollectors(factories ...func() Collector) func() Collector {
	var fs []func() Collector
	for _, f := range factories {
		if f != nil {
			fs = append(fs, f)
		}
	}
	switch len(fs) {
	case 0:
		return nil
	case 1:
		return fs[0]
	}
	return func() Collector {
		cs := make(Collectors, len(fs))
		for i, f := range fs {
			cs[i] = f()
		}
		return cs
	}
}

// FindCollector returns c if it is a T, else the first T among the members
// of c, looking into nested Collectors; ok is false if there is none.
func FindCollector[T Collector](c Collector) (t T, ok bool) {
	if t, ok = c.(T); ok {
		return t, true
	}
	if cs, isCs := c.(Collectors); isCs {
		for _, m := range cs {
			if t, ok = FindCollector[T](m); ok {
				return t, true
			}
		}
	}
	return t, false
}
