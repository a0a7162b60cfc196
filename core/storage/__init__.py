"""The on-disk registry engine behind `core.registry`.

One module per job: `files` (atomic writes, pinned reads, corruption checks), `lock`, `layout`
(directory layout and shard names), `tinystore` (TinyDB files), `documents` (model ↔ stored
document), `audit`, `journal`, `index` (the shard index cache), `migrations`, `backups`,
`conflicts`, `workdocs` (documents workflows keep), `errors`, `faults` (test hooks on the write
path) and `registry` (the `Registry` class). Nothing TinyDB-specific leaves this package.
"""
