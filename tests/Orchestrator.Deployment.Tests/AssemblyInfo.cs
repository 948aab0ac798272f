// The end-to-end test starts a silo, workers and a Prometheus server: run tests one at a time on small machines.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
