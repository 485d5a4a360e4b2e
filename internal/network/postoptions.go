package network

import "sync"

// Post options are the choices a post can make on one network beyond its
// text, link and media (Instagram's story, Threads's reply control). The
// composer shows them per variant, a FieldChoice as a select whose first
// option is the default; they reach the connector as PublishRequest.Options.
var (
	postOptionsMu sync.RWMutex
	postOptions   = map[Kind][]Field{}
)

// RegisterPostOptions declares a network's post options; connector packages call it from init.
func RegisterPostOptions(k Kind, fields []Field) {
	postOptionsMu.Lock()
	defer postOptionsMu.Unlock()
	postOptions[k] = fields
}

// PostOptionsFor returns a network's post options (nil: none).
func PostOptionsFor(k Kind) []Field {
	postOptionsMu.RLock()
	defer postOptionsMu.RUnlock()
	return postOptions[k]
}
