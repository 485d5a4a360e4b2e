package feed_test

import (
	"fmt"
	"time"

	"github.com/relais/relais/internal/network/feed"
)

// The host's feed handler renders a channel's published items on request.
func ExampleRender() {
	settings := map[string]string{"key": "AAAAAAAAAAAAAAAAAAAAAAAA", "title": "Brand news", "site_url": "https://brand.example"}
	id := feed.ItemID("publication-1")
	items := []feed.Item{{
		ID: id, URL: feed.ItemURL("https://relais.example", settings["key"], id),
		Text: "Spring is here! Read more at https://brand.example/spring", Published: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC),
	}}
	doc, contentType, err := feed.Render(feed.JSON, feed.FeedFor("https://relais.example", settings, feed.JSON), items)
	if err != nil {
		panic(err)
	}
	fmt.Println(contentType)
	fmt.Print(string(doc))
	// Output:
	// application/feed+json; charset=utf-8
	// {
	//   "version": "https://jsonfeed.org/version/1.1",
	//   "title": "Brand news",
	//   "home_page_url": "https://brand.example",
	//   "feed_url": "https://relais.example/feeds/AAAAAAAAAAAAAAAAAAAAAAAA/feed.json",
	//   "authors": [
	//     {
	//       "name": "Brand news"
	//     }
	//   ],
	//   "items": [
	//     {
	//       "id": "cb9a211479c078a64bcda30571dec406",
	//       "url": "https://relais.example/feeds/AAAAAAAAAAAAAAAAAAAAAAAA/items/cb9a211479c078a64bcda30571dec406",
	//       "title": "Spring is here!",
	//       "content_html": "<p>Spring is here! Read more at <a href=\"https://brand.example/spring\" rel=\"nofollow noopener\">https://brand.example/spring</a></p>",
	//       "content_text": "Spring is here! Read more at https://brand.example/spring",
	//       "date_published": "2026-03-20T09:00:00Z"
	//     }
	//   ]
	// }
}
