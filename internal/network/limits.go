package network

// TextUnit says how a network counts the length of a text.
type TextUnit string

// The ways networks count text.
const (
	// Graphemes counts user-perceived characters (Unicode grapheme clusters).
	Graphemes TextUnit = "graphemes"
	// TwitterWeighted counts twitter-text v3 weights (most Latin 1, CJK and emoji 2).
	TwitterWeighted TextUnit = "weighted"
	// UTF16 counts UTF-16 code units.
	UTF16 TextUnit = "utf16"
	// CharsEmojiBytes counts characters, but each emoji as its UTF-8 byte length (Threads).
	CharsEmojiBytes TextUnit = "chars-emoji-bytes"
	// Runes counts Unicode code points.
	Runes TextUnit = "characters"
	// Bytes counts UTF-8 bytes.
	Bytes TextUnit = "bytes"
)

// Limits are a network's declarative rules. The composer validates every
// variant against them; a network changing a limit is a one-line change in
// DefaultLimits, and connectors that learn limits at connect time (Mastodon's
// /api/v2/instance) return their own copy.
type Limits struct {
	// Network is the kind these limits belong to.
	Network Kind `json:"network"`
	// Name is the network's display name used in messages ("Bluesky").
	Name string `json:"name"`
	// TextUnit is how MaxText is counted.
	TextUnit TextUnit `json:"text_unit"`
	// MaxText is the maximum text length in TextUnit (0: no limit).
	MaxText int `json:"max_text"`
	// MaxBytes is the maximum UTF-8 byte length of the text (0: no limit).
	MaxBytes int `json:"max_bytes,omitempty"`
	// MaxCaption is the maximum text length when media is attached (0: MaxText applies).
	MaxCaption int `json:"max_caption,omitempty"`
	// URLLength is the length every URL counts as (0: URLs count as written).
	URLLength int `json:"url_length,omitempty"`
	// MentionDomainFree: "@user@domain" counts as "@user" (Mastodon).
	MentionDomainFree bool `json:"mention_domain_free,omitempty"`
	// MaxHashtags and MaxMentions limit the count of #tags and @mentions (0: no limit).
	MaxHashtags int `json:"max_hashtags,omitempty"`
	MaxMentions int `json:"max_mentions,omitempty"`
	// MaxMedia is the maximum number of attachments per post (0: media not supported).
	MaxMedia int `json:"max_media"`
	// MediaRequired: a post needs at least one attachment (Instagram).
	MediaRequired bool `json:"media_required,omitempty"`
	// VideoRequired: a post needs a video (YouTube, TikTok).
	VideoRequired bool `json:"video_required,omitempty"`
	// ImageRequired: a post needs an image (Pinterest).
	ImageRequired bool `json:"image_required,omitempty"`
	// RequiredOptions names options a post must set (Pinterest "board").
	RequiredOptions []string `json:"required_options,omitempty"`
	// OptionRules constrain the media of a post by the value of one of its
	// post options (a story holds exactly one photo or video, a Reel one video).
	OptionRules []OptionRule `json:"option_rules,omitempty"`
	// MaxImageBytes and MaxVideoBytes bound one attachment's size (0: no limit).
	MaxImageBytes int64 `json:"max_image_bytes,omitempty"`
	MaxVideoBytes int64 `json:"max_video_bytes,omitempty"`
	// MaxAudioBytes bounds one audio file; 0: the network takes no audio (SoundCloud takes it).
	MaxAudioBytes int64 `json:"max_audio_bytes,omitempty"`
	// AudioRequired: a post needs an audio file (SoundCloud).
	AudioRequired bool `json:"audio_required,omitempty"`
	// MaxVideoSeconds bounds a video's duration (0: no limit).
	MaxVideoSeconds int `json:"max_video_seconds,omitempty"`
	// Threads: the network supports threads (a chain of replies by the author).
	Threads bool `json:"threads"`
	// FirstComment: a first comment can be posted under the post.
	FirstComment bool `json:"first_comment"`
	// DailyPostCap is the network's cap on posts per account per 24 h (0: none).
	DailyPostCap int `json:"daily_post_cap,omitempty"`
}

// OptionRule constrains the attachments of a post whose post option Option
// is set to Value.
type OptionRule struct {
	Option string `json:"option"`
	Value  string `json:"value"`
	// MinMedia and MaxMedia bound the attachments (0: no bound).
	MinMedia int `json:"min_media,omitempty"`
	MaxMedia int `json:"max_media,omitempty"`
	// VideoRequired: one of them must be a video.
	VideoRequired bool `json:"video_required,omitempty"`
}

// storyRules are Facebook's and Instagram's story rules: one photo or video.
func storyRules(option string) []OptionRule {
	return []OptionRule{{Option: option, Value: "story", MinMedia: 1, MaxMedia: 1}}
}

// facebookRules: a Page story holds one photo or video, a Reel one video.
var facebookRules = append(storyRules("fb_type"), OptionRule{Option: "fb_type", Value: "reel", MinMedia: 1, MaxMedia: 1, VideoRequired: true})

// DefaultLimits holds the shipped rules per network, as documented by each
// network (see docs/networks.md). Connectors may refine them per account.
var DefaultLimits = map[Kind]Limits{
	Bluesky:   {Network: Bluesky, Name: "Bluesky", TextUnit: Graphemes, MaxText: 300, MaxBytes: 3000, MaxMedia: 4, MaxImageBytes: 2_000_000, MaxVideoBytes: 300 << 20, MaxVideoSeconds: 180, Threads: true, FirstComment: true},
	Mastodon:  {Network: Mastodon, Name: "Mastodon", TextUnit: Graphemes, MaxText: 500, URLLength: 23, MentionDomainFree: true, MaxMedia: 4, MaxImageBytes: 16 << 20, MaxVideoBytes: 99 << 20, Threads: true, FirstComment: true},
	X:         {Network: X, Name: "X", TextUnit: TwitterWeighted, MaxText: 280, URLLength: 23, MaxMedia: 4, MaxImageBytes: 5 << 20, MaxVideoBytes: 512 << 20, MaxVideoSeconds: 140, Threads: true, FirstComment: true},
	Threads:   {Network: Threads, Name: "Threads", TextUnit: CharsEmojiBytes, MaxText: 500, MaxMedia: 20, MaxImageBytes: 8 << 20, MaxVideoBytes: 1 << 30, MaxVideoSeconds: 300, Threads: true, FirstComment: true, DailyPostCap: 250},
	Telegram:  {Network: Telegram, Name: "Telegram", TextUnit: UTF16, MaxText: 4096, MaxCaption: 1024, MaxMedia: 10, MaxImageBytes: 10 << 20, MaxVideoBytes: 50 << 20},
	LinkedIn:  {Network: LinkedIn, Name: "LinkedIn", TextUnit: Runes, MaxText: 3000, MaxMedia: 9, MaxImageBytes: 36 << 20, MaxVideoBytes: 5 << 30, FirstComment: true},
	Instagram: {Network: Instagram, Name: "Instagram", TextUnit: Runes, MaxText: 2200, MaxHashtags: 30, MaxMentions: 20, MaxMedia: 10, MediaRequired: true, MaxImageBytes: 8 << 20, MaxVideoBytes: 1 << 30, MaxVideoSeconds: 900, FirstComment: true, DailyPostCap: 100, OptionRules: storyRules("ig_type")},
	Facebook:  {Network: Facebook, Name: "Facebook", TextUnit: Runes, MaxText: 63206, MaxMedia: 10, MaxImageBytes: 10 << 20, MaxVideoBytes: 10 << 30, FirstComment: true, OptionRules: facebookRules},
	YouTube:   {Network: YouTube, Name: "YouTube", TextUnit: Bytes, MaxText: 5000, MaxMedia: 2, VideoRequired: true, MaxImageBytes: 2 << 20, MaxVideoBytes: 256 << 30, MaxVideoSeconds: 12 * 3600, FirstComment: true},
	TikTok:    {Network: TikTok, Name: "TikTok", TextUnit: UTF16, MaxText: 2200, MaxMedia: 35, MediaRequired: true, RequiredOptions: []string{"privacy_level"}, MaxImageBytes: 20 << 20, MaxVideoBytes: 4 << 30, MaxVideoSeconds: 600},
	Pinterest: {Network: Pinterest, Name: "Pinterest", TextUnit: Runes, MaxText: 500, MaxMedia: 5, MediaRequired: true, RequiredOptions: []string{"board"}, MaxImageBytes: 20 << 20, MaxVideoBytes: 2 << 30, MaxVideoSeconds: 900},
	Tumblr:    {Network: Tumblr, Name: "Tumblr", TextUnit: Runes, MaxText: 0, MaxMentions: 50, MaxMedia: 30, MaxImageBytes: 20 << 20, MaxVideoBytes: 500 << 20, MaxVideoSeconds: 600, DailyPostCap: 250, Threads: false},
	Website:   {Network: Website, Name: "Website", TextUnit: Runes, MaxText: 0, MaxMedia: 10},
	Webhook:   {Network: Webhook, Name: "Webhook", TextUnit: Runes, MaxText: 0, MaxMedia: 10},
	Vimeo:     {Network: Vimeo, Name: "Vimeo", TextUnit: Runes, MaxText: 5000, MaxMedia: 1, VideoRequired: true, MaxVideoBytes: 256 << 30, FirstComment: true},
	// Google Business Profile local posts: 1,500 characters, one photo fetched by URL (10 KB–5 MB).
	GoogleBusiness: {Network: GoogleBusiness, Name: "Google Business Profile", TextUnit: Runes, MaxText: 1500, MaxMedia: 1, MaxImageBytes: 5 << 20},
}

// LimitsFor returns the shipped limits of a network, and false for an unknown one.
func LimitsFor(k Kind) (Limits, bool) {
	l, ok := DefaultLimits[k]
	return l, ok
}
