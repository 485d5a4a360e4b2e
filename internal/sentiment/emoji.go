package sentiment

import "unicode/utf8"

// EmojiScore is one emoji found in a text with its score in [-1, 1]
// (Emoji Sentiment Ranking, or relais's curation for newer emoji).
type EmojiScore struct {
	Emoji string  `json:"emoji"`
	Score float64 `json:"score"`
}

// Emoji lists the scored emoji of text in order of appearance; emoji without a
// score (flags, objects such as 🥨) are left out.
func Emoji(text string) []EmojiScore {
	var out []EmojiScore
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isEmojiRune(r) {
			if s, ok := data.emoji[text[i:i+size]]; ok {
				out = append(out, EmojiScore{Emoji: text[i : i+size], Score: s})
			}
		}
		i += size
	}
	return out
}
