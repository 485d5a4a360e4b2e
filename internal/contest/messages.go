package contest

import (
	"fmt"

	"github.com/relais/relais/internal/mail"
)

// VoteConfirmation is the mail with the confirmation link, in the contest's language.
func VoteConfirmation(lang, to, contest, entry, link string) mail.Message {
	t, ok := confirmText[lang]
	if !ok {
		t = confirmText["en"]
	}
	return mail.Message{To: to, Subject: fmt.Sprintf(t[0], contest), Body: fmt.Sprintf(t[1], entry, contest, link)}
}

var confirmText = map[string][2]string{
	"en": {"Confirm your vote: %s", "You asked to vote for \"%s\" in %s.\n\nOpen this link and press the button to confirm (it works for 48 hours):\n%s\n\nIf you did not ask for this, ignore this message: no vote is counted without it.\n"},
	"fr": {"Confirmez votre vote : %s", "Vous avez demandé à voter pour « %s » dans %s.\n\nOuvrez ce lien et appuyez sur le bouton pour confirmer (valable 48 heures) :\n%s\n\nSi vous n'avez rien demandé, ignorez ce message : aucun vote n'est compté sans confirmation.\n"},
	"de": {"Bestätigen Sie Ihre Stimme: %s", "Sie möchten für „%s“ in %s abstimmen.\n\nÖffnen Sie diesen Link und drücken Sie die Schaltfläche, um zu bestätigen (48 Stunden gültig):\n%s\n\nFalls Sie das nicht angefordert haben, ignorieren Sie diese Nachricht: ohne Bestätigung wird keine Stimme gezählt.\n"},
}

// EntrantNotice tells an entrant the moderation outcome.
func EntrantNotice(lang, to, contest, status, reason, link string) mail.Message {
	t, ok := noticeText[lang]
	if !ok {
		t = noticeText["en"]
	}
	if status == "approved" {
		return mail.Message{To: to, Subject: fmt.Sprintf(t[0], contest), Body: fmt.Sprintf(t[1], contest, link)}
	}
	return mail.Message{To: to, Subject: fmt.Sprintf(t[2], contest), Body: fmt.Sprintf(t[3], contest, reason)}
}

var noticeText = map[string][4]string{
	"en": {"Your entry is online: %s", "Your entry to %s was approved and is online:\n%s\n\nShare it with your friends so they can vote.\n",
		"Your entry was not accepted: %s", "Your entry to %s was not accepted.\nReason: %s\n\nYou can reply to this message to ask about it.\n"},
	"fr": {"Votre participation est en ligne : %s", "Votre participation à %s a été acceptée et est en ligne :\n%s\n\nPartagez-la pour que vos proches puissent voter.\n",
		"Votre participation n'a pas été retenue : %s", "Votre participation à %s n'a pas été retenue.\nMotif : %s\n\nVous pouvez répondre à ce message pour en savoir plus.\n"},
	"de": {"Ihr Beitrag ist online: %s", "Ihr Beitrag zu %s wurde freigegeben und ist online:\n%s\n\nTeilen Sie ihn, damit Ihre Freunde abstimmen können.\n",
		"Ihr Beitrag wurde nicht angenommen: %s", "Ihr Beitrag zu %s wurde nicht angenommen.\nGrund: %s\n\nSie können auf diese Nachricht antworten, um mehr zu erfahren.\n"},
}
