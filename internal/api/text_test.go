package api_test

import (
	"strings"
	"testing"

	"github.com/relais/relais/client"
	"github.com/stretchr/testify/require"
)

func TestSentimentAndCoachEndpoints(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	var out struct {
		Results []struct {
			Label    string  `json:"label"`
			Compound float64 `json:"compound"`
			Lang     string  `json:"lang"`
			Drivers  []struct {
				Word string `json:"word"`
			} `json:"drivers"`
		} `json:"results"`
	}
	err := e.a.Do(ctx, "POST", "/sentiment", map[string]any{"texts": []string{
		"I love this dress, the quality is amazing!",
		"Livraison en retard et colis abîmé, très déçue.",
		"Wann kommt die neue Kollektion?",
	}}, &out)
	require.NoError(t, err)
	require.Len(t, out.Results, 3)
	require.Equal(t, "positive", out.Results[0].Label)
	require.Equal(t, "en", out.Results[0].Lang)
	require.NotEmpty(t, out.Results[0].Drivers)
	require.Equal(t, "negative", out.Results[1].Label)
	require.Equal(t, "fr", out.Results[1].Lang)
	require.Equal(t, "de", out.Results[2].Lang)

	err = e.a.Do(ctx, "POST", "/sentiment", map[string]any{"texts": []string{strings.Repeat("a", 10_001)}}, nil)
	var ce *client.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "texts[0]", ce.Field)

	var rep struct {
		Score int    `json:"score"`
		Lang  string `json:"lang"`
		Rules []struct {
			Rule       string `json:"rule"`
			Suggestion string `json:"suggestion"`
		} `json:"rules"`
	}
	err = e.a.Do(ctx, "POST", "/coach", map[string]any{"text": "Nouvelle collection ! -20 % avec le code LUNE20, partagez avec vos amies 💛", "media": 1, "channels": 3}, &rep)
	require.NoError(t, err)
	require.Equal(t, "fr", rep.Lang)
	require.Len(t, rep.Rules, 5)
	require.Equal(t, "enthusiasm", rep.Rules[0].Rule)
	require.Greater(t, rep.Score, 0)
}
