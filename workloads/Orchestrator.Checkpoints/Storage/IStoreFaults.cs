namespace Orchestrator.Checkpoints.Storage;

/// <summary>
/// Told before every change the store makes to its files, so a crash-injection harness can end the saving process
/// at any of them (or make it behave as if it had ended there) and check what a later process finds. Production
/// stores have none.
/// </summary>
internal interface IStoreFaults
{
    /// <summary>Called just before <paramref name="step"/> on <paramref name="path"/>; throwing (or never returning) stops the change.</summary>
    void Before(StoreStep step, string path);
}
