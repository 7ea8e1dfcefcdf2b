-- 0012 files imported by hand (`compintel import FILE`, Workbench.import_files(paths)) rather than
-- through a notes or table source: importing every source forgets the rows no source covers any
-- more, but keeps these while their file is there.

CREATE TABLE hand_imports (
    key TEXT PRIMARY KEY      -- an imports.path, a note's documents.url, or a visit log's path
);
