namespace SpectralGate.Engine.Runtime;

/// <summary>
/// Detects a build server, where baselines are never accepted automatically and received files are attached to the
/// test result instead. The variables are those DiffEngine's BuildServerDetector and the common CI systems set.
/// </summary>
public static class ContinuousIntegration
{
    private static readonly string[] Variables =
    [
        "CI", "GITHUB_ACTIONS", "TF_BUILD", "JENKINS_URL", "GITLAB_CI", "TEAMCITY_VERSION", "BUILDKITE", "CIRCLECI",
        "TRAVIS", "APPVEYOR", "BITBUCKET_BUILD_NUMBER", "GO_SERVER_URL", "CODEBUILD_BUILD_ID", "BUILD_BUILDID",
        "DRONE", "SEMAPHORE", "CONTINUOUS_INTEGRATION", "ContinuousIntegrationBuild",
    ];

    /// <summary>The variables read, for tests that start a process as a developer's machine would.</summary>
    internal static IReadOnlyList<string> VariableNames => Variables;

    /// <summary>Overrides detection (tests of this library set it; null means detect).</summary>
    public static bool? Override { get; set; }

    public static bool IsDetected => Override ?? Variables.Any(IsSet);

    private static bool IsSet(string name)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        return !string.IsNullOrEmpty(value) && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";
    }
}
