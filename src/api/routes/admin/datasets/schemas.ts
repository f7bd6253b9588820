import { z } from '@hono/zod-openapi';
import { ACTIONS, PRIVACY_TYPES, ROLES as PRIVACY_ROLES } from '../../../../privacy/index';

const slug = (example: string) =>
  z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and hyphens, 2 to 63 characters')
    .openapi({ description: 'URL-safe identifier: lower-case letters, digits and hyphens.', example });

const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime'] as const;

export const PublisherBody = z
  .object({
    slug: slug('hefei-data-bureau'),
    name: z.string().min(1).max(200).openapi({ description: 'Department name.', example: '合肥市数据资源局' }),
  })
  .openapi('PublisherInput');

export const PublisherSchema = z
  .object({
    id: z.string().uuid().openapi({ description: 'Publisher id.', example: '3f2b8c1e-7d4a-4b9e-9c1f-2a6d8e4b7c10' }),
    slug: z.string().openapi({ description: 'URL-safe identifier.', example: 'hefei-data-bureau' }),
    name: z.string().openapi({ description: 'Department name.', example: '合肥市数据资源局' }),
  })
  .openapi('Publisher');

export const DeclarationSchema = z
  .object({
    type: z.enum(PRIVACY_TYPES).optional().openapi({ description: 'What the column holds, for the privacy policy.', example: 'resident_id' }),
    role: z.enum(PRIVACY_ROLES).optional().openapi({ description: 'Role of the column: direct or quasi identifier, sensitive, a secret, or public.', example: 'direct_identifier' }),
    action: z.enum(ACTIONS).optional().openapi({ description: 'Requested action; the policy refuses actions it does not allow for this type, role and tier.', example: 'drop' }),
    fieldType: z.enum(FIELD_TYPES).optional().openapi({ description: 'Value type of the stored column, instead of inference.', example: 'integer' }),
    description: z.string().max(2000).optional().openapi({ description: 'Field description shown to developers.', example: '办件受理日期' }),
    filterable: z.boolean().optional().openapi({ description: 'Whether developers may filter on the field.', example: true }),
    sortable: z.boolean().optional().openapi({ description: 'Whether developers may sort on the field.', example: false }),
  })
  .openapi('FieldDeclaration');

export const DeclarationsBody = z
  .record(z.string().min(1), DeclarationSchema)
  .openapi('FieldDeclarations', { description: 'Declarations keyed by the column header as it appears in the CSV.', example: { 身份证号: { type: 'resident_id', action: 'drop' } } });

export const DatasetBody = z
  .object({
    slug: slug('service-halls'),
    publisher: slug('hefei-data-bureau').openapi({ description: 'Slug of the publishing department; stewards may only use their own.' }),
    title: z.string().min(1).max(200).openapi({ description: 'Dataset title.', example: '社保卡办理网点' }),
    description: z.string().max(5000).default('').openapi({ description: 'What the dataset contains and how it is collected.', example: '合肥市社保卡服务网点的位置与开放时间。' }),
    theme: z.string().min(1).max(100).openapi({ description: 'Theme (for example 社会保障, 市场监管).', example: '社会保障' }),
    keywords: z.array(z.string().min(1).max(50)).max(30).default([]).openapi({ description: 'Keywords for search.', example: ['社保卡', '网点'] }),
    licence: z.string().min(1).max(200).openapi({ description: 'Licence the data is opened under.', example: 'CC-BY-4.0' }),
    updateFrequency: z.string().min(1).max(50).openapi({ description: 'How often the dataset is updated.', example: 'monthly' }),
    contact: z.string().min(1).max(200).openapi({ description: 'Contact point for questions about the data (an office, not a person).', example: 'opendata@hefei.gov.example' }),
    openTier: z.enum(['unconditional', 'conditional', 'not_open']).openapi({ description: 'Open tier: any key, approved applications only, or never served.', example: 'unconditional' }),
    dataGrade: z.enum(['general', 'important', 'core']).openapi({ description: 'Data grade; important and core data cannot be opened.', example: 'general' }),
    personLevel: z.boolean().default(false).openapi({ description: 'Whether each row describes a person; k-anonymity is checked for person-level data.', example: false }),
    declarations: DeclarationsBody.default({}),
  })
  .openapi('DatasetInput');

const ClassificationSchema = z
  .object({
    type: z.enum(PRIVACY_TYPES).openapi({ description: 'What the column holds.', example: 'mobile' }),
    role: z.enum(PRIVACY_ROLES).openapi({ description: 'Role under the policy.', example: 'direct_identifier' }),
    action: z.enum(ACTIONS).openapi({ description: 'Action applied to every value.', example: 'drop' }),
    source: z.enum(['declared', 'detected', 'no_identifiers']).openapi({ description: 'Whether a steward declared it, detectors found it, or nothing was detected.', example: 'detected' }),
  })
  .openapi('FieldClassification');

export const FieldSchema = z
  .object({
    name: z.string().openapi({ description: 'Column name in query results (generated from the header).', example: 'c3_district' }),
    title: z.string().openapi({ description: 'The header as the department exported it.', example: '所在区' }),
    type: z.enum(FIELD_TYPES).openapi({ description: 'Value type of the published column.', example: 'string' }),
    description: z.string().openapi({ description: 'Field description.', example: '网点所在行政区' }),
    constraints: z.object({ required: z.boolean().openapi({ description: 'Whether every row has a value.', example: false }) }).openapi({ description: 'Table Schema constraints.' }),
    filterable: z.boolean().openapi({ description: 'Whether the field can be filtered on.', example: true }),
    sortable: z.boolean().openapi({ description: 'Whether the field can be sorted on.', example: false }),
    classification: ClassificationSchema,
  })
  .openapi('AdminField');

const ColumnReportSchema = z
  .object({
    name: z.string().openapi({ description: 'Generated column name.', example: 'c2' }),
    title: z.string().openapi({ description: 'Source header.', example: '联系电话' }),
    detected: z
      .array(
        z.object({
          type: z.enum(PRIVACY_TYPES).openapi({ description: 'Detected type.', example: 'mobile' }),
          hits: z.number().int().openapi({ description: 'Sample cells in which the type was found.', example: 998 }),
          share: z.number().openapi({ description: 'Share of non-empty sample cells hit.', example: 0.998 }),
          confidence: z.number().openapi({ description: 'How sure the detectors are, 0 to 1.', example: 0.99 }),
        }),
      )
      .openapi({ description: 'Types detected in the first rows of the file.' }),
    declared: DeclarationSchema.pick({ type: true, role: true, action: true }).nullable().openapi({ description: 'What the steward declared for the column, if anything.' }),
    classification: z.union([ClassificationSchema, z.null()]).openapi({ description: 'The classification applied, or null when the column is unclassified and must be declared.' }),
    appliedAction: z.enum([...ACTIONS, 'redact']).openapi({ description: 'What was done to the stored values; unclassified columns are stored with identifiers masked (`redact`).', example: 'drop' }),
    samples: z.array(z.string()).openapi({ description: 'Up to three masked sample values; never raw.', example: ['138****8000'] }),
    findings: z.array(z.string()).openapi({ description: 'What the steward must fix about this column.', example: [] }),
  })
  .openapi('ColumnReport');

const GateSchema = z
  .object({
    passed: z.boolean().openapi({ description: 'Whether every gate rule passed.', example: true }),
    checkedAt: z.string().openapi({ description: 'When the gate ran.', example: '2026-03-01T08:00:00.000Z' }),
    checkedBy: z.string().openapi({ description: 'Who ran it (the submitter or the approver).', example: 'li.na' }),
    findings: z
      .array(
        z.object({
          rule: z.string().openapi({ description: 'Rule that failed.', example: 'undeclared_identifier' }),
          column: z.string().optional().openapi({ description: 'Column (source header) the finding concerns.', example: '备注' }),
          message: z.string().openapi({ description: 'What is wrong and how to fix it.', example: 'Stored values contain 3 occurrence(s) of mobile, which the column is not declared as.' }),
        }),
      )
      .openapi({ description: 'Problems found; empty when passed.' }),
    kAnonymity: z
      .object({
        k: z.number().int().openapi({ description: 'Required minimum class size.', example: 5 }),
        quasiIdentifiers: z.array(z.string()).openapi({ description: 'Quasi-identifier columns checked.', example: ['所在区', '年龄'] }),
        smallestClass: z.number().int().nullable().openapi({ description: 'Size of the smallest class; null without quasi-identifiers.', example: 12 }),
      })
      .nullable()
      .openapi({ description: 'k-anonymity result for person-level data, else null.' }),
  })
  .openapi('GateReport');

export const VersionSchema = z
  .object({
    number: z.number().int().openapi({ description: 'Version number, from 1.', example: 1 }),
    status: z.enum(['draft', 'submitted', 'published', 'rejected', 'withdrawn']).openapi({ description: 'Review status.', example: 'draft' }),
    rowCount: z.number().int().openapi({ description: 'Rows stored.', example: 2000 }),
    sourceEncoding: z.string().openapi({ description: 'Encoding the CSV was read in.', example: 'utf-8' }),
    fields: z.array(FieldSchema).openapi({ description: 'Field schema of this version, with classifications.' }),
    classification: z
      .object({
        rowCount: z.number().int().openapi({ description: 'Rows imported.', example: 2000 }),
        columns: z.array(ColumnReportSchema).openapi({ description: 'One report per source column.' }),
        unclassified: z.array(z.string()).openapi({ description: 'Headers of columns that must be declared before submission.', example: [] }),
      })
      .openapi({ description: 'Classification report of the import.' }),
    gate: GateSchema.nullable().openapi({ description: 'Latest publication gate report, or null before submission.' }),
    createdBy: z.string().openapi({ description: 'Steward who imported it.', example: 'li.na' }),
    createdAt: z.string().openapi({ description: 'When it was imported.', example: '2026-03-01T08:00:00.000Z' }),
    submittedBy: z.string().nullable().openapi({ description: 'Steward who submitted it.', example: 'li.na' }),
    submittedAt: z.string().nullable().openapi({ description: 'When it was submitted.', example: null }),
    reviewedBy: z.string().nullable().openapi({ description: 'Approver who approved or rejected it.', example: null }),
    reviewedAt: z.string().nullable().openapi({ description: 'When it was reviewed.', example: null }),
    reviewReason: z.string().nullable().openapi({ description: 'Reason given on rejection.', example: null }),
    publishedAt: z.string().nullable().openapi({ description: 'When it was published.', example: null }),
    withdrawnBy: z.string().nullable().openapi({ description: 'Who withdrew it.', example: null }),
    withdrawnAt: z.string().nullable().openapi({ description: 'When it was withdrawn.', example: null }),
    withdrawReason: z.string().nullable().openapi({ description: 'Why it was withdrawn.', example: null }),
  })
  .openapi('DatasetVersion');

export const AdminDatasetSchema = z
  .object({
    id: z.string().uuid().openapi({ description: 'Dataset id.', example: '0b8f3c2a-1d4e-4f6a-9b7c-5e2d1a3f4b6c' }),
    slug: z.string().openapi({ description: 'URL-safe identifier.', example: 'service-halls' }),
    publisher: z.string().openapi({ description: 'Publisher slug.', example: 'hefei-data-bureau' }),
    title: z.string().openapi({ description: 'Title.', example: '社保卡办理网点' }),
    description: z.string().openapi({ description: 'Description.', example: '合肥市社保卡服务网点。' }),
    theme: z.string().openapi({ description: 'Theme.', example: '社会保障' }),
    keywords: z.array(z.string()).openapi({ description: 'Keywords.', example: ['社保卡'] }),
    licence: z.string().openapi({ description: 'Licence.', example: 'CC-BY-4.0' }),
    updateFrequency: z.string().openapi({ description: 'Update frequency.', example: 'monthly' }),
    contact: z.string().openapi({ description: 'Contact point.', example: 'opendata@hefei.gov.example' }),
    openTier: z.enum(['unconditional', 'conditional', 'not_open']).openapi({ description: 'Open tier.', example: 'unconditional' }),
    dataGrade: z.enum(['general', 'important', 'core']).openapi({ description: 'Data grade.', example: 'general' }),
    personLevel: z.boolean().openapi({ description: 'Whether rows describe people.', example: false }),
    declarations: DeclarationsBody,
    fields: z.array(FieldSchema).openapi({ description: 'Field schema set by the latest import.' }),
    currentVersion: z.number().int().nullable().openapi({ description: 'Published version served to developers, or null.', example: 1 }),
    versions: z
      .array(VersionSchema.pick({ number: true, status: true, rowCount: true, createdAt: true, publishedAt: true }))
      .openapi({ description: 'Every version, newest first.' }),
  })
  .openapi('AdminDataset');

export const DatasetParams = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'Dataset id (UUID) or slug.', example: 'service-halls' }),
});

export const VersionParams = DatasetParams.extend({
  number: z.coerce.number().int().min(1).openapi({ param: { name: 'number', in: 'path' }, description: 'Version number.', example: 1 }),
});

export const ReasonBody = z
  .object({ reason: z.string().trim().min(1).max(2000).openapi({ description: 'Why; shown to the steward and kept in the dataset history.', example: '字段“备注”仍含联系电话，请声明后重新导入。' }) })
  .openapi('ReviewReason');
