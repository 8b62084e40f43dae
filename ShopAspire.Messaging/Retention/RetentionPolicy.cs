namespace ShopAspire.Messaging.Retention;

/// <summary>What a <see cref="RetentionSweep"/> deletes, after how long, and how often it looks.</summary>
/// <param name="DeleteSql">
/// Deletes at most $2 rows older than $1 (an interval), taking them with FOR UPDATE SKIP LOCKED:
/// <see cref="RetentionSweep.DeleteStatement"/> writes it.
/// </param>
public sealed record RetentionPolicy(string DeleteSql, TimeSpan KeptFor, TimeSpan Interval);
