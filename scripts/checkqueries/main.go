// Command checkqueries fails when the SQLite and PostgreSQL query files do not
// define the same query names: both dialects must implement every query.
package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/relais/relais/internal/store/sqlstore"
)

// dialectOnly lists queries that belong to one dialect by design: a dialect
// overrides a store method where its SQL must differ in shape (SQLite writes
// results row by row inside one transaction; PostgreSQL writes them in one
// statement).
var dialectOnly = map[string]string{
	"SaveResultRow": "sqlite",
	"SaveResults":   "postgres",
}

func main() {
	lite, err := sqlstore.LoadQueries(os.DirFS("internal/store/sqlite/queries"))
	check(err)
	pg, err := sqlstore.LoadQueries(os.DirFS("internal/store/postgres/queries"))
	check(err)
	var missing []string
	for n := range lite {
		if dialectOnly[n] == "sqlite" {
			continue
		}
		if _, ok := pg[n]; !ok {
			missing = append(missing, "postgres lacks "+n)
		}
	}
	for n := range pg {
		if dialectOnly[n] == "postgres" {
			continue
		}
		if _, ok := lite[n]; !ok {
			missing = append(missing, "sqlite lacks "+n)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		fmt.Println("checkqueries:", m)
	}
	if len(missing) > 0 {
		os.Exit(1)
	}
	fmt.Printf("checkqueries: %d queries defined for both dialects\n", len(lite))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "checkqueries:", err)
		os.Exit(1)
	}
}
