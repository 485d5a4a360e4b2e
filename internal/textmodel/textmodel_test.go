package textmodel

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

func features(text, lang string) []Feature {
	var b Bag
	b.AddText(text, lang)
	return b.Features()
}

func TestAddText(t *testing.T) {
	t.Parallel()
	a := features("Where is my REFUND???", "en")
	require.Equal(t, a, features("Where is my REFUND???", "en"), "deterministic")
	require.NotEqual(t, a, features("Where is my REFUND???", "fr"), "the language is a feature")
	// Case, accents, digits and elongation fold: a typo-free and a sloppy spelling share features.
	require.Equal(t, features("livrée le 12", "fr"), features("Livree le 34", "fr"))
	require.Equal(t, features("soooo good", "en"), features("sooooooo good", "en"))
	require.NotEqual(t, features("so good", "en"), features("soo good", "en"))
	// A number of any length is the same short token: an order number, a date or a
	// tracking code does not drown the words in dozens of "000" n-grams.
	require.Equal(t, features("order 12 never came", "en"), features("order 4827365512 never came", "en"))
	require.Equal(t, features("parcel never arrived ref99", "en"), features("parcel never arrived ref1733527025123456789", "en"))
	// A mention or a link is one token whatever it names, and the mentions a text starts with
	// (a reply's addressees) none: neither an account's name nor a link's path is a word of
	// the comment.
	require.Equal(t, features("thanks @the_mighty_zork, parcel came", "en"), features("thanks @shop, parcel came", "en"))
	require.Equal(t, features("thanks @zork@example.org: parcel came", "en"), features("thanks @a: parcel came", "en"))
	require.Equal(t, features("see https://shop.example/track?id=42 parcel lost", "en"), features("see http://x parcel lost", "en"))
	require.NotEqual(t, features("thanks @shop parcel came", "en"), features("thanks parcel came", "en"), "a mention in the text is a feature")
	require.Equal(t, features("@the_mighty_zork @bob my parcel never arrived", "en"), features("my parcel never arrived", "en"), "a reply's addressees are not")
	require.Equal(t, features("thanks @shop.", "en"), features("thanks @b.", "en"), "the sentence's full stop is no part of the handle")
	// Every text feature weighs 1/√n.
	for _, f := range a {
		require.InDelta(t, 1/float64(len(a)), float64(f.V*f.V), 1e-6)
	}
	var b Bag
	b.AddText("", "en")
	require.Zero(t, b.Words())
	b.AddText("😍😍", "en")
	require.Zero(t, b.Words())
	require.NotZero(t, b.n, "emoji are features")
	b.AddText("ok 👍", "en")
	require.Equal(t, 1, b.Words())
	b.Add(Key(KindRule, "x"))
	require.Equal(t, b.text+1, b.n)
	require.Equal(t, float32(1), b.Features()[b.n-1].V, "a caller's feature weighs 1")
}

func TestAddTextBounded(t *testing.T) {
	t.Parallel()
	var b Bag
	long := slices.Repeat([]byte("abcdefgh "), 2000)
	b.AddText(string(long), "en")
	require.LessOrEqual(t, b.n, MaxFeatures)
	for range 100 {
		b.Add(1)
	}
	require.Equal(t, MaxFeatures, b.n)
}

// toy is a small task a linear model must learn: "good"/"bad" words decide, "meh" is neutral.
func toy() (labels []string, ex []Example) {
	labels = []string{"neg", "neu", "pos"}
	texts := map[int][]string{
		0: {"bad service", "really bad parcel", "bad bad", "the coat is bad"},
		1: {"meh", "a parcel", "the coat", "service hours?"},
		2: {"good service", "really good parcel", "good good", "the coat is good"},
	}
	for c := range 3 {
		for _, s := range texts[c] {
			ex = append(ex, Example{Feats: features(s, "en"), Class: c})
		}
	}
	return labels, ex
}

func TestTrain(t *testing.T) {
	t.Parallel()
	labels, ex := toy()
	o := Options{Bits: 12, Epochs: 30, Rate: 0.3, L2: 1e-4, Seed: 7}
	m := Train(labels, false, ex, o)
	raw, err := m.MarshalBinary()
	require.NoError(t, err)
	again, _ := Train(labels, false, ex, o).MarshalBinary()
	require.Equal(t, raw, again, "training is deterministic")
	predict := func(text string) int {
		var b Bag
		b.AddText(text, "en")
		var s [3]float32
		m.ScoreBag(&b, s[:])
		m.Probabilities(s[:])
		require.InDelta(t, 1, float64(s[0]+s[1]+s[2]), 1e-5)
		return slices.Index(s[:], slices.Max(s[:]))
	}
	require.Equal(t, 0, predict("bad coat"))
	require.Equal(t, 2, predict("good coat"))
	require.Equal(t, 1, predict("the parcel"))

	// Sets of labels: one logistic per label.
	var multi []Example
	for _, e := range ex {
		multi = append(multi, Example{Feats: e.Feats, Set: []int{e.Class}})
	}
	mm := Train(labels, true, multi, o)
	var b Bag
	b.AddText("bad coat", "en")
	var s [3]float32
	mm.ScoreBag(&b, s[:])
	mm.Probabilities(s[:])
	require.Greater(t, s[0], float32(0.5))
	require.Less(t, s[2], float32(0.5))

	// A shift moves the biases by exactly its amount.
	o.LabelShift = []float64{1, 0, -1}
	shifted := Train(labels, false, ex, o)
	require.InDelta(t, float64(m.bias[0]+1), float64(shifted.bias[0]), 1e-6)
	require.InDelta(t, float64(m.bias[2]-1), float64(shifted.bias[2]), 1e-6)
}

func TestMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	labels, ex := toy()
	m := Train(labels, false, ex, Options{Bits: 10, Epochs: 5, Rate: 0.3, L2: 1e-4, Seed: 1})
	raw, err := m.MarshalBinary()
	require.NoError(t, err)
	got, err := Load(Compress(raw))
	require.NoError(t, err)
	require.Equal(t, m, got)
	for _, bad := range [][]byte{nil, []byte("RTM1"), raw[:len(raw)-1], append(slices.Clone(raw), 0)} {
		require.Error(t, new(Model).UnmarshalBinary(bad))
	}
	_, err = Load([]byte("not deflate"))
	require.Error(t, err)
}

func FuzzAddText(f *testing.F) {
	for _, s := range []string{"Where is my refund???", "l'appli plante", "Lieferverzögerung", "😍😍", "\xff\xfe", "ß…“»", "@a@b.c. hi", "HTTPS://x.y/z?q=1 ok", "x @", "https://"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b Bag
		b.AddText(s, "en")
		require.LessOrEqual(t, b.n, MaxFeatures)
		require.LessOrEqual(t, b.words, b.n)
	})
}

func FuzzUnmarshal(f *testing.F) {
	labels, ex := toy()
	raw, _ := Train(labels, false, ex, Options{Bits: 6, Epochs: 1, Rate: 0.1, Seed: 1}).MarshalBinary()
	f.Add(raw)
	f.Add([]byte("RTM1\x06\x00\x01\x01a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Model
		if m.UnmarshalBinary(data) == nil {
			var b Bag
			b.AddText("parcel", "en")
			s := make([]float32, len(m.Labels))
			m.ScoreBag(&b, s)
		}
	})
}
