package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kong"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/store/storetest"
	"github.com/stretchr/testify/require"
)

// composeCLI is the part of the command tree this file's commands form.
type composeCLI struct {
	Post   PostCmd   `cmd:""`
	Import ImportCmd `cmd:""`
	Export ExportCmd `cmd:""`
}

// runCompose runs one command in process and returns what it printed.
func runCompose(t *testing.T, dataFlags []string, args ...string) (string, error) {
	t.Helper()
	var cli composeCLI
	parser, err := kong.New(&cli, kong.Name("relais"), kong.Exit(func(int) { t.Fatalf("kong exited on %v", args) }))
	require.NoError(t, err)
	kctx, err := parser.Parse(append(args, dataFlags...))
	require.NoError(t, err)
	var out bytes.Buffer
	cli.Post.Create.Out, cli.Post.Show.Out, cli.Post.List.Out, cli.Import.Out, cli.Export.Out = &out, &out, &out, &out, &out
	kctx.BindTo(context.Background(), (*context.Context)(nil))
	err = kctx.Run()
	return out.String(), err
}

func TestPostImportExportCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	flags := []string{"--data-dir", dir}
	if u := os.Getenv(storetest.PostgresURLEnv); u != "" {
		flags = append(flags, "--database-url", storetest.NewPostgresDatabase(t))
	}
	// A workspace with two channels, made through the app the commands open.
	a, err := DataFlags{DataDir: dir, DatabaseURL: flagValue(flags, "--database-url")}.open(context.Background())
	require.NoError(t, err)
	owner := storetest.NewUser(t, a.Store, "owner@example.com")
	ws := store.Workspace{Name: "Brand", Slug: "brand", Timezone: "Europe/Paris"}
	require.NoError(t, a.Store.CreateWorkspace(context.Background(), &ws, owner.ID))
	bsky := storetest.NewChannel(t, a.Store, ws.ID, "bluesky", "bsky")
	masto := storetest.NewChannel(t, a.Store, ws.ID, "mastodon", "masto")
	require.NoError(t, a.Close())
	chans := strconv.FormatInt(bsky.ID, 10) + "," + strconv.FormatInt(masto.ID, 10)

	// Too long for Bluesky: every problem, naming the network and the limit; nothing saved.
	out, err := runCompose(t, flags, "post", "create", "--workspace", "brand", "--channels", chans, "--text", strings.Repeat("a", 301))
	require.Error(t, err)
	require.Contains(t, err.Error(), "variants["+strconv.FormatInt(bsky.ID, 10)+"].text")
	require.Contains(t, err.Error(), "Bluesky")
	require.Contains(t, err.Error(), "300")
	require.Empty(t, out)

	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute)
	out, err = runCompose(t, flags, "post", "create", "--workspace", "brand", "--channels", chans, "--text", "Spring is here",
		"--at", at.Format(time.RFC3339), "--label", "theme=spring", "--label", "audience=students", "--language", "fr")
	require.NoError(t, err)
	require.Regexp(t, `^\d+\n$`, out)
	id := strings.TrimSpace(out)

	out, err = runCompose(t, flags, "post", "show", id, "--json")
	require.NoError(t, err)
	var shown struct {
		ID          int64
		State       string
		ScheduledAt time.Time `json:"scheduled_at"`
		Labels      []store.Label
		Language    string
		Variants    []struct {
			ChannelID   int64             `json:"channel_id"`
			Options     map[string]string `json:"options"`
			Publication struct {
				State    string
				RemoteID string `json:"remote_id"`
				URL      string
				Log      []any
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &shown), out)
	require.Equal(t, "scheduled", shown.State)
	require.True(t, at.Equal(shown.ScheduledAt))
	require.Len(t, shown.Variants, 2)
	require.Equal(t, "fr", shown.Language)
	for _, v := range shown.Variants {
		require.Equal(t, "fr", v.Options["language"], "sent to the network with the post")
		require.Equal(t, "scheduled", v.Publication.State)
		require.NotNil(t, v.Publication.Log)
	}
	_, err = runCompose(t, flags, "post", "show", "999999", "--json")
	require.ErrorContains(t, err, "no post with the id 999999")

	// A media file goes into the library; --now schedules at once.
	img := filepath.Join(dir, "dot.png")
	var pngData bytes.Buffer
	require.NoError(t, pngEncode(&pngData))
	require.NoError(t, os.WriteFile(img, pngData.Bytes(), 0o600))
	out, err = runCompose(t, flags, "post", "create", "--workspace", "brand", "--channels", strconv.FormatInt(masto.ID, 10), "--text", "Look",
		"--media", img, "--alt", "A red dot", "--now")
	require.NoError(t, err)
	out, err = runCompose(t, flags, "post", "show", strings.TrimSpace(out), "--json")
	require.NoError(t, err)
	var withMedia struct {
		State    string
		Variants []struct {
			Media []struct {
				MediaID int64 `json:"media_id"`
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &withMedia))
	require.Equal(t, "scheduled", withMedia.State)
	require.Len(t, withMedia.Variants[0].Media, 1)
	require.NotZero(t, withMedia.Variants[0].Media[0].MediaID)

	// Import: all or nothing, then the valid rows.
	csvPath := filepath.Join(dir, "posts.csv")
	day := at.AddDate(0, 0, 1).In(mustZone(t, "Europe/Paris")).Format("2006-01-02")
	require.NoError(t, os.WriteFile(csvPath, []byte("date,time,channels,text,labels\n"+
		day+",09:00,masto,Imported,theme=import\n"+
		day+",10:00,nosuch,Orphan,\n"), 0o600))
	out, err = runCompose(t, flags, "import", "--workspace", "brand", csvPath)
	require.Error(t, err)
	require.Contains(t, out, `row 3, column "channels": no channel "nosuch"`)
	out, err = runCompose(t, flags, "import", "--workspace", "brand", csvPath, "--valid-only")
	require.NoError(t, err)
	require.Contains(t, out, "1 posts created, 1 scheduled")

	out, err = runCompose(t, flags, "export", "--workspace", "brand", "--format", "csv")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	require.Contains(t, lines[1], ",scheduled,")
	require.Contains(t, lines[3], day+",09:00,Europe/Paris,"+strings.TrimPrefix(masto.Handle, "@")+",Imported,,,theme=import")

	// Buffer's file: channels, a column mapping and the date format chosen; ignored columns are reported.
	bufPath := filepath.Join(dir, "buffer.csv")
	when := at.AddDate(0, 0, 2).In(mustZone(t, "Europe/Paris"))
	require.NoError(t, os.WriteFile(bufPath, []byte("Text,Picture,Tags,Posting Time,Notes\n"+
		"From Buffer,,\"a,b\","+when.Format("02/01/2006")+" 2:05 PM,internal\n"), 0o600))
	out, err = runCompose(t, flags, "import", "--workspace", "brand", bufPath, "--channels", "masto", "--date-format", "dmy")
	require.Error(t, err, "an unknown media column is not dropped silently")
	require.Contains(t, out+err.Error(), `column "Picture" looks like media`)
	out, err = runCompose(t, flags, "import", "--workspace", "brand", bufPath, "--channels", "masto", "--date-format", "dmy", "--map", "Picture=ignore")
	require.NoError(t, err)
	require.Contains(t, out, "file: buffer, dates dmy\nignored columns: Picture, Notes\n")
	require.Contains(t, out, "1 posts created, 1 scheduled")

	// The sample file imports as it is.
	out, err = runCompose(t, flags, "import", "--workspace", "brand", "--sample")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(out, "date,time,time zone,channels,text,"), out)
	samplePath := filepath.Join(dir, "sample.csv")
	require.NoError(t, os.WriteFile(samplePath, []byte(out), 0o600))
	out, err = runCompose(t, flags, "import", "--workspace", "brand", samplePath)
	require.NoError(t, err, out)
	require.Contains(t, out, "2 posts created")
	out, err = runCompose(t, flags, "export", "--workspace", "brand", "--format", "json")
	require.NoError(t, err)
	var doc struct {
		Posts []struct{ State string } `json:"posts"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Posts, 6)

	out, err = runCompose(t, flags, "post", "list", "--workspace", "brand", "--label", "theme=import")
	require.NoError(t, err)
	require.Contains(t, out, "Imported")
	require.NotContains(t, out, "Spring")
}

func flagValue(flags []string, name string) string {
	for i := 0; i+1 < len(flags); i++ {
		if flags[i] == name {
			return flags[i+1]
		}
	}
	return ""
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func pngEncode(w *bytes.Buffer) error {
	m := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for i := range m.Pix {
		m.Pix[i] = 0xff
	}
	return png.Encode(w, m)
}
