using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// The training state of one layer's probe softmax(W·h + b) (or sigmoid, for label sets): its features on the device, the
/// current and the best weights, and its early-stopping bookkeeping.
/// </summary>
internal sealed class LayerProbe : IDisposable
{
    private const int EvaluationChunk = 8192;

    private Tensor bestWeight;
    private Tensor bestBias;
    private int epochsWithoutImprovement;

    public LayerProbe(LayerFeatures features, int classCount, ProbeWeights? warmStart, Device device)
    {
        Tap = features.Tap;
        Train = features.Train.ToTensor(device);
        Validation = features.Validation.ToTensor(device);
        Test = features.Test.ToTensor(device);
        var inputs = features.Dimensions;
        var warm = warmStart is not null && warmStart.Inputs == inputs && warmStart.Classes == classCount;
        Weight = new Parameter(warm
            ? torch.tensor(warmStart!.Weights, [inputs, classCount], device: device)
            : torch.zeros([inputs, classCount], device: device));
        Bias = new Parameter(warm ? torch.tensor(warmStart!.Bias, device: device) : torch.zeros([classCount], device: device));
        WarmStarted = warm;
        bestWeight = Weight.detach().clone();
        bestBias = Bias.detach().clone();
    }

    public string Tap { get; }

    public Tensor Train { get; }

    public Tensor Validation { get; }

    public Tensor Test { get; }

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    public bool WarmStarted { get; }

    public bool Stopped { get; private set; }

    public int EpochsRun { get; private set; }

    public int BestEpoch { get; private set; }

    public double BestValidationLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>Mean task loss of <paramref name="features"/> (see <see cref="ProbeObjective"/>) plus the L2 penalty, with the given weights (for autograd).</summary>
    public static Tensor Loss(Tensor features, Tensor labels, Tensor weight, Tensor bias, double weightDecay)
    {
        var loss = TappedModel.Objective(features.matmul(weight).add_(bias), labels);
        return weightDecay > 0 ? loss + 0.5 * weightDecay * weight.square().sum() : loss;
    }

    /// <summary>Records a finished epoch: keeps the weights if the validation loss improved, else counts toward stopping.</summary>
    public void EndEpoch(int epoch, Tensor validationLabels, ProbeOptions options)
    {
        EpochsRun = epoch;
        var (loss, _) = Evaluate(Validation, validationLabels, Weight, Bias);
        if (epoch == 0 || loss < BestValidationLoss - options.MinDelta)
        {
            BestValidationLoss = loss;
            BestEpoch = epoch;
            epochsWithoutImprovement = 0;
            using (torch.no_grad())
            {
                bestWeight.copy_(Weight);
                bestBias.copy_(Bias);
            }
        }
        else if (++epochsWithoutImprovement >= options.Patience)
        {
            Stopped = true;
        }
    }

    public void Stop() => Stopped = true;

    /// <summary>The probe at its best epoch, measured on all three splits.</summary>
    public ProbeResult Result(Tensor trainLabels, Tensor validationLabels, Tensor testLabels)
    {
        var (trainLoss, trainError) = Evaluate(Train, trainLabels, bestWeight, bestBias);
        var (validationLoss, validationError) = Evaluate(Validation, validationLabels, bestWeight, bestBias);
        var (testLoss, testError) = Evaluate(Test, testLabels, bestWeight, bestBias);
        using var weight = bestWeight.cpu();
        using var bias = bestBias.cpu();
        var weights = new ProbeWeights(weight.data<float>().ToArray(), bias.data<float>().ToArray(), (int)weight.shape[0], (int)weight.shape[1]);
        return new ProbeResult(Tap, trainError, trainLoss, validationError, validationLoss, testError, testLoss, EpochsRun, BestEpoch, weights)
        {
            WarmStarted = WarmStarted,
        };
    }

    public void Dispose()
    {
        foreach (var t in new[] { Train, Validation, Test, Weight, Bias, bestWeight, bestBias }) t.Dispose();
    }

    private static (double Loss, double Error) Evaluate(Tensor features, Tensor labels, Tensor weight, Tensor bias)
    {
        using var noGrad = torch.no_grad();
        var rows = features.shape[0];
        double lossSum = 0, wrong = 0;
        for (long start = 0; start < rows; start += EvaluationChunk)
        {
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(EvaluationChunk, rows - start);
            var logits = features.narrow(0, start, count).matmul(weight).add_(bias);
            var y = labels.narrow(0, start, count);
            var (chunkLoss, chunkWrong) = ProbeObjective.SumLossAndErrors(logits, y);
            lossSum += chunkLoss;
            wrong += chunkWrong;
        }
        return rows == 0 ? (double.NaN, double.NaN) : (lossSum / rows, wrong / rows);
    }
}
