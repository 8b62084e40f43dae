using Npgsql;

namespace Shop.Benchmarks.WorksVsScales.Pairs;

/// <summary>What every pair needs: the stack's servers and how long to measure.</summary>
public sealed record BenchContext(NpgsqlDataSource Database, string RedisConnectionString, BenchOptions Options);
