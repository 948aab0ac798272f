// Integration tests start silos, Redis servers and worker processes: run them one at a time on small machines.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
