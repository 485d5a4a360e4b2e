package compose_test

import (
	"fmt"
	"strings"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/network"
)

func ExampleCount() {
	x, _ := network.LimitsFor(network.X)
	m := compose.Count("Read https://example.com/a/very/long/path/to/an/article 🎉", x, false)
	fmt.Println(m.Value, m.Limit, m.URLs)
	// Output: 31 280 1
}

func ExampleValidate() {
	bsky, _ := network.LimitsFor(network.Bluesky)
	for _, p := range compose.Validate(compose.Draft{Text: strings.Repeat("a", 312)}, bsky) {
		fmt.Println(p.Code, p.Field)
		fmt.Println(p.Message)
		fmt.Println(compose.MessageIn(p, "fr"))
	}
	// Output:
	// text_too_long text
	// Bluesky allows 300 characters; this variant has 312
	// Bluesky autorise 300 caractères ; cette variante en compte 312
}

func ExampleSplitThread() {
	l := network.Limits{Network: network.Bluesky, Name: "Bluesky", TextUnit: network.Graphemes, MaxText: 40}
	for _, part := range compose.SplitThread("First sentence is here. Second one follows it. Third ends the thread.", l, true) {
		fmt.Println(part)
	}
	// Output:
	// First sentence is here. 1/3
	// Second one follows it. 2/3
	// Third ends the thread. 3/3
}
