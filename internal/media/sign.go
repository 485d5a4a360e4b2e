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

func (l *Library) mac(id int64, rendition string, exp int64) []byte {
	h := hmac.New(sha256.New, l.SignKey)
	fmt.Fprintf(h, "relais-media\x00%d\x00%s\x00%d", id, rendition, exp)
	return h.Sum(nil)
}

// SignedURL is a URL under BaseURL serving the item's rendition for ttl:
// <BaseURL>/media/<id>/<rendition>?exp=<unix>&sig=<hex HMAC-SHA256>.
func (l *Library) SignedURL(m store.Media, rendition string, ttl time.Duration) string {
	exp := l.now().Add(ttl).Unix()
	return fmt.Sprintf("%s/media/%d/%s?exp=%d&sig=%s", strings.TrimRight(l.BaseURL, "/"), m.ID, url.PathEscape(rendition), exp,
		hex.EncodeToString(l.mac(m.ID, rendition, exp)))
}

// VerifySigned checks a signed URL's path (".../media/<id>/<rendition>") and
// query, comparing the signature in constant time.
func (l *Library) VerifySigned(urlPath string, query url.Values) (mediaID int64, rendition string, err error) {
	i := strings.LastIndex(urlPath, "/media/")
	if i < 0 {
		return 0, "", ErrBadSignature
	}
	id, rendition, ok := strings.Cut(urlPath[i+len("/media/"):], "/")
	if !ok {
		return 0, "", ErrBadSignature
	}
	mediaID, err = l.verify(id, rendition, query.Get("exp"), query.Get("sig"))
	return mediaID, rendition, err
}

func (l *Library) verify(id, rendition, exp, sig string) (int64, error) {
	if len(l.SignKey) == 0 {
		return 0, errors.New("media: no signing key configured")
	}
	mediaID, err1 := strconv.ParseInt(id, 10, 64)
	e, err2 := strconv.ParseInt(exp, 10, 64)
	got, err3 := hex.DecodeString(sig)
	if err1 != nil || err2 != nil || err3 != nil || mediaID <= 0 {
		return 0, ErrBadSignature
	}
	if !hmac.Equal(got, l.mac(mediaID, rendition, e)) {
		return 0, ErrBadSignature
	}
	// Expiry is checked after the signature, so a forged exp learns nothing.
	if l.now().Unix() > e {
		return 0, ErrExpired
	}
	return mediaID, nil
}

// OpenSigned checks a signed request's parts and opens the rendition for
// serving: the caller (the public /media/ handler) copies it with its type
// and modification time. The item must still exist (store.ErrNotFound otherwise).
func (l *Library) OpenSigned(ctx context.Context, id, rendition, exp, sig string) (io.ReadSeekCloser, string, time.Time, error) {
	mediaID, err := l.verify(id, rendition, exp, sig)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	m, err := l.Store.MediaUnscoped(ctx, mediaID)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	p, mime, _, _, err := l.renditionFile(ctx, m, rendition)
	if err != nil {
		return nil, "", time.Time{}, err
	}
	f, err := l.Root.Open(p)
	if err != nil {
		return nil, "", time.Time{}, fmt.Errorf("media: open %d: %w", mediaID, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, "", time.Time{}, fmt.Errorf("media: stat %d: %w", mediaID, err)
	}
	return f, mime, st.ModTime(), nil
}
