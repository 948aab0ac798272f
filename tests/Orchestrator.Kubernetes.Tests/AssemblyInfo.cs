// Integration tests start silos and fake API servers: run them one at a time on small machines.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
