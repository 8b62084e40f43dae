using StackExchange.Redis;

namespace Shop.Api.Cart;

/// <summary>
/// Carts in Redis: one hash per customer (field = product id, value = quantity), expiring 30 days
/// after the customer last touched it. Redis holds no prices: those are read from Postgres.
/// </summary>
public sealed class CartStore(IConnectionMultiplexer redis)
{
    public static readonly TimeSpan SlidingExpiry = TimeSpan.FromDays(30);

    // One script so "at most 100 distinct lines" holds under concurrent adds: the check and the
    // write cannot interleave with another request's. Changing an existing line is always allowed.
    private static readonly LuaScript SetQuantityScript = LuaScript.Prepare("""
        if redis.call('HEXISTS', @key, @field) == 0 and redis.call('HLEN', @key) >= tonumber(@maxLines) then
          return 0
        end
        local started = redis.call('EXISTS', @key) == 0
        redis.call('HSET', @key, @field, @quantity)
        redis.call('PEXPIRE', @key, @expiryMs)
        if started then return 2 end
        return 1
        """);

    private static RedisKey KeyFor(Guid customerId) => $"cart:{customerId:N}";

    /// <summary>Sets a line's quantity; <see cref="CartWrite.Full"/> when the cart is full and the product is not in it yet.</summary>
    public async Task<CartWrite> SetQuantityAsync(Guid customerId, Guid productId, int quantity, int maxLines)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(SetQuantityScript, new
        {
            key = KeyFor(customerId),
            field = productId.ToString("N"),
            quantity,
            maxLines,
            expiryMs = (long)SlidingExpiry.TotalMilliseconds,
        });
        return (CartWrite)(int)result;
    }

    public async Task RemoveAsync(Guid customerId, Guid productId)
    {
        var db = redis.GetDatabase();
        var key = KeyFor(customerId);
        var batch = db.CreateBatch();
        var removed = batch.HashDeleteAsync(key, productId.ToString("N"));
        var touched = batch.KeyExpireAsync(key, SlidingExpiry);
        batch.Execute();
        await Task.WhenAll(removed, touched);
    }

    public Task ClearAsync(Guid customerId) => redis.GetDatabase().KeyDeleteAsync(KeyFor(customerId));

    /// <summary>The cart's lines (product id, quantity); reading also slides the expiry.</summary>
    public async Task<IReadOnlyList<(Guid ProductId, int Quantity)>> ReadAsync(Guid customerId)
    {
        var db = redis.GetDatabase();
        var key = KeyFor(customerId);
        var batch = db.CreateBatch();
        var entries = batch.HashGetAllAsync(key);
        var touched = batch.KeyExpireAsync(key, SlidingExpiry);
        batch.Execute();
        await Task.WhenAll(entries, touched);

        var lines = new List<(Guid, int)>(entries.Result.Length);
        foreach (var entry in entries.Result)
        {
            // Anything unparsable can only come from outside the API; skip it rather than fail.
            if (Guid.TryParseExact(entry.Name.ToString(), "N", out var productId) && entry.Value.TryParse(out int quantity))
            {
                lines.Add((productId, quantity));
            }
        }
        return lines;
    }
}

public enum CartWrite
{
    /// <summary>Nothing written: the cart already holds the most distinct products it may.</summary>
    Full = 0,
    Updated = 1,
    /// <summary>The first line of a cart that did not exist (or had expired).</summary>
    Started = 2,
}
