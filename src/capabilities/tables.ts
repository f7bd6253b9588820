import { boolean, date, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Electronic licences for the licence-verification capability. Neither the number nor
 * the holder's name is stored: `number_hmac` is a keyed HMAC of type and number (the
 * lookup key), `holder_hmac` a keyed HMAC of type, number and normalised holder name.
 * Without the platform secret the table cannot be searched or reversed.
 */
export const licenceRecords = pgTable(
  'licence_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceType: text('licence_type').notNull(),
    numberHmac: text('number_hmac').notNull(),
    holderHmac: text('holder_hmac').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    revoked: boolean('revoked').notNull().default(false),
  },
  (table) => [uniqueIndex('licence_records_number_idx').on(table.licenceType, table.numberHmac)],
);

/** Public service guides (办事指南) by service item code, for the service-guide capability. */
export const serviceGuides = pgTable('service_guides', {
  /** Service item code, for example `340100-001000-001`. */
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  department: text('department').notNull(),
  /** Required materials, in order. */
  materials: jsonb('materials').$type<string[]>().notNull(),
  /** Statutory time limit in working days. */
  timeLimitDays: integer('time_limit_days').notNull(),
  /** Fee as published, for example `不收费` or `每件 10 元`. */
  fee: text('fee').notNull(),
  onlineAvailable: boolean('online_available').notNull(),
  /** On-site visits needed (0: fully online). */
  visitsNeeded: integer('visits_needed').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
