import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, bigserial } from 'drizzle-orm/pg-core';
import type { DatasetField } from './field-schema';
import type { FieldType } from './ingest/infer-types';
import type { Action, PrivacyType, Role } from '../privacy/index';
import type { ClassificationReport, GateReport } from './reports';

export const openTierEnum = pgEnum('open_tier', ['unconditional', 'conditional', 'not_open']);
export const dataGradeEnum = pgEnum('data_grade', ['general', 'important', 'core']);
export const versionStatusEnum = pgEnum('version_status', ['draft', 'submitted', 'published', 'rejected', 'withdrawn']);

/** Departments that publish data. */
export const publishers = pgTable('publishers', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    slug: text('slug').notNull().unique(),
    publisherId: uuid('publisher_id')
      .notNull()
      .references(() => publishers.id),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    theme: text('theme').notNull(),
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    licence: text('licence').notNull(),
    updateFrequency: text('update_frequency').notNull(),
    contact: text('contact').notNull(),
    openTier: openTierEnum('open_tier').notNull(),
    dataGrade: dataGradeEnum('data_grade').notNull(),
    /** Whether rows describe people: k-anonymity applies to person-level data. */
    personLevel: boolean('person_level').notNull().default(false),
    /** Field schema (Frictionless Table Schema shape) with each field's classification; set by the first import. */
    fields: jsonb('fields').$type<DatasetField[]>().notNull().default(sql`'[]'::jsonb`),
    /** Steward declarations by source column title, applied on every import. */
    declarations: jsonb('declarations').$type<Record<string, FieldDeclaration>>().notNull().default(sql`'{}'::jsonb`),
    /** The published version the public API serves, or null. Flipped in one transaction on publish and withdraw. */
    currentVersion: integer('current_version'),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('datasets_publisher_idx').on(table.publisherId)],
);

export interface FieldDeclaration {
  /** Privacy type (what the column holds), for example `resident_id` or `plain`. */
  type?: PrivacyType;
  /** Value type of the stored column, when the steward fixes it instead of inference. */
  fieldType?: FieldType;
  role?: Role;
  action?: Action;
  description?: string;
  filterable?: boolean;
  sortable?: boolean;
}

export const datasetVersions = pgTable(
  'dataset_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    number: integer('number').notNull(),
    status: versionStatusEnum('status').notNull().default('draft'),
    /** Generated identifier of the version's table; never derived from user input. */
    tableName: text('table_name').notNull(),
    rowCount: bigint('row_count', { mode: 'number' }).notNull(),
    sourceEncoding: text('source_encoding').notNull(),
    classification: jsonb('classification').$type<ClassificationReport>().notNull(),
    /** The field schema of this version's table (classification can differ between versions). */
    fields: jsonb('fields').$type<DatasetField[]>().notNull(),
    gate: jsonb('gate').$type<GateReport>(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    submittedBy: text('submitted_by'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    reviewedBy: text('reviewed_by'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewReason: text('review_reason'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    withdrawnBy: text('withdrawn_by'),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawReason: text('withdraw_reason'),
  },
  (table) => [uniqueIndex('dataset_versions_number_idx').on(table.datasetId, table.number)],
);

/**
 * Every steward action on a dataset, in order, with actor, time and reason. The
 * tamper-evident audit log is fed from these events.
 */
export const datasetEvents = pgTable(
  'dataset_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    versionNumber: integer('version_number'),
    action: text('action').notNull(),
    actor: text('actor').notNull(),
    reason: text('reason'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('dataset_events_dataset_idx').on(table.datasetId, table.id)],
);
