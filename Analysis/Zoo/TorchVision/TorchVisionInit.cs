namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// torchvision's weight initialisation of each family, redrawn from an explicit generator: TorchSharp's constructors
/// draw from the global RNG (shared by parallel jobs, so never reproducible). Every parameter is redrawn, module by
/// module in named_modules order, so one seed gives one network. Batch-norm running statistics stay at 0 / 1.
/// </summary>
public enum TorchVisionInit
{
    /// <summary>resnet.py: conv kaiming_normal_(fan_out, relu); BN 1 / 0; fc PyTorch's default; zero_init_residual zeroes each block's last BN scale.</summary>
    ResNet,
    /// <summary>vgg.py: conv kaiming_normal_(fan_out, relu), bias 0; BN 1 / 0; linear normal(0, 0.01), bias 0.</summary>
    Vgg,
    /// <summary>alexnet.py has no init of its own: PyTorch's default, U(±1/sqrt(fan_in)) for conv and linear weights and biases.</summary>
    TorchDefault,
    /// <summary>inception.py: conv and linear trunc_normal_(std 0.1, or 0.001 for AuxLogits.fc, a=-2, b=2); BN 1 / 0; linear biases PyTorch's default.</summary>
    Inception,
    /// <summary>googlenet.py: conv and linear trunc_normal_(std 0.01, a=-2, b=2); BN 1 / 0; linear biases PyTorch's default.</summary>
    GoogLeNet,
    /// <summary>mobilenetv2.py / mobilenetv3.py: conv kaiming_normal_(fan_out), bias 0; BN 1 / 0; linear normal(0, 0.01), bias 0.</summary>
    MobileNet,
}
