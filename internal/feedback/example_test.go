package feedback_test

import (
	"fmt"

	"github.com/relais/relais/internal/feedback"
)

func ExampleAnalyze() {
	r := feedback.Analyze("Retour renvoyé le 3, toujours pas de remboursement et personne ne répond", "")
	fmt.Println(r.Themes, r.Lang)
	// Output:
	// [refund_return service] fr
}
