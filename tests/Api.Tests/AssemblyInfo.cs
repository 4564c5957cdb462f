// The tests train networks and some measure time (cancel within a second): run them one at a time so
// that they do not compete for the machine's cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
