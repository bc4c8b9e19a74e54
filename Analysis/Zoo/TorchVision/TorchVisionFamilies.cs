using TorchSharp;
using static TorchSharp.torch;
using Step = ProbeGrid.Analysis.Zoo.TorchVision.ForwardStep;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// The torchvision families TorchSharp's TorchVision 0.107 offers, under torchvision's function names, each checked
/// against PyTorch's torchvision (same state_dict keys and shapes; same outputs on the same weights).
/// mobilenet_v3_large/small are built here (<see cref="TorchVision.MobileNetV3"/>): TorchSharp's takes no class count
/// and puts ReLU6 where torchvision's squeeze-excitation has ReLU. Not offered: the families TorchSharp lacks
/// (efficientnet, densenet, convnext, vit, ...).
/// </summary>
public static class TorchVisionFamilies
{
    private static readonly string[] Booleans = ["true", "false"];

    /// <summary>Every family, in the order they are listed to users.</summary>
    public static IReadOnlyList<TorchVisionFamily> All { get; } =
    [
        ResNet("resnet18", c => torchvision.models.resnet18(c)),
        ResNet("resnet34", c => torchvision.models.resnet34(c)),
        ResNet("resnet50", c => torchvision.models.resnet50(c)),
        ResNet("resnet101", c => torchvision.models.resnet101(c)),
        ResNet("resnet152", c => torchvision.models.resnet152(c)),
        ResNet("resnext50_32x4d", c => torchvision.models.resnext50_32x4d(c)),
        // TorchSharp's resnext101_32x8d and resnext101_64x4d build ResNet-50's [3, 4, 6, 3] blocks; torchvision's have ResNet-101's [3, 4, 23, 3].
        ResNet("resnext101_32x8d", c => torchvision.models.resnet101(c, groups: 32, width_per_group: 8)),
        ResNet("resnext101_64x4d", c => torchvision.models.resnet101(c, groups: 64, width_per_group: 4)),
        ResNet("wide_resnet50_2", c => torchvision.models.wide_resnet50_2(c)),
        ResNet("wide_resnet101_2", c => torchvision.models.wide_resnet101_2(c)),
        Vgg("vgg11", (c, d) => torchvision.models.vgg11(c, d)),
        Vgg("vgg11_bn", (c, d) => torchvision.models.vgg11_bn(c, d)),
        Vgg("vgg13", (c, d) => torchvision.models.vgg13(c, d)),
        Vgg("vgg13_bn", (c, d) => torchvision.models.vgg13_bn(c, d)),
        Vgg("vgg16", (c, d) => torchvision.models.vgg16(c, d)),
        Vgg("vgg16_bn", (c, d) => torchvision.models.vgg16_bn(c, d)),
        Vgg("vgg19", (c, d) => torchvision.models.vgg19(c, d)),
        Vgg("vgg19_bn", (c, d) => torchvision.models.vgg19_bn(c, d)),
        new("alexnet", 224, _ => (63, "its three stride-2 3x3 max-pools need a 3x3 map after the 11x11 stride-4 stem"),
            r => new("alexnet", r.Double("dropout", 0.5, 0, 1), null, false, false, null, false),
            (c, classes) => torchvision.models.alexnet(classes, (float)c.Dropout!.Value),
            [Step.Child("features"), Step.Child("avgpool"), Step.Flatten, Step.Child("classifier")], _ => [], TorchVisionInit.TorchDefault,
            UnrolledStages: ["features"]),
        new("googlenet", 224, _ => (15, "its four ceil-mode max-pools after the stride-2 stem need a 1x1 map"),
            r => new("googlenet", r.Double("dropout", 0.2, 0, 1), r.Double("dropoutAux", 0.7, 0, 1), Bool(r, "auxLogits", true), Bool(r, "transformInput", false), null, false),
            GoogLeNet,
            [
                .. Children("conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a", "inception3b", "maxpool3", "inception4a", "inception4b", "inception4c",
                    "inception4d", "inception4e", "maxpool4", "inception5a", "inception5b", "avgpool"),
                Step.Flatten, Step.Child("dropout"), Step.Child("fc"),
            ],
            // The GoogLeNet paper's weight of each auxiliary loss (Szegedy et al. 2015, section 5).
            c => c.AuxLogits ? [new("aux1", "inception4a", 0.3), new("aux2", "inception4d", 0.3)] : [],
            TorchVisionInit.GoogLeNet),
        new("inception_v3", 299, c => c.AuxLogits
                ? (299, "its auxiliary head (auxLogits=true) pools Mixed_6e 5x5 / 3 and convolves 5x5, which needs Mixed_6e at 17x17; with auxLogits=false it takes 75x75")
                : (75, "its stride-2 stem, two max-pools and Mixed_6a need 75x75 to leave a 3x3 map"),
            r => new("inception_v3", r.Double("dropout", 0.5, 0, 1), null, Bool(r, "auxLogits", true), Bool(r, "transformInput", false), null, false),
            InceptionV3,
            [
                .. Children("Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1", "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c",
                    "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c", "avgpool", "dropout"),
                Step.Flatten, Step.Child("fc"),
            ],
            // The weight of PyTorch's fine-tuning recipe for inception_v3 (loss + 0.4 aux loss).
            c => c.AuxLogits ? [new("AuxLogits", "Mixed_6e", 0.4)] : [],
            TorchVisionInit.Inception),
        new("mobilenet_v2", 224, _ => (1, "it takes any size"),
            r => new("mobilenet_v2", r.Double("dropout", 0.2, 0, 1), null, false, false, r.Double("widthMult", 1.0, 0.05, 4), false),
            (c, classes) => torchvision.models.mobilenet_v2(classes, c.WidthMult!.Value, dropout: c.Dropout!.Value),
            [Step.Child("features"), Step.Apply("adaptive_avg_pool2d(1)", x => nn.functional.adaptive_avg_pool2d(x, 1)), Step.Flatten, Step.Child("classifier")],
            _ => [], TorchVisionInit.MobileNet, UnrolledStages: ["features"]),
        MobileNetV3Family("mobilenet_v3_large", MobileNetV3.Large),
        MobileNetV3Family("mobilenet_v3_small", MobileNetV3.Small),
    ];

    /// <summary>The family called <paramref name="name"/>, or null.</summary>
    public static TorchVisionFamily? Find(string name) => All.FirstOrDefault(f => f.Name == name);

    private static TorchVisionFamily ResNet(string name, Func<int, nn.Module<Tensor, Tensor>> create) => new(name, 224, _ => (1, "it takes any size"),
        r => new(name, null, null, false, false, null, Bool(r, "zeroInitResidual", false)),
        (_, classes) => create(classes),
        [.. Children("conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "flatten", "fc")],
        _ => [], TorchVisionInit.ResNet);

    private static TorchVisionFamily Vgg(string name, Func<int, float, nn.Module<Tensor, Tensor>> create) => new(name, 224,
        _ => (32, "its five 2x2 max-pools need a 1x1 map"),
        r => new(name, r.Double("dropout", 0.5, 0, 1), null, false, false, null, false),
        (c, classes) => create(classes, (float)c.Dropout!.Value),
        [Step.Child("features"), Step.Child("avgpool"), Step.Flatten, Step.Child("classifier")],
        _ => [], TorchVisionInit.Vgg, UnrolledStages: ["features"]);

    private static TorchVisionFamily MobileNetV3Family(string name, Func<long, double, bool, bool, double, MobileNetV3> create) => new(name, 224,
        _ => (1, "it takes any size"),
        r => new(name, r.Double("dropout", 0.2, 0, 1), null, false, false, r.Double("widthMult", 1.0, 0.05, 4), false, Bool(r, "reducedTail", false),
            Bool(r, "dilated", false)),
        (c, classes) => create(classes, c.WidthMult!.Value, c.ReducedTail, c.Dilated, c.Dropout!.Value),
        [Step.Child("features"), Step.Child("avgpool"), Step.Flatten, Step.Child("classifier")],
        _ => [], TorchVisionInit.MobileNet, UnrolledStages: ["features"]);

    private static nn.Module<Tensor, Tensor> InceptionV3(TorchVisionConfig config, int classes)
    {
        var network = torchvision.models.inception_v3(classes, (float)config.Dropout!.Value, config.TransformInput);
        if (!config.AuxLogits)
        {
            // torchvision's aux_logits=False has no AuxLogits at all (nor its state_dict keys); TorchSharp's always builds it.
            network.register_module("AuxLogits", null!);
        }
        return network;
    }

    private static nn.Module<Tensor, Tensor> GoogLeNet(TorchVisionConfig config, int classes)
    {
        var network = torchvision.models.googlenet(classes, config.TransformInput, dropout: (float)config.Dropout!.Value, dropout_aux: (float)config.DropoutAux!.Value);
        if (config.AuxLogits)
        {
            // TorchSharp's GoogleNet leaves aux1 / aux2 out; torchvision's aux_logits=True (its default) has them.
            network.register_module("aux1", new GoogLeNetAuxHead(512, classes, config.DropoutAux.Value));
            network.register_module("aux2", new GoogLeNetAuxHead(528, classes, config.DropoutAux.Value));
        }
        return network;
    }

    private static IEnumerable<Step> Children(params string[] names) => names.Select(Step.Child);

    private static bool Bool(ModelParameterReader reader, string name, bool defaultValue) =>
        reader.Choice(name, defaultValue ? "true" : "false", Booleans) == "true";
}
