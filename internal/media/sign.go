package media

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/relais/relais/internal/store"
)

// Errors of signed URLs; a handler answers 403 for ErrBadSignature and 410 for ErrExpired.
var (
	ErrBadSignature = errors.New("media: bad or missing URL signature")
	ErrExpired      = errors.New("media: the signed URL has expired")
)

// mac binds a URL to the item's workspace and content hash as well as its id:
// ids can come back on a database that reuses them (SQLite before
// AUTOINCREMENT, a restored backup), and a signature made for one workspace's
// file must never open another's.
func (l *Library) mac(m store.Media, rendition string, exp int64) []byte {
	h := hmac.New(sha256.New, l.SignKey)
	fmt.Fprintf(h, "relais-media-v2\x00%d\x00%d\x00%s\x00%s\x00%d", m.WorkspaceID, m.ID, m.SHA256, rendition, exp)
	return h.Sum(nil)
}

// SignedURL is a URL under BaseURL serving the item's rendition for ttl:
// <BaseURL>/media/<id>/<rendition>?exp=<unix>&sig=<hex HMAC-SHA256>. The
// signature covers the workspace, the id, the content hash, the rendition
// and the expiry.
func (l *Library) SignedURL(m store.Media, rendition string, ttl time.Duration) string {
	exp := l.now().Add(ttl).Unix()
	return fmt.Sprintf("%s/media/%d/%s?exp=%d&sig=%s", strings.TrimRight(l.BaseURL, "/"), m.ID, url.PathEscape(rendition), exp,
		hex.EncodeToString(l.mac(m, rendition, exp)))
}

// VerifySigned checks a signed URL's path (".../media/<id>/<rendition>") and
// query, comparing the signature in constant time, and returns the item.
func (l *Library) VerifySigned(ctx context.Context, urlPath string, query url.Values) (m store.Media, rendition string, err error) {
	i := strings.LastIndex(urlPath, "/media/")
	if i < 0 {
		return store.Media{}, "", ErrBadSignature
	}
	id, rendition, ok := strings.Cut(urlPath[i+len("/media/"):], "/")
	if !ok {
		return store.Media{}, "", ErrBadSignature
	}
	m, err = l.verify(ctx, id, rendition, query.Get("exp"), query.Get("sig"))
	return m, rendition, err
}

// verify checks a signature against the item it names. A missing item
// answers ErrBadSignature like a wrong signature, so that URLs reveal
// nothing about which ids exist.
func (l *Library) verify(ctx context.Context, id, rendition, exp, sig string) (store.Media, error) {
	if len(l.SignKey) == 0 {
		return store.Media{}, errors.New("media: no signing key configured")
	}
	mediaID, err1 := strconv.ParseInt(id, 10, 64)
	e, err2 := strconv.ParseInt(exp, 10, 64)
	got, err3 := hex.DecodeString(sig)
	if err1 != nil || err2 != nil || err3 != nil || mediaID <= 0 || len(got) != sha256.Size {
		return store.Media{}, ErrBadSignature
	}
	m, err := l.Store.MediaUnscoped(ctx, mediaID)
	if errors.Is(err, store.ErrNotFound) {
		return store.Media{}, ErrBadSignature
	}
	if err != nil {
		return store.Media{}, err
	}
	if !hmac.Equal(got, l.mac(m, rendition, e)) {
		return store.Media{}, ErrBadSignature
	}
	// Expiry is checked after the signature, so a forged exp learns nothing.
	if l.now().Unix() > e {
		return store.Media{}, ErrExpired
	}
	return m, nil
}

// OpenSigned checks a signed request's parts and opens the rendition for
// serving: the caller (the public /media/ handler) copies it with its type
// and modification time. A deleted item answers ErrBadSignature.
func (l *Library) OpenSigned(ctx context.Context, id, rendition, exp, sig string) (io.ReadSeekCloser, string, time.Time, error) {
	m, err := l.verify(ctx, id, rendition, exp, sig)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	p, mime, _, _, err := l.renditionFile(ctx, m, rendition)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	f, err := l.Root.Open(p)
	if err != nil {
		return nil, "", time.Time{}, fmt.Errorf("media: open %d: %w", m.ID, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, "", time.Time{}, fmt.Errorf("media: stat %d: %w", m.ID, err)
	}
	return f, mime, st.ModTime(), nil
}
