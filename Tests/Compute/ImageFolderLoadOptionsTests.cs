using Microsoft.Extensions.DependencyInjection;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;
using ProbeGrid.Grains.Models;
using ProbeGrid.Silo.Compute;

namespace ProbeGrid.Tests.Compute;

/// <summary>A silo's image folders load with its compute settings: its decode threads and a share of its memory budget.</summary>
public sealed class ImageFolderLoadOptionsTests
{
    private const long Machine = 24L << 30;

    [Fact]
    public void Image_folders_get_half_the_memory_budget_unless_the_operator_states_their_share()
    {
        // Half the machine is the budget; half of that is the data's.
        Assert.Equal(new ImageFolderLoadOptions(0, 6L << 30), new ComputeOptions().ImageFolderLoad(Machine));
        Assert.Equal(new ImageFolderLoadOptions(0, 2L << 30), new ComputeOptions { SilosOnHost = 3 }.ImageFolderLoad(Machine));
        Assert.Equal(new ImageFolderLoadOptions(0, 4L << 30), new ComputeOptions { MemoryBudgetBytes = 8L << 30 }.ImageFolderLoad(Machine));
        Assert.Equal(new ImageFolderLoadOptions(3, 1L << 30), new ComputeOptions { DatasetMemoryBytes = 1L << 30, DecodeThreads = 3 }.ImageFolderLoad(Machine));
    }

    [Fact]
    public void Negative_settings_are_refused_naming_each()
    {
        var problems = new ComputeOptions { DatasetMemoryBytes = -1, DecodeThreads = -2 }.Validate();
        Assert.Equal(2, problems.Count);
        Assert.Contains("ProbeGrid:Compute:DatasetMemoryBytes -1 must be 0 (half the memory budget) or more", problems[0]);
        Assert.Contains("ProbeGrid:Compute:DecodeThreads -2 must be 0 (one per core) or more", problems[1]);
    }

    [Fact]
    public void The_registered_image_folder_loads_with_the_hosts_options_in_its_place_among_the_data_sets()
    {
        var options = new ImageFolderLoadOptions(3, 5L << 20);
        using var services = new ServiceCollection().AddBuiltInDatasets(_ => options).BuildServiceProvider();
        var registry = services.GetRequiredService<DatasetRegistry>();
        Assert.Same(options, ((ImageFolderCatalogEntry)registry.Get("image-folder")).Options);
        Assert.Equal(DatasetRegistry.BuiltIn.Names, registry.Names);
    }
}
