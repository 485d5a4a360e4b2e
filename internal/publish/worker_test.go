package publish

func workerMain() error { return nil }
