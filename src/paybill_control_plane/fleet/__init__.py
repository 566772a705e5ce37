"""Fleet operations: module releases, rollouts in waves within an error budget, drift checks."""
