-- Sent outbox messages and the consumers' processed-message records are kept for a week, then
-- deleted by retention sweeps (Shop.Api/Outbox/OutboxRetention.cs and
-- Shop.Worker/Messaging/Pipeline/ProcessedMessagesRetention.cs). Both tables are appended in time
-- order, so a BRIN index (min and max per 32 pages) finds last week's rows among millions for a
-- few kilobytes of index. A b-tree would add an entry to every insert, and, on the outbox, to every
-- row's sent-update too; a BRIN summary changes only when a value falls outside its range.
CREATE INDEX outbox_messages_created_brin ON outbox_messages USING brin (created_at)
    WITH (pages_per_range = 32, autosummarize = on);

CREATE INDEX processed_messages_processed_brin ON processed_messages USING brin (processed_at)
    WITH (pages_per_range = 32, autosummarize = on);
