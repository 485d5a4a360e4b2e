package publish

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"testing"
)

// childEnv selects what a re-executed test binary runs instead of the tests:
// the fake network for the bench, or a publishing worker for the fault tests.
const childEnv = "RELAIS_PUBLISH_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
		os.Exit(m.Run())
	case "fake-network":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		if err := RunFakeNetwork(ctx, os.Getenv("RELAIS_FAKE_ADDR"), os.Getenv("RELAIS_FAKE_READY")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	case "worker":
		if err := workerMain(); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	fmt.Fprintln(os.Stderr, "unknown child", os.Getenv(childEnv))
	os.Exit(2)
}

// testFakeNetworkCommand runs the fake network in a re-executed test binary.
func testFakeNetworkCommand(addr, ready string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=fake-network", "RELAIS_FAKE_ADDR="+addr, "RELAIS_FAKE_READY="+ready)
	return cmd
}
