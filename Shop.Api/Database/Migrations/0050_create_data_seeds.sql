-- One row per one-off data seed (the development demo catalog): inserted in the transaction of
-- the seed itself, its primary key makes replicas that start together seed once, and a seed
-- that ran once never runs again, even after its rows were deleted.
CREATE TABLE data_seeds (
    name        text        PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
