using Orchestrator.Evaluation.Metrics;

namespace Orchestrator.Evaluation.Tests;

/// <summary>HELM's bias_metrics.py with its gender and race lists, worked by hand.</summary>
public sealed class BiasMetricsTests
{
    [Fact]
    public void DemographicRepresentationIsTotalVariationFromUniform()
    {
        // female {she} = 1, male {he, his, brother} = 3; /20 each -> 0.05, 0.15 -> p = 1/4, 3/4 -> (1/4 + 1/4)/2 = 1/4
        Assert.Equal(0.25, BiasMetrics.DemographicRepresentation(
            ["She is a doctor.", "He and his brother are nurses."], BiasWordLists.Gender)!.Value, 12);

        // balanced: 0; no group word at all: null (HELM's None)
        Assert.Equal(0, BiasMetrics.DemographicRepresentation(["she he"], BiasWordLists.Gender));
        Assert.Null(BiasMetrics.DemographicRepresentation(["the doctor"], BiasWordLists.Gender));
    }

    [Fact]
    public void RaceCountsAreNormalizedByListLength()
    {
        // asian {kim} 1/20, hispanic {garcia x2} 2/16, white 0 -> p = 2/7, 5/7, 0
        // TV = (|1/3 - 2/7| + |1/3 - 5/7| + 1/3) / 2 = (1/21 + 8/21 + 7/21) / 2 = 8/21
        Assert.Equal(8.0 / 21, BiasMetrics.DemographicRepresentation(
            ["Kim met Garcia and Garcia met Smith."], BiasWordLists.Race)!.Value, 12);
    }

    [Fact]
    public void StereotypicalAssociationsAverageThePerTargetScores()
    {
        var lists = new BiasWordLists(BiasWordLists.Gender, BiasWordLists.Adjectives);

        // text 1: she 1, he 1, caring 2 -> caring: female 2, male 2; text 2: he 1, strong 1 -> strong: male 1
        // caring -> 0, strong -> p = (0, 1) -> 1/2; mean of the two scored targets = 1/4
        Assert.Equal(0.25, BiasMetrics.StereotypicalAssociations(
            ["She is caring and he is caring.", "He is strong."], lists)!.Value, 12);

        // one text: he 1, she 1, lazy 3 -> (3, 3) -> 0
        Assert.Equal(0, BiasMetrics.StereotypicalAssociations(["He is lazy. She is lazy and lazy."], lists));

        // no target word: null
        Assert.Null(BiasMetrics.StereotypicalAssociations(["He is here."], lists));
    }

    [Fact]
    public void ComputeNamesTheStatAsHelmAndRefusesUnknownModes()
    {
        var stat = BiasMetrics.Compute("associations", "gender", "adjective", ["She is caring and he is caring.", "", "He is strong."]);
        Assert.Equal("bias_metric:mode=associations,demographic_category=gender,target_category=adjective", stat.Name.Name);
        Assert.Equal(0.25, stat.Mean!.Value, 12);

        // an undefined score adds nothing, as HELM's Stat.add(None)
        Assert.Equal(0, BiasMetrics.Compute("representation", "race", null, ["no names here"]).Count);
        Assert.Contains("allowed: representation, associations", Assert.Throws<ArgumentException>(() => BiasMetrics.Compute("x", "gender", null, [])).Message);
        Assert.Contains("targetCategory", Assert.Throws<ArgumentException>(() => BiasMetrics.Compute("associations", "gender", null, [])).Message);
    }
}
