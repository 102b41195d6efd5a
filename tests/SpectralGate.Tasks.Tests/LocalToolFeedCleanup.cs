namespace SpectralGate.Tasks.Tests;

/// <summary>After every test of the namespace has run: the packed tool feed goes, so a test run leaves nothing in /tmp.</summary>
[SetUpFixture]
public sealed class LocalToolFeedCleanup
{
    [OneTimeTearDown]
    public void DeleteTheFeed() => LocalToolFeed.DeleteIfPacked();
}
