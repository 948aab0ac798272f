// The end-to-end tests start daemons and worker processes: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
