-- Trigram matching serves Chinese text search (ILIKE '%社保%') with a GIN index on
-- both backends; PGlite loads the extension from its contrib bundle.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- Published dataset versions live in their own schema, so no request path that reads
-- published tables can name a catalog or key table by accident.
CREATE SCHEMA IF NOT EXISTS published;
