CREATE TYPE "public"."data_grade" AS ENUM('general', 'important', 'core');--> statement-breakpoint
CREATE TYPE "public"."open_tier" AS ENUM('unconditional', 'conditional', 'not_open');--> statement-breakpoint
CREATE TYPE "public"."version_status" AS ENUM('draft', 'submitted', 'published', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TABLE "dataset_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" uuid NOT NULL,
	"version_number" integer,
	"action" text NOT NULL,
	"actor" text NOT NULL,
	"reason" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"status" "version_status" DEFAULT 'draft' NOT NULL,
	"table_name" text NOT NULL,
	"row_count" bigint NOT NULL,
	"source_encoding" text NOT NULL,
	"classification" jsonb NOT NULL,
	"fields" jsonb NOT NULL,
	"gate" jsonb,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_by" text,
	"submitted_at" timestamp with time zone,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone,
	"review_reason" text,
	"published_at" timestamp with time zone,
	"withdrawn_by" text,
	"withdrawn_at" timestamp with time zone,
	"withdraw_reason" text
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"publisher_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"theme" text NOT NULL,
	"keywords" text[] DEFAULT '{}'::text[] NOT NULL,
	"licence" text NOT NULL,
	"update_frequency" text NOT NULL,
	"contact" text NOT NULL,
	"open_tier" "open_tier" NOT NULL,
	"data_grade" "data_grade" NOT NULL,
	"person_level" boolean DEFAULT false NOT NULL,
	"fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"declarations" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"current_version" integer,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "datasets_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "publishers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publishers_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "dataset_events" ADD CONSTRAINT "dataset_events_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_publisher_id_publishers_id_fk" FOREIGN KEY ("publisher_id") REFERENCES "public"."publishers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dataset_events_dataset_idx" ON "dataset_events" USING btree ("dataset_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_number_idx" ON "dataset_versions" USING btree ("dataset_id","number");--> statement-breakpoint
CREATE INDEX "datasets_publisher_idx" ON "datasets" USING btree ("publisher_id");--> statement-breakpoint
-- Draft and submitted version tables: the public API never reads this schema.
CREATE SCHEMA IF NOT EXISTS staging;
