package network

// Channel post options adapt a network's post options to one channel from
// what it stored at connect time (Pinterest's boards, TikTok's creator
// choices). A network without them shows its static post options.
var channelPostOptions = map[Kind]func(settings map[string]string) []Field{}

// RegisterChannelPostOptions declares how a network's post options depend on
// a channel's settings; connector packages call it from init.
func RegisterChannelPostOptions(k Kind, fn func(settings map[string]string) []Field) {
	postOptionsMu.Lock()
	defer postOptionsMu.Unlock()
	channelPostOptions[k] = fn
}

// PostOptionsForChannel returns the post options of one channel of network k.
func PostOptionsForChannel(k Kind, settings map[string]string) []Field {
	postOptionsMu.RLock()
	fn := channelPostOptions[k]
	postOptionsMu.RUnlock()
	if fn == nil {
		return PostOptionsFor(k)
	}
	return fn(settings)
}
