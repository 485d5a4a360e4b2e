package web

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/relais/relais/internal/compose"
	"github.com/relais/relais/internal/store"
)

func TestImportMappingStep(t *testing.T) {
	t.Parallel()
	b := setup(t)
	s := newStudio(t, b, "mapco")
	ctx := context.Background()

	// The page names the columns as the docs and the export do, and offers a sample.
	res := s.owner.get("/workspaces/mapco/import")
	require.Equal(t, http.StatusOK, res.StatusCode)
	for _, c := range compose.ImportColumns {
		require.Contains(t, html.UnescapeString(res.Body), c)
	}
	require.Contains(t, res.Body, `href="/workspaces/mapco/import/sample.csv"`)
	res = s.owner.get("/workspaces/mapco/import/sample.csv")
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	_, rep := compose.ParseImport(strings.NewReader(res.Body), "UTC")
	require.True(t, rep.OK(), "%+v\n%s", rep, res.Body)
	require.Empty(t, rep.IgnoredColumns)

	// Buffer's file names no channels: the mapping step asks for them.
	day := time.Now().AddDate(0, 0, 4).Format("2006-01-02")
	buffer := "Text,Image URL,Tags,Posting Time,Notes\nFrom Buffer,,\"launch,spring\"," + day + " 2:05 PM,internal\n"
	res = s.owner.upload("/workspaces/mapco/import", "file", "buffer.csv", []byte(buffer))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, res.Body)
	require.Contains(t, res.Body, `id="import-mapping"`)
	require.Contains(t, res.Body, "missing column(s) channels")
	require.Contains(t, res.Body, "Recognised file: Buffer bulk upload.")
	require.Contains(t, res.Body, "Ignored columns: Notes.")
	require.Contains(t, res.Body, `name="channel" value="`+s.mastodonID+`"`)
	require.Contains(t, res.Body, `<option value="date and time" selected>`)

	res = s.owner.upload("/workspaces/mapco/import", "", "", nil, "csv", buffer, "channel", s.mastodonID,
		"map_header", "Text", "map_column", "text", "map_header", "Image URL", "map_column", "media url",
		"map_header", "Tags", "map_column", "tags", "map_header", "Posting Time", "map_column", "date and time",
		"map_header", "Notes", "map_column", "ignore")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "1 post created, 1 scheduled.")
	require.Contains(t, res.Body, "Ignored columns: Notes.")
	posts, err := b.st.Posts(ctx, s.ws.ID, store.PostFilter{Limit: 10})
	require.NoError(t, err)
	require.Len(t, posts, 1)
	require.ElementsMatch(t, []store.Label{{Key: "tag", Value: "launch"}, {Key: "tag", Value: "spring"}}, posts[0].Labels)

	// A Hootsuite file whose dates read both ways asks for the format.
	month := time.Now().AddDate(1, 0, 0)
	ambiguous := month.Format("01/02/2006") + " 09:30,From Hootsuite,https://example.com/h\n"
	if month.Day() == int(month.Month()) || month.Day() > 12 {
		ambiguous = "03/04/" + month.Format("2006") + " 09:30,From Hootsuite,https://example.com/h\n"
	}
	res = s.owner.upload("/workspaces/mapco/import", "file", "hootsuite.csv", []byte(ambiguous), "channel", s.blueskyID)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "could be day/month or month/day; choose the date format")
	require.Contains(t, res.Body, "Recognised file: Hootsuite bulk composer.")
	res = s.owner.upload("/workspaces/mapco/import", "", "", nil, "csv", ambiguous, "channel", s.blueskyID, "date_format", "mdy")
	require.Equal(t, http.StatusOK, res.StatusCode, res.Body)
	require.Contains(t, res.Body, "1 post created")

	// In French: the file-level error, the format and the date choices.
	s.owner.lang = "fr"
	res = s.owner.upload("/workspaces/mapco/import", "file", "hootsuite.csv", []byte(ambiguous), "channel", s.blueskyID)
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	body := html.UnescapeString(res.Body)
	require.Contains(t, body, "peuvent se lire jour/mois ou mois/jour ; choisissez le format de date")
	require.Contains(t, body, "Fichier reconnu : Bulk composer de Hootsuite.")
	require.Contains(t, body, "31/01/2027 (jour d'abord)")
	s.owner.lang = ""

	// A media column relais does not know is never dropped silently.
	res = s.owner.upload("/workspaces/mapco/import", "file", "x.csv", []byte("date,time,channels,text,Photo link\n"+day+",10:00,"+s.mastodonID+",Hi,https://cdn.example/a.png\n"))
	require.Equal(t, http.StatusUnprocessableEntity, res.StatusCode)
	require.Contains(t, html.UnescapeString(res.Body), `column "Photo link" looks like media`)
	require.Contains(t, res.Body, `<option value="" selected>choose…</option>`, "the media column waits for a choice")

	// The web takes files as large as the API does (over the 1 MiB of other forms).
	var big bytes.Buffer
	big.WriteString("date,time,channels,text\n")
	for big.Len() < 3<<20 {
		big.WriteString(day + ",10:00," + s.mastodonID + "," + strings.Repeat("x", 700) + "\n")
	}
	res = s.owner.upload("/workspaces/mapco/import", "file", "big.csv", big.Bytes())
	require.NotEqual(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	require.Contains(t, res.Body, "rows read")
}
