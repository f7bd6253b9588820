import { z } from '@hono/zod-openapi';

export const PublicFieldSchema = z
  .object({
    name: z.string().openapi({ description: 'Field name used in queries (`select`, filters, `order`) and in records.', example: 'c2' }),
    title: z.string().openapi({ description: 'Human title (the header the department used).', example: '所在区' }),
    type: z.enum(['string', 'integer', 'number', 'boolean', 'date', 'datetime']).openapi({ description: 'Table Schema type of the values.', example: 'string' }),
    description: z.string().openapi({ description: 'What the field holds.', example: '网点所在行政区' }),
    constraints: z.object({ required: z.boolean().openapi({ description: 'Whether every record has a value.', example: false }) }).openapi({ description: 'Table Schema constraints.' }),
    filterable: z.boolean().openapi({ description: 'Whether `<field>=<op>.<value>` filters may use it.', example: true }),
    sortable: z.boolean().openapi({ description: 'Whether `order` may use it.', example: false }),
    transform: z
      .enum(['mask', 'pseudonymize', 'generalize', 'suppress'])
      .optional()
      .openapi({ description: 'How values were desensitized before publication; absent when published as collected.', example: 'generalize' }),
  })
  .openapi('Field');

const PublisherRef = z
  .object({
    slug: z.string().openapi({ description: 'Publisher identifier.', example: 'hefei-gov-services' }),
    name: z.string().openapi({ description: 'Department name.', example: '合肥市数据资源局（政务服务）' }),
  })
  .openapi('PublisherRef');

const datasetSummaryShape = {
  id: z.string().uuid().openapi({ description: 'Dataset id.', example: '0b8f3c2a-1d4e-4f6a-9b7c-5e2d1a3f4b6c' }),
  slug: z.string().openapi({ description: 'URL-safe identifier, usable wherever an id is.', example: 'service-halls' }),
  title: z.string().openapi({ description: 'Title.', example: '社保卡办理网点' }),
  description: z.string().openapi({ description: 'Description.', example: '可办理社保卡申领、补换的服务网点。' }),
  theme: z.string().openapi({ description: 'Theme.', example: '社会保障' }),
  keywords: z.array(z.string()).openapi({ description: 'Keywords (`tag` filter).', example: ['社保卡', '网点'] }),
  publisher: PublisherRef,
  licence: z.string().openapi({ description: 'Licence of the data.', example: 'CC-BY-4.0' }),
  openTier: z.enum(['unconditional', 'conditional']).openapi({ description: '`unconditional`: any API key; `conditional`: an approved application is needed.', example: 'unconditional' }),
  updateFrequency: z.string().openapi({ description: 'How often it is updated.', example: 'quarterly' }),
  currentVersion: z.number().int().openapi({ description: 'Version served by default.', example: 1 }),
  rowCount: z.number().int().openapi({ description: 'Records in the current version.', example: 40 }),
  publishedAt: z.string().nullable().openapi({ description: 'When the current version was published.', example: '2026-11-28T04:00:00.000Z' }),
};

export const DatasetSummarySchema = z.object(datasetSummaryShape).openapi('DatasetSummary');

export const DatasetDetailSchema = z
  .object({
    ...datasetSummaryShape,
    contact: z.string().openapi({ description: 'Contact point for questions about the data.', example: '合肥市数据资源局 开放数据科' }),
    fields: z.array(PublicFieldSchema).openapi({ description: 'Table Schema fields of the current version. Fields the policy removed are not listed.' }),
    versions: z
      .array(
        z.object({
          number: z.number().int().openapi({ description: 'Version number (`version=n` on queries).', example: 1 }),
          rowCount: z.number().int().openapi({ description: 'Records in this version.', example: 40 }),
          publishedAt: z.string().nullable().openapi({ description: 'When it was published.', example: '2026-11-28T04:00:00.000Z' }),
        }),
      )
      .openapi({ description: 'Published versions, newest first. Withdrawn versions are not listed.' }),
  })
  .openapi('Dataset');

export const DatasetIdParams = z.object({
  id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, description: 'Dataset id (UUID) or slug.', example: 'service-halls' }),
});
