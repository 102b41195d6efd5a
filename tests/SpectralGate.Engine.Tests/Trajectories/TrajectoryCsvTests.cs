using System.Globalization;
using SpectralGate.Engine.Trajectories;
using static SpectralGate.Engine.Tests.Trajectories.TestTrajectories;
using static SpectralGate.Tests.Support.TestSignatures;

namespace SpectralGate.Engine.Tests.Trajectories;

public class TrajectoryCsvTests
{
    [Test]
    public void LongFormatRowsInStepLayerMetricOrderWithScalarsUnderAnEmptyLayer()
    {
        var trajectory = Of(Record(10, 1.0 / 3, scalars: ("train_loss", 0.5)), Record(9, 4));

        // Derived by hand: step 9 before 10, scalars (layer "") first, layers.2 before layers.10, metrics ordinal,
        // xmin undefined -> empty, 1/3 to ten significant digits.
        const string expected = "step,layer,metric,value,tier\n"
            + "9,layers.2.w,alpha,5,full\n"
            + "9,layers.2.w,xmin,,full\n"
            + "9,layers.10.w,alpha,4,full\n"
            + "9,layers.10.w,stable_rank,2.5,full\n"
            + "10,,train_loss,0.5,full\n"
            + "10,layers.2.w,alpha,1.333333333,full\n"
            + "10,layers.2.w,xmin,,full\n"
            + "10,layers.10.w,alpha,0.3333333333,full\n"
            + "10,layers.10.w,stable_rank,2.5,full\n";
        Assert.That(TrajectoryCsv.ToText(trajectory), Is.EqualTo(expected));
    }

    [Test]
    public void NamesWithCommasOrQuotesAreQuotedAndTheCultureDoesNotLeak()
    {
        var trajectory = Of(new TrajectoryRecord { Step = 1, Source = "live", Layers = [Layer("a,\"b\"", [2, 2], ("alpha", 1234.5))] });
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.That(TrajectoryCsv.ToText(trajectory), Does.EndWith("1,\"a,\"\"b\"\"\",alpha,1234.5,full\n"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
