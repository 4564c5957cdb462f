// Each test trains networks while a browser renders: one at a time, so they do not compete for the cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
