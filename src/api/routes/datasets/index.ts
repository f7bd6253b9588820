import type { AppRouter } from '../../context';
import { registerDescribeRoutes } from './describe';
import { registerGetDataset } from './get-dataset';
import { registerListDatasets } from './list-datasets';

/** The public catalog: metadata needs no key. */
export function registerCatalogRoutes(app: AppRouter) {
  registerListDatasets(app);
  registerDescribeRoutes(app);
  registerGetDataset(app);
}
