package network

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestProgress(t *testing.T) {
	ctx := context.Background()
	type st struct {
		Session string `json:"s"`
	}
	stored := map[string]string{}
	env := Env{
		Checkpoint:    func(_ context.Context, k string) (string, error) { return stored[k], nil },
		SetCheckpoint: func(_ context.Context, k, v string) error { stored[k] = v; return nil },
	}
	p := &Progress[st]{Env: env, Kind: YouTube, Prefix: "youtube"}
	require.NoError(t, p.Save(ctx, "k", st{Session: "https://upload/1"}))
	require.Equal(t, `{"s":"https://upload/1"}`, stored["youtube:k"])
	// Another process reads what this one recorded.
	again := &Progress[st]{Env: env, Kind: YouTube, Prefix: "youtube"}
	got, err := again.Load(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, "https://upload/1", got.Session)
	got, err = again.Load(ctx, "")
	require.NoError(t, err)
	require.Empty(t, got.Session, "no key, nothing kept")

	stored["youtube:bad"] = "{"
	_, err = again.Load(ctx, "bad")
	require.Equal(t, Permanent, ClassOf(err))
	failing := &Progress[st]{Kind: YouTube, Prefix: "youtube", Env: Env{SetCheckpoint: func(context.Context, string, string) error { return errors.New("disk full") }}}
	require.Equal(t, Retryable, ClassOf(failing.Save(ctx, "k", st{})), "not recorded: stop before the step it enables")
}
