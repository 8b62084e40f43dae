extern alias ShopApi;

using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using ShopApi::Shop.Api.Idempotency;
using Shop.IntegrationTests.Infrastructure;

namespace Shop.IntegrationTests.Orders;

[Collection(ShopStackCollection.Name)]
public class IdempotencyTests(ShopStackFixture stack)
{
    [Fact]
    public async Task Checkout_with_the_same_key_and_body_replays_the_first_response_and_creates_one_order()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 10);
        using var customer = await stack.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 2)), key);
        using var retry = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 2)), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(first.StatusCode, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, retry.Content.Headers.ContentType);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1L, await db.CountOrdersOfAsync(customer.UserId));
        Assert.Equal(8, await db.StockOfAsync(product));
    }

    [Fact]
    public async Task A_retry_after_the_first_response_was_lost_returns_the_order_already_placed()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 10);
        using var customer = await stack.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();
        using var first = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 2)), key);
        // What a process killed between committing the order and storing its response leaves
        // behind: the key still marked in flight, long enough ago to count as abandoned.
        await db.ExecuteAsync(
            "UPDATE idempotency_keys SET response_status = NULL, response_body = NULL, response_headers = NULL, completed_at = NULL, locked_at = now() - interval '10 minutes' WHERE key = @key",
            ("key", key));

        using var retry = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 2)), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1L, await db.CountOrdersOfAsync(customer.UserId));
        Assert.Equal(8, await db.StockOfAsync(product));
    }

    [Fact]
    public async Task A_rejected_checkout_is_replayed_too_even_after_stock_arrives()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 1);
        using var customer = await stack.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 2)), key);
        await db.ExecuteAsync("UPDATE products SET stock = 10 WHERE id = @id", ("id", product));
        using var retry = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 2)), key);

        Assert.Equal(HttpStatusCode.Conflict, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(0L, await db.CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_problem()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 10);
        using var customer = await stack.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), key);
        using var other = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 3)), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1L, await db.CountOrdersOfAsync(customer.UserId));
        Assert.Equal(9, await db.StockOfAsync(product));
    }

    [Fact]
    public async Task A_retry_while_the_first_request_is_still_running_is_a_409_problem()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 10);
        using var customer = await stack.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();

        // Hold the product's row lock so the first checkout waits inside its transaction.
        await using var blocker = new NpgsqlConnection(db.ConnectionString);
        await blocker.OpenAsync();
        await using var blocking = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM products WHERE id = @id FOR UPDATE", blocker, blocking))
        {
            lockRow.Parameters.AddWithValue("id", product);
            await lockRow.ExecuteNonQueryAsync();
        }

        var first = Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), key);
        // Checkout claims its key inside the order's transaction, so the claim is not visible
        // until it commits: wait until that transaction is queued behind the blocker instead.
        await Eventually.GetAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE @blocker = ANY(pg_blocking_pids(pid))", ("blocker", blocker.ProcessID)) == 1 ? (object)true : null,
            TimeSpan.FromSeconds(10), "the first request's transaction waits for the product's row");
        using var whileRunning = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), key);
        await blocking.RollbackAsync();
        using var firstResponse = await first;
        using var afterwards = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), key);

        Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        Assert.Equal("application/problem+json", whileRunning.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);
        Assert.Equal(await firstResponse.Content.ReadAsStringAsync(), await afterwards.Content.ReadAsStringAsync());
        Assert.Equal(1L, await db.CountOrdersOfAsync(customer.UserId));
    }

    [Fact]
    public async Task Keys_are_scoped_to_the_customer()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 10);
        using var alice = await stack.CreateCustomerClientAsync();
        using var bob = await stack.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();

        using var hers = await Checkout.PostAsync(alice.Http, Checkout.Lines((product, 1)), key);
        using var his = await Checkout.PostAsync(bob.Http, Checkout.Lines((product, 1)), key);

        Assert.Equal(HttpStatusCode.Created, hers.StatusCode);
        Assert.Equal(HttpStatusCode.Created, his.StatusCode);
        Assert.NotEqual((await hers.JsonAsync()).GetProperty("id").GetGuid(), (await his.JsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(8, await db.StockOfAsync(product));
    }

    [Fact]
    public async Task Fifty_concurrent_requests_with_one_key_create_exactly_one_order()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 100);
        using var customer = await stack.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var requests = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            using var response = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), key);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        })).ToArray();
        start.SetResult();
        var answers = await Task.WhenAll(requests);

        Assert.All(answers, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{r.StatusCode}: {r.Body}"));
        var created = answers.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Body).ToArray();
        Assert.NotEmpty(created);
        Assert.Single(created.Distinct()); // replays are byte-identical
        Assert.Equal(1L, await db.CountOrdersOfAsync(customer.UserId));
        Assert.Equal(99, await db.StockOfAsync(product));
    }

    [Fact]
    public async Task A_checkout_whose_key_another_transaction_holds_gets_a_409_at_once_and_writes_nothing()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 10);
        using var customer = await stack.CreateCustomerClientAsync();
        var key = Guid.NewGuid().ToString();
        // What a running checkout with this key holds (migration 0038): its transaction's advisory
        // lock on the key, and a claim nobody else can see yet.
        await using var holder = new NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync();
        await using var holding = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@c::text || '/' || @k, 0))", holder, holding))
        {
            hold.Parameters.AddWithValue("c", customer.UserId);
            hold.Parameters.AddWithValue("k", key);
            await hold.ExecuteNonQueryAsync();
        }

        using var whileHeld = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), key);
        var problem = await whileHeld.JsonAsync();
        var ordersWhileHeld = await db.CountOrdersOfAsync(customer.UserId);
        var stockWhileHeld = await db.StockOfAsync(product);
        await holding.RollbackAsync();
        using var afterwards = await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), key);

        Assert.Equal(HttpStatusCode.Conflict, whileHeld.StatusCode);
        Assert.Equal("application/problem+json", whileHeld.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:shopaspire:problem:idempotency-key-in-flight", problem.GetProperty("type").GetString());
        Assert.NotNull(whileHeld.Headers.RetryAfter);
        Assert.Null(whileHeld.Headers.Location);
        Assert.Equal(0L, ordersWhileHeld);
        Assert.Equal(10, stockWhileHeld);
        Assert.Equal(HttpStatusCode.Created, afterwards.StatusCode);
        Assert.Equal(1L, await db.CountOrdersOfAsync(customer.UserId));
        Assert.Equal(9, await db.StockOfAsync(product));
    }

    [Fact]
    public async Task A_key_claimed_in_an_open_transaction_fails_a_second_claim_at_once_then_as_taken_once_committed()
    {
        var db = await ShopDatabase.ForAsync(stack);
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var store = new IdempotencyStore(dataSource, Options.Create(new IdempotencyOptions()));
        var customerId = Guid.NewGuid();
        var key = Guid.NewGuid().ToString();
        byte[] hash = [1, 2, 3];
        var response = new StoredResponse(201, new() { ["Location"] = "/api/v1/orders/1" }, "{\"id\":1}"u8.ToArray());

        await using var first = await dataSource.OpenConnectionAsync();
        await using var firstTransaction = await first.BeginTransactionAsync();
        await RunAsync(first, firstTransaction, store.ClaimCompletedCommand(customerId, key, hash, response));
        // A claim that waited on the first's uncommitted row would end at this timeout (57014), not SA423.
        await using var second = await dataSource.OpenConnectionAsync();
        await using (var timeout = new NpgsqlCommand("SET statement_timeout = '5s'", second)) { await timeout.ExecuteNonQueryAsync(); }
        var whileOpen = await Assert.ThrowsAsync<PostgresException>(() => RunAsync(second, null, store.ClaimCompletedCommand(customerId, key, hash, response)));
        var lookWhileOpen = await store.LookAsync(customerId, key, hash, CancellationToken.None);
        await firstTransaction.CommitAsync();
        var afterCommit = await Assert.ThrowsAsync<PostgresException>(() => RunAsync(second, null, store.ClaimCompletedCommand(customerId, key, [4, 5, 6], response)));

        Assert.Equal(IdempotencyStore.KeyInFlightSqlState, whileOpen.SqlState);
        Assert.IsType<KeyClaim.Claimed>(lookWhileOpen); // the open claim is not visible, and the second found out by failing
        Assert.Equal(IdempotencyStore.KeyTakenSqlState, afterCommit.SqlState);
        var completed = Assert.IsType<KeyClaim.Completed>(await store.LookAsync(customerId, key, hash, CancellationToken.None));
        Assert.Equal(201, completed.Response.Status);
        Assert.Equal(response.Body, completed.Response.Body);
        Assert.Equal("/api/v1/orders/1", completed.Response.Headers["Location"]);
        Assert.IsType<KeyClaim.Mismatch>(await store.LookAsync(customerId, key, [4, 5, 6], CancellationToken.None));

        // An expired key is free again, and a new claim takes it over.
        await db.ExecuteAsync("UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE customer_id = @c AND key = @k", ("c", customerId), ("k", key));
        Assert.IsType<KeyClaim.Claimed>(await store.LookAsync(customerId, key, [4, 5, 6], CancellationToken.None));
        await RunAsync(second, null, store.ClaimCompletedCommand(customerId, key, [4, 5, 6], response with { Status = 409 }));
        Assert.Equal(409, Assert.IsType<KeyClaim.Completed>(await store.LookAsync(customerId, key, [4, 5, 6], CancellationToken.None)).Response.Status);

        static async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, NpgsqlBatchCommand claim)
        {
            await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { claim } };
            await batch.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Keys_are_kept_for_24_hours_and_expired_keys_are_deleted_by_the_cleanup_job()
    {
        var db = await ShopDatabase.ForAsync(stack);
        var product = await db.CreateProductAsync(stock: 10);
        using var customer = await stack.CreateCustomerClientAsync();
        var kept = Guid.NewGuid().ToString();
        var expired = Guid.NewGuid().ToString();
        (await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), kept)).Dispose();
        (await Checkout.PostAsync(customer.Http, Checkout.Lines((product, 1)), expired)).Dispose();
        var lifetime = await db.ScalarAsync<TimeSpan>(
            "SELECT expires_at - created_at FROM idempotency_keys WHERE customer_id = @c AND key = @k", ("c", customer.UserId), ("k", kept));
        await db.ExecuteAsync("UPDATE idempotency_keys SET expires_at = now() - interval '1 minute' WHERE customer_id = @c AND key = @k",
            ("c", customer.UserId), ("k", expired));

        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var options = Options.Create(new IdempotencyOptions());
        var cleanup = new IdempotencyKeyCleanup(dataSource, options, TimeProvider.System,
            new ShopApi::Shop.Api.Database.MigrationState(), NullLogger<IdempotencyKeyCleanup>.Instance);
        var deleted = await cleanup.Sweep.RunOnceAsync(CancellationToken.None);

        Assert.True(lifetime >= TimeSpan.FromHours(24), $"kept for {lifetime}");
        Assert.True(deleted >= 1);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM idempotency_keys WHERE customer_id = @c", ("c", customer.UserId)));
        Assert.Equal(kept, await db.ScalarAsync<string>("SELECT key FROM idempotency_keys WHERE customer_id = @c", ("c", customer.UserId)));
    }
}
