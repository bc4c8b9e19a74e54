namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// Bytes a layer's probe holds beyond the managed feature arrays it is given: the one formula the executor's
/// estimate uses (bench 'probe-memory' checks it against measured peaks). Upper bounds by construction: every
/// temporary counts at its largest, and the solver's temporaries count until their dispose scope closes.
/// </summary>
public static class ProbeWorkingMemory
{
    /// <summary>Copies of a θ-sized tensor [d + 1, K, C] that one L-BFGS iteration may hold besides its history: the iterate, gradient,
    /// solution and start, the two-loop recursion's temporaries (four per pair, counted with the history), the trial step, next
    /// iterate and gradient, the objective's gradient buffer and penalty terms, and two backtracking trials.</summary>
    private const int ThetaCopiesBesidesHistory = 30;

    /// <summary>Row-chunk-sized tensors [chunk, K·C] alive at once in the objective (logits, their product with the targets, softplus terms).</summary>
    private const int LogitCopies = 4;

    /// <summary>Curvature pairs <see cref="LbfgsMinimizer"/> keeps (its default, which ProbeTrainer uses).</summary>
    private const int TrainerHistory = 10;

    /// <summary>Rows per matmul in <see cref="StackedProbeHeads"/>.</summary>
    private const int RowChunk = 16384;

    /// <summary>
    /// <see cref="ConvexProbeSolver"/> on one layer: the standardised features of the three splits with their bias column and
    /// targets (float64 by default, and float64 while they are made), then the later of two phases: standardising the largest split
    /// (a float32 and a float64 copy of it beside the result), or the solve: the preconditioner's d x d basis (and, while it is
    /// made, its eigendecomposition) and the L-BFGS iterations on K = |l2Grid| heads: θ-sized tensors (history of HistorySize
    /// (s, y) pairs, with the two-loop recursion's four temporaries per pair, and the rest) and the logits of a row chunk.
    /// </summary>
    public static long Optimal(int trainRows, int validationRows, int testRows, int dimensions, int classes, OptimalProbeOptions options)
    {
        long element = options.DoublePrecision ? 8 : 4;
        long rows = (long)trainRows + validationRows + testRows;
        var largest = (long)Math.Max(trainRows, Math.Max(validationRows, testRows));
        long heads = options.L2Grid.Count;
        // Targets: the float32 rows as given and their copy in the solver's dtype.
        var held = rows * (element * (dimensions + 1) + (4 + element) * classes);
        var standardising = largest * (4L * dimensions + 8L * dimensions + 8L * (dimensions + 1));
        var theta = (dimensions + 1L) * heads * classes * element;
        var iterations = theta * (6L * options.HistorySize + ThetaCopiesBesidesHistory)
                         + LogitCopies * Math.Min(RowChunk, largest) * heads * classes * 8;
        // CovariancePreconditioner: its basis U [d, d] for the whole solve; while it is made, Σ and the eigensolver's
        // float64 vectors and workspace (about three d x d matrices) beside it.
        var d2 = (long)dimensions * dimensions;
        var basis = options.Preconditioned ? element * d2 : 0;
        var decomposing = options.Preconditioned ? 3 * 8 * d2 : 0;
        return held + Math.Max(standardising, basis + Math.Max(decomposing, iterations));
    }

    /// <summary>
    /// <see cref="ProbeTrainer"/> on one layer (optimizers rmsprop, adam, sgd, lbfgs): its features as float32 tensors on all three
    /// splits, the weights (current, best, gradient and two optimizer buffers; with lbfgs its history and temporaries, counted as the solver's), a minibatch's features and the logits
    /// of an evaluation chunk with their softmax and gradient; a full batch (lbfgs) holds the training split's logits for autograd.
    /// </summary>
    public static long Trained(int trainRows, int validationRows, int testRows, int dimensions, int classes, ProbeOptions options)
    {
        long rows = (long)trainRows + validationRows + testRows;
        var features = 4 * rows * dimensions;
        var weights = 4L * (dimensions + 1) * classes * (options.Optimizer == ProbeOptions.Lbfgs ? 6L * TrainerHistory + ThetaCopiesBesidesHistory : 6);
        var batch = options.Optimizer == ProbeOptions.Lbfgs ? trainRows : Math.Min(options.BatchSize, trainRows);
        var working = 4L * batch * (dimensions + 4L * classes) + 4L * 4 * Math.Min(8192, rows) * classes;
        return features + weights + working;
    }
}
