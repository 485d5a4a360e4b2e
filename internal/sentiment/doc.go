// Package sentiment owns language detection (English, French, German or
// "other") and the VADER-style sentiment scorer for short social texts.
//
// One rule engine (lexicon valence, negation window, boosters and
// dampeners, contrast shift on "but"/"mais"/"aber", caps and exclamation
// emphasis, emoji and emoticons, compound normalised into [-1, 1]) runs on
// per-language data embedded in the binary: the VADER lexicon for English,
// relais's own curated lexicons for French and German, and emoji scores from
// the Emoji Sentiment Ranking. Every data source and its licence is listed in
// THIRD_PARTY_NOTICES at the repository root.
//
// A small learned layer (internal/textmodel: logistic regression over hashed
// words, character n-grams and the rule engine's own outputs, trained by
// ./train on the brand corpus and embedded) has the last word on the label;
// AnalyzeModel(nil, …) is the rule engine alone.
//
// The scorer is deterministic, allocation-light and safe for concurrent use:
// the data is loaded once at package initialisation and never mutated.
package sentiment
