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

func TestFeedbackThemesEndpoint(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	var out struct {
		Results []struct {
			Themes []string `json:"themes"`
			Lang   string   `json:"lang"`
		} `json:"results"`
	}
	err := e.a.Do(ctx, "POST", "/feedback/themes", map[string]any{"texts": []string{
		"Where is my refund??? Customer service never answers",
		"Die Naht ist nach einer Wäsche aufgegangen",
		"Merci !",
	}}, &out)
	require.NoError(t, err)
	require.Len(t, out.Results, 3)
	require.Equal(t, []string{"refund_return", "service"}, out.Results[0].Themes)
	require.Equal(t, "en", out.Results[0].Lang)
	require.Equal(t, []string{"quality"}, out.Results[1].Themes)
	require.Equal(t, "de", out.Results[1].Lang)
	require.Equal(t, []string{}, out.Results[2].Themes, "no theme is an empty list, not null")

	err = e.a.Do(ctx, "POST", "/feedback/themes", map[string]any{"texts": []string{"ok", strings.Repeat("a", 10_001)}}, nil)
	var ce *client.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "texts[1]", ce.Field)

	err = e.a.Do(ctx, "POST", "/feedback/themes", map[string]any{"texts": []string{}}, nil)
	require.ErrorAs(t, err, &ce)
}

func TestSentimentFallbackLanguage(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	var out struct {
		Results []struct {
			Lang           string  `json:"lang"`
			LangConfidence float64 `json:"lang_confidence"`
			Mixed          bool    `json:"mixed"`
		} `json:"results"`
	}
	err := e.a.Do(ctx, "POST", "/sentiment", map[string]any{"fallback_lang": "de", "texts": []string{
		"Top!",
		"Love the new collection! Mais la taille est beaucoup trop petite pour moi.",
	}}, &out)
	require.NoError(t, err)
	require.Equal(t, "de", out.Results[0].Lang, "a short unsure text takes the workspace's language")
	require.True(t, out.Results[1].Mixed)
	require.Greater(t, out.Results[1].LangConfidence, 0.0)
}

func TestFeedbackSummaryEndpoint(t *testing.T) {
	t.Parallel()
	e := setup(t, "sqlite")
	var out struct {
		Total     int `json:"total"`
		Sentiment struct {
			Negative int `json:"negative"`
		} `json:"sentiment"`
		Themes []struct {
			Theme    string   `json:"theme"`
			Count    int      `json:"count"`
			Examples []string `json:"examples"`
			Trend    []struct {
				Week  string `json:"week"`
				Count int    `json:"count"`
			} `json:"trend"`
		} `json:"themes"`
		Comments []struct {
			Sentiment string   `json:"sentiment"`
			Themes    []string `json:"themes"`
		} `json:"comments"`
	}
	err := e.a.Do(ctx, "POST", "/feedback/summary", map[string]any{"comments": []map[string]any{
		{"text": "My parcel has been stuck in the depot for 9 days", "at": "2026-11-23T10:00:00Z"},
		{"text": "Colis toujours pas arrivé, ça fait deux semaines", "at": "2026-12-01T10:00:00Z"},
		{"text": "Obsessed with this colour 😍"},
	}}, &out)
	require.NoError(t, err)
	require.Equal(t, 3, out.Total)
	require.Equal(t, 2, out.Sentiment.Negative)
	require.Equal(t, "delivery", out.Themes[0].Theme)
	require.Equal(t, 2, out.Themes[0].Count)
	require.Len(t, out.Themes[0].Trend, 2)
	require.Equal(t, "2026-W49", out.Themes[0].Trend[1].Week)
	require.Len(t, out.Comments, 3)
	require.Equal(t, []string{}, out.Comments[2].Themes)

	err = e.a.Do(ctx, "POST", "/feedback/summary", map[string]any{"comments": []map[string]any{{"text": "ok"}, {"text": strings.Repeat("a", 10_001)}}}, nil)
	var ce *client.Error
	require.ErrorAs(t, err, &ce)
	require.Equal(t, "comments[1].text", ce.Field)
}
