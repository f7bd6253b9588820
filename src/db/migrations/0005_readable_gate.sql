-- The records route serves unconditionally open datasets from a cache of resolved
-- versions, and proves in the page statement itself (same snapshot as the rows) that the
-- cached answer still holds. As an EXISTS subquery in that statement, the two-table
-- check cost more to plan on every execution than the rest of the statement; as a
-- PL/pgSQL function its query is planned once per connection. STABLE: it reads with
-- the calling statement's snapshot.
CREATE FUNCTION kaifang_version_readable(p_dataset uuid, p_ref text, p_version integer, p_pinned boolean)
RETURNS boolean
LANGUAGE plpgsql
STABLE
AS $$
BEGIN
  RETURN EXISTS (
    SELECT 1
    FROM datasets d
    JOIN dataset_versions v ON v.dataset_id = d.id
    WHERE d.id = p_dataset
      AND (d.slug = p_ref OR d.id::text = lower(p_ref))
      AND d.open_tier = 'unconditional'
      AND (CASE WHEN p_pinned THEN d.current_version IS NOT NULL ELSE d.current_version = p_version END)
      AND v.number = p_version
      AND v.status = 'published'
  );
END
$$;
