// Each test runs whole nodes with many connections on a small, shared machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
