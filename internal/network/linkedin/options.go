package linkedin

import (
	"fmt"
	"strings"

	"github.com/relais/relais/internal/network"
)

// PostOptions are the LinkedIn choices a post can make beyond its text,
// link and media, read by Publish from PublishRequest.Options: a
// FieldChoice's first option is its default. The composer shows them
// (registered in init).
func PostOptions() []network.Field {
	return []network.Field{
		{Name: "visibility", Label: "Who can see it", Type: network.FieldChoice, Options: []string{"PUBLIC", "CONNECTIONS"}, Help: "CONNECTIONS is for members only"},
		{Name: "link_style", Label: "Link", Type: network.FieldChoice, Options: []string{"article", "text"}, Help: "article: a card with title, description and thumbnail; text: the link in the text"},
		{Name: "article_title", Label: "Article title", Help: "The link card's title (default: the link)"},
		{Name: "article_description", Label: "Article description", Help: "The link card's description"},
		{Name: "document_title", Label: "Document title", Help: "The title shown on an attached PDF document"},
	}
}

type options struct {
	visibility, linkStyle, title, description, documentTitle string
}

func readOptions(o map[string]string, as string) (options, error) {
	get := func(k string) string { return strings.TrimSpace(o[k]) }
	r := options{visibility: get("visibility"), linkStyle: get("link_style"), title: get("article_title"), description: get("article_description"), documentTitle: get("document_title")}
	invalid := func(format string, a ...any) (options, error) {
		return options{}, &network.Error{Class: network.InvalidContent, Network: network.LinkedIn, Message: fmt.Sprintf(format, a...)}
	}
	switch r.visibility {
	case "":
		r.visibility = "PUBLIC"
	case "PUBLIC":
	case "CONNECTIONS":
		if as == AsOrganization {
			return invalid("visibility CONNECTIONS is for members; an organization posts PUBLIC")
		}
	default:
		return invalid("visibility must be PUBLIC or CONNECTIONS; got %q", r.visibility)
	}
	switch r.linkStyle {
	case "":
		r.linkStyle = "article"
	case "article", "text":
	default:
		return invalid("link_style must be article or text; got %q", r.linkStyle)
	}
	if n := len([]rune(r.title)); n > 400 {
		return invalid("article_title is %d characters; the limit is 400", n)
	}
	if n := len([]rune(r.description)); n > 4086 {
		return invalid("article_description is %d characters; the limit is 4086", n)
	}
	return r, nil
}
