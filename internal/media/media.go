// Package media is relais's media library: it takes uploads (files and URLs),
// detects their real type from the bytes, strips metadata from images,
// reads the duration and size of videos, deduplicates by content hash per
// workspace, stores files under the data directory through an os.Root, makes
// renditions that fit each network's limits, checks items against those
// limits, and signs expiring URLs for networks that fetch media themselves.
//
// The package knows nothing of HTTP servers: the API and the public media
// handler call it.
package media

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gabriel-vasile/mimetype"
	"github.com/relais/relais/internal/network"
	"github.com/relais/relais/internal/store"
	"github.com/relais/relais/internal/valid"
)

// Size caps of one upload, whatever the networks allow.
const (
	MaxImageUpload int64 = 50 << 20
	MaxVideoUpload int64 = 512 << 20
)

// MaxAltText is the longest alt text, in characters (Mastodon's and Bluesky's limit is 1,500 and more).
const MaxAltText = 1500

// accepted maps each accepted sniffed type to its kind and stored extension.
var accepted = map[string]struct {
	kind store.MediaKind
	ext  string
}{
	"image/jpeg":      {store.MediaImage, ".jpg"},
	"image/png":       {store.MediaImage, ".png"},
	"image/webp":      {store.MediaImage, ".webp"},
	"image/gif":       {store.MediaGIF, ".gif"},
	"video/mp4":       {store.MediaVideo, ".mp4"},
	"video/quicktime": {store.MediaVideo, ".mov"},
	// Audio is kept as uploaded, for the networks that take it (SoundCloud);
	// the composer refuses it for the others.
	"audio/mpeg":  {store.MediaAudio, ".mp3"},
	"audio/wav":   {store.MediaAudio, ".wav"},
	"audio/x-wav": {store.MediaAudio, ".wav"},
	"audio/flac":  {store.MediaAudio, ".flac"},
	"audio/ogg":   {store.MediaAudio, ".ogg"},
	"audio/aiff":  {store.MediaAudio, ".aiff"},
	"audio/mp4":   {store.MediaAudio, ".m4a"},
	"audio/x-m4a": {store.MediaAudio, ".m4a"},
	"audio/aac":   {store.MediaAudio, ".aac"},
}

var extOf = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "video/mp4": ".mp4", "video/quicktime": ".mov"}

// Library is the media library of every workspace.
type Library struct {
	Store store.Store
	// Root is the data directory's media/ folder opened with os.OpenRoot;
	// every file access goes through it, so no path can escape it.
	Root *os.Root
	// Client fetches uploads by URL; nil: network.NewHTTPClient, which
	// refuses private and loopback addresses unless RELAIS_ALLOW_PRIVATE_HOSTS is set.
	Client *http.Client
	// SignKey signs media URLs (at least 32 random bytes).
	SignKey []byte
	// BaseURL is relais's public URL ("https://relais.example.com").
	BaseURL string
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

func (l *Library) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func invalidFile(format string, args ...any) error {
	return valid.Errorf("file", "invalid", format, args...)
}

func human(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1000:
		return fmt.Sprintf("%d kB", n/1000)
	}
	return fmt.Sprintf("%d bytes", n)
}

func randomName(prefix string) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Upload stores a file read from r (at most maxBytes; 0 or more than
// MaxVideoUpload: MaxVideoUpload) in the workspace's library. The same bytes
// uploaded twice answer the existing item. Invalid input is a *valid.Error
// naming the field "file".
func (l *Library) Upload(ctx context.Context, workspaceID, userID int64, filename string, r io.Reader, maxBytes int64) (store.Media, error) {
	m, _, err := l.Ingest(ctx, workspaceID, userID, filename, r, maxBytes)
	return m, err
}

// Ingest is Upload that also reports whether the item is new (false: the same
// bytes were already in the workspace's library and that item is returned).
func (l *Library) Ingest(ctx context.Context, workspaceID, userID int64, filename string, r io.Reader, maxBytes int64) (store.Media, bool, error) {
	if l.Root == nil {
		return store.Media{}, false, errors.New("media: no media directory configured")
	}
	if maxBytes <= 0 || maxBytes > MaxVideoUpload {
		maxBytes = MaxVideoUpload
	}
	if err := l.Root.MkdirAll("tmp", 0o700); err != nil {
		return store.Media{}, false, fmt.Errorf("media: %w", err)
	}
	// The upload is spooled to disk, hashed on the way, so a 500 MB video
	// never sits in memory.
	tmp := path.Join("tmp", randomName("upload-"))
	f, err := l.Root.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return store.Media{}, false, fmt.Errorf("media: spool upload: %w", err)
	}
	defer func() {
		f.Close()
		_ = l.Root.Remove(tmp) // gone already when it became a video
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(r, maxBytes+1))
	if err != nil {
		return store.Media{}, false, fmt.Errorf("media: read upload: %w", err)
	}
	if n > maxBytes {
		return store.Media{}, false, valid.Errorf("file", "too_large", "The file is larger than the %s upload limit", human(maxBytes))
	}
	if n == 0 {
		return store.Media{}, false, valid.Errorf("file", "required", "The file is empty")
	}
	head := make([]byte, min(n, 3072))
	if _, err := f.ReadAt(head, 0); err != nil {
		return store.Media{}, false, fmt.Errorf("media: read upload: %w", err)
	}
	mt := mimetype.Detect(head).String()
	acc, ok := accepted[mt]
	if !ok {
		return store.Media{}, false, valid.Errorf("file", "type", "The file is %s; upload a JPEG, PNG, GIF or WebP image, an MP4/QuickTime video or an MP3, WAV, FLAC, OGG, AIFF, M4A or AAC audio file", mt)
	}
	if acc.kind != store.MediaVideo && acc.kind != store.MediaAudio && n > MaxImageUpload {
		return store.Media{}, false, valid.Errorf("file", "too_large", "The image is %s; images may be at most %s", human(n), human(MaxImageUpload))
	}
	sum := hex.EncodeToString(h.Sum(nil))
	if m, err := l.Store.MediaBySHA(ctx, workspaceID, sum); err == nil {
		return m, false, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return store.Media{}, false, err
	}

	m := store.Media{WorkspaceID: workspaceID, SHA256: sum, Kind: acc.kind, Filename: cleanFilename(filename), UploadedBy: userID}
	dir := fmt.Sprintf("%d/%s", workspaceID, sum[:2])
	if err := l.Root.MkdirAll(dir, 0o700); err != nil {
		return store.Media{}, false, fmt.Errorf("media: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return store.Media{}, false, fmt.Errorf("media: rewind upload: %w", err)
	}
	switch acc.kind {
	case store.MediaAudio:
		m.MIME, m.Bytes = mt, n
		m.Path = path.Join(dir, sum+acc.ext)
		if err := l.Root.Rename(tmp, m.Path); err != nil {
			return store.Media{}, false, fmt.Errorf("media: store audio: %w", err)
		}
	case store.MediaVideo:
		info, err := ParseMP4(f, n)
		if err != nil {
			return store.Media{}, false, invalidFile("The video could not be read (%v)", err)
		}
		if _, err := StripMP4Metadata(f, n); err != nil {
			return store.Media{}, false, invalidFile("The video could not be read (%v)", err)
		}
		m.MIME, m.Bytes, m.Width, m.Height, m.DurationMS = mt, n, info.Width, info.Height, info.Duration.Milliseconds()
		m.Path = path.Join(dir, sum+acc.ext)
		if err := l.Root.Rename(tmp, m.Path); err != nil {
			return store.Media{}, false, fmt.Errorf("media: store video: %w", err)
		}
	default:
		var c cleaned
		if acc.kind == store.MediaGIF {
			c, err = cleanGIF(ctx, f)
		} else {
			c, err = cleanImage(ctx, f, mt)
		}
		if err != nil {
			if _, ok := valid.As(err); ok || ctx.Err() != nil {
				return store.Media{}, false, err
			}
			return store.Media{}, false, invalidFile("The image could not be read (%v)", err)
		}
		m.MIME, m.Bytes, m.Width, m.Height = c.mime, int64(len(c.data)), c.width, c.height
		m.Path = path.Join(dir, sum+extOf[c.mime])
		if err := l.writeFile(m.Path, c.data); err != nil {
			return store.Media{}, false, err
		}
	}
	m.CreatedAt = l.now().UTC()
	if err := l.Store.CreateMedia(ctx, &m); err != nil {
		if errors.Is(err, store.ErrConflict) {
			// A concurrent upload of the same bytes won; its file has the same path and content.
			m, err := l.Store.MediaBySHA(ctx, workspaceID, sum)
			return m, false, err
		}
		_ = l.Root.Remove(m.Path) // no row points to it
		return store.Media{}, false, err
	}
	return m, true, nil
}

// writeFile writes data to name atomically (temporary file, then rename).
func (l *Library) writeFile(name string, data []byte) error {
	tmp := path.Join("tmp", randomName("write-"))
	if err := l.Root.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("media: write %s: %w", name, err)
	}
	if err := l.Root.Rename(tmp, name); err != nil {
		_ = l.Root.Remove(tmp)
		return fmt.Errorf("media: write %s: %w", name, err)
	}
	return nil
}

// cleanFilename keeps the last path element of a client-supplied name, for display only.
func cleanFilename(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.TrimSpace(name))
	if name == "." || name == "/" {
		name = ""
	}
	if utf8.RuneCountInString(name) > 255 {
		name = string([]rune(name)[:255])
	}
	// Control characters (NUL above all, which PostgreSQL cannot store) are dropped.
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
}

// UploadURL fetches a file over http or https and uploads it like Upload.
// The fetch goes through the guarded client, so private and loopback
// addresses are refused (also after redirects). Invalid input is a
// *valid.Error naming the field "url".
func (l *Library) UploadURL(ctx context.Context, workspaceID, userID int64, rawURL string, maxBytes int64) (store.Media, error) {
	m, _, err := l.IngestURL(ctx, workspaceID, userID, rawURL, maxBytes)
	return m, err
}

// IngestURL is UploadURL that also reports whether the item is new.
func (l *Library) IngestURL(ctx context.Context, workspaceID, userID int64, rawURL string, maxBytes int64) (store.Media, bool, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return store.Media{}, false, valid.Errorf("url", "format", "The URL must be an http or https address, like https://example.com/photo.jpg")
	}
	if maxBytes <= 0 || maxBytes > MaxVideoUpload {
		maxBytes = MaxVideoUpload
	}
	client := l.Client
	if client == nil {
		client = network.NewHTTPClient(network.HTTPOptions{Timeout: 5 * time.Minute})
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return store.Media{}, false, valid.Errorf("url", "format", "The URL is not valid: %v", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, network.ErrPrivateHost) {
			return store.Media{}, false, valid.Errorf("url", "private", "The URL points to a private or loopback address; relais does not fetch those unless RELAIS_ALLOW_PRIVATE_HOSTS is set")
		}
		if ctx.Err() != nil {
			return store.Media{}, false, ctx.Err()
		}
		return store.Media{}, false, valid.Errorf("url", "unreachable", "The URL could not be fetched: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return store.Media{}, false, valid.Errorf("url", "status", "The URL answered HTTP %d; relais needs 200 OK", resp.StatusCode)
	}
	if resp.ContentLength > maxBytes {
		return store.Media{}, false, valid.Errorf("url", "too_large", "The file at the URL is %s, more than the %s upload limit", human(resp.ContentLength), human(maxBytes))
	}
	m, created, err := l.Ingest(ctx, workspaceID, userID, path.Base(u.Path), resp.Body, maxBytes)
	if ve, ok := valid.As(err); ok && ve.Field == "file" {
		return m, false, valid.Errorf("url", ve.Code, "%s", ve.Message)
	}
	return m, created, err
}

// Get reads one item of the workspace.
func (l *Library) Get(ctx context.Context, workspaceID, id int64) (store.Media, error) {
	return l.Store.Media(ctx, workspaceID, id)
}

// Read returns one item of the workspace with its stored bytes.
func (l *Library) Read(ctx context.Context, workspaceID, id int64) ([]byte, store.Media, error) {
	m, err := l.Store.Media(ctx, workspaceID, id)
	if err != nil {
		return nil, m, err
	}
	if l.Root == nil {
		return nil, m, errors.New("media: the library has no directory")
	}
	data, err := l.Root.ReadFile(m.Path)
	if err != nil {
		return nil, m, fmt.Errorf("media: read item %d: %w", id, err)
	}
	return data, m, nil
}

// Filter narrows a listing.
type Filter struct {
	// Kind keeps one kind ("" keeps all).
	Kind store.MediaKind
	// Limit is the page size (0: 50, at most 200); Offset skips items.
	Limit, Offset int
}

// List lists a workspace's items, newest first.
func (l *Library) List(ctx context.Context, workspaceID int64, f Filter) ([]store.Media, error) {
	switch f.Kind {
	case "", store.MediaImage, store.MediaGIF, store.MediaVideo, store.MediaAudio:
	default:
		return nil, valid.Errorf("kind", "invalid", "Kind must be image, gif, video or audio, not %q", f.Kind)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	return l.Store.ListMedia(ctx, workspaceID, f.Limit, max(f.Offset, 0), f.Kind)
}

// SetAlt sets an item's alt text (at most MaxAltText characters; empty clears it).
func (l *Library) SetAlt(ctx context.Context, workspaceID, id int64, alt string) (store.Media, error) {
	alt = strings.TrimSpace(alt)
	if err := valid.NoNUL("alt_text", alt); err != nil {
		return store.Media{}, err
	}
	if n := utf8.RuneCountInString(alt); n > MaxAltText {
		return store.Media{}, valid.Errorf("alt_text", "too_long", "Alt text allows at most %d characters; it has %d", MaxAltText, n)
	}
	if err := l.Store.UpdateMediaAlt(ctx, workspaceID, id, alt); err != nil {
		return store.Media{}, err
	}
	return l.Store.Media(ctx, workspaceID, id)
}

// Delete removes an item and its files (the original and every cached rendition).
func (l *Library) Delete(ctx context.Context, workspaceID, id int64) error {
	m, err := l.Store.Media(ctx, workspaceID, id)
	if err != nil {
		return err
	}
	if err := l.Store.DeleteMedia(ctx, workspaceID, id); err != nil {
		return err
	}
	if l.Root == nil {
		return nil
	}
	dir := path.Dir(m.Path)
	d, err := l.Root.Open(dir)
	if err != nil {
		return nil // nothing on disk
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	var errs []error
	for _, n := range names {
		if strings.HasPrefix(n, m.SHA256+".") {
			if err := l.Root.Remove(path.Join(dir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("media: delete files of %d: %w", id, err)
	}
	return nil
}

// CleanSpool removes upload spool files older than age, left behind when the
// process stopped in the middle of an upload; the server calls it at start
// (uploads take minutes at most, so an hour is safe).
func (l *Library) CleanSpool(age time.Duration) (int, error) {
	if l.Root == nil {
		return 0, nil
	}
	d, err := l.Root.Open("tmp")
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("media: open spool: %w", err)
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return 0, fmt.Errorf("media: read spool: %w", err)
	}
	cutoff, n := l.now().Add(-age), 0
	var errs []error
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.IsDir() || !info.ModTime().Before(cutoff) {
			continue
		}
		if err := l.Root.Remove(path.Join("tmp", e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		n++
	}
	if err := errors.Join(errs...); err != nil {
		return n, fmt.Errorf("media: clean spool: %w", err)
	}
	return n, nil
}
