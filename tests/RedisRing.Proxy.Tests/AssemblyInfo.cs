// Integration tests start real servers and some measure failover: running them one at a time
// keeps them from competing for the two cores of a CI machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
