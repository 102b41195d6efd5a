using SampleModels;
using SpectralGate.Engine.Sources.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

// Usage: dotnet run --project samples/SampleModels -- [output folder, default samples/models]
string output = args.Length > 0 ? args[0] : Path.Combine("samples", "models");
Directory.CreateDirectory(output);
torch.set_num_threads(1); // one thread: the same bytes on every machine
torch.manual_seed(20261124);
var generator = new Generator(20261124);

var (trainX, trainY) = BarsDataset.Make(4096, generator);
var (testX, testY) = BarsDataset.Make(1024, generator);

var model = new BarsClassifier();
var optimizer = optim.Adam(model.parameters(), lr: 2e-3);
for (int epoch = 0; epoch < 12; epoch++)
{
    model.train();
    var order = randperm(trainX.shape[0], generator: generator);
    for (long start = 0; start < trainX.shape[0]; start += 64)
    {
        using var scope = NewDisposeScope();
        var batch = order[TensorIndex.Slice(start, start + 64)];
        optimizer.zero_grad();
        var loss = nn.functional.cross_entropy(model.forward(trainX[batch]), trainY[batch]);
        loss.backward();
        optimizer.step();
    }
    model.eval();
    using (no_grad())
    {
        double accuracy = model.forward(testX).argmax(1).eq(testY).to(ScalarType.Float32).mean().item<float>();
        Console.WriteLine($"epoch {epoch + 1,2}: test accuracy {accuracy:P1}");
    }
}

var tensors = model.named_parameters()
    .Select(p => SafetensorsWriter.Float32(p.name, p.parameter.shape, p.parameter.detach().contiguous().data<float>().ToArray()))
    .ToList();
string safetensors = Path.Combine(output, "bars-cnn.safetensors");
SafetensorsWriter.Write(safetensors, tensors, new Dictionary<string, string> { ["format"] = "pt", ["trained_by"] = "samples/SampleModels" });
model.save(Path.Combine(output, "bars-cnn.torchsharp.dat"));
Console.WriteLine($"wrote {safetensors} and bars-cnn.torchsharp.dat");

// The two parity RNNs of the recurrence probe (tests and samples/ArchitectureSpectra load them rather than train them).
foreach (bool signed in new[] { false, true })
{
    var (rnn, parityAccuracy) = ParityRnn.Train(signed, length: 6, steps: 1500, seed: 1);
    rnn.save(Path.Combine(output, ParityRnn.FileName(signed)));
    Console.WriteLine($"wrote {ParityRnn.FileName(signed)}: parity accuracy {parityAccuracy:P1}");
}
