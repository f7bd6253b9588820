import type { AppRouter } from '../../context';
import { registerAggregate } from './aggregate';
import { registerDescribeRoutes } from './describe';
import { registerExport } from './export';
import { registerRecords } from './records';
import { registerGetDataset } from './get-dataset';
import { registerListDatasets } from './list-datasets';

/** The public catalog: metadata needs no key. */
export function registerCatalogRoutes(app: AppRouter) {
  registerListDatasets(app);
  registerDescribeRoutes(app);
  registerGetDataset(app);
}

/** The data itself: an API key with `data:read` (see app.ts). */
export function registerDataRoutes(app: AppRouter) {
  registerRecords(app);
  registerAggregate(app);
  registerExport(app);
}
