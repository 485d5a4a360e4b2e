package calendar_test

import (
	"fmt"
	"time"

	"github.com/relais/relais/internal/calendar"
)

func ExampleNextFree() {
	slots, _ := calendar.ParseSlots("Mon-Fri 09:00,12:30; Sat 10:00")
	paris, _ := time.LoadLocation("Europe/Paris")
	booked := map[time.Time]bool{time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC): true} // Fri 09:00 CET
	next, _ := calendar.NextFree(slots, paris, time.Date(2026, 3, 27, 7, 0, 0, 0, time.UTC), func(t time.Time) bool { return booked[t] })
	fmt.Println(next, next.In(paris).Format("Mon 15:04 MST"))
	// Output: 2026-03-27 11:30:00 +0000 UTC Fri 12:30 CET
}
