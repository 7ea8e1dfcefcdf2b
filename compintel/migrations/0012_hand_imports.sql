-- 0012 files imported by hand (`compintel import FILE`, Workbench.import_files(paths)) rather than
-- through a notes or table source: importing every source forgets the rows no source covers any
-- more, but keeps these while their file is there.

CREATE TABLE hand_imports (
    key TEXT PRIMARY KEY      -- an imports.path, a note's path, or a visit log's path
);

-- What a store holds from before: notes with no source were imported by hand (or their source
-- was removed: kept too, while their file is there), and so were tables outside sources/. A
-- visit log's row ("note:<log>#row<N>") stands for its log.
INSERT OR IGNORE INTO hand_imports (key)
    SELECT path FROM imports WHERE path NOT LIKE 'sources/%';
INSERT OR IGNORE INTO hand_imports (key)
    SELECT CASE WHEN rtrim(url, '0123456789') LIKE '%#row' AND rtrim(url, '0123456789') != url
                THEN substr(url, 6, length(rtrim(url, '0123456789')) - 9)
                ELSE substr(url, 6) END
    FROM documents WHERE url LIKE 'note:%' AND source_id IS NULL;
