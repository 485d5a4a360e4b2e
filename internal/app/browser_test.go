package app_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

const chromiumPath = "/usr/bin/chromium"

// TestBrowserBlueskyConnectAndPublish drives the whole product in Chromium
// against the local Bluesky PDS: connect an account with an app password on
// the Channels page, compose a post with a link and an image with alt text,
// publish it now, and see it published with its bsky.app URL. The record on
// the PDS is then checked: one post, the image with its alt text, the link facet.
func TestBrowserBlueskyConnectAndPublish(t *testing.T) {
	pds := os.Getenv("ATPROTO_PDS_URL")
	_, noChromium := os.Stat(chromiumPath)
	if (pds == "" || noChromium != nil) && os.Getenv("CI") != "true" {
		t.Skip("needs ATPROTO_PDS_URL (scripts/test starts the local PDS) and " + chromiumPath)
	}
	require.NotEmpty(t, pds, "ATPROTO_PDS_URL must be set in CI")
	handle, appPassword, did := pdsAccount(t, pds)

	a, base := serveApp(t)
	ctx := context.Background()
	u, err := a.Auth.CreateUser(ctx, "ines@example.com", "Inès", "correct horse battery", false)
	require.NoError(t, err)
	ws, err := a.Auth.CreateWorkspace(ctx, u, "Maison Lune", "lune", "Europe/Paris")
	require.NoError(t, err)

	bctx, run, shot := browserSteps(t, 120*time.Second, "bluesky")
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	// Sign in and connect the Bluesky account with its app password.
	run(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css(`#email`)),
		chromedp.SendKeys(css(`#email`), "ines@example.com"),
		chromedp.SendKeys(css(`#password`), "correct horse battery"),
		chromedp.Submit(css(`#password`)),
		chromedp.WaitVisible(css(`.stat`)),
		chromedp.Navigate(base+"/workspaces/lune/channels"),
		chromedp.WaitVisible(css(`#connect-bluesky summary`)),
		chromedp.Click(css(`#connect-bluesky summary`)),
		chromedp.WaitVisible(css(`#form-bluesky-handle`)),
		chromedp.SendKeys(css(`#form-bluesky-handle`), handle),
		chromedp.SendKeys(css(`#form-bluesky-app_password`), appPassword),
		chromedp.SendKeys(css(`#form-bluesky-pds_url`), pds),
		shot("1-connect"),
		chromedp.Submit(css(`#form-bluesky-pds_url`)),
		chromedp.WaitVisible(css(`.channel`)),
		shot("2-connected"),
	)
	chans, err := a.Store.Channels(ctx, ws.ID)
	require.NoError(t, err)
	require.Len(t, chans, 1)
	require.Equal(t, did, chans[0].RemoteID)
	chID := strconv.FormatInt(chans[0].ID, 10)

	// Compose with a link and an image, then publish now.
	pic := filepath.Join(t.TempDir(), "lookbook.png")
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for x := range 120 {
		for y := range 80 {
			img.Set(x, y, color.RGBA{uint8(30 + x), uint8(60 + y), 150, 255})
		}
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	require.NoError(t, os.WriteFile(pic, buf.Bytes(), 0o644))
	text := "Our autumn lookbook is live: https://lune.example/lookbook #MaisonLune"
	run(
		chromedp.Navigate(base+"/workspaces/lune/posts/new"),
		chromedp.WaitVisible(css(`#text`)),
		chromedp.Click(css(`input[name=channel][value="`+chID+`"]`)),
		chromedp.SendKeys(css(`#text`), text),
		chromedp.WaitVisible(css(`#check-`+chID+` .ok-line`)),
		chromedp.Click(css(`.compose-main > .card > .media-picker > summary`)),
		chromedp.WaitVisible(css(`#picker-file`)),
		chromedp.SetUploadFiles(css(`#picker-file`), []string{pic}),
		chromedp.SendKeys(css(`#picker-alt`), "Three coats from the autumn lookbook"),
		chromedp.Click(css(`#picker-upload`)),
		chromedp.WaitVisible(css(`#base-picker input[name=media]:checked`)),
		shot("3-compose"),
	)
	// The confirm dialog of "publish now" is the browser's; the test confirms by removing it.
	_, err = chromedp.Run(bctx, chromedp.Evaluate[bool](`document.querySelector('button[name=action][value=now]').removeAttribute('data-confirm-click'), true`))
	require.NoError(t, err)
	run(chromedp.Click(css(`button[name=action][value=now]`)), chromedp.WaitVisible(css(`.variant-view`)))

	// The post page shows it published with its bsky.app link (reload until the engine is done).
	var link string
	require.Eventually(t, func() bool {
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](`(function(){var a=document.querySelector('.variant-view a[href^="https://bsky.app/profile/"]');return a?a.href:""})()`))
		if err == nil && v != "" {
			link = v
			return true
		}
		_ = chromedp.Do(bctx, chromedp.Reload(), chromedp.WaitVisible(css(`.variant-view`)))
		return false
	}, 60*time.Second, 500*time.Millisecond, "the post page shows the published link")
	run(shot("4-published"))
	require.True(t, strings.HasPrefix(link, "https://bsky.app/profile/"+handle+"/post/"), link)
	state, err := chromedp.Run(bctx, chromedp.Text(css(`h1 .state`)))
	require.NoError(t, err)
	require.Contains(t, strings.ToLower(state), "published")

	// Exactly one post on the PDS, with the image, its alt text and the link facet.
	resp, err := http.Get(pds + "/xrpc/com.atproto.repo.listRecords?collection=app.bsky.feed.post&repo=" + did)
	require.NoError(t, err)
	defer resp.Body.Close()
	var list struct {
		Records []struct {
			URI   string `json:"uri"`
			Value struct {
				Text   string `json:"text"`
				Facets []struct {
					Features []map[string]any `json:"features"`
				} `json:"facets"`
				Embed struct {
					Type   string `json:"$type"`
					Images []struct {
						Alt string `json:"alt"`
					} `json:"images"`
				} `json:"embed"`
			} `json:"value"`
		} `json:"records"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
	require.Len(t, list.Records, 1, "published exactly once")
	rec := list.Records[0].Value
	require.Equal(t, text, rec.Text)
	require.Equal(t, "app.bsky.embed.images", rec.Embed.Type)
	require.Len(t, rec.Embed.Images, 1)
	require.Equal(t, "Three coats from the autumn lookbook", rec.Embed.Images[0].Alt)
	var kinds []string
	for _, f := range rec.Facets {
		for _, feat := range f.Features {
			kinds = append(kinds, feat["$type"].(string))
		}
	}
	require.Contains(t, kinds, "app.bsky.richtext.facet#link")
	require.Contains(t, kinds, "app.bsky.richtext.facet#tag")
	require.True(t, strings.HasSuffix(link, list.Records[0].URI[strings.LastIndex(list.Records[0].URI, "/")+1:]), "the link names the record")
}

// pdsAccount creates an account with an app password on the local PDS.
func pdsAccount(t *testing.T, pds string) (handle, appPassword, did string) {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	handle = "lune" + hex.EncodeToString(b) + ".test"
	var acct struct {
		AccessJwt string `json:"accessJwt"`
		Did       string `json:"did"`
	}
	xrpc(t, pds, "com.atproto.server.createAccount", "", map[string]string{"handle": handle, "email": handle + "@example.com", "password": "account-password-1"}, &acct)
	var ap struct {
		Password string `json:"password"`
	}
	xrpc(t, pds, "com.atproto.server.createAppPassword", acct.AccessJwt, map[string]string{"name": "relais"}, &ap)
	return handle, ap.Password, acct.Did
}

func xrpc(t *testing.T, base, method, token string, body, out any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, base+"/xrpc/"+method, bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, method)
	require.NoError(t, json.NewDecoder(resp.Body).Decode(out))
}
