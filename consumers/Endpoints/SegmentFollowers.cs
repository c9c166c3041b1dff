using EdgePartition.Config;
using Microsoft.Extensions.Logging;

namespace EdgePartition.Consumers.Endpoints;

/// <summary>One follower per block of an endpoint's map, run together.</summary>
internal sealed class SegmentFollowers
{
    private readonly List<SegmentFollower> _followers = [];

    public SegmentFollowers(string endpoint, PartitionConfig config, PartitionAddressMap map, IBlockPublisher publisher, ILogger logger)
    {
        foreach (var block in map.Blocks)
        {
            _followers.Add(new SegmentFollower(endpoint, config.SegmentDirectory, config.Name, block, map.Protocol, publisher, logger));
        }
    }

    /// <summary>Snapshots published so far, over all blocks.</summary>
    public int Published
    {
        get
        {
            int total = 0;
            foreach (var follower in _followers)
            {
                total += follower.Published;
            }

            return total;
        }
    }

    /// <summary>Follows every segment until <paramref name="stopping"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stopping)
    {
        var running = new Task[_followers.Count];
        for (var i = 0; i < running.Length; i++)
        {
            running[i] = _followers[i].Run(stopping);
        }

        return Task.WhenAll(running);
    }
}
