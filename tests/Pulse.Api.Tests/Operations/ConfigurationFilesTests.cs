using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pulse.Api.Tests.Infrastructure;

namespace Pulse.Api.Tests.Operations;

/// <summary>
/// Configuration files are read once at start-up and not watched: the watcher covers the content root, where the
/// embedded database lives by default, and woke on every database write.
/// </summary>
public sealed class ConfigurationFilesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), TestEnvironment.Unique("pulse-config"));

    public ConfigurationFilesTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public void Configuration_files_are_read_once_and_not_watched()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={Path.Combine(_directory, "pulse.db")}"));

        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} is watched for changes"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
