package sandbox

import (
	"path"
	"strings"
	"time"

	"github.com/cloudreve-connect/facade/internal/upstream"
)

// The file event hub of GET /file/events (events.go serves the channel),
// imitating 4.18.0's: a subscriber is a client id on a folder (its topic);
// a change is published to the subscribers of every folder above the
// changed object, with its path relative to that folder, and held back
// until nothing happened to the subscriber for the debounce delay, when
// the held events are merged (mergeEvents) and handed over. A subscriber
// whose connection ends goes offline but lives on: what happens meanwhile
// is kept, and a connection with the same client id on the same folder
// resumes it. All of it is guarded by store.mu.

// Event types of the channel.
const (
	evCreate = "create"
	evModify = "modify"
	evRename = "rename"
	evDelete = "delete"
)

// eventQueueSize is the real server's per-subscriber queue between the hub
// and the connection: a flush that finds it full drops the rest (a burst of
// many changes reaches a client only in part, as on 4.18.0).
const eventQueueSize = 16

// fileEvent is one change as the channel sends it.
type fileEvent struct {
	Type   string `json:"type"`
	FileID string `json:"file_id"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// eventSub is one client id subscribed to one folder.
type eventSub struct {
	id           string
	topic        *fsNode
	online       bool
	offlineSince time.Time
	held         []fileEvent // waiting for the debounce delay
	gen          int         // the debounce timer's generation: a stale timer does nothing
	timer        *time.Timer
	kept         []fileEvent // held events flushed while offline (the server's fs_event table)
	out          chan fileEvent
}

// eventHub holds the subscribers, by topic folder id and client id.
type eventHub struct {
	subs map[int64]map[string]*eventSub
}

func (st *store) hub() *eventHub {
	if st.events.subs == nil {
		st.events.subs = map[int64]map[string]*eventSub{}
	}
	return &st.events
}

// subscribe attaches a connection to the subscriber id of folder topic,
// resuming it (resumed true) when it exists. Callers hold mu.
func (st *store) subscribe(topic *fsNode, id string) (sub *eventSub, resumed bool) {
	h := st.hub()
	st.expireSubscribers()
	byID := h.subs[topic.id]
	if byID == nil {
		byID = map[string]*eventSub{}
		h.subs[topic.id] = byID
	}
	if sub := byID[id]; sub != nil {
		sub.online, sub.offlineSince = true, time.Time{}
		sub.held = append(sub.held, sub.kept...)
		sub.kept = nil
		if len(sub.held) > 0 {
			st.armDebounce(sub)
		}
		return sub, true
	}
	sub = &eventSub{id: id, topic: topic, online: true, out: make(chan fileEvent, eventQueueSize)}
	byID[id] = sub
	return sub, false
}

// unsubscribe is the end of a connection: what is held is handed over at
// once (into the queue, where a resumed connection finds it), and the
// subscriber goes offline. Callers hold mu.
func (st *store) unsubscribe(sub *eventSub) {
	st.flushEvents(sub)
	sub.online, sub.offlineSince = false, time.Now()
}

// expireSubscribers forgets subscribers offline for longer than the
// site's fs_event_push_max_age (the real server checks hourly). Callers
// hold mu.
func (st *store) expireSubscribers() {
	for topic, byID := range st.events.subs {
		for id, sub := range byID {
			if !sub.online && time.Since(sub.offlineSince) > st.opts.EventMaxAge {
				st.stopDebounce(sub)
				delete(byID, id)
			}
		}
		if len(byID) == 0 {
			delete(st.events.subs, topic)
		}
	}
}

// publishEvent holds an event for a subscriber and restarts its debounce
// delay. Callers hold mu.
func (st *store) publishEvent(sub *eventSub, ev fileEvent) {
	sub.held = append(sub.held, ev)
	st.armDebounce(sub)
}

func (st *store) armDebounce(sub *eventSub) {
	st.stopDebounce(sub)
	gen := sub.gen
	sub.timer = time.AfterFunc(st.opts.EventDebounce, func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		if sub.gen == gen && !st.closed {
			st.flushEvents(sub)
		}
	})
}

func (st *store) stopDebounce(sub *eventSub) {
	sub.gen++
	if sub.timer != nil {
		sub.timer.Stop()
		sub.timer = nil
	}
}

// flushEvents hands the held events over: merged into the queue while the
// subscriber is online, kept as they are while it is offline. Callers hold
// mu.
func (st *store) flushEvents(sub *eventSub) {
	st.stopDebounce(sub)
	if len(sub.held) == 0 {
		return
	}
	if !sub.online {
		sub.kept = append(sub.kept, sub.held...)
		sub.held = nil
		return
	}
	for _, ev := range mergeEvents(sub.held) {
		select {
		case sub.out <- ev:
		default: // queue full: dropped, as the real server does
		}
	}
	sub.held = nil
}

// mergeEvents folds the events of one debounce period, file by file, into
// what a client needs to reach the final state, in the order the files
// first changed: a create absorbs later modifies and renames (it is
// reported where the file ended up), a create and a delete cancel out, a
// delete absorbs earlier modifies and renames, renames chain (and a rename
// back to where the file was cancels out), and a create after a delete
// (a restore) counts as a create.
func mergeEvents(in []fileEvent) []fileEvent {
	type merged struct {
		fileEvent
		gone bool
	}
	var order []*merged
	current := map[string]*merged{}
	for _, ev := range in {
		m := current[ev.FileID]
		if m == nil {
			m = &merged{fileEvent: fileEvent{Type: ev.Type, FileID: ev.FileID, From: ev.From, To: ev.To}}
			current[ev.FileID] = m
			order = append(order, m)
			continue
		}
		switch ev.Type {
		case evCreate:
			if m.Type == evDelete {
				m.Type, m.From, m.To = evCreate, ev.From, ""
			}
		case evRename:
			switch m.Type {
			case evCreate:
				m.From = ev.To
			case evModify:
				m.Type, m.From, m.To = evRename, ev.From, ev.To
			case evRename:
				if ev.To == m.From {
					m.gone = true
					delete(current, ev.FileID)
				} else {
					m.To = ev.To
				}
			}
		case evDelete:
			switch m.Type {
			case evCreate:
				m.gone = true
				delete(current, ev.FileID)
			case evModify, evRename:
				m.Type, m.From, m.To = evDelete, ev.From, ""
			}
		}
	}
	out := make([]fileEvent, 0, len(order))
	for _, m := range order {
		if m.gone {
			continue
		}
		ev := m.fileEvent
		if ev.Type != evRename {
			ev.To = ""
		}
		out = append(out, ev)
	}
	return out
}

// Emitting changes. Each is called with the tree as it is before the
// change applies (a moved object's ancestors are still the old ones);
// actor is the client id of the request that made the change, whose own
// subscriber is not told. Callers hold mu.

// listeners are the subscribers of the folders above n (n itself too when
// self is set), each with the folder it subscribed to, but not actor.
func (st *store) listeners(n *fsNode, self bool, actor string) map[string]*eventSub {
	out := map[string]*eventSub{}
	start := n.parent
	if self {
		start = n
	}
	for f := start; f != nil; f = f.parent {
		for id, sub := range st.events.subs[f.id] {
			if id != actor {
				out[id] = sub
			}
		}
	}
	return out
}

// relPath is n's path below the subscriber's folder, "/" first.
func relPath(sub *eventSub, n *fsNode) string {
	var elems []string
	for c := n; c != nil && c != sub.topic; c = c.parent {
		elems = append([]string{eventName(c)}, elems...)
	}
	return "/" + strings.Join(elems, "/")
}

// eventName is the name the real server's events use: a trashed object's
// is the random one it gets in the trash.
func eventName(n *fsNode) string {
	if n.trashed && n.trashName != "" {
		return n.trashName
	}
	return n.name
}

func (st *store) emitSimple(typ string, actor string, n *fsNode) {
	for _, sub := range st.listeners(n, false, actor) {
		st.publishEvent(sub, fileEvent{Type: typ, FileID: n.hid, From: relPath(sub, n)})
	}
}

func (st *store) emitCreated(actor string, n *fsNode)  { st.emitSimple(evCreate, actor, n) }
func (st *store) emitModified(actor string, n *fsNode) { st.emitSimple(evModify, actor, n) }
func (st *store) emitDeleted(actor string, n *fsNode)  { st.emitSimple(evDelete, actor, n) }

func (st *store) emitRenamed(actor string, n *fsNode, newName string) {
	for _, sub := range st.listeners(n, false, actor) {
		from := relPath(sub, n)
		to := strings.TrimSuffix(from, eventName(n)) + newName
		st.publishEvent(sub, fileEvent{Type: evRename, FileID: n.hid, From: from, To: to})
	}
}

// emitMoved reports n moving into folder dst: a rename to subscribers that
// see both places, a delete to those that see only where it was, a create
// to those that see only where it goes.
func (st *store) emitMoved(actor string, n, dst *fsNode) {
	before := st.listeners(n, false, actor)
	after := st.listeners(dst, true, actor)
	for id, sub := range before {
		if to, ok := after[id]; ok {
			st.publishEvent(sub, fileEvent{Type: evRename, FileID: n.hid, From: relPath(sub, n), To: path.Join(relPath(to, dst), eventName(n))})
			delete(after, id)
			continue
		}
		st.publishEvent(sub, fileEvent{Type: evDelete, FileID: n.hid, From: relPath(sub, n)})
	}
	for _, sub := range after {
		st.publishEvent(sub, fileEvent{Type: evCreate, FileID: n.hid, From: path.Join(relPath(sub, dst), eventName(n))})
	}
}

// onlineSubscribers counts the subscribers with a live connection.
func (st *store) onlineSubscribers() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	n := 0
	for _, byID := range st.events.subs {
		for _, sub := range byID {
			if sub.online {
				n++
			}
		}
	}
	return n
}

// openSubscription attaches a connection of u to the subscriber clientID
// of a folder, checking both in the real server's order; resumed when the
// subscriber existed.
func (st *store) openSubscription(u *user, p *fsURI, clientID string) (sub *eventSub, resumed bool, aerr *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	unavailable := fail(upstream.CodeParentNotExist, "Requested uri not available")
	if p.fs != "my" || (p.owner != "" && p.owner != u.hid) {
		// The sandbox follows the caller's own drive only.
		return nil, false, unavailable
	}
	folder, aerr := descend(u.root, p.elems)
	if aerr != nil || !folder.folder {
		return nil, false, unavailable
	}
	switch {
	case clientID == "":
		return nil, false, fail(upstream.CodeParamError, "Client ID is required")
	case !isUUID(clientID):
		return nil, false, fail(upstream.CodeParamError, "Invalid client ID")
	}
	sub, resumed = st.subscribe(folder, clientID)
	return sub, resumed, nil
}

// closeSubscription takes a connection off its subscriber, which goes
// offline and keeps what happens meanwhile.
func (st *store) closeSubscription(sub *eventSub) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.unsubscribe(sub)
}

// events is where the subscriber's connection receives its merged events.
func (sub *eventSub) events() <-chan fileEvent { return sub.out }

// closing is closed when the store closes.
func (st *store) closing() <-chan struct{} { return st.done }
